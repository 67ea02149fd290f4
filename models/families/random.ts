/**
 * Variate generators from a uniform(0,1) source `rng` (seedrandom), for `Family.simulate`.
 * Exact methods, chosen for clarity over speed (simulation is never in a hot loop).
 */

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

/** Poisson(λ) by sequential inversion with the pmf recurrence kept in log space (no underflow). */
export function rpois(rng: () => number, lambda: number): number {
  if (!(lambda > 0)) return 0;
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

/** Binomial(n, p) by sequential inversion with the pmf recurrence in log space. */
export function rbinom(rng: () => number, n: number, p: number): number {
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
