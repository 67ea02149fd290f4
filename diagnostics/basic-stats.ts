/**
 * Small statistics shared by the convergence diagnostics: mean, sample variance and posterior's
 * `should_return_NA` rule. Plain loops over (sub)arrays; no allocation.
 */

/** R's `.Machine$double.eps`, the tolerance of posterior's `is_constant` (misc.R). */
export const DOUBLE_EPS = 2.220446049250313e-16;

/** Arithmetic mean of `x[from..to)` (R `mean`). */
export function mean(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  return s / (to - from);
}

/** Sample variance of `x[from..to)` with the n−1 denominator (R `var`); NaN when n < 2. */
export function variance(x: ArrayLike<number>, from = 0, to = x.length): number {
  const n = to - from;
  if (n < 2) return NaN;
  const m = mean(x, from, to);
  let s = 0;
  for (let i = from; i < to; i++) {
    const d = x[i] - m;
    s += d * d;
  }
  return s / (n - 1);
}

/**
 * posterior's `should_return_NA(x)` (R/convergence.R, posterior ≥ 1.4): true if any value is NA/NaN or
 * ±Inf, or if all values are equal within `DOUBLE_EPS` (`abs(max − min) < eps`). Chains that are
 * constant on their own are not checked, as in posterior.
 */
export function shouldReturnNA(x: ArrayLike<number>): boolean {
  if (x.length === 0) return true;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) return true;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return !(Math.abs(hi - lo) >= DOUBLE_EPS);
}
