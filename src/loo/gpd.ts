/**
 * The generalized Pareto distribution as PSIS uses it: the Zhang & Stephens (2009, Technometrics
 * 51:316) empirical-Bayes fit with the weakly informative prior on k of Vehtari et al. (2024, JMLR
 * 25(72) §3), exactly as R's posterior::gpdfit (stan-dev/posterior R/gpd.R, which loo ≥ 2.10 calls),
 * and the quantile function posterior::qgeneralized_pareto. Pure float64.
 */

/** k̂ and σ̂ of a generalized Pareto fit; k is NaN when the fit does not apply (see {@link gpdFit}). */
export interface GpdFit {
  readonly k: number;
  readonly sigma: number;
}

/** log Σ exp(v), stable. */
export function logSumExp(v: ArrayLike<number>, from = 0, to = v.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (v[i] > m) m = v[i];
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(v[i] - m);
  return m + Math.log(s);
}

/**
 * Zhang & Stephens' fit to the exceedances `x` (sorted ascending, all ≥ 0): a grid of M = 30 + ⌊√N⌋
 * values θ_j = 1/x_N + (1 − √(M/(j − ½)))/(3·x*) around the first quartile x* = x[⌊N/4 + ½⌋], profile
 * log-likelihood l(θ) = N(log(−θ/k(θ)) − k(θ) − 1) with k(θ) = mean log(1 − θx), posterior-mean θ̂
 * over the grid, k̂ = mean log(1 − θ̂x), σ̂ = −k̂/θ̂; then (with `wip`) k̂ ← (N k̂ + 10·0.5)/(N + 10),
 * the prior N(0.5, ·) worth 10 observations. k = Inf (σ NaN) when k̂ is NaN; k = NaN (σ NaN) when
 * x* ≤ x_1 (the sample is far from a generalized Pareto; posterior returns NA there and loo then
 * leaves the tail unsmoothed with k = Inf).
 */
export function gpdFit(x: ArrayLike<number>, wip = true, minGridPts = 30): GpdFit {
  const N = x.length;
  const prior = 3;
  const M = minGridPts + Math.floor(Math.sqrt(N));
  const xstar = x[Math.floor(N / 4 + 0.5) - 1];
  if (!(xstar > x[0])) return { k: NaN, sigma: NaN };
  const theta = new Float64Array(M);
  const lTheta = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    theta[j] = 1 / x[N - 1] + (1 - Math.sqrt(M / (j + 0.5))) / prior / xstar;
    let k = 0;
    for (let i = 0; i < N; i++) k += Math.log1p(-theta[j] * x[i]);
    k /= N;
    lTheta[j] = N * (Math.log(-theta[j] / k) - k - 1);
  }
  const lse = logSumExp(lTheta);
  let thetaHat = 0;
  for (let j = 0; j < M; j++) thetaHat += theta[j] * Math.exp(lTheta[j] - lse);
  let kHat = 0;
  for (let i = 0; i < N; i++) kHat += Math.log1p(-thetaHat * x[i]);
  kHat /= N;
  let sigma = -kHat / thetaHat;
  if (wip) kHat = (kHat * N + 0.5 * 10) / (N + 10);
  if (Number.isNaN(kHat)) {
    kHat = Infinity;
    sigma = NaN;
  }
  return { k: kHat, sigma };
}

/** Quantile of the generalized Pareto (location 0): σ·expm1(−k·log1p(−p))/k, −σ·log1p(−p) at k = 0. */
export function qgpd(p: number, k: number, sigma: number): number {
  if (!(sigma > 0)) return NaN;
  return k === 0 ? -sigma * Math.log1p(-p) : (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}
