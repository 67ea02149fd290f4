/**
 * Float64 special functions the families, links and priors need (JavaScript has none of them).
 * Accuracy target ~1e-14 (absolute for lgamma near its zeros, relative elsewhere); pinned by tests
 * against R 4.2.2 values (test/models/special.test.ts).
 */

const LOG_SQRT_2PI = 0.9189385332046727; // log(sqrt(2π))
const SQRT1_2 = Math.SQRT1_2;

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
  const r2 = 1 / (z * z);
  const series =
    r2 * (1 / 12 - r2 * (1 / 120 - r2 * (1 / 252 - r2 * (1 / 240 - r2 * (1 / 132 - r2 * (691 / 32760 - r2 / 12))))));
  return acc + Math.log(z) - 0.5 / z - series;
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

/** log B(a, b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/**
 * erfc(x) in float64. x < 2: 1 − erf(x) with erf from the all-positive series
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1)/(1·3·…·(2n+1)) (A&S 7.1.6); x ≥ 2: the continued fraction
 * (A&S 7.1.14) by the modified Lentz method. Relative error ≲ 1e-14.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return Math.exp(-x * x - logErfcCfTail(x));
}

/** erf(x) in float64 (see erfc). */
export function erf(x: number): number {
  if (Math.abs(x) < 2) return x < 0 ? -erfSeries(-x) : erfSeries(x);
  return x < 0 ? erfc(-x) - 1 : 1 - erfc(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/** log(√π · CF(x)) for x ≥ 2, so that erfc(x) = exp(−x² − result) (A&S 7.1.14). */
function logErfcCfTail(x: number): number {
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let C = f;
  let D = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    D = x + a * D;
    if (D === 0) D = tiny;
    C = x + a / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.log(Math.sqrt(Math.PI) * f);
}

/** Standard normal cdf Φ(x) (R's pnorm). */
export function pnorm(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** log Φ(x), accurate in the far lower tail (R's pnorm(x, log.p = TRUE)). */
export function logPnorm(x: number): number {
  if (x > 0) return Math.log1p(-pnorm(-x));
  if (x > -5) return Math.log(pnorm(x));
  // erfc(z) = exp(−z² − log(√π·CF(z))) for z = −x/√2 ≥ 2
  const z = -x * SQRT1_2;
  return Math.log(0.5) - z * z - logErfcCfTail(z);
}

/** Standard normal density φ(x). */
export function dnormStd(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

/**
 * Standard normal quantile Φ⁻¹(p) (R's qnorm): A&S 26.2.23 start, then Halley steps on the
 * accurate pnorm until the step is below 1e-15 relative.
 */
export function qnorm(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const lower = p < 0.5;
  const pp = lower ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(pp));
  let x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  x = lower ? -x : x;
  for (let it = 0; it < 50; it++) {
    // Halley on f(x) = Φ(x) − p, using the tail that keeps relative precision
    const e = lower ? pnorm(x) - p : pp - pnorm(-x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

export const LOG_SQRT_TWO_PI = LOG_SQRT_2PI;

/**
 * Regularised incomplete beta I_x(a, b) by the continued fraction of Numerical Recipes §6.4
 * (modified Lentz), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where it converges faster.
 */
export function pbeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lfront = a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lfront) * betacf(x, a, b)) / a;
  return 1 - (Math.exp(lfront) * betacf(1 - x, b, a)) / b;
}

function betacf(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Student-t cdf P(T ≤ t) with ν degrees of freedom (R's pt), via pbeta. */
export function pt(t: number, nu: number): number {
  const tail = 0.5 * pbeta(nu / (nu + t * t), nu / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}
