import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleNuts } from '../../src/sampler/nuts.js';
import type { Target } from '../../src/sampler/target.js';
import { ar1Covariance, funnel, gaussian, iidNormal } from './targets.js';
import { column, momentZ } from './nuts-helpers.js';

// Tolerances: |estimate − truth| < 4·MCSE (posterior's mcse_mean, diagnostics/mcse.ts); with D
// coordinates tested the chance of a false failure is about D·6e-5 for a correct sampler.

/** log density of log X with X ~ Exp(1) (a Gumbel-min variable): skewed, mean −γ, variance π²/6. */
const gumbel: Target = {
  dim: 1,
  logDensity(q, n) {
    const logp = new Float64Array(n);
    const grad = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      logp[c] = q[c] - Math.exp(q[c]);
      grad[c] = 1 - Math.exp(q[c]);
    }
    return { logp, grad };
  },
};
const EULER_GAMMA = 0.5772156649015329;

for (const [stepSize, maxTreedepth] of [[0.3, 10], [1.3, 10], [0.3, 2]] as const) {
  test(`the NUTS kernel leaves a skewed target invariant (fixed ε = ${stepSize}, max depth ${maxTreedepth}, no warmup)`, async () => {
    const r = await sampleNuts(gumbel, { seed: 5, chains: 4, warmup: 0, draws: 3000, stepSize, maxTreedepth, init: Float64Array.from([0]) });
    const { zMean, zVar } = momentZ(r.draws, 0, -EULER_GAMMA, (Math.PI * Math.PI) / 6);
    assert.ok(Math.abs(zMean) < 4, `mean z ${zMean}`);
    assert.ok(Math.abs(zVar) < 4, `variance z ${zVar}`);
    assert.deepEqual(Array.from(r.stepSize), [stepSize, stepSize, stepSize, stepSize]);
  });
}

test('100-D iid normal: every mean and variance within 4 MCSE; Stan bookkeeping of the sampler columns', async () => {
  const D = 100;
  const r = await sampleNuts(iidNormal(D), { seed: 2024 });
  assert.equal(r.draws.nDraws, 1000);
  assert.equal(r.draws.names[0], 'q1');
  for (let i = 0; i < D; i++) {
    const { zMean, zVar } = momentZ(r.draws, i, 0, 1);
    assert.ok(Math.abs(zMean) < 4, `q${i + 1} mean z ${zMean}`);
    assert.ok(Math.abs(zVar) < 4, `q${i + 1} variance z ${zVar}`);
  }
  assert.equal(r.divergences, 0);
  assert.deepEqual(r.sampler.names, ['lp__', 'accept_stat__', 'stepsize__', 'treedepth__', 'n_leapfrog__', 'divergent__', 'energy__']);
  const depth = column(r.sampler, 'treedepth__');
  const nl = column(r.sampler, 'n_leapfrog__');
  const acc = column(r.sampler, 'accept_stat__');
  const eps = column(r.sampler, 'stepsize__');
  const lp = column(r.sampler, 'lp__');
  const energy = column(r.sampler, 'energy__');
  let sumLeapfrog = 0;
  for (let k = 0; k < nl.length; k++) {
    const d = depth[k];
    // Stan's code (base_nuts.hpp: depth is incremented only after a valid subtree) gives
    // 2^d − 1 ≤ n ≤ 2^(d+1) − 1: 2^d − 1 steps in the accepted tree plus 0..2^d in a rejected subtree.
    assert.ok(nl[k] >= 2 ** d - 1 && nl[k] <= 2 ** (d + 1) - 1, `n_leapfrog ${nl[k]} at depth ${d}`);
    assert.ok(acc[k] >= 0 && acc[k] <= 1);
    assert.equal(eps[k], r.stepSize[Math.floor(k / 1000)]);
    assert.ok(energy[k] >= -lp[k]); // H = −lp + T with T ≥ 0
    // lp__ of the 100-D standard normal is −½|q|²; E[−lp] = D/2.
    sumLeapfrog += nl[k];
  }
  // Every leapfrog step is one evaluation; the rest are initialisation and step-size searches.
  const totalEvals = r.gradientEvaluations.reduce((a, b) => a + b, 0);
  assert.ok(totalEvals > sumLeapfrog);
  // lp__ is the log density of the draw: check against the draws.
  const q = r.draws.data;
  for (const k of [0, 1234, 3999]) {
    let s = 0;
    for (let i = 0; i < D; i++) s += q[k * D + i] ** 2;
    const c = Math.floor(k / 1000);
    const dIdx = k % 1000;
    assert.ok(Math.abs(lp[c * 1000 + dIdx] + 0.5 * s) < 1e-9);
  }
});

test('50-D correlated Gaussian (AR(1) ρ = 0.9, sds e^−1..e): dense metric recovers means and variances within 4 MCSE and beats diag', async () => {
  const D = 50;
  const cov = ar1Covariance(D, 0.9);
  const mean = Float64Array.from({ length: D }, (_, i) => i / 10);
  const t = gaussian(mean, cov);
  const r = await sampleNuts(t, { seed: 77, metric: 'dense' });
  for (let i = 0; i < D; i++) {
    const { zMean, zVar } = momentZ(r.draws, i, mean[i], cov[i * D + i]);
    assert.ok(Math.abs(zMean) < 4, `q${i + 1} mean z ${zMean}`);
    assert.ok(Math.abs(zVar) < 4, `q${i + 1} variance z ${zVar}`);
  }
  assert.equal(r.invMetric[0].length, D * D);
  assert.equal(r.divergences, 0);
  // With the covariance learned, the dense metric makes the target nearly isotropic, so trajectories
  // are much shorter than with the diag metric (condition number of the correlation ≈ 19 → ~√19 ≈ 4.4×).
  const rd = await sampleNuts(t, { seed: 77, metric: 'diag', draws: 200 });
  const meanN = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
  const nDense = meanN(column(r.sampler, 'n_leapfrog__'));
  const nDiag = meanN(column(rd.sampler, 'n_leapfrog__'));
  assert.ok(nDense < 0.5 * nDiag, `dense ${nDense} vs diag ${nDiag} leapfrog steps per draw`);
});

test("Neal's funnel (1 + 9 dims): the centred form diverges, the non-centred does not", async () => {
  // Centred: the sampler cannot follow the neck (v ≲ −4) and diverges there (seeds 1-4 gave 52, 5, 4, 20
  // divergences in 4 × 1000 draws).
  const centred = await sampleNuts(funnel(9, true), { seed: 1 });
  const nonCentred = await sampleNuts(funnel(9, false), { seed: 1 });
  assert.ok(centred.divergences > 0, `centred divergences ${centred.divergences}`);
  assert.equal(nonCentred.divergences, 0);
  const div = column(centred.sampler, 'divergent__');
  assert.equal(div.reduce((a, b) => a + b, 0), centred.divergences);
  // Non-centred v ~ N(0, 3²): its mean and variance within 4 MCSE.
  const { zMean, zVar } = momentZ(nonCentred.draws, 0, 0, 9);
  assert.ok(Math.abs(zMean) < 4 && Math.abs(zVar) < 4, `v: ${zMean}, ${zVar}`);
});
