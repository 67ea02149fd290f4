/**
 * Sample quantiles, R's `quantile(x, p, type = 7)` (stats/R/quantile.R; numpy's default "linear"):
 * with h = (S − 1)p, lo = ⌊h⌋, hi = ⌈h⌉, q = (1 − (h − lo))·s[lo] + (h − lo)·s[hi] (0-based, s sorted),
 * evaluated in R's order of operations.
 */
import { sortedCopy } from './transforms.js';

/** Type-7 quantile of ascending sorted values. NaN for an empty array or p outside [0, 1]. */
export function quantileSorted(s: ArrayLike<number>, p: number): number {
  const S = s.length;
  if (S === 0 || !(p >= 0 && p <= 1)) return NaN;
  const index = (S - 1) * p; // R: 1 + (n − 1)·p, here 0-based
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = s[lo];
  const h = index - lo;
  if (index > lo && s[hi] !== qs) return (1 - h) * qs + h * s[hi];
  return qs;
}

/** Type-7 quantile of unsorted values (sorts a copy). */
export function quantile(x: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedCopy(x), p);
}
