/**
 * The variate generators of models/families/random.ts against exact distributions (fixed seeds):
 * - moments: the sample mean and variance within 4.5 Monte Carlo standard errors of the exact ones
 *   (SE of the variance from the exact fourth central moment);
 * - the whole pmf: Pearson's χ² of the counts against the exact pmf (from lgamma), bins merged to an
 *   expected count ≥ 5, below the χ² quantile at 1 − 1e-4 (Wilson–Hilferty);
 * - cost: uniforms consumed per draw stay bounded as the mean grows to 1e12 (the old inversion took
 *   ~λ steps: a count near 1e6 made the report's predictive check run for minutes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { rbinom, rpois } from '../../models/families/random.js';
import { getFamily } from '../../models/families/getFamily.js';
import { lgamma } from '../../base/gamma.js';

/** A seeded uniform source that counts its calls. */
function counted(seed: string) {
  const r = seedrandom(seed);
  const src = { calls: 0, next: () => (src.calls++, r()) };
  return src;
}

function moments(x: Float64Array) {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let s2 = 0;
  for (const v of x) s2 += (v - m) ** 2;
  return { mean: m, variance: s2 / (n - 1) };
}

/** Mean and variance within 4.5 SE of the exact μ, σ² (μ4 the exact fourth central moment). */
function checkMoments(x: Float64Array, mu: number, s2: number, mu4: number, what: string): void {
  const n = x.length;
  const { mean, variance } = moments(x);
  const seMean = Math.sqrt(s2 / n);
  const seVar = Math.sqrt((mu4 - (s2 * s2 * (n - 3)) / (n - 1)) / n);
  assert.ok(Math.abs(mean - mu) <= 4.5 * seMean, `${what}: mean ${mean} vs ${mu} (SE ${seMean})`);
  assert.ok(Math.abs(variance - s2) <= 4.5 * seVar, `${what}: variance ${variance} vs ${s2} (SE ${seVar})`);
}

/** Upper χ² quantile by Wilson–Hilferty (z = 3.719: probability 1e-4 above). */
function chisqUpper(df: number): number {
  const z = 3.719;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

/** Pearson χ² of integer draws against the pmf `logPmf` on 0..kmax, bins merged to expected ≥ 5. */
function checkPmf(x: Float64Array, logPmf: (k: number) => number, kmax: number, what: string): void {
  const n = x.length;
  const obs = new Float64Array(kmax + 1);
  for (const v of x) obs[Math.min(v, kmax)]++;
  const exp = Array.from({ length: kmax + 1 }, (_, k) => n * Math.exp(logPmf(k)));
  let tail = n;
  for (let k = 0; k < kmax; k++) tail -= exp[k];
  exp[kmax] = tail; // P(X ≥ kmax)
  let stat = 0;
  let bins = 0;
  let o = 0;
  let e = 0;
  for (let k = 0; k <= kmax; k++) {
    o += obs[k];
    e += exp[k];
    if (e >= 5 || k === kmax) {
      stat += (o - e) ** 2 / e;
      bins++;
      o = 0;
      e = 0;
    }
  }
  assert.ok(stat < chisqUpper(bins - 1), `${what}: χ² ${stat.toFixed(1)} on ${bins - 1} df`);
}

const N = 20000;

test('rpois: exact pmf (χ²) at λ = 3.7, 10, 47.5 and exact moments up to λ = 1e12', () => {
  for (const lambda of [3.7, 10, 47.5]) {
    const rng = seedrandom(`pois-${lambda}`);
    const x = Float64Array.from({ length: N }, () => rpois(rng, lambda));
    checkPmf(x, (k) => -lambda + k * Math.log(lambda) - lgamma(k + 1), Math.ceil(lambda + 8 * Math.sqrt(lambda) + 10), `Poisson(${lambda})`);
  }
  for (const lambda of [3.7, 47.5, 1e6, 1e12]) {
    const rng = seedrandom(`pois-m-${lambda}`);
    const x = Float64Array.from({ length: N }, () => rpois(rng, lambda));
    checkMoments(x, lambda, lambda, lambda * (1 + 3 * lambda), `Poisson(${lambda})`);
  }
});

test('rpois: uniforms per draw do not grow with λ (PTRS: about 2.3 at any λ ≥ 10)', () => {
  for (const lambda of [10, 1e3, 1e6, 1e12]) {
    const src = counted(`cost-${lambda}`);
    for (let i = 0; i < 5000; i++) rpois(src.next, lambda);
    const per = src.calls / 5000;
    assert.ok(per < 3, `λ = ${lambda}: ${per} uniforms per draw`);
  }
});

test('rbinom: exact pmf (χ²) for n = 12, 40, 1000 and exact moments up to n = 1e12', () => {
  const logPmf = (n: number, p: number) => (k: number) => lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  for (const [n, p] of [[12, 0.3], [40, 0.25], [1000, 0.02], [1000, 0.5]]) {
    const rng = seedrandom(`binom-${n}-${p}`);
    const x = Float64Array.from({ length: N }, () => rbinom(rng, n, p));
    const sd = Math.sqrt(n * p * (1 - p));
    checkPmf(x, logPmf(n, p), Math.min(n, Math.ceil(n * p + 8 * sd + 5)), `Binomial(${n}, ${p})`);
  }
  for (const [n, p] of [[40, 0.25], [1e6, 1e-5], [1e9, 0.3], [1e12, 0.999]]) {
    const rng = seedrandom(`binom-m-${n}-${p}`);
    const x = Float64Array.from({ length: N }, () => rbinom(rng, n, p));
    const q = 1 - p;
    const s2 = n * p * q;
    // fourth central moment of the binomial: npq(1 + 3(n − 2)pq)
    checkMoments(x, n * p, s2, s2 * (1 + 3 * (n - 2) * p * q), `Binomial(${n}, ${p})`);
    assert.ok(x.every((v) => Number.isInteger(v) && v >= 0 && v <= n));
  }
});

test('rbinom: uniforms per draw grow only as log n', () => {
  const per = [1e3, 1e6, 1e9, 1e12].map((n) => {
    const src = counted(`bcost-${n}`);
    for (let i = 0; i < 2000; i++) rbinom(src.next, n, 0.37);
    return src.calls / 2000;
  });
  // each halving of n costs two gamma draws (~6 uniforms): 1e12 is ~30 halvings
  assert.ok(per[3] < 250, `n = 1e12: ${per[3]} uniforms per draw`);
  assert.ok(per[3] - per[2] < 80 && per[2] - per[1] < 80, per.join(', '));
});

test('negative binomial simulate (gamma–Poisson) at μ = 1e6: mean μ, variance μ + μ²/φ', () => {
  const f = getFamily('negbinomial');
  const rng = seedrandom('nb-1e6');
  const mu = 1e6;
  const phi = 3;
  const x = Float64Array.from({ length: N }, () => f.simulate(rng, mu, [phi], 1));
  const { mean, variance } = moments(x);
  const s2 = mu + (mu * mu) / phi;
  assert.ok(Math.abs(mean - mu) <= 4.5 * Math.sqrt(s2 / N), `mean ${mean}`);
  // variance of a gamma-dominated sample: SE of s² ≈ s² · sqrt((κ4 + 2)/N) with excess kurtosis 6/φ
  assert.ok(Math.abs(variance - s2) <= 4.5 * s2 * Math.sqrt((6 / phi + 2) / N), `variance ${variance} vs ${s2}`);
});
