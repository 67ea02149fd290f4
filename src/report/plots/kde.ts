/**
 * Gaussian kernel density estimate on a grid, as R's `density(x, bw = "nrd0", n = 512, cut = 3)`:
 * Silverman's rule-of-thumb bandwidth, linear binning of the data onto the grid (Silverman 1982,
 * AS 176; Wand & Jones 1995 §D.2), then a discrete convolution with the kernel. Optional bounds are
 * handled by reflection (Silverman 1986 §2.10), so an sd's density does not leak below 0.
 */
import { variance } from '../../../diagnostics/basic-stats.js';
import { quantileSorted } from '../../../diagnostics/quantile.js';
import { sortedCopy } from '../../../diagnostics/transforms.js';

/**
 * Silverman's rule of thumb, R's `bw.nrd0`: 0.9 · min(sd, IQR/1.34) · n^(-1/5) (Silverman 1986,
 * eq. 3.31), with R's fall-backs when the spread is 0. Quantiles are R's type 7.
 */
export function silvermanBandwidth(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) throw new Error('silvermanBandwidth: need at least 2 values');
  const s = sortedCopy(x);
  const sd = Math.sqrt(variance(s));
  const iqr = quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
  let lo = Math.min(sd, iqr / 1.34);
  if (!(lo > 0)) lo = sd > 0 ? sd : Math.abs(x[0]) > 0 ? Math.abs(x[0]) : 1;
  return 0.9 * lo * Math.pow(n, -0.2);
}

/** Options of {@link kde}. */
export interface KdeOptions {
  /** Kernel sd; Silverman's rule (R's bw.nrd0) by default. */
  bandwidth?: number;
  /** Number of grid points (R: n = 512). */
  gridSize?: number;
  /** The grid extends `cut` bandwidths beyond the data (R: cut = 3), but not past the bounds. */
  cut?: number;
  /** Lower bound of the support (e.g. 0 for an sd): the density is reflected at it. */
  lower?: number;
  /** Upper bound of the support (e.g. 1 for a correlation). */
  upper?: number;
}

/** A density on an evenly spaced grid. */
export interface KdeResult {
  x: Float64Array;
  y: Float64Array;
  bandwidth: number;
}

/**
 * Kernel density of `values` on a grid of `gridSize` points from max(lower, min − cut·bw) to
 * min(upper, max + cut·bw). Without bounds it reproduces R's `density()` to binning accuracy.
 */
export function kde(values: ArrayLike<number>, opts: KdeOptions = {}): KdeResult {
  const data = Array.from(values).filter(Number.isFinite);
  const n = data.length;
  const bw = opts.bandwidth ?? silvermanBandwidth(data);
  const G = opts.gridSize ?? 512;
  const cut = opts.cut ?? 3;
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) { if (v < min) min = v; if (v > max) max = v; }
  const lower = opts.lower ?? -Infinity;
  const upper = opts.upper ?? Infinity;
  const reflectLo = Number.isFinite(lower) && min - cut * bw < lower;
  const reflectHi = Number.isFinite(upper) && max + cut * bw > upper;
  const lo = reflectLo ? lower : min - cut * bw;
  const hi = reflectHi ? upper : max + cut * bw;
  const delta = (hi - lo) / (G - 1);
  const x = new Float64Array(G);
  for (let j = 0; j < G; j++) x[j] = j === G - 1 ? hi : lo + j * delta;
  // Linear binning: each point splits its unit weight between its two neighbouring grid points.
  const w = new Float64Array(G);
  for (const v of data) {
    const t = (v - lo) / delta;
    const k = Math.min(G - 2, Math.max(0, Math.floor(t)));
    const f = Math.min(1, Math.max(0, t - k));
    w[k] += 1 - f;
    w[k + 1] += f;
  }
  // Kernel at grid distances 0..D (truncated at 5 bandwidths, where φ < 1.5e-6).
  const D = Math.min(2 * G, Math.ceil((5 * bw) / delta));
  const K = new Float64Array(D + 1);
  const norm = 1 / (n * bw * Math.sqrt(2 * Math.PI));
  for (let d = 0; d <= D; d++) K[d] = norm * Math.exp(-0.5 * ((d * delta) / bw) ** 2);
  const y = new Float64Array(G);
  for (let k = 0; k < G; k++) {
    const wk = w[k];
    if (wk === 0) continue;
    for (let j = Math.max(0, k - D); j <= Math.min(G - 1, k + D); j++) y[j] += wk * K[Math.abs(j - k)];
    // Reflection of grid point k at the lower bound is at index −k, at the upper bound at 2(G−1)−k.
    if (reflectLo) for (let j = 0; j <= Math.min(G - 1, D - k); j++) y[j] += wk * K[j + k];
    if (reflectHi) {
      for (let j = Math.max(0, 2 * (G - 1) - k - D); j < G; j++) y[j] += wk * K[2 * (G - 1) - k - j];
    }
  }
  return { x, y, bandwidth: bw };
}
