/**
 * cs and ar1 terms on the sampler side and in the verbs: the parameter layout and names, the priors
 * printed, constrain ∘ unconstrain, VarCorr's correlation matrix ρ^|a−b|, prior draws in range, and the
 * one-line error for a centred cs/ar1 term. (The densities of both engines: density-js*.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { buildModel, modelPriorLines } from '../../src/target/parameters.js';
import { constrain, unconstrain } from '../../src/target/constrain.js';
import { VarCorr } from '../../src/inference/varcorr.js';
import { samplePrior } from '../../src/inference/prior.js';
import { getFamily } from '../../models/families/getFamily.js';
import { GlmmInputError } from '../../base/errors.js';

const n = 24;
const data = frameFromRows({
  y: Array.from({ length: n }, (_, i) => (i * 7) % 5),
  visit: Array.from({ length: n }, (_, i) => (i % 4) + 1),
  g: Array.from({ length: n }, (_, i) => Math.floor(i / 4)),
}, { factors: ['visit', 'g'] });

test('ar1 and cs layouts: one sd (ar1) or one per visit (cs), one unconstrained real, brms-style names, the uniform prior printed', () => {
  const ar = buildModel(buildDesign('y ~ 1 + ar1(visit + 0 | g)', data, 'poisson'), { family: 'poisson' });
  assert.deepEqual(ar.names.slice(0, 3), ['b_Intercept', 'log_sd_g__visit1', 'logit_ar_g']);
  assert.deepEqual(ar.params.slice(0, 3).map((p) => p.name), ['b_Intercept', 'sd_g__visit1', 'ar_g__visit']);
  assert.equal(ar.dim, 3 + 6 * 4);
  assert.ok(modelPriorLines(ar).includes('ar_g__visit ~ uniform(-1, 1)'));
  const cs = buildModel(buildDesign('y ~ 1 + cs(visit + 0 | g)', data, 'poisson'), { family: 'poisson' });
  assert.deepEqual(cs.params.slice(0, 6).map((p) => p.name), ['b_Intercept', 'sd_g__visit1', 'sd_g__visit2', 'sd_g__visit3', 'sd_g__visit4', 'cor_g__visit']);
  assert.ok(modelPriorLines(cs).includes('cor_g__visit ~ uniform(-1/3, 1)'));
  assert.throws(() => buildModel(buildDesign('y ~ 1 + ar1(visit + 0 | g)', data, 'poisson'), { family: 'poisson', centered: ['g'] }),
    (e: unknown) => e instanceof GlmmInputError && /ar1\(\) term of 'g' is sampled non-centred only/.test(e.message));
});

test('constrain(unconstrain(values)) = values for ar1 and cs terms', () => {
  for (const f of ['y ~ 1 + ar1(visit + 0 | g)', 'y ~ 1 + cs(visit + 0 | g)']) {
    const spec = buildModel(buildDesign(f, data, 'poisson'), { family: 'poisson' });
    const values = spec.params.map((p, i) => (p.class === 'sd' ? 0.4 + 0.1 * i : p.class === 'cor' ? -0.25 : Math.sin(i)));
    const back = constrain(spec, unconstrain(spec, values));
    back.forEach((v, i) => assert.ok(Math.abs(v - values[i]) < 1e-9, `${f}: ${spec.params[i].name} ${v} vs ${values[i]}`));
  }
});

test('VarCorr of an ar1 term: equal sds and correlations ρ^|a−b|; prior draws of ρ stay in (−1, 1)', () => {
  const d = buildDesign('y ~ 1 + ar1(visit + 0 | g)', data, 'poisson');
  const vc = VarCorr(d, { b_Intercept: 0.1, sd_g__visit1: 0.7, ar_g__visit: 0.6 });
  const b = vc.blocks[0];
  assert.deepEqual(b.sd.map((c) => c.estimate), [0.7, 0.7, 0.7, 0.7]);
  for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) assert.ok(Math.abs(b.cor[a][c].estimate - 0.6 ** Math.abs(a - c)) < 1e-12);
  const spec = buildModel(d, { family: 'poisson' });
  const draws = samplePrior(d, getFamily('poisson'), spec.priors, 200, seedrandom('ar-prior'));
  const j = draws.names.indexOf('ar_g__visit');
  assert.ok(j >= 0);
  const rho = Array.from({ length: 200 }, (_, s) => draws.data[s * draws.names.length + j]);
  assert.ok(rho.every((r) => r > -1 && r < 1));
  // uniform(−1, 1): mean 0 with sd 1/√3, so |mean| < 4·0.577/√200 = 0.16
  assert.ok(Math.abs(rho.reduce((s, r) => s + r, 0) / 200) < 0.16);
});
