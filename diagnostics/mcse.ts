/**
 * Monte Carlo standard errors, as posterior ≥ 1.6.1 (stan-dev/posterior R/convergence.R `mcse_mean`,
 * `mcse_sd`, `mcse_quantile`, `mcse_median`); Vehtari et al. (2021), Bayesian Analysis 16(2):667–718.
 * Input `x` is iterations × chains, column-major. NaN where posterior gives NA.
 */
import { shouldReturnNA, variance } from './basic-stats.js';
import { essBasic, essQuantile } from './ess.js';
import { qbeta } from '../base/beta.js';
import { sortedCopy } from './transforms.js';

/** posterior `mcse_mean`: `sd(all draws)/sqrt(ess_mean(x))`. */
export function mcseMean(x: Float64Array, nDraws: number): number {
  const ess = essBasic(x, nDraws);
  if (Number.isNaN(ess)) return NaN;
  return Math.sqrt(variance(x)) / Math.sqrt(ess);
}

/**
 * posterior ≥ 1.6.1 `mcse_sd`: with c = x − mean, e = ess_mean(c²), Ev = mean(c²),
 * Var[c²] ≈ (mean(c⁴) − Ev²)/e, and by the delta method `mcse = sqrt(Var[c²]/Ev/4)`.
 */
export function mcseSd(x: Float64Array, nDraws: number): number {
  if (shouldReturnNA(x)) return NaN;
  const S = x.length;
  let m = 0;
  for (let i = 0; i < S; i++) m += x[i];
  m /= S;
  const c2 = new Float64Array(S);
  let ev = 0;
  let e4 = 0;
  for (let i = 0; i < S; i++) {
    const d2 = (x[i] - m) ** 2;
    c2[i] = d2;
    ev += d2;
    e4 += d2 * d2;
  }
  ev /= S;
  e4 /= S;
  const ess = essBasic(c2, nDraws);
  if (Number.isNaN(ess)) return NaN;
  const varv = (e4 - ev * ev) / ess;
  return Math.sqrt(varv / ev / 4);
}

/**
 * posterior `mcse_quantile(x, p)`: with e = ess_quantile(p), a = qbeta(Φ(∓1), e·p + 1, e·(1−p) + 1),
 * s the sorted draws: `(s[min(⌈a₂S⌉, S)] − s[max(⌊a₁S⌋, 1)])/2` (1-based). `essP`: e when already known.
 */
export function mcseQuantile(x: Float64Array, nDraws: number, p: number, sorted?: Float64Array, essP?: number): number {
  const s = sorted ?? sortedCopy(x);
  const ess = essP ?? essQuantile(x, nDraws, p, s);
  if (Number.isNaN(ess)) return NaN;
  const a1 = qbeta(0.1586553, ess * p + 1, ess * (1 - p) + 1);
  const a2 = qbeta(0.8413447, ess * p + 1, ess * (1 - p) + 1);
  const S = s.length;
  const th1 = s[Math.max(Math.floor(a1 * S), 1) - 1];
  const th2 = s[Math.min(Math.ceil(a2 * S), S) - 1];
  return (th2 - th1) / 2;
}

/** posterior `mcse_median`: `mcse_quantile(x, 0.5)`. */
export function mcseMedian(x: Float64Array, nDraws: number, sorted?: Float64Array): number {
  return mcseQuantile(x, nDraws, 0.5, sorted);
}
