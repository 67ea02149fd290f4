/**
 * R-hat, as posterior (stan-dev/posterior R/convergence.R `rhat_basic`, `rhat`, `.rhat`); Vehtari,
 * Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding, and localization: an
 * improved R̂", Bayesian Analysis 16(2):667–718. Input `x` is iterations × chains, column-major
 * (chain c = `x.subarray(c·nDraws, (c+1)·nDraws)`, as `parameterMatrix` gives). NaN where posterior gives NA.
 */
import { shouldReturnNA } from './basic-stats.js';
import { fold, splitChains, zScale } from './transforms.js';

/**
 * posterior's `.rhat` on an N × M matrix (no splitting): `sqrt((B/W + N − 1)/N)` with `B = N·var(chain
 * means)`, `W = mean(chain variances)`, n−1 denominators.
 */
export function rhatCore(x: Float64Array, N: number): number {
  if (shouldReturnNA(x)) return NaN;
  const M = x.length / N;
  if (M < 2 || N < 2) return NaN; // R's var of a single value is NA
  let sumMeans = 0;
  let sumVars = 0;
  const means = new Float64Array(M);
  for (let c = 0; c < M; c++) {
    const off = c * N;
    let s = 0;
    for (let t = 0; t < N; t++) s += x[off + t];
    const m = s / N;
    let ss = 0;
    for (let t = 0; t < N; t++) {
      const d = x[off + t] - m;
      ss += d * d;
    }
    means[c] = m;
    sumMeans += m;
    sumVars += ss / (N - 1);
  }
  const grand = sumMeans / M;
  let vb = 0;
  for (let c = 0; c < M; c++) vb += (means[c] - grand) ** 2;
  const B = (N * vb) / (M - 1);
  const W = sumVars / M;
  return Math.sqrt((B / W + N - 1) / N);
}

/** posterior `rhat_basic`: classic split R-hat, `.rhat(split(x))`. */
export function rhatBasic(x: Float64Array, nDraws: number): number {
  const s = splitChains(x, nDraws);
  return rhatCore(s.data, s.N);
}

/** The two parts of the rank-normalized split R-hat: bulk (rank-normalized draws) and tail (folded). */
export interface RhatParts {
  readonly bulk: number;
  readonly tail: number;
}

/**
 * posterior's bulk and tail parts: `bulk = .rhat(z_scale(split(x)))`,
 * `tail = .rhat(z_scale(split(fold(x))))` (fold around the median of all draws).
 */
export function rhatParts(x: Float64Array, nDraws: number): RhatParts {
  if (shouldReturnNA(x)) return { bulk: NaN, tail: NaN };
  const s = splitChains(x, nDraws);
  const bulk = rhatCore(zScale(s.data), s.N);
  const f = splitChains(fold(x), nDraws);
  const tail = rhatCore(zScale(f.data), f.N);
  return { bulk, tail };
}

/**
 * posterior `rhat`: rank-normalized split R-hat, `max(bulk, tail)`; NaN if either part is NA
 * (R's `max` with an NA).
 */
export function rhat(x: Float64Array, nDraws: number): number {
  const { bulk, tail } = rhatParts(x, nDraws);
  if (Number.isNaN(bulk) || Number.isNaN(tail)) return NaN;
  return Math.max(bulk, tail);
}
