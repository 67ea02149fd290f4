/**
 * Variate generators from a uniform(0,1) source `rng` (seedrandom), for `Family.simulate`.
 * Exact methods whose cost does not grow with the mean (a count near 1e6 or 1e12 must not take a
 * million steps per draw): Poisson by inversion below λ = 10 and Hörmann's PTRS above; binomial by
 * inversion for n ≤ 16 and Knuth's beta-splitting of the order statistics above; the negative
 * binomial as a gamma–Poisson mixture (negbinomial.ts).
 */
import { lgamma } from '../../base/gamma.js';

/** Standard normal by Box–Muller (Box & Muller 1958); one of the pair is used. */
export function rnormStd(rng: () => number): number {
  let u = rng();
  while (u <= 0) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the u^(1/a) boost for shape < 1. */
export function rgamma(rng: () => number, shape: number, rate: number): number {
  if (shape < 1) {
    let u = rng();
    while (u <= 0) u = rng();
    return rgamma(rng, shape + 1, rate) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rnormStd(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Poisson(λ) for small λ by sequential inversion with the pmf recurrence kept in log space. */
function rpoisInversion(rng: () => number, lambda: number): number {
  const u = rng();
  let k = 0;
  let logp = -lambda;
  let cdf = Math.exp(logp);
  const logLambda = Math.log(lambda);
  const kmax = lambda + 40 * Math.sqrt(lambda) + 100;
  while (u > cdf && k < kmax) {
    k += 1;
    logp += logLambda - Math.log(k);
    cdf += Math.exp(logp);
  }
  return k;
}

/**
 * Poisson(λ). λ < 10: inversion (at most ~λ + 40√λ steps). λ ≥ 10: PTRS, the transformed rejection
 * with squeeze of Hörmann (1993, "The transformed rejection method for generating Poisson random
 * variables", Insurance: Mathematics and Economics 12, 39–45), constants as in NumPy's
 * `random_poisson_ptrs`; about 1.1 pairs of uniforms per draw whatever λ.
 */
export function rpois(rng: () => number, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) return rpoisInversion(rng, lambda);
  if (!Number.isFinite(lambda)) return Infinity;
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = rng() - 0.5;
    const V = rng();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1)) return k;
  }
}

/** Binomial(n, p) for small n by sequential inversion with the pmf recurrence in log space (≤ n steps). */
function rbinomInversion(rng: () => number, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  const u = rng();
  let k = 0;
  let logp = n * Math.log1p(-p);
  let cdf = Math.exp(logp);
  const lodds = Math.log(p) - Math.log1p(-p);
  while (u > cdf && k < n) {
    logp += Math.log((n - k) / (k + 1)) + lodds;
    k += 1;
    cdf += Math.exp(logp);
  }
  return k;
}

/** Trials at or below which the binomial is drawn by inversion. */
const BINOM_INVERSION_MAX = 16;

/**
 * Binomial(n, p), exact, in O(log n) gamma draws: Knuth's splitting by the order statistics of n
 * uniforms (TAOCP vol. 2, 3rd ed., §3.4.1 F; Devroye 1986 §X.4): the a-th smallest of n uniforms is
 * X ~ Beta(a, n + 1 − a) with a = 1 + ⌊n/2⌋; if X ≥ p the successes are among the a − 1 below it
 * (each with probability p/X), else those a count and the rest are among the n − a above X (each with
 * probability (p − X)/(1 − X)). Inversion finishes once n ≤ 16.
 */
export function rbinom(rng: () => number, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  let k = 0;
  while (n > BINOM_INVERSION_MAX) {
    const a = 1 + Math.floor(n / 2);
    const b = n + 1 - a;
    const ga = rgamma(rng, a, 1);
    const x = ga / (ga + rgamma(rng, b, 1));
    if (x >= p) {
      n = a - 1;
      p = p / x;
    } else {
      k += a;
      n = b - 1;
      p = (p - x) / (1 - x);
    }
  }
  return k + rbinomInversion(rng, n, p);
}
