/**
 * Monte Carlo intervals for a power estimate x/n: Clopper–Pearson (1934, *Biometrika* 26:404), exact,
 * [Beta⁻¹(α/2; x, n − x + 1), Beta⁻¹(1 − α/2; x + 1, n − x)], R's binom.test; and Wilson (1927, *JASA*
 * 22:209), the score interval (p̂ + z²/2n ± z√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), R's prop.test
 * without continuity correction.
 */
import { qbeta } from '../../base/beta.js';
import { qnorm } from '../../base/normal.js';

export type IntervalMethod = 'clopper-pearson' | 'wilson';

/** The interval of x successes in n at `level` (default 0.95). */
export function binomialInterval(x: number, n: number, method: IntervalMethod = 'clopper-pearson', level = 0.95): [number, number] {
  if (n === 0) return [0, 1];
  const a = 1 - level;
  if (method === 'clopper-pearson') {
    return [x === 0 ? 0 : qbeta(a / 2, x, n - x + 1), x === n ? 1 : qbeta(1 - a / 2, x + 1, n - x)];
  }
  const z = qnorm(1 - a / 2), p = x / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
