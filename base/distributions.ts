/**
 * t, F and χ² tail probabilities and t quantiles for the LMM tables and likelihood-ratio tests (R's pt,
 * pf, qt, pchisq), from the regularized incomplete beta of beta.ts: P(|T_ν| > t) = I_{ν/(ν+t²)}(ν/2, ½),
 * P(F_{d1,d2} > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2). Non-integer ν as the Satterthwaite/KR df need.
 */
import { pbeta, qbeta } from './beta.js';
import { lgamma } from './gamma.js';
import { qnorm, pnorm } from './normal.js';

/** Upper tail P(F > f) of the F distribution with d1, d2 df (R's pf(f, d1, d2, lower.tail = FALSE)); d2 = ∞ gives the χ²/d1 limit. */
export function pfUpper(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (!Number.isFinite(d2)) return pchisqUpper(f * d1, d1);
  return pbeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** Two-sided P(|T| > |t|) of the t distribution with ν df (ν = ∞: normal). */
export function ptTwoSided(t: number, nu: number): number {
  if (!Number.isFinite(nu)) return 2 * pnorm(-Math.abs(t));
  return pbeta(nu / (nu + t * t), nu / 2, 0.5);
}

/** Quantile of the t distribution with ν df for a probability above ½ (R's qt(p, ν)); ν = ∞: qnorm. */
export function qtUpper(p: number, nu: number): number {
  if (!Number.isFinite(nu)) return qnorm(p);
  const x = qbeta(2 * (1 - p), nu / 2, 0.5);
  return Math.sqrt(nu * (1 - x) / x);
}

/** Upper tail of the χ² distribution with k df (R's pchisq(x, k, lower.tail = FALSE)), by the incomplete gamma function (series / continued fraction, Numerical Recipes §6.2). */
export function pchisqUpper(x: number, k: number): number {
  if (!(x > 0)) return 1;
  const a = k / 2, z = x / 2;
  const lg = lgamma(a);
  if (z < a + 1) {
    let sum = 1 / a, term = sum;
    for (let n = 1; n < 10000; n++) { term *= z / (a + n); sum += term; if (term < sum * 1e-17) break; }
    return 1 - sum * Math.exp(-z + a * Math.log(z) - lg);
  }
  const tiny = 1e-300;
  let b = z + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-z + a * Math.log(z) - lg) * h;
}

/** Upper quantile of the F distribution: the f with P(F_{d1,d2} > f) = α (R's qf(1 − α, d1, d2)), from qbeta: F = d2 X / (d1 (1 − X)), X ~ Beta(d1/2, d2/2). */
export function qfUpper(alpha: number, d1: number, d2: number): number {
  const x = qbeta(1 - alpha, d1 / 2, d2 / 2);
  return (d2 * x) / (d1 * (1 - x));
}

/**
 * Upper tail of the noncentral F with d1, d2 df and noncentrality λ (R's pf(f, d1, d2, ncp = λ,
 * lower.tail = FALSE)): the Poisson(λ/2) mixture of central tails, Σ_j e^{−λ/2}(λ/2)^j/j! ·
 * (1 − I_x(d1/2 + j, d2/2)), x = d1 f/(d1 f + d2) (Johnson, Kotz & Balakrishnan, *Continuous
 * Univariate Distributions* 2, 2nd ed., eq. 30.7), summed until the remaining Poisson mass is below 1e-15.
 */
export function pnfUpper(f: number, d1: number, d2: number, lambda: number): number {
  if (!(f > 0)) return 1;
  const x = (d1 * f) / (d1 * f + d2), h = lambda / 2;
  let w = Math.exp(-h), mass = 0, sum = 0;
  for (let j = 0; j < 100000; j++) {
    if (j > 0) w *= h / j;
    mass += w;
    sum += w * (1 - pbeta(x, d1 / 2 + j, d2 / 2));
    if (1 - mass < 1e-15 && j > h) break;
  }
  return sum;
}
