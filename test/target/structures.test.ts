/**
 * cs and ar1 terms on the sampler side and in the verbs: the parameter layout and names, the priors
 * printed, constrain ∘ unconstrain, VarCorr's correlation matrix ρ^|a−b|, prior draws in range, and the
 * one-line error for a centred cs/ar1 term; the ar/cor priors in brms syntax (a point check against R's
 * dnorm/pnorm, the narrowed uniform map, the errors). (The densities of both engines: density-js*.test.ts.)
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
import { parsePrior } from '../../models/priors.js';
import { logPriorJacobian64 } from '../../src/target/logDensity64.js';

const n = 24;
const rows = {
  y: Array.from({ length: n }, (_, i) => (i * 7) % 5),
  visit: Array.from({ length: n }, (_, i) => (i % 4) + 1),
  g: Array.from({ length: n }, (_, i) => Math.floor(i / 4)),
};
const data = frameFromRows(rows, { factors: ['visit', 'g'] });
const randomPointFor = (dim: number) => Float64Array.from({ length: dim }, (_, i) => 0.3 * Math.sin(1 + i));
const parsedUser = (texts: string[]) => texts.map(parsePrior);

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

test('ar and cor priors in brms syntax: a normal(0.3, 0.5) ar prior moves the log density by its own log density at ρ (R\'s dnorm/pnorm)', () => {
  const d = buildDesign('y ~ 1 + ar1(visit + 0 | g)', data, 'poisson');
  const flat = buildModel(d, { family: 'poisson' });
  const normal = buildModel(d, { family: 'poisson', priors: ['ar ~ normal(0.3, 0.5)'] });
  assert.ok(modelPriorLines(normal).includes('ar_g__visit ~ normal(0.3, 0.5)'));
  assert.ok(!modelPriorLines(normal).some((l) => l.startsWith('ar ~')), 'stated once, per parameter');
  // both map y to ρ ∈ (−1, 1) alike: y = log 3 is ρ = 0.5; the only change is the prior of ρ
  const q = randomPointFor(flat.dim);
  q[flat.names.indexOf('logit_ar_g')] = Math.log(3);
  // R: dnorm(0.5, .3, .5, log = TRUE) - log(pnorm(1, .3, .5) - pnorm(-1, .3, .5)) + log(2)
  const expected = 0.476643809593830;
  assert.ok(Math.abs(logPriorJacobian64(normal, q) - logPriorJacobian64(flat, q) - expected) < 1e-12);
  assert.ok(Math.abs(constrain(normal, q)[normal.params.findIndex((p) => p.name === 'ar_g__visit')] - 0.5) < 1e-15);
});

test('a uniform(a, b) correlation prior narrows the sampler\'s map to (a, b): density 1/(b − a) in ρ, draws inside', () => {
  const d = buildDesign('y ~ 1 + cs(visit + 0 | g)', data, 'poisson');
  const spec = buildModel(d, { family: 'poisson', priors: ['cor_g ~ uniform(0, 0.8)'] });
  assert.ok(modelPriorLines(spec).includes('cor_g__visit ~ uniform(0, 0.8)'));
  const j = spec.names.indexOf('logit_cor_g');
  const q = randomPointFor(spec.dim);
  const ci = spec.params.findIndex((p) => p.name === 'cor_g__visit');
  for (const y of [-3, 0, 2.5]) {
    q[j] = y;
    const s = 1 / (1 + Math.exp(-y));
    assert.ok(Math.abs(constrain(spec, q)[ci] - 0.8 * s) < 1e-15);
    // log p(ρ) + log|dρ/dy| = −log 0.8 + log(0.8 s(1 − s)) = log(s(1 − s)), beside the same term with the default prior
    const dflt = buildModel(d, { family: 'poisson' });
    const qd = Float64Array.from(q);
    qd[j] = 0; // the default at its own y = 0 has log(4/3 · 1/4) − log(4/3) = log(1/4)
    assert.ok(Math.abs(logPriorJacobian64(spec, q) - logPriorJacobian64(dflt, qd) - (Math.log(s * (1 - s)) - Math.log(0.25))) < 1e-9);
  }
  const draws = samplePrior(d, getFamily('poisson'), [...spec.priors, ...parsedUser(['cor_g ~ uniform(0, 0.8)'])], 300, seedrandom('cs-prior'));
  const k = draws.names.indexOf('cor_g__visit');
  const rho = Array.from({ length: 300 }, (_, s) => draws.data[s * draws.names.length + k]);
  assert.ok(rho.every((r) => r > 0 && r < 0.8));
  // uniform(0, 0.8): mean 0.4, sd 0.231, so |mean − 0.4| < 4·0.231/√300 = 0.053
  assert.ok(Math.abs(rho.reduce((a, r) => a + r, 0) / 300 - 0.4) < 0.053);
});

test('ar and cor prior statements that fit no term, or a range outside the correlation\'s, are one-line errors', () => {
  const ar = buildDesign('y ~ 1 + ar1(visit + 0 | g)', data, 'poisson');
  const cs = buildDesign('y ~ 1 + cs(visit + 0 | g)', data, 'poisson');
  const us = buildDesign('y ~ 1 + (visit + 0 | g)', data, 'poisson');
  const fails = (d: typeof ar, prior: string, re: RegExp) => assert.throws(() => buildModel(d, { family: 'poisson', priors: [prior] }),
    (e: unknown) => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n'), prior);
  fails(ar, 'ar ~ uniform(-2, 1)', /uniform\(-2, 1\) reaches outside the correlation's range \(-1, 1\)/);
  fails(cs, 'cor ~ uniform(-0.5, 1)', /reaches outside the correlation's range \(-0\.3333, 1\)/);
  fails(ar, 'ar ~ lkj(2)', /ar priors are uniform/);
  fails(cs, 'ar ~ normal(0, 1)', /no ar1\(\) term matches/);
  fails(us, 'cor ~ uniform(0, 1)', /no cs\(\) or toep\(\) term matches/);
  fails(cs, 'cor ~ lkj(2)', /no correlated \(LKJ\) random-effect term matches/);
  fails(ar, 'ar_h ~ normal(0, 1)', /no grouping factor 'h'/);
  fails(ar, 'b ~ uniform(0, 1)', /uniform\(\) is only for the correlations/);
  // an lkj statement and a structured one side by side: each applies to its own term
  const both = buildModel(buildDesign('y ~ 1 + cs(visit + 0 | g) + (1 + x | h)', frameFromRows({ ...rows, x: rows.y.map((_, i) => i % 3), h: rows.y.map((_, i) => i % 5) }, { factors: ['visit', 'g', 'h'] }), 'poisson'),
    { family: 'poisson', priors: ['cor ~ lkj(2)', 'cor ~ uniform(0, 1)'] });
  const lines = modelPriorLines(both);
  assert.ok(lines.includes('cor ~ lkj(2)') && lines.includes('cor_g__visit ~ uniform(0, 1)'), lines.join('; '));
});

test('toep layout: k sds, k − 1 unconstrained reals (atanh of the partial autocorrelations), lag correlations named per lag, uniform prior printed; constrain ∘ unconstrain', () => {
  const spec = buildModel(buildDesign('y ~ 1 + toep(visit + 0 | g)', data, 'poisson'), { family: 'poisson' });
  assert.deepEqual(spec.names.slice(5, 8), ['atanh_pacf_g[1]', 'atanh_pacf_g[2]', 'atanh_pacf_g[3]']);
  assert.deepEqual(spec.params.slice(5, 8).map((p) => p.name), ['cor_g__visit__lag1', 'cor_g__visit__lag2', 'cor_g__visit__lag3']);
  assert.ok(modelPriorLines(spec).includes('cor_g__visit__lag2 ~ uniform(-1, 1)'));
  const values = spec.params.map((p, i) => (p.class === 'sd' ? 0.4 + 0.1 * i : p.name.endsWith('lag1') ? 0.6 : p.name.endsWith('lag2') ? 0.3 : p.name.endsWith('lag3') ? 0.25 : Math.sin(i)));
  const back = constrain(spec, unconstrain(spec, values));
  back.forEach((v, i) => assert.ok(Math.abs(v - values[i]) < 1e-9, `${spec.params[i].name} ${v} vs ${values[i]}`));
  const vc = VarCorr(spec.design, Object.fromEntries(spec.params.slice(0, 8).map((p, i) => [p.name, values[i]])));
  assert.ok(Math.abs(vc.blocks[0].cor[0][2].estimate - 0.3) < 1e-12 && Math.abs(vc.blocks[0].cor[3][0].estimate - 0.25) < 1e-12);
  assert.throws(() => buildModel(spec.design, { family: 'poisson', priors: ['cor ~ normal(0, 0.5)'] }), /toep\(\) correlations take uniform\(-1, 1\) only/);
});
