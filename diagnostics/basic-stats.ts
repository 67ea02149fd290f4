/**
 * posterior's rule for when a convergence diagnostic is NA, shared by every measure. No allocation.
 */

/** R's `.Machine$double.eps`, the tolerance of posterior's `is_constant` (misc.R). */
export const DOUBLE_EPS = 2.220446049250313e-16;

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
