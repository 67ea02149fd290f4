/**
 * Beta-distribution special functions for `mcse_quantile`: log-gamma, log-beta (R's `lbeta` algorithm,
 * src/nmath/lbeta.c, with the Stirling correction for large arguments), the regularized incomplete beta
 * I_x(a, b) (continued fraction, modified Lentz; Numerical Recipes §6.4) and its inverse `qbeta`
 * (safeguarded Newton on I_x, as R's `qbeta` inverts `pbeta`). Accurate to ~1e-14 relative for a, b ≥ 1.
 */

const LN_SQRT_2PI = 0.918938533204672741780329736406; // log(sqrt(2π))

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

/** log Γ(x) for x > 0. */
export function lgamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + lgammacor(x);
  // shift up: Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1))
  let prod = 1;
  let y = x;
  while (y < 10) {
    prod *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + lgammacor(y) - Math.log(prod);
}

/** log B(a, b), R's `lbeta` (src/nmath/lbeta.c). */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) return NaN;
  if (p >= 10) {
    const corr = lgammacor(p) + lgammacor(q) - lgammacor(p + q);
    return Math.log(q) * -0.5 + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = lgammacor(q) - lgammacor(p + q);
    return lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/** Continued fraction of I_x(a, b) (Numerical Recipes `betacf`, modified Lentz). */
function betacf(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b) (R `pbeta(x, a, b)`). */
export function pbeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betacf(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betacf(b, a, 1 - x)) / b;
}

/**
 * Quantile of Beta(a, b): the x with I_x(a, b) = p (R `qbeta(p, a, b)`). Newton steps on I_x with the
 * Beta density as derivative, kept inside a shrinking bracket (bisection when a step leaves it).
 */
export function qbeta(p: number, a: number, b: number): number {
  if (Number.isNaN(p) || Number.isNaN(a) || Number.isNaN(b) || p < 0 || p > 1 || !(a > 0) || !(b > 0)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lb = lbeta(a, b);
  let lo = 0;
  let hi = 1;
  // start from the mean ± z·sd (normal approximation), clamped inside (0, 1)
  const mu = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) * (a + b) * (a + b + 1)));
  const z = p < 0.5 ? -Math.sqrt(-2 * Math.log(p)) * 0.8 : Math.sqrt(-2 * Math.log(1 - p)) * 0.8;
  let x = Math.min(1 - 1e-12, Math.max(1e-12, mu + z * sd));
  for (let it = 0; it < 200; it++) {
    const f = pbeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const logDens = (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lb;
    let next = x - f / Math.exp(logDens);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(x, 1e-300) || hi - lo <= 4e-16 * hi) return next;
    x = next;
  }
  return x;
}
