/**
 * The draw transformations of posterior's convergence diagnostics (stan-dev/posterior R/convergence.R,
 * split_chains.R): splitting chains, rank normalization (`z_scale`), folding, average ranks.
 * Matrices are iterations × chains, column-major: chain c is `x.subarray(c·N, (c+1)·N)`.
 */
import { qnorm } from './qnorm.js';

/** An iterations × chains matrix, column-major. */
export interface ChainMatrix {
  readonly data: Float64Array;
  /** iterations per chain */
  readonly N: number;
  /** chains */
  readonly M: number;
}

/**
 * posterior's `.split_chains`: each chain becomes two, rows 1..⌊N/2⌋ and ⌈N/2+1⌉..N (1-based), so an
 * odd N drops the middle draw; N = 1 is returned unchanged.
 */
export function splitChains(x: Float64Array, N: number): ChainMatrix {
  const M = x.length / N;
  if (N === 1) return { data: x, N, M };
  const h = Math.floor(N / 2);
  const secondStart = Math.ceil(N / 2 + 1) - 1; // 0-based
  const out = new Float64Array(2 * h * M);
  for (let c = 0; c < M; c++) {
    const off = c * N;
    out.set(x.subarray(off, off + h), 2 * c * h);
    out.set(x.subarray(off + secondStart, off + secondStart + h), (2 * c + 1) * h);
  }
  return { data: out, N: h, M: 2 * M };
}

/** Ascending sorted copy (typed-array sort: numeric). */
export function sortedCopy(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * Ranks of x among all its values, ties sharing their average rank (R `rank(ties.method = "average")`),
 * 1-based, written to `out`. `sorted` must be x sorted ascending (pass it when already at hand).
 */
export function averageRanks(x: ArrayLike<number>, sorted: Float64Array = sortedCopy(x), out = new Float64Array(x.length)): Float64Array {
  const S = sorted.length;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    // first index with sorted >= v
    let lo = 0;
    let hi = S;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    // first index with sorted > v
    hi = S;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = (first + 1 + lo) / 2;
  }
  return out;
}

/**
 * posterior's `z_scale`: Blom rank normalization `z = Φ⁻¹((r − 3/8)/(S + 1/4))` with r the average
 * ranks over all S elements jointly. Returns a new array (same layout).
 */
export function zScale(x: Float64Array, sorted?: Float64Array): Float64Array {
  const S = x.length;
  const z = averageRanks(x, sorted);
  const denom = S - 2 * 0.375 + 1;
  for (let i = 0; i < S; i++) z[i] = qnorm((z[i] - 0.375) / denom);
  return z;
}

/** posterior's `fold_draws`: |x − median(x)| over all draws (median from the sorted draws). */
export function fold(x: Float64Array, sorted: Float64Array = sortedCopy(x)): Float64Array {
  const med = medianSorted(sorted);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i] - med);
  return out;
}

/** Median of ascending sorted values (R `median`: mean of the two middle values for even length). */
export function medianSorted(s: Float64Array): number {
  const n = s.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}
