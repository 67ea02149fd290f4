/**
 * The float64 math of the cumulative (ordinal) model: P(y ≤ k) = F(θ_k − η) for thresholds θ_1 < … <
 * θ_{K−1} (θ_0 = −∞, θ_K = +∞), so P(y = k) = F(θ_k − η) − F(θ_{k−1} − η), with F the logistic (logit)
 * or standard normal (probit) cdf — brms's `cumulative()`, R's `ordinal::clm`/`clmm` (Christensen 2019,
 * "Cumulative link models for ordinal regression with the R package ordinal", eq. 2), Stan's
 * `ordered_logistic`/`ordered_probit`. Categories are 1..K.
 *
 * Everything is in log space so nothing cancels or underflows: log P = log(F(hi) − F(lo)) through the
 * upper tails, log(F(−lo) − F(−hi)), when both ends lie above 0 (F is symmetric: 1 − F(x) = F(−x)),
 * and the ratios f(x)/P that the derivatives need as exp(log f(x) − log P).
 */
import { logPnorm } from '../../base/normal.js';
import { log1mExp, log1pExp } from '../../base/gamma.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';

/** A symmetric latent distribution F: its log cdf, log density and f′/f. */
export interface LatentCdf {
  readonly name: 'logit' | 'probit';
  /** log F(x). */
  logF(x: number): number;
  /** log f(x). */
  logf(x: number): number;
  /** f′(x)/f(x). */
  dlogf(x: number): number;
}

/** The logistic: log F(x) = −log(1 + e^{−x}), f = F(x)F(−x), f′/f = 1 − 2F(x) = −tanh(x/2). */
export const LOGISTIC_CDF: LatentCdf = {
  name: 'logit',
  logF: (x) => -log1pExp(-x),
  logf: (x) => -log1pExp(-x) - log1pExp(x),
  dlogf: (x) => -Math.tanh(x / 2),
};

/** The standard normal: log Φ (accurate far into the lower tail), log φ, f′/f = −x. */
export const NORMAL_CDF: LatentCdf = {
  name: 'probit',
  logF: logPnorm,
  logf: (x) => -0.5 * x * x - LOG_SQRT_2PI,
  dlogf: (x) => -x,
};

/** The latent cdf of a cumulative link. */
export function latentCdf(link: string): LatentCdf {
  if (link === 'logit') return LOGISTIC_CDF;
  if (link === 'probit') return NORMAL_CDF;
  throw new Error(`no cumulative likelihood for link ${link}`);
}

/** log(eᵃ − eᵇ) for a ≥ b (b may be −∞): a + log(1 − e^{−(a − b)}) by Mächler's log1mExp (exact for narrow and wide intervals). */
function logDiffExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  return a + log1mExp(a - b);
}

/** The two ends of category y (1..K) at η: lo = θ_{y−1} − η, hi = θ_y − η (±∞ at the ends). */
function ends(y: number, eta: number, theta: ArrayLike<number>): [number, number] {
  const K = theta.length + 1;
  const lo = y === 1 ? -Infinity : theta[y - 2] - eta;
  const hi = y === K ? Infinity : theta[y - 1] - eta;
  return [lo, hi];
}

/** log(F(hi) − F(lo)) for lo < hi, through the upper tails when lo > 0. */
function logInterval(c: LatentCdf, lo: number, hi: number): number {
  if (lo > 0) return logDiffExp(c.logF(-lo), hi === Infinity ? -Infinity : c.logF(-hi));
  return logDiffExp(hi === Infinity ? 0 : c.logF(hi), lo === -Infinity ? -Infinity : c.logF(lo));
}

/** log P(y | η, θ) for category y in 1..K (θ of length K − 1, increasing); −∞ if θ is not increasing there. */
export function logPCategory(c: LatentCdf, y: number, eta: number, theta: ArrayLike<number>): number {
  const [lo, hi] = ends(y, eta, theta);
  if (!(hi > lo)) return -Infinity;
  return logInterval(c, lo, hi);
}

/**
 * Category y's log P and its derivatives at η into out: [log P, ∂/∂η, ∂/∂θ_{y−1}, ∂/∂θ_y, ∂²/∂η²]
 * (the threshold slots 0 where the category has no such end). With a_h = f(hi)/P, a_l = f(lo)/P:
 * ∂/∂θ_y = a_h, ∂/∂θ_{y−1} = −a_l, ∂/∂η = −(a_h − a_l), ∂²/∂η² = a_h·f′/f(hi) − a_l·f′/f(lo) − (a_h − a_l)².
 */
export function categoryTerms(c: LatentCdf, y: number, eta: number, theta: ArrayLike<number>, out: Float64Array): void {
  const [lo, hi] = ends(y, eta, theta);
  if (!(hi > lo)) {
    out.fill(NaN, 1, 5);
    out[0] = -Infinity;
    return;
  }
  const lp = logInterval(c, lo, hi);
  const ah = hi === Infinity ? 0 : Math.exp(c.logf(hi) - lp);
  const al = lo === -Infinity ? 0 : Math.exp(c.logf(lo) - lp);
  out[0] = lp;
  out[1] = al - ah;
  out[2] = -al;
  out[3] = ah;
  out[4] = (ah === 0 ? 0 : ah * c.dlogf(hi)) - (al === 0 ? 0 : al * c.dlogf(lo)) - (ah - al) ** 2;
}

/** Fisher information in η, E[(∂ log P(y)/∂η)²] = Σ_k (f(hi_k) − f(lo_k))² / P_k (McCullagh 1980, §3). */
export function fisherInfoEta(c: LatentCdf, eta: number, theta: ArrayLike<number>): number {
  const K = theta.length + 1;
  const out = new Float64Array(5);
  let info = 0;
  for (let k = 1; k <= K; k++) {
    categoryTerms(c, k, eta, theta, out);
    const p = Math.exp(out[0]);
    if (p > 0) info += p * out[1] * out[1];
  }
  return info;
}

/** P(y = 1..K | η, θ), summing to 1. */
export function categoryProbs(c: LatentCdf, eta: number, theta: ArrayLike<number>): Float64Array {
  const K = theta.length + 1;
  return Float64Array.from({ length: K }, (_, k) => Math.exp(logPCategory(c, k + 1, eta, theta)));
}
