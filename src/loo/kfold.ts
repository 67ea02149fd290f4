/**
 * K-fold cross-validation by refitting, as brms's `kfold(fit, K, group = g)` with loo's
 * `kfold_split_grouped` (stan-dev/loo R/kfold-helpers.R): the levels of g are dealt into K folds of
 * near-equal size in a seeded random order; fold k's rows are left out, the model is refitted to the
 * rest at the sampler's defaults (with the Laplace start when the fit has one), and each left-out row's log predictive density is
 * elpd_i = log mean_s p(y_i | θ_s^(−k)), with the effects of left-out levels drawn from N(0, Σ) per draw
 * (brms sample_new_levels = "gaussian"). elpd_kfold = Σ elpd_i, SE = √(N var(elpd_i)) (loo
 * `table_of_estimates`), p_kfold = lpd − elpd_kfold when the full-data fit is given. The K refits are
 * independent jobs (src/loo/kfold-job.ts) run on a pool of worker threads (src/pool): the same answer
 * for any number of workers.
 */
import seedrandom from 'seedrandom';
import { GlmmInputError } from '../../base/errors.js';
import { specify, type FitOptions, type GlmmFit } from '../fit.js';
import { runJobs, type JobsProgress } from '../pool/pool.js';
import type { Executor } from '../pool/threads.js';
import { rowGroups, type RowGroups } from './group.js';
import { heldOut, logMeanExp, type KfoldJobResult, type KfoldShared } from './kfold-job.js';
import { sumWithSe } from './loo.js';
import { pointwiseLogLik } from './loglik.js';

export { logMeanExp } from './kfold-job.js';

/**
 * loo's `kfold_split_grouped(K, x)`: fold (1..K) of each of the G levels. G = K gives level j fold j;
 * otherwise with S1 = ⌈G/K⌉, N_S2 = S1·K − G folds of S1 − 1 levels and the others of S1, a random
 * permutation π of 1..G and breaks S1 + ½, 2S1 + ½, … then steps of S1 − 1: fold of level j =
 * findInterval(π_j, breaks) + 1.
 */
export function kfoldSplitGrouped(K: number, G: number, rng: () => number): Int32Array {
  if (!(Number.isInteger(K) && K > 1)) throw new GlmmInputError(`--kfold ${K}: K must be an integer ≥ 2`);
  if (G < K) throw new GlmmInputError(`K = ${K} folds need at least ${K} groups; the grouping has ${G} levels`);
  if (G === K) return Int32Array.from({ length: G }, (_, j) => j + 1);
  const S1 = Math.ceil(G / K);
  const NS2 = S1 * K - G;
  const NS1 = K - NS2;
  const perm = Int32Array.from({ length: G }, (_, j) => j + 1);
  for (let j = G - 1; j > 0; j--) {
    const r = Math.floor(rng() * (j + 1));
    [perm[j], perm[r]] = [perm[r], perm[j]];
  }
  const brks: number[] = [];
  for (let q = 0; q < NS1; q++) brks.push(S1 + 0.5 + q * S1);
  for (let q = 0; q < NS2 - 1; q++) brks.push(brks[NS1 - 1] + S1 - 1 + q * (S1 - 1));
  return Int32Array.from(perm, (p) => brks.filter((b) => b <= p).length + 1);
}

/** Options of {@link kfold}. */
export interface KfoldOptions {
  readonly K: number;
  /** Grouping whose levels are left out together (a random-effect grouping or a data column); default: single rows. */
  readonly group?: string;
  /** Seed of the fold assignment and of the new-level effects (default 1); refit k uses the fit's seed + k. */
  readonly seed?: number;
  /** Worker threads (default 0: the refits one after another in this thread; the CLI's default is the cores). */
  readonly workers?: number;
  /** Another executor of the refits (the Redis queue, src/pool). */
  readonly executor?: Executor;
  /** Results file: one JSON line per finished refit (src/pool/journal.ts). */
  readonly results?: string;
  /** Keep the refits already in `results` and run the others. */
  readonly resume?: boolean;
  /** Called as refits finish. */
  readonly onProgress?: (p: JobsProgress) => void;
  /** Polled; true stops the refits (the finished ones stay in `results`) and kfold throws. */
  readonly shouldStop?: () => boolean;
}

