/**
 * Command-line parsing for `glmm` (DESIGN.md §CLI) with node:util's parseArgs. A usage error (an
 * unknown flag, a missing value, a malformed number) throws UsageError: the CLI prints one line and
 * exits 2.
 */
import { parseArgs } from 'node:util';
import { FAMILY_NAMES } from '../../models/families/getFamily.js';
import { defaultsUsage, type SamplerOptions } from '../fit/options.js';
import { MODEL_RULES, SAMPLER_RULES, type OptionRule } from '../fit/check-options.js';

/** A usage error: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Command = 'fit' | 'laplace' | 'diagnose' | 'loo' | 'compare' | 'power' | 'ui' | 'help' | 'version';

export interface ModelArgs {
  data: string;
  formula: string;
  family: string;
  link?: string;
  factors: string[];
  /** Binomial trials of a proportion response (glmer's weights=). */
  weights?: string;
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
}

export type ParsedCommand =
  | { command: 'fit'; args: FitArgs }
  | { command: 'laplace'; args: LaplaceArgs }
  | { command: 'diagnose'; files: string[]; json: boolean; force: boolean }
  | { command: 'ui'; port?: number; open: boolean }
  | { command: 'loo' | 'compare' | 'power'; argv: string[] }
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `usage:
  glmm fit --data FILE.csv --formula F --family FAMILY [--link L] [--factor a,b] [--weights N] [--prior 'b ~ normal(0,5)']...
           [--sampler chees|nuts] [--chains N] [--warmup N] [--ess N | --draws N] [--seed N] [--init random|laplace]
           [--adapt-delta A] [--max-treedepth 10] [--metric diag|dense] (the last two NUTS only)
           [--centered GROUP,...|none|auto] [--backend js|cpu|wasm] [--threads N] [--no-laplace] [--no-profile]
           [--means FACTOR] [--ddf kenward-roger|satterthwaite] [--prob 0.95] [--random] [--wide] [--out DIR] [--draws-csv combined|per-chain] [--json]
           [--log-lik] [--loo] [--loo-group g] [--kfold K [--kfold-group g]]   (model comparison, README)
           [--each-response y1,y2,...]   (one fit per response column, the formula's left side replaced)
  many fits (--kfold, --each-response): [--workers N] (default: the cores) [--results FILE.jsonl [--resume]]
           one JSON line per finished job; --resume continues an interrupted run of the same command
  ${defaultsUsage()}
  --ess N:  ChEES without --draws samples until every β/sd/cor/family parameter has bulk and tail ESS ≥ N
            (default 1000) and nested R-hat below its threshold (at most 1000 draws per chain)
  --threads N: threads of the plain-JS log density, split by chains (default: the cores; models whose
            batched call is small stay on one thread); the draws are the same for every N
  --centered: random effects of these grouping factors sampled centred, none: all non-centred,
            auto (default): centred where the Laplace fit shows the data dominate the prior
  glmm laplace --data FILE.csv --formula F --family FAMILY [--link L] [--factor a,b] [--weights N] [--nagq N] [--reml|--ml]
           [--means FACTOR] [--ddf kenward-roger|satterthwaite] [--no-profile] [--prob 0.95] [--random] [--wide] [--out DIR] [--json]
  glmm diagnose FILE.csv... [--json] [--force]   (one file per chain; --force: read whole-number tables as draws)
  glmm loo FILE.csv...|DIR [--loo-group g [--data FILE.csv]] [--variable log_lik] [--json]
  glmm compare DIR DIR... [--labels a,b] [--criterion loo|kfold|waic] [--loo-group g] [--html FILE] [--json]
  glmm power --data FILE.csv | --levels block=8,trt=4 [--reps N]  --formula F --family FAMILY --set NAME=VALUE...
           --test EFFECT [--fit laplace|posterior] [--rule wald|lrt|prob|rope] [--null F] [--alpha 0.05]
           [--threshold 0.95] [--direction greater|less] [--rope LO,HI] [--along FACTOR=4,6,8,12] [--nsim 100]
           [--interval clopper-pearson|wilson] [--seed N] [--out DIR] [--json]   (power by simulation, README)
  glmm ui [--port N] [--no-open]   serve the web app on localhost (prints its URL first)
data:      --sep ','|';'|tab (default: from the header), --na TEXT (repeatable: cells meaning missing
           besides empty, NA and NaN, e.g. --na .)
intervals: --prob P: posterior central interval and Laplace interval at level P (default 0.95)
tests:     gaussian fits print Type III F tests (Kenward–Roger df for REML, Satterthwaite for ML); --means trt
           prints the level means of trt (least-squares means with t intervals; GLMMs: data scale, both answers)
families: ${FAMILY_NAMES.join(' ')}
  binomial response: cbind(x, n - x), 0/1 or a two-level factor, or a proportion with --weights n (as glmer)`;

