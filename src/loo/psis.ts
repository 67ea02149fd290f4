/**
 * Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry 2024, "Pareto smoothed
 * importance sampling", JMLR 25(72)), as R's loo ≥ 2.7 (stan-dev/loo R/psis.R `do_psis_i`,
 * `psis_smooth_tail`, `n_pareto`, R/diagnostics.R `ps_khat_threshold`, R/effective_sample_sizes.R
 * `psis_n_eff`). Pure float64; one column (observation) of S log importance ratios at a time.
 */
import { gpdFit, logSumExp, qgpd } from './gpd.js';

/** Tail length M = ⌈min(0.2·S, 3·√(S/r_eff))⌉ (loo `n_pareto`). */
export function paretoTailLength(S: number, rEff: number): number {
  return Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S / rEff)));
}

/** The sample-size-dependent k̂ threshold min(1 − 1/log10 S, 0.7) (loo ≥ 2.7 `ps_khat_threshold`; loo 2.5.1 used 0.7 and 0.5). */
export function paretoKThreshold(S: number): number {
  return Math.min(1 - 1 / Math.log10(S), 0.7);
}

/** The fewest tail draws a Pareto fit accepts (loo `enough_tail_samples`). */
export const MIN_TAIL_LENGTH = 5;

/** One smoothed column: normalized log weights and the Pareto k̂ of its tail. */
export interface PsisColumn {
  /** log w_s, normalized so that Σ exp = 1. */
  readonly logWeights: Float64Array;
  /** k̂ (Inf when the tail was too short or could not be fitted). */
  readonly k: number;
}

/** Indices 0..n−1 in ascending order of v (stable, as R's sort.int(index.return = TRUE)). */
function order(v: ArrayLike<number>, n: number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  return idx.sort((a, b) => v[a] - v[b] || a - b);
}

/**
 * PSIS of one column of log ratios r (loo `do_psis_i`): shift by max r; sort; fit a generalized
 * Pareto to the `tailLen` largest ratios' exceedances exp(r) − exp(cutoff) over the largest ratio
 * below the tail; replace the tail by the fitted quantiles at (j − ½)/M (when k̂ is finite); truncate
 * at the largest raw ratio; normalize.
 */
export function psisColumn(logRatios: ArrayLike<number>, tailLen: number): PsisColumn {
  const S = logRatios.length;
  let max = -Infinity;
  for (let s = 0; s < S; s++) if (logRatios[s] > max) max = logRatios[s];
  const lw = Float64Array.from(logRatios, (v) => v - max);
  let k = Infinity;
  if (tailLen >= MIN_TAIL_LENGTH) {
    const ord = order(lw, S);
    const first = S - tailLen;
    const tail = Float64Array.from({ length: tailLen }, (_, j) => lw[ord[first + j]]);
    if (Math.abs(tail[tailLen - 1] - tail[0]) >= Number.EPSILON / 100) {
      k = smoothTail(lw, ord, first, tail, lw[ord[first - 1]]);
    }
  }
  for (let s = 0; s < S; s++) if (lw[s] > 0) lw[s] = 0;
  const norm = logSumExp(lw);
  for (let s = 0; s < S; s++) lw[s] -= norm;
  return { logWeights: lw, k };
}

/** loo `psis_smooth_tail`: writes the smoothed tail into lw (in place) and returns k̂. */
function smoothTail(lw: Float64Array, ord: Int32Array, first: number, tail: Float64Array, cutoff: number): number {
  const M = tail.length;
  const expCutoff = Math.exp(cutoff);
  const fit = gpdFit(Float64Array.from(tail, (v) => Math.exp(v) - expCutoff));
  const k = Number.isNaN(fit.k) ? Infinity : fit.k;
  if (!Number.isFinite(k)) return k;
  for (let j = 0; j < M; j++) lw[ord[first + j]] = Math.log(qgpd((j + 0.5) / M, k, fit.sigma) + expCutoff);
  return k;
}

/** PSIS effective sample size of normalized weights: r_eff / Σ w² (loo `psis_n_eff`). */
export function psisNEff(logWeights: ArrayLike<number>, rEff: number): number {
  let ss = 0;
  for (let s = 0; s < logWeights.length; s++) ss += Math.exp(2 * logWeights[s]);
  return rEff / ss;
}