/** The result of {@link kfold}, with loo's names. */
export interface KfoldResult {
  readonly elpd_kfold: number;
  readonly se_elpd_kfold: number;
  /** lpd of the full-data fit minus elpd_kfold (NaN without the full fit). */
  readonly p_kfold: number;
  readonly se_p_kfold: number;
  readonly kfoldic: number;
  readonly se_kfoldic: number;
  readonly K: number;
  readonly group: string | null;
  readonly pointwise: { readonly elpd_kfold: Float64Array };
  /** Fold (1..K) of every observation. */
  readonly folds: Int32Array;
}

/** A stopped K-fold run: how many refits finished (kept in the results file, when one was given). */
export class KfoldStopped extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`K-fold stopped after ${done} of ${total} refits`);
    this.name = 'KfoldStopped';
  }
}

/** The options a worker can receive: no callbacks (user terms, extra parameters and custom families hold functions). */
function cloneableOptions(opts: FitOptions, data: KfoldShared['opts']['data']): KfoldShared['opts'] {
  const { onProgress: _p, onLaplace: _l, shouldStop: _s, ...rest } = opts;
  return { ...rest, data };
}

/**
 * K refits of the model in `opts` (its data, formula, family, priors and sampler settings), each
 * without one fold's groups, and the held-out log predictive densities.
 */
export async function kfold(opts: FitOptions, o: KfoldOptions, full?: GlmmFit): Promise<KfoldResult> {
  if (opts.customFamily) throw new GlmmInputError(`kfold does not cover a custom family ('${opts.customFamily.name}'); use loo() with its logLikRow`);
  const { spec, frame } = specify(opts);
  const design = spec.design;
  const groups: RowGroups = o.group
    ? rowGroups(design, frame, o.group)
    : { name: 'row', levels: Array.from({ length: design.nobs }, (_, i) => String(i + 1)), index: Int32Array.from({ length: design.nobs }, (_, i) => i) };
  const levelFold = kfoldSplitGrouped(o.K, groups.levels.length, seedrandom(`kfold${o.seed ?? 1}`));
  const folds = Int32Array.from(groups.index, (g) => levelFold[g]);
  const frameRows = design.rows ?? Int32Array.from({ length: design.nobs }, (_, i) => i);
  const shared: KfoldShared = { opts: cloneableOptions(opts, frame), folds, frameRows, seed: o.seed ?? 1 };
  const inline = opts.terms !== undefined || opts.parameters !== undefined; // functions do not cross to a thread
  // a refit's cost grows with its training rows and the parameters (the pool starts the costliest first)
  const costs = Array.from({ length: o.K }, (_, k) => folds.reduce((n, f) => n + (f !== k + 1 ? 1 : 0), 0) * spec.dim);
  const run = await runJobs<KfoldShared, number, KfoldJobResult>({
    module: new URL('./kfold-job.js', import.meta.url).href, shared, jobs: Array.from({ length: o.K }, (_, k) => k + 1), costs,
    workers: inline ? 0 : o.workers ?? 0, executor: inline ? undefined : o.executor, results: o.results, resume: o.resume,
    onResult: o.onProgress, shouldStop: o.shouldStop,
  });
  if (!run.complete) throw new KfoldStopped(run.done, o.K);
  const elpd = new Float64Array(design.nobs);
  run.results.forEach((r, j) => heldOut(folds, j + 1).forEach((i, t) => { elpd[i] = (r as KfoldJobResult).elpd[t]; }));
  const e = sumWithSe(elpd);
  const ic = sumWithSe(elpd.map((v) => -2 * v));
  let p = { estimate: NaN, se: NaN };
  if (full) {
    const lpd = logMeanExp(pointwiseLogLik({ design: full.design, family: full.spec.family, link: full.spec.link }, full.draws));
    p = sumWithSe(lpd.map((v, i) => v - elpd[i]));
  }
  return { elpd_kfold: e.estimate, se_elpd_kfold: e.se, p_kfold: p.estimate, se_p_kfold: p.se, kfoldic: ic.estimate, se_kfoldic: ic.se, K: o.K, group: o.group ?? null, pointwise: { elpd_kfold: elpd }, folds };
}
