/**
 * `fit`: the one call that runs data → design → model → Laplace fit → sampler → diagnostics → summary
 * (DESIGN.md §Data flow). `laplaceOnly` runs the likelihood answer alone.
 */
import type { Draws } from '../diagnostics/draws.js';
import type { FamilyName, LinkName } from '../models/families/types.js';
import { frameFromRows, readCsv } from './data/read.js';
import type { DataFrame } from './data/frame.js';
import { buildDesign } from './design/design.js';
import type { Design } from './design/types.js';
import { GlmmInputError } from '../base/errors.js';
import { buildModel, type ModelSpec } from './target/parameters.js';
import { constrainDraws } from './target/constrain.js';
import type { SummaryJson } from './report/schema.js';
import { buildSummary, type LaplaceSide } from './fit/summary.js';
import { countChecks } from './fit/report-input.js';
import { cheesChains, runSampler, type SamplerChoice, type SamplingProgress } from './fit/sample.js';
import { laplaceSide, runLaplace } from './fit/laplace.js';
import { type LaplaceRun } from './fit/laplace-run.js';
import { singularNotes } from './fit/notes.js';
import { reparameterizeAdvice, samplingSpec } from './fit/centering.js';
import { resolveSamplerOptions, type SamplerOptions } from './fit/options.js';
import { checkRunSize } from './fit/limits.js';
import { checkFitOptions, checkLaplaceOnlyOptions } from './fit/check-options.js';
import { SAMPLER_DEFAULTS } from './sampler/defaults.js';
import type { CustomFamily, ExtraParameter, UserTerm } from './logdensity/user.js';
import { fixedTests } from './fit/fixed-tests.js';
import type { DdfMethod } from './lmm/lsmeans.js';
import { DEFAULT_ESS_TARGET } from './fit/ess-target.js';
import { compileJsDensity, useJsDensity } from './target/density-js.js';
import { compileJsDensityThreaded, densityThreads } from './target/density-js-threads.js';
import { defaultThreads } from './threads/shared-pool.js';
import type { Target } from './sampler/target.js';
import type { BackendName } from './logdensity/tfjs.js';

/** Where the data come from: a typed frame, rows, columns, or CSV text. */
export type DataInput = DataFrame | Record<string, unknown>[] | Record<string, ArrayLike<unknown>> | { csv: string };

/** The model part of the options, shared by {@link fit} and {@link laplaceOnly}. */
export interface ModelInput {
  readonly formula: string;
  readonly data: DataInput;
  readonly family: FamilyName;
  readonly link?: LinkName;
  /** Numeric columns to treat as factors (CLI `--factor`). */
  readonly factors?: readonly string[];
  /**
   * Prior weights column, as glmer's `weights=`: binomial only, the trials of a proportion response
   * (the same fit as `cbind(p·n, n − p·n)`).
   */
  readonly weights?: string;
  /** The categories of an ordinal response (family cumulative) in order, lowest first (CLI `--levels a,b,c`). */
  readonly levels?: readonly string[];
  /** brms-style prior statements overriding the defaults, e.g. `b ~ normal(0, 2)`. */
  readonly priors?: readonly string[];
  /** The zero part's formula (glmmTMB's ziformula, CLI --zi): '~1' (one zi/hu, the default of the zero-inflated and hurdle families) or '~ x1 + x2', a linear predictor on the logit scale with coefficients b_zi_Intercept, b_zi_x1, … (b_hu_… for a hurdle). */
  readonly zi?: string;
  /** Denominator df of a gaussian lmer fit's tests and t intervals (default Kenward–Roger for REML, Satterthwaite for ML). */
  readonly ddf?: DdfMethod;
  /** Profile-likelihood intervals for the sds, cors and sigma of the Laplace/lmer fit (default true; false skips them: CLI --no-profile). */
  readonly profile?: boolean;
  /** Factors whose level means go into summary.json `means` (emmeans; both answers). */
  readonly means?: readonly string[];
  /** Grouping factors whose random effects are sampled centred (default: chosen from the data, see fit/centering.ts; [] for all non-centred). */
  readonly centered?: readonly string[];
  /** Extra parameters with a constraint and a prior (README "Writing your own terms"). */
  readonly parameters?: readonly ExtraParameter[];
  /** Extra log-density terms written in tfjs ops (posterior only). */
  readonly terms?: readonly UserTerm[];
  /** A custom family replacing the likelihood of `family` (its base; posterior only). */
  readonly customFamily?: CustomFamily;
  /** Cell texts meaning "missing" besides empty, NA and NaN (R's na.strings; CLI `--na .`), for CSV text and rows. */
  readonly na?: readonly string[];
  /** Separator of CSV text (default: detected from the header). */
  readonly sep?: string;
  /** Level of the intervals in summary.json and the table: posterior central interval and Laplace interval (default 0.95). */
  readonly prob?: number;
}

