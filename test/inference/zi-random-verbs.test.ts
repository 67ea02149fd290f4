/**
 * ranef/coef/VarCorr with random effects in the zero part (--zi '~ x1 + z + (1|g) + (1 + z|h)'): the
 * zero part's tables come after η's, grouped as brms names them (g__zi: r_g__zi[level,Intercept]),
 * coef adds them to the zero part's coefficients b_zi_*, VarCorr lists sd_h__zi_Intercept, sd_h__zi_z
 * and their correlation; checked cell by cell against the draws they summarise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/target/parameters.js';
import { constrainDraws } from '../../src/target/constrain.js';
import { ranef, coef, VarCorr } from '../../src/inference/varcorr.js';
import { ZERO_RANDOM, simulatedDesign, randomPoint, withZeroRandom } from '../target/designs.js';

const design = withZeroRandom(simulatedDesign({ n: 40, p: 2, terms: [{ group: 'g', k: 1, nLevels: 6 }], family: 'zipoisson', link: 'log', seed: 'zv' }), 'zv-X', ZERO_RANDOM.correlated);
const spec = buildModel(design, { family: 'zipoisson' });
const S = 5;
const q = new Float64Array(S * spec.dim);
for (let s = 0; s < S; s++) q.set(randomPoint(spec.dim, `zv-${s}`, 0.5), s * spec.dim);
const draws = constrainDraws(spec, { nChains: 1, nDraws: S, names: spec.names, data: q });
const col = (name: string) => {
  const j = draws.names.indexOf(name);
  assert.ok(j >= 0, `no draws of ${name}`);
  return Array.from({ length: S }, (_, s) => draws.data[s * draws.names.length + j]);
};
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('ranef: the zero part\'s tables g__zi and h__zi after η\'s g, their cells the means of r_<group>__zi[level,term]', () => {
  const tables = ranef(design, draws);
  assert.deepEqual(tables.map((t) => [t.group, t.terms]), [['g', ['Intercept']], ['g__zi', ['Intercept']], ['h__zi', ['Intercept', 'z']]]);
  const h = tables[2];
  near(h.values[2][1].estimate, mean(col('r_h__zi[3,z]')), 'r_h__zi[3,z]');
  near(tables[1].values[0][0].estimate, mean(col('r_g__zi[1,Intercept]')), 'r_g__zi[1,Intercept]');
});

test('coef: the zero part\'s coefficients plus its effects per level; VarCorr: the zero part\'s sds and correlation', () => {
  const c = coef(design, draws).find((t) => t.group === 'h__zi');
  assert.ok(c);
  assert.deepEqual(c.terms, ['Intercept', 'x1', 'z']);
  const bz = col('b_zi_z'), r = col('r_h__zi[4,z]');
  near(c.values[3][2].estimate, mean(bz.map((v, s) => v + r[s])), 'coef h__zi[4,z]');
  near(c.values[3][1].estimate, mean(col('b_zi_x1')), 'coef h__zi[4,x1] (no random effect)');
  const vc = VarCorr(design, draws);
  const b = vc.blocks.find((x) => x.group === 'h');
  assert.ok(b);
  assert.deepEqual(b.terms, ['zi_Intercept', 'zi_z']);
  near(b.sd[1].estimate, mean(col('sd_h__zi_z')), 'sd_h__zi_z');
  near(b.cor[0][1].estimate, mean(col('cor_h__zi_Intercept__zi_z')), 'cor_h__zi_Intercept__zi_z');
});

test('prior draws with random effects in the zero part: every parameter of the model (names as the sampler\'s), the zero part\'s effects sd·N(0, 1), and prior predictive y', async () => {
  const { samplePrior, priorPredictive } = await import('../../src/inference/prior.js');
  const { getFamily } = await import('../../models/families/getFamily.js');
  const { getLink } = await import('../../models/links.js');
  const seedrandom = (await import('seedrandom')).default;
  const d = withZeroRandom(simulatedDesign({ n: 40, p: 2, terms: [{ group: 'g', k: 1, nLevels: 6 }], family: 'zipoisson', link: 'log', seed: 'zp' }), 'zp-X', ZERO_RANDOM.scalar);
  const m = buildModel(d, { family: 'zipoisson' });
  const N = 4000;
  const pr = samplePrior(d, getFamily('zipoisson'), m.priors, N, seedrandom('zp-prior'));
  assert.deepEqual([...pr.names].sort(), m.params.map((p) => p.name).sort());
  // r_g__zi[1,Intercept] / sd_g__zi_Intercept is N(0, 1) under the prior: its mean ~0 and sd ~1 within 4 standard errors
  const P = pr.names.length;
  const jr = pr.names.indexOf('r_g__zi[1,Intercept]'), js = pr.names.indexOf('sd_g__zi_Intercept');
  const ratio = Array.from({ length: N }, (_, s) => pr.data[s * P + jr] / pr.data[s * P + js]);
  const mu = mean(ratio);
  const sd = Math.sqrt(ratio.reduce((a, v) => a + (v - mu) ** 2, 0) / (N - 1));
  assert.ok(Math.abs(mu) < 4 / Math.sqrt(N) && Math.abs(sd - 1) < 4 / Math.sqrt(2 * N), `z/sd: mean ${mu}, sd ${sd}`);
  const { yrep } = priorPredictive(d, getFamily('zipoisson'), getLink('log'), m.priors, 20, seedrandom('zp-pp'));
  assert.equal(yrep.data.length, 20 * 40);
  assert.ok(yrep.data.every((v) => Number.isInteger(v) && v >= 0));
});
