/**
 * Effective sample sizes, as posterior ≥ 1.6.1 (stan-dev/posterior R/convergence.R `.ess`, `ess_basic`,
 * `ess_bulk`, `ess_tail`, `ess_quantile`, `ess_median`, `ess_sd`); Vehtari et al. (2021), Bayesian
 * Analysis 16(2):667–718; Geyer (1992) initial positive and monotone sequences. Input `x` is
 * iterations × chains, column-major (chain c = `x.subarray(c·nDraws, (c+1)·nDraws)`). NaN where
 * posterior gives NA.
 */
import { shouldReturnNA } from './basic-stats.js';
import { lazyMeanAutocovariance } from './fft.js';
import { quantileSorted } from './quantile.js';
import { sortedCopy, splitChains, zScale } from './transforms.js';

/**
 * posterior's `.ess` on an N × M matrix (already split): mean autocovariance across chains (computed
 * lazily, see `lazyMeanAutocovariance`), Geyer's
 * initial positive sequence (stops at t < N − 5), the antithetic "improved estimate", the initial
 * monotone sequence, and τ̂ capped below by 1/log10(S) (so ESS ≤ S·log10 S). With 3 ≤ N ≤ 5 R's `1:0`
 * makes the sum rho[0] = 1 (τ̂ = 2, ESS = S/2); kept. NaN if N < 3 or `should_return_NA`.
 */
export function essCore(x: Float64Array, N: number): number {
  const M = x.length / N;
  if (N < 3 || shouldReturnNA(x)) return NaN;
  const am = lazyMeanAutocovariance(x, N, M);
  let varChainMeans = 0;
  if (M > 1) {
    const means = new Float64Array(M);
    let g = 0;
    for (let c = 0; c < M; c++) {
      let s = 0;
      const off = c * N;
      for (let t = 0; t < N; t++) s += x[off + t];
      means[c] = s / N;
      g += means[c];
    }
    g /= M;
    for (let c = 0; c < M; c++) varChainMeans += (means[c] - g) ** 2;
    varChainMeans /= M - 1;
  }
  const meanVar = (am(0) * N) / (N - 1);
  const varPlus = (meanVar * (N - 1)) / N + varChainMeans;
  const rho = new Float64Array(N);
  rho[0] = 1;
  let even = 1;
  let odd = 1 - (meanVar - am(1)) / varPlus;
  rho[1] = odd;
  let t = 0;
  while (t < N - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2;
    even = 1 - (meanVar - am(t)) / varPlus;
    odd = 1 - (meanVar - am(t + 1)) / varPlus;
    if (even + odd >= 0) {
      rho[t] = even;
      rho[t + 1] = odd;
    }
  }
  const maxT = t;
  if (even > 0) rho[maxT] = even;
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const S = N * M;
  let sum = 0;
  if (maxT === 0) sum = rho[0]; // R: sum(rho_hat_t[1:0]) = rho[1] + rho[0] in 1-based → here rho[0] only (rho[-1] absent)
  else for (let k = 0; k < maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + rho[maxT];
  tau = Math.max(tau, 1 / Math.log10(S));
  return S / tau;
}

/** posterior `ess_basic` (= `ess_mean`): `.ess(split(x))`. */
export function essBasic(x: Float64Array, nDraws: number): number {
  const s = splitChains(x, nDraws);
  return essCore(s.data, s.N);
}

/** posterior `ess_mean`, the same as `ess_basic`. */
export const essMean = essBasic;

/** posterior `ess_bulk`: `.ess(z_scale(split(x)))`. */
export function essBulk(x: Float64Array, nDraws: number): number {
  if (shouldReturnNA(x)) return NaN;
  const s = splitChains(x, nDraws);
  return essCore(zScale(s.data), s.N);
}

/**
 * posterior `ess_quantile(x, p)`: `.ess(split(I))` with `I = 1[x ≤ quantile7(all draws, p)]`, not
 * rank-normalized; p = 1 is replaced by (S − 0.5)/S. NaN if `should_return_NA(x)` or I is constant.
 */
export function essQuantile(x: Float64Array, nDraws: number, p: number, sorted?: Float64Array): number {
  if (shouldReturnNA(x)) return NaN;
  const S = x.length;
  if (p === 1) p = (S - 0.5) / S;
  const q = quantileSorted(sorted ?? sortedCopy(x), p);
  const ind = new Float64Array(S);
  for (let i = 0; i < S; i++) ind[i] = x[i] <= q ? 1 : 0;
  const s = splitChains(ind, nDraws);
  return essCore(s.data, s.N);
}

/** posterior `ess_tail`: `min(ess_quantile(.05), ess_quantile(.95))`, NaN if either is NA. */
export function essTail(x: Float64Array, nDraws: number, sorted?: Float64Array): number {
  const all = sorted ?? sortedCopy(x);
  const lo = essQuantile(x, nDraws, 0.05, all);
  const hi = essQuantile(x, nDraws, 0.95, all);
  if (Number.isNaN(lo) || Number.isNaN(hi)) return NaN;
  return Math.min(lo, hi);
}

/** posterior `ess_median`: `ess_quantile(x, 0.5)`. */
export function essMedian(x: Float64Array, nDraws: number, sorted?: Float64Array): number {
  return essQuantile(x, nDraws, 0.5, sorted);
}

/** posterior ≥ 1.6.1 `ess_sd`: `.ess(split((x − mean(x))²))` (before 1.6.1 it used |x − mean|). */
export function essSd(x: Float64Array, nDraws: number): number {
  if (shouldReturnNA(x)) return NaN;
  return essBasic(squaredDeviations(x), nDraws);
}

/** (x − mean(all draws))², elementwise. */
export function squaredDeviations(x: Float64Array): Float64Array {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - m) ** 2;
  return out;
}
