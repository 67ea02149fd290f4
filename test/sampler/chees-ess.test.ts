/**
 * Bulk ESS (diagnostics/ess.ts, posterior's ess_bulk) over many short chains, the shape ChEES produces:
 * 256 chains × 100 draws. Exact answer for AR(1) chains of length n with coefficient ρ:
 * ESS = C·n / [(1+ρ)/(1−ρ) − 2ρ(1−ρⁿ)/(n(1−ρ)²)] (variance of the mean of an AR(1) segment).
 * Measured behaviour (5 seeds each, this file's generator): the split chains are only 50 draws long, so
 * each chain's own mean soaks up part of its autocorrelation and the estimate runs HIGH by about 2τ/50
 * (iid +4…6 %, ρ = 0.5 (τ = 3) +11…16 %, noise ±2 %); with ρ = 0.9 (τ = 19, Geyer's truncation bites) it
 * runs LOW (−25 %), i.e. conservative. With 16 × 1600 the same draws give −1…+8 %. Hence the bounds:
 * within +20 % / −5 % for τ ≤ 3, below the exact value for τ = 19. Fixed seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { essBulk } from '../../diagnostics/ess.js';
import { makeRng } from '../../src/sampler/rng.js';

function ar1Chains(C: number, N: number, rho: number, seed: number): Float64Array {
  const x = new Float64Array(C * N);
  const rng = makeRng(seed, 0);
  const s = Math.sqrt(1 - rho * rho);
  for (let c = 0; c < C; c++) {
    let v = rng.normal();
    for (let n = 0; n < N; n++) {
      if (n > 0) v = rho * v + s * rng.normal();
      x[c * N + n] = v;
    }
  }
  return x;
}

test('bulk ESS behaves with 256 chains × 100 draws (iid and AR(1) ρ = 0.5, 0.9)', () => {
  const C = 256;
  const N = 100;
  const S = C * N;
  const exact = (rho: number): number => (rho === 0 ? S : S / ((1 + rho) / (1 - rho) - (2 * rho * (1 - rho ** N)) / (N * (1 - rho) ** 2)));
  for (const rho of [0, 0.5]) {
    const ratio = essBulk(ar1Chains(C, N, rho, 7), N) / exact(rho);
    assert.ok(ratio > 0.95 && ratio < 1.2, `ρ = ${rho}: ESS / exact = ${ratio}`);
  }
  const ratio9 = essBulk(ar1Chains(C, N, 0.9, 7), N) / exact(0.9);
  assert.ok(ratio9 > 0.5 && ratio9 < 1, `ρ = 0.9: ESS / exact = ${ratio9}`);
});