/**
 * Options of {@link fit}; the sampler's and their defaults are in src/fit/options.ts. The default sampler
 * is ChEES-HMC (bench/stan/RESULTS.md: 2.7–11.5× rstan's ESS per CPU-second on the reference models,
 * same machine); `sampler: 'nuts'` gives Stan's NUTS with CmdStan's defaults. On the simulated 100,000-row
 * model random starts left ChEES's warmup crawling (step size 0.004 after 40 iterations), the Laplace
 * starts converged in 130 (bench/RESULTS.md chees-100k).
 */
export interface FitOptions extends ModelInput, SamplerOptions {
  /**
   * ChEES without `draws`: sample in blocks until every fixed effect, sd, correlation and family
   * parameter has bulk- and tail-ESS ≥ `ess` and nested R-hat ≤ its threshold (fit/ess-target.ts), at
   * most 1000 draws per chain (default 1000). `draws` fixes the length instead.
   */
  readonly ess?: number;
  /**
   * 'js' (plain float64, built-in families, uncorrelated terms), 'cpu' or 'wasm' (tfjs; 'webgl'/'webgpu' in a
   * browser); default: js for small such models, else the fastest tfjs backend.
   */
  readonly backend?: 'js' | BackendName;
  /**
   * Threads for the plain-JS log density (default: the cores, navigator.hardwareConcurrency in a
   * browser, 1 on a worker thread of src/pool: threads/shared-pool.ts defaultThreads); a maximum: models whose batched call is small stay on one thread
   * (target/density-js-threads.ts densityThreads). The draws are the same whatever the count.
   */
  readonly threads?: number;
  /** Also fit the Laplace ML answer (default true). */
  readonly laplace?: boolean;
  /**
   * Called once before sampling with the model as sampled (its layout unconstrains `onProgress`
   * positions: constrainDraws(spec, …)) and summary.json of the Laplace answer alone, so that a UI can
   * show the likelihood answer while the sampler runs (`side` lets it rebuild the summary with draws so far).
   */
  readonly onLaplace?: (r: { spec: ModelSpec; summary: SummaryJson; side: LaplaceSide | null }) => void;
  readonly onProgress?: (p: SamplingProgress) => void;
  readonly shouldStop?: () => boolean;
}

/** Everything a fit produced. */
export interface GlmmFit {
  readonly design: Design;
  readonly spec: ModelSpec;
  /** The typed data the model was fitted to (for newdata rows and reference grids). */
  readonly frame: DataFrame;
  /** Columns forced to factors. */
  readonly factors: readonly string[];
  /** Constrained posterior draws (DESIGN names), chain-major. */
  readonly draws: Draws;
  /** Unconstrained draws as the sampler made them. */
  readonly unconstrained: Draws;
  /** CmdStan's sampler columns per draw. */
  readonly samplerDraws: Draws;
  readonly laplace: LaplaceRun | null;
  readonly summary: SummaryJson;
  /** True if `shouldStop` ended sampling early (the draws are those completed). */
  readonly stopped: boolean;
  /**
   * Draws per chain the run was asked for: `draws`, or for ChEES sampling to its ESS target the most
   * the rule could reach (its cap, 1000 or fewer for a large model), what an interrupted run falls short of.
   */
  readonly drawsRequested: number;
  /** Each chain's superchain (ChEES: chains of a superchain share a start, for nested R-hat); absent for NUTS. */
  readonly superchains?: Int32Array;
}

function isFrame(x: DataInput): x is DataFrame {
  return typeof (x as DataFrame).nrow === 'number' && (x as DataFrame).columns instanceof Map;
}

/** Reads the data input into a typed frame (`na`, `sep`: as readCsv's options). */
export function toFrame(data: DataInput, factors: readonly string[] = [], read: { na?: readonly string[]; sep?: string } = {}): DataFrame {
  if (isFrame(data)) return data;
  if (typeof (data as { csv?: unknown }).csv === 'string') return readCsv((data as { csv: string }).csv, { factors, ...read });
  return frameFromRows(data as Record<string, unknown>[], { factors, na: read.na });
}

/** The level of the intervals, checked. */
function probOf(input: ModelInput): number {
  return input.prob ?? 0.95; // its range is checked with the other options (fit/check-options.ts)
}

/** Data → design → parameter layout (priors included); the typed frame is kept for newdata and means. */
export function specify(input: ModelInput): { spec: ModelSpec; frame: DataFrame } {
  const frame = toFrame(input.data, input.factors, { na: input.na, sep: input.sep });
  const design = buildDesign(input.formula, frame, input.family, { factors: input.factors, weights: input.weights, levels: input.levels, zi: input.zi });
  return { spec: buildModel(design, { ...buildOptions(input), centered: input.centered }), frame };
}

