/**
 * The beta distribution: the regularized incomplete beta I_x(a, b) (continued fraction, modified Lentz;
 * Numerical Recipes §6.4), its inverse `qbeta` (safeguarded Newton on I_x, as R's `qbeta` inverts
 * `pbeta`) and the Student-t cdf through it. Accurate to ~1e-14 relative for a, b ≥ 1.
 */
import { lbeta } from './gamma.js';

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

/** Student-t cdf P(T ≤ t) with ν degrees of freedom (R's pt), via pbeta. */
export function pt(t: number, nu: number): number {
  const tail = 0.5 * pbeta(nu / (nu + t * t), nu / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}
