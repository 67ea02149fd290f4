/**
 * ChEES-HMC recovers known posteriors. MCSEs come from the run itself: the chains are independent
 * after warmup, so the MCSE of a mean over all draws is sd(chain means)/sqrt(C) (batch means with one
 * batch per chain), and likewise for second moments. Tolerance: 4 MCSE (or 4 combined MCSE against a
 * reference with its own MCSE). Fixed seeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleChees } from '../../src/sampler/chees.js';
import type { Draws } from '../../diagnostics/draws.js';
import { bimodal, eightSchools, gaussianPrecision, iidNormal } from './chees-targets.js';

/** Estimate and MCSE of E[f(x_p)] from per-chain averages. */
function chainBatchEstimate(d: Draws, p: number, f: (x: number) => number): { est: number; mcse: number } {
  const P = d.names.length;
  const means = new Float64Array(d.nChains);
  for (let c = 0; c < d.nChains; c++) {
    let s = 0;
    for (let n = 0; n < d.nDraws; n++) s += f(d.data[(c * d.nDraws + n) * P + p]);
    means[c] = s / d.nDraws;
  }
  const est = means.reduce((a, b) => a + b, 0) / d.nChains;
  let v = 0;
  for (const m of means) v += (m - est) ** 2;
  return { est, mcse: Math.sqrt(v / (d.nChains - 1) / d.nChains) };
}

test('100-D iid normal with sds from 0.1 to 10: means and variances within 4 MCSE', async () => {
  const D = 100;
  const scales = Float64Array.from({ length: D }, (_, i) => Math.pow(10, -1 + (2 * i) / (D - 1)));
  const r = await sampleChees(iidNormal(scales), { chains: 64, draws: 100, seed: 11, warmup: 400, minWarmup: 100, checkEvery: 10 });
  assert.equal(r.draws.nChains, 64);
  assert.equal(r.draws.nDraws, 100);
  for (let i = 0; i < D; i++) {
    const m = chainBatchEstimate(r.draws, i, (x) => x);
    assert.ok(Math.abs(m.est) < 4 * m.mcse, `mean of q[${i}] = ${m.est} ± ${m.mcse}`);
    const v = chainBatchEstimate(r.draws, i, (x) => x * x);
    const s2 = scales[i] ** 2;
    assert.ok(Math.abs(v.est - s2) < 4 * v.mcse, `E q[${i}]² = ${v.est} ± ${v.mcse}, want ${s2}`);
  }
  // the metric learned the scales: inverse metric ∝ variance (within 25 %: ~64·12 states in the EMA window)
  for (let i = 0; i < D; i++) {
    const ratio = r.invMetric[i] / r.invMetric[D - 1] / (scales[i] ** 2 / scales[D - 1] ** 2);
    assert.ok(ratio > 0.75 && ratio < 1.33, `inv metric ratio ${ratio} at ${i}`);
  }
  assert.equal(r.divergences, 0);
  assert.ok(r.warmupIterations >= 100 && r.warmupIterations <= 400);
  assert.ok(r.nestedRhat.converged, `nested R-hat ${r.nestedRhat.warmup}`);
});

test('correlated Gaussian (AR(1) ρ = 0.9, D = 10): means and variances within 4 MCSE', async () => {
  const D = 10;
  const rho = 0.9;
  // AR(1) covariance Σ_ij = ρ^|i−j| has a tridiagonal precision: (1/(1−ρ²))·[1, −ρ; −ρ, 1+ρ², …]
  const P = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    P[i * D + i] = (i === 0 || i === D - 1 ? 1 : 1 + rho * rho) / (1 - rho * rho);
    if (i > 0) P[i * D + i - 1] = P[(i - 1) * D + i] = -rho / (1 - rho * rho);
  }
  const r = await sampleChees(gaussianPrecision(P, D), { chains: 64, draws: 150, seed: 5, warmup: 400 });
  for (let i = 0; i < D; i++) {
    const m = chainBatchEstimate(r.draws, i, (x) => x);
    assert.ok(Math.abs(m.est) < 4 * m.mcse, `mean ${i}: ${m.est} ± ${m.mcse}`);
    const v = chainBatchEstimate(r.draws, i, (x) => x * x);
    assert.ok(Math.abs(v.est - 1) < 4 * v.mcse, `var ${i}: ${v.est} ± ${v.mcse}`);
  }
  // the covariance of neighbours: E[q0 q1] = ρ
  const P2 = r.draws.names.length;
  const cross = new Float64Array(r.draws.nChains);
  for (let c = 0; c < r.draws.nChains; c++) {
    let s = 0;
    for (let n = 0; n < r.draws.nDraws; n++) s += r.draws.data[(c * r.draws.nDraws + n) * P2] * r.draws.data[(c * r.draws.nDraws + n) * P2 + 1];
    cross[c] = s / r.draws.nDraws;
  }
  const est = cross.reduce((a, b) => a + b, 0) / cross.length;
  const se = Math.sqrt(cross.reduce((a, b) => a + (b - est) ** 2, 0) / (cross.length - 1) / cross.length);
  assert.ok(Math.abs(est - rho) < 4 * se, `E q0 q1 = ${est} ± ${se}`);
});