/** What buildModel needs of the input besides the centring. */
function buildOptions(input: ModelInput) {
  return { family: input.family, link: input.link, priors: input.priors, parameters: input.parameters, terms: input.terms, customFamily: input.customFamily };
}

/** The summary note of a model with user terms: the Laplace column does not cover them. */
function userNote(spec: ModelSpec): string | null {
  if (!spec.user && spec.extras.length === 0) return null;
  const n = spec.extras.length;
  const what = [...(spec.user?.terms ?? []).map((t) => `term '${t.name}'`), ...(spec.user?.family ? [`custom family '${spec.user.family.name}'`] : []), ...(n ? [`${n} extra parameter${n > 1 ? 's' : ''}`] : [])];
  return `The Laplace (ML) column is empty: it does not cover what you wrote (${what.join(', ')}); the answer is the posterior only. The built-in ${spec.family} model's Laplace fit only chose the sampler's starting points and centring.`;
}

/** What {@link laplaceOnly} returns: a FitLike (src/fit/api.ts) with no draws, usable with every `answer: 'laplace'` function. */
export interface LaplaceOnlyFit {
  readonly spec: ModelSpec;
  readonly frame: DataFrame;
  readonly factors: readonly string[];
  readonly draws: null;
  readonly laplace: LaplaceRun;
  readonly summary: SummaryJson;
}

/** The Laplace ML fit alone; summary.json with the posterior fields null. */
export function laplaceOnly(input: ModelInput & { nAGQ?: number; reml?: boolean; onEvaluation?: (step: string, evaluations: number, best: number) => void }): LaplaceOnlyFit {
  checkLaplaceOnlyOptions(input);
  const prob = probOf(input);
  const { spec, frame } = specify(input);
  if (userNote(spec)) throw new GlmmInputError('laplaceOnly does not cover user terms, extra parameters or a custom family; use fit() (posterior only)');
  const laplace = runLaplace(spec, { nAGQ: input.nAGQ, reml: input.reml, level: prob, ddf: input.ddf, profile: input.profile, onEvaluation: input.onEvaluation });
  if (laplace.error) throw new GlmmInputError(laplace.error);
  const summary = buildSummary(spec, null, null, laplaceSide(spec, laplace), [], prob);
  if (frame.notes?.length) summary.notes = [...frame.notes];
  const out = { spec, frame, factors: input.factors ?? [], draws: null, laplace, summary };
  Object.assign(summary, fixedTests(out, input));
  return out;
}

/**
 * The log density to sample: plain float64 JS when it covers the model (no centred correlated term, no
 * user terms) and the data are small or large (target/density-js.ts useJsDensity; tfjs is then never
 * loaded), else tfjs on `backend` (default the fastest).
 */
async function compileTarget(spec: ModelSpec, backend: FitOptions['backend'], chains: number, maxThreads: number | undefined): Promise<{ target: Target; engine: string }> {
  if (backend === 'js' && spec.terms.some((t) => t.correlated && t.centered)) throw new GlmmInputError('--backend js samples correlated random-effect terms such as (x|g) non-centred only; drop them from --centered or use --backend wasm');
  if (backend === 'js' && (spec.user || spec.extras.length > 0)) throw new GlmmInputError('--backend js covers the built-in families without user terms; use --backend wasm');
  if (backend === 'js' || (backend === undefined && useJsDensity(spec, chains))) {
    const threads = densityThreads(spec, chains, maxThreads ?? (await defaultThreads()));
    if (threads === 1) return { target: compileJsDensity(spec), engine: 'js-float64' };
    return { target: await compileJsDensityThreaded(spec, threads, chains), engine: `js-float64 (${threads} threads)` };
  }
  // tfjs loads only when it samples (the Laplace-only path and the CLI's start stay fast)
  const { compileLogDensity } = await import('./target/compile.js');
  const { fastestBackend, useBackend } = await import('./logdensity/tfjs.js');
  const used = backend ? await useBackend(backend) : await fastestBackend();
  return { target: compileLogDensity(spec, { backend: used }), engine: `tfjs-${used}` };
}

/** Rows up to which fit() computes the Laplace profile intervals beside the posterior. */
export const FIT_PROFILE_MAX_N = 2000;

