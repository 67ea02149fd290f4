/**
 * K-fold cross-validation by refitting, as brms's `kfold(fit, K, group = g)` with loo's
 * `kfold_split_grouped` (stan-dev/loo R/kfold-helpers.R): the levels of g are dealt into K folds of
 * near-equal size in a seeded random order; fold k's rows are left out, the model is refitted to the
 * rest at the sampler's defaults (with the Laplace start when the fit has one), and each left-out row's log predictive density is
 * elpd_i = log mean_s p(y_i | θ_s^(−k)), with the effects of left-out levels drawn from N(0, Σ) per draw
 * (brms sample_new_levels = "gaussian"). elpd_kfold = Σ elpd_i, SE = √(N var(elpd_i)) (loo
 * `table_of_estimates`), p_kfold = lpd − elpd_kfold when the full-data fit is given.
 */
import seedrandom from 'seedrandom';
import type { Draws } from '../../diagnostics/draws.js';
import { subsetColumn, type Column, type DataFrame } from '../data/frame.js';
import { GlmmInputError } from '../../base/errors.js';
import { specify, fit, type FitOptions, type GlmmFit } from '../fit.js';
import { newdataRows } from '../inference/newdata.js';
import { logSumExp } from './gpd.js';
import { rowGroups, type RowGroups } from './group.js';
import { sumWithSe } from './loo.js';
import { pointwiseLogLik } from './loglik.js';

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
  /** Called before refit k (1-based) of K. */
  readonly onFold?: (k: number, K: number) => void;
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

function subsetFrame(frame: DataFrame, rows: Int32Array): DataFrame {
  const columns = new Map<string, Column>();
  for (const [name, col] of frame.columns) columns.set(name, subsetColumn(col, rows));
  return { nrow: rows.length, columns };
}

/** The held-out rows on refit k's design; a fixed-effect level seen only in the held-out rows is a clear error. */
function heldOutRows(fk: GlmmFit, test: DataFrame, factors: readonly string[] | undefined, k: number) {
  try {
    return newdataRows(fk.design, fk.frame, test, { factors });
  } catch (e) {
    if (e instanceof GlmmInputError) throw new GlmmInputError(`K-fold refit ${k} cannot predict its held-out rows (${e.message}); choose a --kfold-group whose folds leave every level of the fixed effects in the training rows`);
    throw e;
  }
}

/** log mean_s exp(ll[s, i]) per column. */
export function logMeanExp(ll: Draws): Float64Array {
  const N = ll.names.length, S = ll.nChains * ll.nDraws;
  const col = new Float64Array(S);
  return Float64Array.from({ length: N }, (_, i) => {
    for (let s = 0; s < S; s++) col[s] = ll.data[s * N + i];
    return logSumExp(col) - Math.log(S);
  });
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
  const rng = seedrandom(`kfold${o.seed ?? 1}`);
  const levelFold = kfoldSplitGrouped(o.K, groups.levels.length, rng);
  const folds = Int32Array.from(groups.index, (g) => levelFold[g]);
  const frameRows = design.rows ?? Int32Array.from({ length: design.nobs }, (_, i) => i);
  const elpd = new Float64Array(design.nobs);
  for (let k = 1; k <= o.K; k++) {
    o.onFold?.(k, o.K);
    const held = [...folds.keys()].filter((i) => folds[i] === k);
    const kept = [...folds.keys()].filter((i) => folds[i] !== k);
    const train = subsetFrame(frame, Int32Array.from(kept, (i) => frameRows[i]));
    const test = subsetFrame(frame, Int32Array.from(held, (i) => frameRows[i]));
    const fk = await fit({ ...opts, data: train, seed: (opts.seed ?? 1) + k, onProgress: undefined });
    const rows = heldOutRows(fk, test, opts.factors, k);
    const ll = pointwiseLogLik({ design: fk.design, family: fk.spec.family, link: fk.spec.link }, fk.draws, { rows, rng });
    logMeanExp(ll).forEach((v, j) => { elpd[held[j]] = v; });
  }
  const e = sumWithSe(elpd);
  const ic = sumWithSe(elpd.map((v) => -2 * v));
  let p = { estimate: NaN, se: NaN };
  if (full) {
    const lpd = logMeanExp(pointwiseLogLik({ design: full.design, family: full.spec.family, link: full.spec.link }, full.draws));
    p = sumWithSe(lpd.map((v, i) => v - elpd[i]));
  }
  return { elpd_kfold: e.estimate, se_elpd_kfold: e.se, p_kfold: p.estimate, se_p_kfold: p.se, kfoldic: ic.estimate, se_kfoldic: ic.se, K: o.K, group: o.group ?? null, pointwise: { elpd_kfold: elpd }, folds };
}
