/**
 * The gamma family of special functions (JavaScript has none of them): log Γ, ψ, ψ′, log B, log C(n, k),
 * softplus. Accuracy target ~1e-14 (absolute for lgamma near its zeros, relative elsewhere); pinned by
 * tests against R 4.2.2 values (test/base/).
 */
import { LOG_SQRT_2PI } from './constants.js';

/**
 * log Γ(x) for real x (log |Γ(x)| for negative non-integer x; +Infinity at 0, -1, -2, ...).
 * Stirling's series with 7 Bernoulli terms for x ≥ 10 (truncation error < 4e-17 there), upward
 * recurrence Γ(x) = Γ(x+n)/(x(x+1)…(x+n−1)) below, reflection Γ(x)Γ(1−x) = π/sin(πx) for x < 0.5.
 * Reference: Abramowitz & Stegun 6.1.40; R's `lgamma`.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) {
    // reflection; sin(πx) via sinpi-like reduction keeps precision near integers
    const s = Math.abs(sinpi(x));
    return Math.log(Math.PI / s) - lgamma(1 - x);
  }
  if (x >= 10) return stirlingLgamma(x);
  let prod = 1;
  let z = x;
  while (z < 10) {
    prod *= z;
    z += 1;
  }
  return stirlingLgamma(z) - Math.log(prod);
}

function stirlingLgamma(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  // Σ B_2k / (2k(2k−1) x^(2k−1)), k = 1..7
  const series =
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156)))))));
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series;
}

/** sin(πx) with argument reduction so that exact integers give exactly 0. */
function sinpi(x: number): number {
  let r = x % 2;
  if (r < 0) r += 2;
  if (r > 1) return -sinpi(r - 1);
  if (r > 0.5) r = 1 - r;
  return Math.sin(Math.PI * r);
}

/**
 * Digamma ψ(x) = d log Γ(x)/dx. Asymptotic series for x ≥ 10 (A&S 6.3.18, 7 terms), recurrence
 * ψ(x) = ψ(x+1) − 1/x below, reflection ψ(1−x) − π/tan(πx) for x < 0. NaN at 0, −1, −2, ...
 * Reference: R's `digamma`.
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let acc = 0;
  let z = x;
  while (z < 10) {
    acc -= 1 / z;
    z += 1;
  }
  return acc + Math.log(z) - 0.5 / z - digammaSeries(z);
}

/** The asymptotic series of ψ beyond log z − 1/(2z), for z ≥ 10 (A&S 6.3.18, 7 terms). */
function digammaSeries(z: number): number {
  const r2 = 1 / (z * z);
  return r2 * (1 / 12 - r2 * (1 / 120 - r2 * (1 / 252 - r2 * (1 / 240 - r2 * (1 / 132 - r2 * (691 / 32760 - r2 / 12))))));
}

/**
 * ψ(x + k) − ψ(x) for x > 0, k ≥ 0 without the cancellation of the two ψ (~log x) as x → ∞: for
 * x ≥ 10, log1p(k/x) + k/(2x(x + k)) − [S(x + k) − S(x)] with S the asymptotic series; below, ψ directly.
 */
export function digammaDiff(x: number, k: number): number {
  if (k === 0) return 0;
  if (x >= 10) return Math.log1p(k / x) + k / (2 * x * (x + k)) - (digammaSeries(x + k) - digammaSeries(x));
  return digamma(x + k) - digamma(x);
}

/**
 * Trigamma ψ′(x). Asymptotic series for x ≥ 10 (A&S 6.4.12), recurrence ψ′(x) = ψ′(x+1) + 1/x².
 * Defined here for x > 0 (NaN otherwise). Reference: R's `trigamma`.
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return 0;
  let acc = 0;
  let z = x;
  while (z < 10) {
    acc += 1 / (z * z);
    z += 1;
  }
  const r = 1 / z;
  const r2 = r * r;
  const series = r + r2 / 2 + r * r2 * (1 / 6 - r2 * (1 / 30 - r2 * (1 / 42 - r2 * (1 / 30 - r2 * (5 / 66 - r2 * (691 / 2730))))));
  return acc + series;
}

/** log(1 + eˣ) without overflow or cancellation (softplus). */
export function log1pExp(x: number): number {
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

/** log(1 − e^(−a)) for a ≥ 0 (Mächler 2012, "Accurately computing log(1 − exp(−|a|))"). */
export function log1mExp(a: number): number {
  return a <= Math.LN2 ? Math.log(-Math.expm1(-a)) : Math.log1p(-Math.exp(-a));
}

/** log of the binomial coefficient C(n, k) via lgamma. */
export function lchoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/** Stirling-series remainder lgamma(x) − [(x−½)log x − x + log√(2π)], for x ≥ 10 (R's lgammacor). */
function lgammacor(x: number): number {
  const x2 = 1 / (x * x);
  // Bernoulli terms B_2k / (2k(2k−1) x^(2k−1)), k = 1..8: below 1e-17 relative for x ≥ 10
  return (
    (1 / 12 +
      x2 * (-1 / 360 + x2 * (1 / 1260 + x2 * (-1 / 1680 + x2 * (1 / 1188 + x2 * (-691 / 360360 + x2 * (1 / 156 + x2 * (-3617 / 122400)))))))) /
    x
  );
}

/**
 * log Γ(x + k) − log Γ(x) − k log x for x > 0, k ≥ 0: the log rising factorial relative to x^k, which
 * tends to k(k − 1)/(2x) as x → ∞. For x ≥ 10 from Stirling's series without the cancellation of the
 * two log Γ (each ~x log x): (x + k − ½) log1p(k/x) − k + c(x + k) − c(x) (c: lgammacor), absolute error ~1e-16·k;
 * below 10 from log Γ directly. (The beta-binomial's log-likelihood as its precision φ → ∞.)
 */
export function lgammaRatio(x: number, k: number): number {
  if (k === 0) return 0;
  if (x >= 10) return (x + k - 0.5) * Math.log1p(k / x) - k + lgammacor(x + k) - lgammacor(x);
  return lgamma(x + k) - lgamma(x) - k * Math.log(x);
}

/** log B(a, b) for a, b > 0 (NaN otherwise), R's `lbeta` (src/nmath/lbeta.c, Stirling correction for large arguments). */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) return NaN;
  if (p >= 10) {
    const corr = lgammacor(p) + lgammacor(q) - lgammacor(p + q);
    return Math.log(q) * -0.5 + LOG_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = lgammacor(q) - lgammacor(p + q);
    return lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

