/**
 * The standard normal distribution in float64: erf, erfc, Φ, log Φ, φ and Φ⁻¹ (R's pnorm, dnorm,
 * qnorm). Pinned by tests against R 4.2.2 values (test/base/).
 */
import { LOG_SQRT_2PI } from './constants.js';

const SQRT1_2 = Math.SQRT1_2;

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
 * The standard normal quantile Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37:477,
 * 1988), the algorithm of R's `qnorm` (src/nmath/qnorm.c); relative accuracy about 1e-16.
 */
export function qnorm(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  let r: number;
  let val: number;
  if (Math.abs(q) <= 0.425) {
    r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
          133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1)
    );
  }
  r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -val : val;
}
