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

/**
 * The k-th smallest (0-based) of `x[left..right]`, reordering that part of `x` in place (Hoare's
 * quickselect with a median-of-three pivot; O(S) on average). No NaN in `x`.
 */
function selectInPlace(x: Float64Array, k: number, left: number, right: number): number {
  while (right > left) {
    const mid = (left + right) >> 1;
    const a = x[left], b = x[mid], c = x[right];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left, j = right;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        const t = x[i];
        x[i] = x[j];
        x[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return x[k];
  }
  return x[k];
}

/**
 * Type-7 quantiles of unsorted values by selection instead of a full sort (the same order statistics,
 * so the same values as quantileSorted on the sorted draws); NaN for all when a value is NaN.
 * For one parameter's central interval over tens of thousands of draws (summary.json's lower/upper).
 */
export function quantilesBySelection(x: ArrayLike<number>, ps: readonly number[]): number[] {
  const S = x.length;
  const w = Float64Array.from(x);
  for (let i = 0; i < S; i++) if (Number.isNaN(w[i])) return ps.map(() => NaN);
  return ps.map((p) => {
    if (S === 0 || !(p >= 0 && p <= 1)) return NaN;
    const index = (S - 1) * p;
    const lo = Math.floor(index);
    const qs = selectInPlace(w, lo, 0, S - 1);
    if (!(index > lo)) return qs;
    // after selecting lo, every value right of lo is ≥ qs: the next order statistic is their minimum
    let next = Infinity;
    for (let i = lo + 1; i < S; i++) if (w[i] < next) next = w[i];
    const h = index - lo;
    return next !== qs ? (1 - h) * qs + h * next : qs;
  });
}