/** Fits a GLMM: the posterior by HMC and, beside it, the Laplace ML answer. */
export async function fit(opts: FitOptions): Promise<GlmmFit> {
  checkFitOptions(opts);
  const prob = probOf(opts);
  const first = specify(opts);
  // too many chains or draws for this machine: refused now, before the Laplace fit and the sampling
  const defaults = SAMPLER_DEFAULTS[opts.sampler ?? SAMPLER_DEFAULTS.sampler];
  checkRunSize({ chains: opts.chains ?? defaults.chains, draws: opts.draws ?? defaults.draws, dim: first.spec.dim, params: first.spec.params.length, rows: first.spec.design.nobs });
  const frame = first.frame;
  // a model without random effects (a GLM) has no glmer answer; its posterior is still sampled
  const noRandom = first.spec.terms.length === 0;
  if (opts.laplace !== false && !noRandom) opts.onProgress?.({ phase: 'laplace', warmup: true, done: 0, total: 0 });
  // profile intervals cost a few refits per limit: beside a posterior, by default only where that is
  // cheap (VerbAgg's 7,584 rows: 7 of 13 CPU-s of the Laplace fit, bench/RESULTS.md; before the
  // root-finding of laplace/profile.ts 69 of 75); `glmm laplace` / laplaceOnly always compute them
  const profile = opts.profile ?? (first.spec.design.nobs <= FIT_PROFILE_MAX_N ? undefined : false);
  const laplace = opts.laplace === false || noRandom ? null : runLaplace(first.spec, { level: prob, profile, ddf: opts.ddf });
  // per-term parameterization from the data unless the caller chose (fit/centering.ts)
  const { spec } = samplingSpec(first.spec, laplace, buildOptions(opts), opts.centered);
  // the Laplace answer is of the built-in model: shown only when the user added nothing to it
  const note = userNote(spec);
  const side: LaplaceSide | null = laplace && !laplace.error && !note ? laplaceSide(spec, laplace) : null;
  opts.onLaplace?.({ spec, summary: buildSummary(spec, null, null, side), side });
  const resolved = resolveSamplerOptions(opts);
  const chains = resolved.options.sampler === 'chees' ? cheesChains(spec, { chains: resolved.options.chains, draws: opts.draws }) : resolved.options.chains ?? SAMPLER_DEFAULTS.nuts.chains;
  const { target, engine } = await compileTarget(spec, opts.backend, chains, opts.threads);
  try {
    // ChEES without --draws samples to the ESS target (the resolved default draws are not a fixed length then)
    const toTarget = resolved.options.sampler === 'chees' && opts.draws === undefined;
    const choice: SamplerChoice = { ...resolved.options, draws: toTarget ? undefined : resolved.options.draws, ess: opts.ess ?? DEFAULT_ESS_TARGET, engine, onProgress: opts.onProgress, shouldStop: opts.shouldStop };
    const run = await runSampler(spec, target, laplace, choice);
    opts.onProgress?.({ phase: 'summary', warmup: false, done: 0, total: 0 });
    const draws = constrainDraws(spec, run.unconstrained);
    const extra = [...resolved.warnings];
    if (laplace?.error && !note) extra.push(`The Laplace fit failed (${laplace.error}); only the posterior is shown.`);
    if (laplace && !laplace.error && opts.profile === undefined && profile === false) extra.push(`Laplace profile-likelihood intervals for the sds were skipped for ${first.spec.design.nobs} rows (over ${FIT_PROFILE_MAX_N}; a few refits per limit); \`glmm laplace\` computes them.`);
    if (noRandom && opts.laplace !== false) extra.push('The formula has no random-effect term, so there is no Laplace (glmer) answer; only the posterior is shown.');
    const info = { ...run.info, reparameterize: reparameterizeAdvice(spec, laplace) };
    const summary = buildSummary(spec, draws, info, side, extra, prob);
    // the share of zeros of a count response, over the report's posterior predictive draws (same seed)
    const ppc = countChecks(spec, draws, summary.sampler?.seed ?? 1, prob);
    if (ppc) summary.ppc = ppc;
    const notes = [...frame.notes ?? [], ...resolved.notes, ...(note ? [note] : singularNotes(spec, draws, laplace))];
    if (notes.length > 0) summary.notes = notes;
    const factors = opts.factors ?? [];
    if (!note) Object.assign(summary, fixedTests({ spec, frame, factors, draws, laplace: laplace?.error ? null : laplace }, opts));
    // with user terms the built-in Laplace fit is of another model: it only started the sampler
    return { design: spec.design, spec, frame, factors: opts.factors ?? [], draws, unconstrained: run.unconstrained, samplerDraws: run.info.samplerDraws, laplace: note ? null : laplace, summary, stopped: run.stopped, superchains: run.superchains,
      drawsRequested: run.info.essTarget?.cap ?? resolved.options.draws };
  } finally {
    target.dispose?.();
  }
}
