/** Numerical constants shared by the special functions, the densities and the interval tables. */

/** log √(2π), the normal density's constant. */
export const LOG_SQRT_2PI = 0.9189385332046727;

/** Φ⁻¹(0.975), the 95% two-sided normal quantile (R's qnorm(0.975)). */
export const Z95 = 1.959963984540054;