const modelOptions = {
  data: { type: 'string' },
  formula: { type: 'string' },
  family: { type: 'string' },
  link: { type: 'string' },
  factor: { type: 'string', multiple: true },
  weights: { type: 'string' },
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

function num(name: string, v: string | undefined, dflt: number, check: (x: number) => boolean, what: string): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} ${v}: expected ${what}`);
  return x;
}

/** A number flag checked by fit()'s own rule for the option (fit/check-options.ts): the same words. */
function ruled(name: string, v: string | undefined, dflt: number, rule: OptionRule): number {
  return num(name, v, dflt, rule.ok, rule.expected);
}

function oneOf<T extends string>(name: string, v: string | undefined, dflt: T, allowed: readonly T[]): T {
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} ${v}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

/** undefined when the flag is absent (the default comes from fit/options.ts), else the parsed value. */
function opt<T>(v: string | undefined, parseValue: (s: string) => T): T | undefined {
  return v === undefined ? undefined : parseValue(v);
}

function required(name: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new UsageError(`missing --${name} (see glmm --help)`);
  return v;
}

/**
 * `--draws -5` as `--draws=-5`: node's parseArgs takes a value starting with '-' for an option ("argument
 * is ambiguous"); joined, the value reaches the validation that says what is expected.
 */
function joinNegativeValues(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-(\d|\.\d|Inf)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** An integer seed that a double holds exactly (0 … 2^53 − 1), or a usage error (no silent rounding). */
function seedArg(v: string | undefined): number {
  if (v === undefined) return 1;
  const t = v.trim();
  if (!/^\d+$/.test(t) || BigInt(t) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(`--seed ${v}: expected ${SAMPLER_RULES.seed.expected}`);
  }
  return Number(t);
}

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's message, without its hint about positionals that start with '-' (not how glmm is used)
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
    throw new UsageError(`${msg} (see glmm --help)`);
  }
}

function modelArgs(values: Record<string, unknown>): ModelArgs {
  const factors = ((values.factor as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  return {
    data: required('data', values.data as string | undefined),
    formula: required('formula', values.formula as string | undefined),
    family: required('family', values.family as string | undefined),
    link: values.link as string | undefined,
    factors,
    weights: values.weights as string | undefined,
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

/** --sep: one character; `tab` and `\t` name the tab. */
function separator(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = v === 'tab' || v === '\\t' ? '\t' : v === 'semicolon' ? ';' : v === 'comma' ? ',' : v;
  if (s.length !== 1) throw new UsageError(`--sep ${v}: expected one character, e.g. --sep ';' or --sep tab`);
  return s;
}

/** --centered: undefined for auto, [] for none, else the grouping factors. */
function centeredArg(v: string | undefined): string[] | undefined {
  if (v === undefined || v === 'auto') return undefined;
  if (v === 'none') return [];
  const groups = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (groups.length === 0) throw new UsageError(`--centered ${v}: expected grouping factors (e.g. block,block:trt), none or auto`);
  return groups;
}

const manyOptions = { workers: { type: 'string' }, results: { type: 'string' }, resume: { type: 'boolean' } } as const;

function manyArgs(v: Record<string, unknown>): ManyArgs {
  const workers = v.workers === undefined ? undefined : num('workers', v.workers as string, 0, (x) => Number.isInteger(x) && x >= 1 && x <= 1024, 'a positive integer');
  if (v.resume && v.results === undefined) throw new UsageError('--resume continues the run whose results file --results FILE names; add --results FILE');
  return { workers, results: v.results as string | undefined, resume: Boolean(v.resume) };
}

function listArg(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
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
        threads: opt(v.threads, (s) => num('threads', s, 0, (x) => Number.isInteger(x) && x >= 1 && x <= 256, 'an integer in 1..256')),
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
    const { values, positionals } = parse(rest, { ...modelOptions, nagq: { type: 'string' }, reml: { type: 'boolean' }, ml: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    if (values.reml && values.ml) throw new UsageError('--reml and --ml exclude each other');
    const v = values as Record<string, string | undefined>;
    return {
      command: 'laplace',
      args: {
        ...modelArgs(values),
        nAGQ: num('nagq', v.nagq, 1, (x) => Number.isInteger(x) && x >= 1 && x <= 25, 'an integer in 1..25'),
        reml: values.reml ? true : values.ml ? false : undefined,
      },
    };
  }
  if (cmd === 'diagnose') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' }, force: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('glmm diagnose needs one CSV file per chain');
    return { command: 'diagnose', files: positionals, json: Boolean(values.json), force: Boolean(values.force) };
  }
  if (cmd === 'loo' || cmd === 'compare' || cmd === 'power') return { command: cmd, argv: rest };
  if (cmd === 'ui') {
    const { values, positionals } = parse(rest, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    const port = values.port as string | undefined;
    return {
      command: 'ui', open: !values['no-open'],
      port: port === undefined ? undefined : num('port', port, 0, (x) => Number.isInteger(x) && x >= 0 && x <= 65535, 'an integer in 0..65535'),
    };
  }
  throw new UsageError(`unknown command '${cmd}' (commands: fit, laplace, diagnose, loo, compare, power, ui)`);
}
