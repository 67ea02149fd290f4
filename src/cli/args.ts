/**
 * Command-line parsing for `glmm` (DESIGN.md §CLI): each command's flags and what it hands on. One
 * flag's value is parsed in flag-values.ts (node:util's parseArgs, numbers by fit()'s own rules); the
 * usage text is usage.ts. A usage error (an unknown flag, a missing value, a malformed number) throws
 * UsageError: the CLI prints one line and exits 2.
 */
import type { SamplerOptions } from '../fit/options.js';
import { MODEL_RULES, SAMPLER_RULES } from '../fit/check-options.js';
import { centeredArg, listArg, num, oneOf, opt, parse, required, ruled, seedArg, separator, UsageError } from './flag-values.js';

export type Command = 'fit' | 'laplace' | 'diagnose' | 'loo' | 'compare' | 'power' | 'worker' | 'ui' | 'help' | 'version';

export interface ModelArgs {
  data: string;
  formula: string;
  family: string;
  link?: string;
  factors: string[];
  /** Binomial trials of a proportion response (glmer's weights=). */
  weights?: string;
  /** The categories of an ordinal response, lowest first (--levels a,b,c). */
  levels?: string[];
  /** --zi: the one-sided formula of the zero part (glmmTMB's ziformula): '~1' (the default) or '~ x1 + x2' (coefficients b_zi_*, b_hu_* on the logit scale). */
  zi?: string;
  /** Denominator df of a gaussian lmer fit's tests and intervals. */
  ddf?: 'kenward-roger' | 'satterthwaite';
  /** Factors whose level means are printed and written (emmeans). */
  means: string[];
  /** false: skip the profile-likelihood intervals (--no-profile). */
  profile: boolean;
  priors: string[];
  json: boolean;
  out?: string;
  showRandom: boolean;
  /** Field separator of the data file (undefined: detected). */
  sep?: string;
  /** Extra missing-value markers (--na .). */
  na: string[];
  /** Level of the intervals in the table (--prob, default 0.95). */
  prob: number;
  /** --wide: one table with every column instead of fitting 100 columns. */
  wide: boolean;
}

/** `glmm fit`: the model, the sampler options (undefined: fit/options.ts's defaults) and the CLI's own. */
export interface FitArgs extends ModelArgs, SamplerOptions {
  readonly init?: 'random' | 'laplace';
  /** ChEES without --draws: the bulk/tail ESS every β/sd/cor/family parameter must reach (default 1000). */
  ess?: number;
  backend?: 'js' | 'cpu' | 'wasm';
  /** --threads N: threads of the plain-JS log density (default: the cores; small models use one). */
  threads?: number;
  noLaplace: boolean;
  /** Draws CSV layout of --out; undefined: one draws.csv for ChEES, one file per chain for NUTS. */
  drawsCsv?: 'combined' | 'per-chain';
  /** Grouping factors sampled centred; [] for none; undefined: chosen from the Laplace fit. */
  centered?: string[];
  /** Model comparison outputs (src/loo): write log_lik_chainK.csv, print PSIS-LOO, leave-one-group-out, K-fold. */
  looOut: LooFitArgs;
  /** How many-fit runs (K-fold, --each-response) run their jobs. */
  many: ManyArgs;
  /** --each-response y1,y2: one fit per response column (the formula's left side replaced). */
  eachResponse?: string[];
}

/** Flags of a many-fit run (src/pool): --workers N, --results FILE, --resume. */
export interface ManyArgs {
  /** Worker threads; undefined: the cores. */
  workers?: number;
  /** One JSON line per finished job. */
  results?: string;
  resume: boolean;
  /** Run the jobs on the BullMQ queue at this Redis URL (glmm worker processes). */
  redis?: string;
}

/** `glmm fit` flags of src/loo: --log-lik, --loo, --loo-group g, --kfold K, --kfold-group g. */
export interface LooFitArgs {
  logLik: boolean;
  loo: boolean;
  looGroup?: string;
  kfold?: number;
  kfoldGroup?: string;
}

export interface LaplaceArgs extends ModelArgs {
  nAGQ: number;
  reml?: boolean;
  /** A progress line on stderr even when it is not a terminal (--progress). */
  progress: boolean;
}

