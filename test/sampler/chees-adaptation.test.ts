/**
 * Unit tests of the ChEES adaptation pieces against values computed by hand from
 * shared/reference/many-chain.md §1.1-1.3 (BlackJAX chees_adaptation.py / dynamic_hmc.py semantics).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { halton, haltonBits, haltonJitter } from '../../src/sampler/adaptation/halton.js';
import { trajectoryAdaptation } from '../../src/sampler/adaptation/chees-trajectory.js';
import { cheesGradient } from '../../src/sampler/adaptation/chees-criterion.js';
import { harmonicMeanAccept, stepSizeAdaptation } from '../../src/sampler/adaptation/chees-stepsize.js';
import { crossChainVariance } from '../../src/sampler/adaptation/chees-metric.js';
import { chooseChains, chooseSuperchains, LARGE_DATA_CHAINS, LARGE_DATA_WORK } from '../../src/sampler/adaptation/chees-chains.js';

test('halton: base-2 radical inverse of t+1 (many-chain.md §1.3)', () => {
  const want = [0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875, 0.0625, 0.5625, 0.3125];
  assert.deepEqual(Array.from({ length: 10 }, (_, t) => halton(t, 10)), want);
  // truncated to B bits: h = 0 when t + 1 is a multiple of 2^B
  assert.equal(halton(7, 3), 0);
  assert.equal(halton(15, 4), 0);
  assert.equal(halton(8, 3), 0.5); // 9 = 1001b, low three bits 001
  // BlackJAX: B = ceil(log2(1000 + 1000)) = 11
  assert.equal(haltonBits(2000), 11);
  assert.equal(haltonJitter(2, 10, 1), 0.75);
  assert.equal(haltonJitter(2, 10, 0.5), 0.75 * 0.5 + 0.5);
});

test('trajectory update: two steps by hand (Adam β1=0, β2=0.95, lr 0.5, clip ±0.35, t^-½ average)', () => {
  const tr = trajectoryAdaptation();
  let s = tr.init(0.1);
  assert.equal(s.T, 0.1);
  // step 1: G = 2. v = 0.05·4 = 0.2; v̂ = 0.2/(1−0.95) = 4; raw = 0.5·2/(2+1e-8) ≈ 0.5 → clip 0.35.
  // log T_new = log 0.1 + 0.35; w = 1 → logT_ma = log 0.1 + 0.35; T = 0.1·e^0.35 (within [ε, 1000ε] for ε = 0.12)
  s = tr.update(s, 2, 0.12);
  assert.ok(Math.abs(s.logTMa - (Math.log(0.1) + 0.35)) < 1e-12);
  assert.ok(Math.abs(s.T - 0.1 * Math.exp(0.35)) < 1e-12);
  assert.ok(Math.abs(s.v - 0.2) < 1e-15);
  // step 2: G = −0.5. v = 0.95·0.2 + 0.05·0.25 = 0.2025; v̂ = 0.2025/(1 − 0.9025) = 2.0769…;
  // raw = 0.5·(−0.5)/(sqrt(v̂) + 1e-8) = −0.17347…; log T_new = logT_ma₁ + raw; w = 2^-½
  const v2 = 0.95 * 0.2 + 0.05 * 0.25;
  const raw2 = (0.5 * -0.5) / (Math.sqrt(v2 / (1 - 0.95 ** 2)) + 1e-8);
  const lt1 = Math.log(0.1) + 0.35;
  const w = 1 / Math.sqrt(2);
  const lma2 = (1 - w) * lt1 + w * (lt1 + raw2);
  s = tr.update(s, -0.5, 0.12);
  assert.ok(Math.abs(raw2 - -0.173472) < 1e-6);
  assert.ok(Math.abs(s.logTMa - lma2) < 1e-12);
  assert.ok(Math.abs(s.T - Math.exp(lma2)) < 1e-12);
  // clip below at ε_new and above at 1000 ε_new
  assert.equal(tr.update(s, -1e6, 0.5).T, 0.5);
  const big = trajectoryAdaptation({ maxLeapfrog: 2 });
  assert.equal(big.update(big.init(1), 1, 0.1).T, 0.2);
  // non-finite G: no Adam step, the average still moves towards the current log T
  const s3 = tr.update(s, NaN, 0.12);
  assert.equal(s3.adamCount, s.adamCount);
  assert.equal(s3.v, s.v);
  // after warmup: n* = exp(logT_ma − logε_ma)
  assert.ok(Math.abs(tr.final(s, Math.log(0.01)) - Math.exp(lma2) / 0.01) < 1e-9);
});

test('ChEES gradient: hand-computed 2 chains × 1 dimension, divergent chain ignored', () => {
  // chains: q = [0, 2] (μ0 = 1), q′ = [3, −1], a = [1, 0.5] → μ′ = (3 − 0.5)/1.5 = 5/3
  // x = [4/3, −8/3], y = [−1, 1], p′ = [1, 2], M⁻¹ = 2 → v′ = [2, 4]
  // g1 = (16/9 − 1)(8/3) = 56/27; g2 = (64/9 − 1)(−32/3) = −1760/27
  // G = u·T·(1·g1 + 0.5·g2)/(1.5) with u = 0.5, T = 3
  const args = {
    qStart: Float64Array.from([0, 2]),
    qProposal: Float64Array.from([3, -1]),
    pProposal: Float64Array.from([1, 2]),
    invMetric: Float64Array.from([2]),
    accept: Float64Array.from([1, 0.5]),
    divergent: Uint8Array.from([0, 0]),
    jitter: 0.5,
    trajectoryLength: 3,
    nChains: 2,
    dim: 1,
  };
  const want = (0.5 * 3 * (56 / 27 + 0.5 * (-1760 / 27))) / 1.5;
  assert.ok(Math.abs(cheesGradient(args) - want) < 1e-12);
  // a third, divergent chain with a wild proposal changes nothing except μ0 (it still starts somewhere)
  const withDiv = {
    ...args,
    qStart: Float64Array.from([0, 2, 1]),
    qProposal: Float64Array.from([3, -1, 1e6]),
    pProposal: Float64Array.from([1, 2, NaN]),
    accept: Float64Array.from([1, 0.5, 0]),
    divergent: Uint8Array.from([0, 0, 1]),
    nChains: 3,
  };
  assert.ok(Math.abs(cheesGradient(withDiv) - want) < 1e-12); // μ0 = 1 still
  // an outward-moving ensemble (q′ = 2q, velocity outward) has G > 0: longer trajectories help
  const out = cheesGradient({ ...args, qProposal: Float64Array.from([-2, 6]), pProposal: Float64Array.from([-1, 1]), accept: Float64Array.from([1, 1]) });
  assert.ok(out > 0);
});

test('step size: harmonic mean over non-divergent chains; dual averaging as BlackJAX', () => {
  assert.ok(Math.abs(harmonicMeanAccept(Float64Array.from([0.5, 1, 0.25]), Uint8Array.from([0, 0, 0])) - 3 / (2 + 1 + 4)) < 1e-15);
  assert.equal(harmonicMeanAccept(Float64Array.from([0.5, 0]), Uint8Array.from([0, 1])), 0.5);
  assert.equal(harmonicMeanAccept(Float64Array.from([0.5, 0]), Uint8Array.from([0, 0])), 0);
  const sa = stepSizeAdaptation({ targetAccept: 0.651 });
  let s = sa.init(0.1);
  // t = 1: H̄ = (0.651 − 0.9)/11; log ε = log(1) − 1/0.05 · H̄; log ε_ma = log ε (w = 1)
  s = sa.update(s, 0.9);
  const h1 = (0.651 - 0.9) / 11;
  const le1 = Math.log(1) - h1 / 0.05;
  assert.ok(Math.abs(Math.log(s.stepSize) - le1) < 1e-12);
  assert.ok(Math.abs(s.logStepSizeMa - le1) < 1e-12);
  // t = 2: H̄ = (1 − 1/12) H̄₁ + (0.651 − 0.3)/12; log ε = −sqrt(2)/0.05 · H̄; average weight 2^-½
  s = sa.update(s, 0.3);
  const h2 = (1 - 1 / 12) * h1 + (0.651 - 0.3) / 12;
  const le2 = -(Math.sqrt(2) / 0.05) * h2;
  assert.ok(Math.abs(Math.log(s.stepSize) - le2) < 1e-12);
  const w = 1 / Math.sqrt(2);
  assert.ok(Math.abs(Math.log(sa.final(s)) - ((1 - w) * le1 + w * le2)) < 1e-12);
});

test('cross-chain variance: SNAPER EMA by hand, inverse metric scaled to max 1', () => {
  const est = crossChainVariance(2);
  let s = est.init();
  // chains (2): q = [(0, 0), (2, 4)] → m = (1, 2), s² = (1, 4); w = 1/2
  // mean = (0.5, 1); var = 1 + 0.5((1 − 1) + 0.5·1) = 1.25, 1 + 0.5((4 − 1) + 0.5·4) = 3.5
  s = est.update(s, Float64Array.from([0, 0, 2, 4]), 2);
  assert.deepEqual(Array.from(s.mean), [0.5, 1]);
  assert.deepEqual(Array.from(s.variance), [1.25, 3.5]);
  assert.equal(s.n, 1); // min(2, max(1, ⌊1/8⌋))
  assert.deepEqual(Array.from(est.final(s)), [1.25 / 3.5, 1]);
});

test('number of chains from model size: under 100 MB per float32 tensor, 64…1024, power of two', () => {
  assert.equal(chooseChains({ rows: 56, dim: 20 }), 1024);
  assert.equal(chooseChains({ rows: 56, dim: 20 }, { maxChains: 256 }), 256);
  assert.equal(chooseChains({ rows: 100_000, dim: 1003 }), 128); // 128·1e5·4 = 51 MB; 256 → 102 MB
  assert.equal(chooseChains({ rows: 24_000, dim: 50 }), 1024); // 1024·24000·4 = 98 MB
  assert.equal(chooseChains({ rows: 48, dim: 70, draws: 1000 }), 512); // 512·1000·70·8 = 287 MB; 1024 → 573 MB
  assert.equal(chooseChains({ rows: 10_000_000, dim: 10 }), 64);
  // large data (per-chain gradient work ≥ LARGE_DATA_WORK): LARGE_DATA_CHAINS, e.g. VerbAgg's 68.6k
  assert.equal(chooseChains({ rows: 7584, dim: 348, work: 68_604 }), LARGE_DATA_CHAINS);
  assert.equal(chooseChains({ rows: 7584, dim: 348, work: LARGE_DATA_WORK - 1 }), 1024);
  assert.equal(chooseSuperchains(256), 16);
  assert.equal(chooseSuperchains(64), 16);
  assert.equal(chooseSuperchains(24), 4);
});

test('uniform starts: best of 16 candidates per superchain; a mode spreads by scale·sd', async () => {
  const { superchainStarts } = await import('../../src/sampler/adaptation/chees-init.js');
  const { makeRng } = await import('../../src/sampler/rng.js');
  const target = {
    dim: 1,
    logDensity: (q: Float64Array, n: number) => ({ logp: Float64Array.from({ length: n }, (_, c) => -q[c] * q[c]), grad: Float64Array.from({ length: n }, (_, c) => -2 * q[c]) }),
  };
  // one uniform(−2, 2) draw lands within 0.5 of 0 with probability 1/4; the best of 16 misses with 0.75¹⁶ ≈ 1 %
  const s = superchainStarts(target, 8, makeRng(3, 0));
  for (const x of s) assert.ok(Math.abs(x) < 0.5 && Math.abs(x) <= 2, `start ${x}`);
  // with a mode: q̂ + 2·sd·z, |z| < 4
  const m = superchainStarts(target, 8, makeRng(3, 0), { mode: [10], sd: [0.01] }, 2);
  for (const x of m) assert.ok(Math.abs(x - 10) < 0.08, `start ${x}`);
  // the best of 16 draws from the mode's spread too: one draw 2z has E|2z| = 1.6, the best of 16 ≈ 0.16
  const b = superchainStarts(target, 8, makeRng(3, 0), { mode: [0], sd: [1] }, 2);
  assert.ok(b.reduce((acc, x) => acc + Math.abs(x), 0) / 8 < 0.5, `starts ${Array.from(b)}`);
});