test('eight schools non-centred: mu and tau means within 4 combined MCSE of posteriordb', async () => {
  // Reference: posteriordb eight_schools-eight_schools_noncentered reference draws (10 × 1000), summarised
  // by R posterior 1.4.0 (shared/reference/diagnostics-reference.json): mu 4.41051833695493 (mcse 0.0330374705950917),
  // tau 3.60205952364059 (mcse 0.0318615135640706).
  const r = await sampleChees(eightSchools(), { chains: 128, draws: 200, seed: 3, warmup: 500 });
  const mu = chainBatchEstimate(r.draws, 0, (x) => x);
  const tau = chainBatchEstimate(r.draws, 1, (x) => Math.exp(x));
  const tolMu = 4 * Math.hypot(mu.mcse, 0.0330374705950917);
  const tolTau = 4 * Math.hypot(tau.mcse, 0.0318615135640706);
  assert.ok(Math.abs(mu.est - 4.41051833695493) < tolMu, `mu ${mu.est} ± ${mu.mcse}`);
  assert.ok(Math.abs(tau.est - 3.60205952364059) < tolTau, `tau ${tau.est} ± ${tau.mcse}`);
  assert.ok(r.divergences <= 0.01 * r.draws.nChains * r.draws.nDraws, `${r.divergences} divergences`);
});

test('same seed → same draws; different seed → different draws; shouldStop truncates', async () => {
  const t = iidNormal(Float64Array.from([1, 2, 3]));
  const a = await sampleChees(t, { chains: 64, draws: 20, seed: 42, warmup: 150 });
  const b = await sampleChees(t, { chains: 64, draws: 20, seed: 42, warmup: 150 });
  const c = await sampleChees(t, { chains: 64, draws: 20, seed: 43, warmup: 150 });
  assert.deepEqual(a.draws.data, b.draws.data);
  assert.deepEqual(a.sampler.data, b.sampler.data);
  assert.notDeepEqual(a.draws.data, c.draws.data);
  let n = 0;
  const s = await sampleChees(t, { chains: 64, draws: 20, seed: 42, warmup: 150, onProgress: (p) => { if (p.phase === 'sampling') n++; }, shouldStop: () => n >= 5 });
  assert.equal(s.draws.nDraws, 5);
  assert.deepEqual(s.draws.data.subarray(0, 15), a.draws.data.subarray(0, 15));
});

test('superchains share their start; sampler columns are Stan’s; bad options are refused', async () => {
  const t = iidNormal(Float64Array.from([1, 1]));
  const seen: number[] = [];
  const r = await sampleChees(t, { chains: 64, superchains: 8, draws: 5, seed: 1, warmup: 1, init: { mode: [10, -10], sd: [0.1, 0.1] }, initScale: 2,
    onProgress: () => { seen.push(1); } });
  assert.deepEqual(r.sampler.names, ['lp__', 'accept_stat__', 'stepsize__', 'n_leapfrog__', 'divergent__', 'energy__']);
  assert.deepEqual(Array.from(r.nestedRhat.superchainIds.subarray(0, 9)), [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.ok(Math.abs(r.nestedRhat.threshold - Math.sqrt(1 + 1 / 8 + 1e-4)) < 1e-15);
  assert.equal(r.warmupIterations, 1);
  assert.equal(r.nestedRhat.converged, false);
  assert.equal(seen.length, 6);
  await assert.rejects(sampleChees(t, { chains: 64, superchains: 7, draws: 5, seed: 1 }), /superchains/);
  await assert.rejects(sampleChees(t, { chains: 64, draws: 0, seed: 1 }), /draws/);
});

test('nested R-hat keeps warming up while superchains sit in different modes, and says so', async () => {
  // modes at ±8 (barrier ≈ 32 nats): superchains started at 0 ± 2·6·N(0,1) (one draw each, not the best
  // of 16, which would favour whichever mode the best draws fall in) settle in different modes.
  const r = await sampleChees(bimodal(8), { chains: 64, superchains: 8, draws: 50, seed: 2, warmup: 200, init: { mode: [0], sd: [6] }, initCandidates: 1 });
  assert.equal(r.warmupIterations, 200);
  assert.equal(r.nestedRhat.converged, false);
  assert.ok(r.nestedRhat.warmup > r.nestedRhat.threshold);
  assert.ok(r.nestedRhat.draws[0] > 1.5, `nested R-hat of the draws ${r.nestedRhat.draws[0]}`);
  // the same target with every superchain started in one mode converges by the nested R-hat rule
  const one = await sampleChees(bimodal(8), { chains: 64, superchains: 8, draws: 50, seed: 2, warmup: 200, init: { mode: [8], sd: [0.5] } });
  assert.ok(one.nestedRhat.converged && one.warmupIterations < 200, `${one.warmupIterations} warmup iterations`);
});
