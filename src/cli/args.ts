/**
 * Command-line parsing for `glmm` (DESIGN.md §CLI) with node:util's parseArgs. A usage error (an
 * unknown flag, a missing value, a malformed number) throws UsageError: the CLI prints one line and
 * exits 2.
 */
import { parseArgs } from 'node:util';

/** A usage error: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Command = 'fit' | 'laplace' | 'diagnose' | 'loo' | 'compare' | 'help' | 'version';

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
}

export interface FitArgs extends ModelArgs {
  chains?: number;
  /** undefined: the sampler's default (NUTS 1000; ChEES at most 1000, stopping when nested R-hat passes). */
  warmup?: number;
  /** Draws per chain; undefined: the sampler's default (NUTS 1000; ChEES 100). */
  draws?: number;
  seed: number;
  adaptDelta: number;
  maxTreedepth: number;
  metric: 'diag' | 'dense';
  /** undefined: NUTS starts at the Laplace mode (jittered), ChEES from the best of 16 uniform(−2, 2) draws per superchain. */
  init?: 'random' | 'laplace';
  sampler: 'nuts' | 'chees';
  backend?: 'cpu' | 'wasm';
  noLaplace: boolean;
  /** Model comparison outputs (src/loo): write log_lik_chainK.csv, print PSIS-LOO, leave-one-group-out, K-fold. */
  looOut: LooFitArgs;
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
  | { command: 'diagnose'; files: string[]; json: boolean }
  | { command: 'loo' | 'compare'; argv: string[] }
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `usage:
  glmm fit --data FILE.csv --formula F --family FAMILY [--link L] [--factor a,b] [--weights N] [--prior 'b ~ normal(0,5)']...
           [--sampler chees|nuts] [--chains N] [--warmup N] [--draws N] [--seed N] [--init random|laplace]
           [--adapt-delta 0.8] [--max-treedepth 10] [--metric diag|dense]   (NUTS only)
           [--backend cpu|wasm] [--no-laplace] [--no-profile] [--means FACTOR] [--ddf kenward-roger|satterthwaite]
           [--random] [--out DIR] [--json]
           [--log-lik] [--loo] [--loo-group g] [--kfold K [--kfold-group g]]   (model comparison, README)
  defaults: ChEES 256 chains × 100 draws, warmup ≤ 1000 (stops when nested R-hat passes), random starts;
            NUTS 4 chains × 1000 draws after 1000 warmup, starts at the Laplace mode
  glmm laplace --data FILE.csv --formula F --family FAMILY [--link L] [--factor a,b] [--weights N] [--nagq N] [--reml|--ml]
           [--means FACTOR] [--ddf kenward-roger|satterthwaite] [--no-profile] [--random] [--out DIR] [--json]
  gaussian fits print Type III F tests (Kenward–Roger df for REML, Satterthwaite for ML); --means trt
  prints the level means of trt (least-squares means with t intervals; GLMMs: data scale, both answers)
  glmm diagnose FILE.csv... [--json]
  glmm loo FILE.csv...|DIR [--loo-group g [--data FILE.csv]] [--variable log_lik] [--json]
  glmm compare DIR DIR... [--labels a,b] [--criterion loo|kfold|waic] [--loo-group g] [--html FILE] [--json]
families: poisson binomial bernoulli negbinomial gaussian gamma
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
} as const;

function num(name: string, v: string | undefined, dflt: number, check: (x: number) => boolean, what: string): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} ${v}: expected ${what}`);
  return x;
}

function oneOf<T extends string>(name: string, v: string | undefined, dflt: T, allowed: readonly T[]): T {
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} ${v}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

function required(name: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new UsageError(`missing --${name} (see glmm --help)`);
  return v;
}

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
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
  };
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
      seed: { type: 'string' },
      'adapt-delta': { type: 'string' },
      'max-treedepth': { type: 'string' },
      metric: { type: 'string' },
      init: { type: 'string' },
      sampler: { type: 'string' },
      backend: { type: 'string' },
      'no-laplace': { type: 'boolean' },
      'log-lik': { type: 'boolean' },
      loo: { type: 'boolean' },
      'loo-group': { type: 'string' },
      kfold: { type: 'string' },
      'kfold-group': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    const v = values as Record<string, string | undefined>;
    const isInt = (x: number) => Number.isInteger(x);
    return {
      command: 'fit',
      args: {
        ...modelArgs(values),
        chains: v.chains === undefined ? undefined : num('chains', v.chains, 4, (x) => isInt(x) && x >= 1, 'a positive integer'),
        warmup: v.warmup === undefined ? undefined : num('warmup', v.warmup, 1000, (x) => isInt(x) && x >= 0, 'a non-negative integer'),
        draws: v.draws === undefined ? undefined : num('draws', v.draws, 1000, (x) => isInt(x) && x >= 1, 'a positive integer'),
        seed: num('seed', v.seed, 1, (x) => isInt(x) && x >= 0, 'a non-negative integer'),
        adaptDelta: num('adapt-delta', v['adapt-delta'], 0.8, (x) => x > 0 && x < 1, 'a number in (0, 1)'),
        maxTreedepth: num('max-treedepth', v['max-treedepth'], 10, (x) => isInt(x) && x >= 1 && x <= 20, 'an integer in 1..20'),
        metric: oneOf('metric', v.metric, 'diag', ['diag', 'dense'] as const),
        init: v.init === undefined ? undefined : oneOf('init', v.init, 'laplace', ['random', 'laplace'] as const),
        sampler: oneOf('sampler', v.sampler, 'chees', ['nuts', 'chees'] as const),
        backend: v.backend === undefined ? undefined : oneOf('backend', v.backend, 'cpu', ['cpu', 'wasm'] as const),
        noLaplace: Boolean(values['no-laplace']),
        looOut: looFitArgs(values as Record<string, unknown>),
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
    const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('glmm diagnose needs one CSV file per chain');
    return { command: 'diagnose', files: positionals, json: Boolean(values.json) };
  }
  if (cmd === 'loo' || cmd === 'compare') return { command: cmd, argv: rest };
  throw new UsageError(`unknown command '${cmd}' (commands: fit, laplace, diagnose, loo, compare)`);
}