export type ParsedCommand =
  | { command: 'fit'; args: FitArgs }
  | { command: 'laplace'; args: LaplaceArgs }
  | { command: 'diagnose'; files: string[]; json: boolean; force: boolean }
  | { command: 'ui'; port?: number; open: boolean }
  | { command: 'loo' | 'compare' | 'power' | 'worker'; argv: string[] }
  | { command: 'help' }
  | { command: 'version' };

const modelOptions = {
  data: { type: 'string' },
  formula: { type: 'string' },
  family: { type: 'string' },
  link: { type: 'string' },
  factor: { type: 'string', multiple: true },
  weights: { type: 'string' },
  levels: { type: 'string' },
  zi: { type: 'string' },
  ddf: { type: 'string' },
  means: { type: 'string', multiple: true },
  'no-profile': { type: 'boolean' },
  prior: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  out: { type: 'string' },
  random: { type: 'boolean' },
  sep: { type: 'string' },
  na: { type: 'string', multiple: true },
  prob: { type: 'string' },
  wide: { type: 'boolean' },
} as const;

function modelArgs(values: Record<string, unknown>): ModelArgs {
  const factors = ((values.factor as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  return {
    data: required('data', values.data as string | undefined),
    formula: required('formula', values.formula as string | undefined),
    family: required('family', values.family as string | undefined),
    link: values.link as string | undefined,
    factors,
    weights: values.weights as string | undefined,
    levels: values.levels === undefined ? undefined : (values.levels as string).split(',').map((s) => s.trim()),
    zi: values.zi as string | undefined,
    ddf: values.ddf === undefined ? undefined : oneOf('ddf', values.ddf as string, 'kenward-roger', ['kenward-roger', 'satterthwaite'] as const),
    means: ((values.means as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''),
    profile: !values['no-profile'],
    priors: (values.prior as string[] | undefined) ?? [],
    json: Boolean(values.json),
    out: values.out as string | undefined,
    showRandom: Boolean(values.random),
    sep: separator(values.sep as string | undefined),
    na: (values.na as string[] | undefined) ?? [],
    prob: ruled('prob', values.prob as string | undefined, 0.95, MODEL_RULES.prob),
    wide: Boolean(values.wide),
  };
}

const manyOptions = { workers: { type: 'string' }, results: { type: 'string' }, resume: { type: 'boolean' }, redis: { type: 'string' } } as const;

function manyArgs(v: Record<string, unknown>): ManyArgs {
  const workers = v.workers === undefined ? undefined : num('workers', v.workers as string, 0, (x) => Number.isInteger(x) && x >= 1 && x <= 1024, 'a positive integer');
  if (v.resume && v.results === undefined) throw new UsageError('--resume continues the run whose results file --results FILE names; add --results FILE');
  return { workers, results: v.results as string | undefined, resume: Boolean(v.resume), redis: v.redis as string | undefined };
}

function looFitArgs(v: Record<string, unknown>): LooFitArgs {
  const kfold = v.kfold === undefined ? undefined : num('kfold', v.kfold as string, 10, (x) => Number.isInteger(x) && x >= 2, 'an integer ≥ 2');
  if (v['kfold-group'] !== undefined && kfold === undefined) throw new UsageError('--kfold-group needs --kfold K');
  return { logLik: Boolean(v['log-lik']), loo: Boolean(v.loo), looGroup: v['loo-group'] as string | undefined, kfold, kfoldGroup: v['kfold-group'] as string | undefined };
}

/** Parses `glmm <command> ...` (argv without node and script). */
export function parseCommandLine(argv: string[]): ParsedCommand {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return { command: 'help' };
  if (cmd === '--version' || cmd === 'version') return { command: 'version' };
  // `glmm fit --help` (as the README says) and `glmm laplace -h`: the usage, not an unknown-option error
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  if (cmd === 'fit') {
    const { values, positionals } = parse(rest, {
      ...modelOptions,
      chains: { type: 'string' },
      warmup: { type: 'string' },
      draws: { type: 'string' },
      ess: { type: 'string' },
      seed: { type: 'string' },
      'adapt-delta': { type: 'string' },
      'max-treedepth': { type: 'string' },
      metric: { type: 'string' },
      init: { type: 'string' },
      sampler: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      centered: { type: 'string' },
      'no-laplace': { type: 'boolean' },
      'draws-csv': { type: 'string' },
      'log-lik': { type: 'boolean' },
      loo: { type: 'boolean' },
      'loo-group': { type: 'string' },
      kfold: { type: 'string' },
      'kfold-group': { type: 'string' },
      'each-response': { type: 'string' },
      ...manyOptions,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    const v = values as Record<string, string | undefined>;
    if (v.ess !== undefined && v.draws !== undefined) throw new UsageError('--ess and --draws exclude each other (--draws fixes the length; --ess samples until the target is met)');
    return {
      command: 'fit',
      args: {
        ...modelArgs(values),
        chains: opt(v.chains, (s) => ruled('chains', s, 0, SAMPLER_RULES.chains)),
        warmup: opt(v.warmup, (s) => ruled('warmup', s, 0, SAMPLER_RULES.warmup)),
        draws: opt(v.draws, (s) => ruled('draws', s, 0, SAMPLER_RULES.draws)),
        ess: opt(v.ess, (s) => ruled('ess', s, 0, SAMPLER_RULES.ess)),
        seed: opt(v.seed, seedArg),
        adaptDelta: opt(v['adapt-delta'], (s) => ruled('adapt-delta', s, 0, SAMPLER_RULES.adaptDelta)),
        maxTreedepth: opt(v['max-treedepth'], (s) => ruled('max-treedepth', s, 0, SAMPLER_RULES.maxTreedepth)),
        metric: opt(v.metric, (s) => oneOf('metric', s, 'diag', ['diag', 'dense'] as const)),
        init: opt(v.init, (s) => oneOf('init', s, 'laplace', ['random', 'laplace'] as const)),
        sampler: opt(v.sampler, (s) => oneOf('sampler', s, 'chees', ['nuts', 'chees'] as const)),
        backend: opt(v.backend, (s) => oneOf('backend', s, 'cpu', ['js', 'cpu', 'wasm'] as const)),
        threads: opt(v.threads, (s) => ruled('threads', s, 0, SAMPLER_RULES.threads)),
        centered: centeredArg(v.centered),
        noLaplace: Boolean(values['no-laplace']),
        drawsCsv: v['draws-csv'] === undefined ? undefined : oneOf('draws-csv', v['draws-csv'], 'combined', ['combined', 'per-chain'] as const),
        looOut: looFitArgs(values as Record<string, unknown>),
        many: manyArgs(values as Record<string, unknown>),
        eachResponse: listArg(v['each-response']),
      },
    };
  }
  if (cmd === 'laplace') {
    const { values, positionals } = parse(rest, { ...modelOptions, nagq: { type: 'string' }, reml: { type: 'boolean' }, ml: { type: 'boolean' }, progress: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    if (values.reml && values.ml) throw new UsageError('--reml and --ml exclude each other');
    const v = values as Record<string, string | undefined>;
    return {
      command: 'laplace',
      args: {
        ...modelArgs(values),
        nAGQ: num('nagq', v.nagq, 1, (x) => Number.isInteger(x) && x >= 1 && x <= 25, 'an integer in 1..25'),
        reml: values.reml ? true : values.ml ? false : undefined,
        progress: Boolean(values.progress),
      },
    };
  }
  if (cmd === 'diagnose') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' }, force: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('glmm diagnose needs one CSV file per chain');
    return { command: 'diagnose', files: positionals, json: Boolean(values.json), force: Boolean(values.force) };
  }
  if (cmd === 'loo' || cmd === 'compare' || cmd === 'power' || cmd === 'worker') return { command: cmd, argv: rest };
  if (cmd === 'ui') {
    const { values, positionals } = parse(rest, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    const port = values.port as string | undefined;
    return {
      command: 'ui', open: !values['no-open'],
      port: port === undefined ? undefined : num('port', port, 0, (x) => Number.isInteger(x) && x >= 0 && x <= 65535, 'an integer in 0..65535'),
    };
  }
  throw new UsageError(`unknown command '${cmd}' (commands: fit, laplace, diagnose, loo, compare, power, worker, ui)`);
}
