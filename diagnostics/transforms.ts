/**
 * The draw transformations of posterior's convergence diagnostics (stan-dev/posterior R/convergence.R,
 * split_chains.R): splitting chains, rank normalization (`z_scale`), folding, average ranks.
 * Matrices are iterations × chains, column-major: chain c is `x.subarray(c·N, (c+1)·N)`.
 */
import { qnorm } from '../base/normal.js';

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
 *
 * R quirk kept: for N = 2 or 3 the halves are single rows, which R's `x[1:1, ]` drops to vectors, and
 * `cbind` of the two vectors makes an M × 2 matrix: "iterations" are the chains, column 1 holds every
 * chain's first draw and column 2 every chain's last draw. posterior's diagnostics see that matrix.
 */
export function splitChains(x: Float64Array, N: number): ChainMatrix {
  const M = x.length / N;
  if (N === 1) return { data: x, N, M };
  if (N === 2 || N === 3) {
    const out = new Float64Array(2 * M);
    for (let c = 0; c < M; c++) {
      out[c] = x[c * N];
      out[M + c] = x[c * N + N - 1];
    }
    return { data: out, N: M, M: 2 };
  }
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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indices that sort `x` ascending (stable), by an LSD radix sort on the IEEE-754 bits (11-bit digits,
 * passes where every key has the same digit are skipped): O(S), no comparator calls. −0 sorts just
 * before +0 (equal values, so ties are unaffected); NaN sorts after +Inf.
 */
export function argsort(x: ArrayLike<number>): Uint32Array {
  const S = x.length;
  const bits = new Uint32Array(Float64Array.from(x).buffer);
  const lo = new Uint32Array(S);
  const hi = new Uint32Array(S);
  const l = LITTLE_ENDIAN ? 0 : 1;
  for (let i = 0; i < S; i++) {
    let h = bits[2 * i + 1 - l];
    let w = bits[2 * i + l];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      w = ~w >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    hi[i] = h;
    lo[i] = w;
  }
  let perm = new Uint32Array(S);
  for (let i = 0; i < S; i++) perm[i] = i;
  let tmp = new Uint32Array(S);
  const count = new Uint32Array(2048);
  const passes: [Uint32Array, number][] = [[lo, 0], [lo, 11], [lo, 22], [hi, 0], [hi, 11], [hi, 22]];
  for (const [key, shift] of passes) {
    count.fill(0);
    for (let i = 0; i < S; i++) count[(key[i] >>> shift) & 2047]++;
    if (count[(key[0] >>> shift) & 2047] === S) continue; // all keys share this digit
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < S; i++) {
      const idx = perm[i];
      tmp[count[(key[idx] >>> shift) & 2047]++] = idx;
    }
    const t = perm;
    perm = tmp;
    tmp = t;
  }
  return perm;
}

/**
 * Sorted values and average ranks (R `rank(ties.method = "average")`, 1-based, in x's layout) from one
 * radix argsort.
 */
export function sortAndRank(x: ArrayLike<number>): { sorted: Float64Array; ranks: Float64Array } {
  const S = x.length;
  const order = argsort(x);
  const sorted = new Float64Array(S);
  for (let i = 0; i < S; i++) sorted[i] = x[order[i]];
  const ranks = new Float64Array(S);
  let i = 0;
  while (i < S) {
    let j = i + 1;
    while (j < S && sorted[j] === sorted[i]) j++;
    const r = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    i = j;
  }
  return { sorted, ranks };
}

/** Average ranks of x among all its values (R `rank(ties.method = "average")`), 1-based. */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  return sortAndRank(x).ranks;
}

/**
 * Blom rank normalization in place: ranks r (of S values) become `Φ⁻¹((r − 3/8)/(S + 1/4))`
 * (posterior's `z_scale`: `(r − 3/8)/(S − 2·3/8 + 1)`). Ties share one qnorm evaluation.
 */
export function ranksToZ(r: Float64Array): Float64Array {
  const S = r.length;
  const denom = S - 2 * 0.375 + 1;
  let lastR = NaN;
  let lastZ = NaN;
  for (let i = 0; i < S; i++) {
    const ri = r[i];
    if (ri !== lastR) {
      lastR = ri;
      lastZ = qnorm((ri - 0.375) / denom);
    }
    r[i] = lastZ;
  }
  return r;
}

/**
 * posterior's `z_scale`: Blom rank normalization `z = Φ⁻¹((r − 3/8)/(S + 1/4))` with r the average
 * ranks over all S elements jointly. Returns a new array (same layout).
 */
export function zScale(x: Float64Array): Float64Array {
  return ranksToZ(sortAndRank(x).ranks);
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
