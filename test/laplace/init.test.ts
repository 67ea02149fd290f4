/** laplaceInit: the samplers' start from the Laplace mode (values checked against the fit itself). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseDesign } from './cases.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { laplaceInit, CLAMP_FRACTION } from '../../src/laplace/init.js';
import { frameFromRows, readCsvFile } from '../../src/data/read.js';
import { repoPath } from '../design/repo-path.js';
import { buildDesign } from '../../src/design/design.js';

test('laplaceInit on lots_visible: point = mode, z = C⁻¹ diag(sd)⁻¹ b, metric from the SEs', () => {
  const fit = fitLaplace(caseDesign('lots_visible').design, { family: 'poisson', profile: false });
  const init = laplaceInit(fit);
  assert.equal(init.clamped.length, 0);
  assert.equal(init.point.b_amount, fit.beta[1]);
  assert.equal(init.invMetric.b_amount, fit.fixef[1].se ** 2);
  const sd0 = init.point.sd_lot__Intercept;
  const sd1 = init.point.sd_lot__amount;
  const rho = init.point.cor_lot__Intercept__amount;
  const b0 = init.point['r_lot[3,Intercept]'];
  const b1 = init.point['r_lot[3,amount]'];
  // b = diag(sd)·C·z with C = [[1, 0], [ρ, √(1−ρ²)]]
  const z0 = init.point['z_lot[3,Intercept]'];
  const z1 = init.point['z_lot[3,amount]'];
  assert.ok(Math.abs(sd0 * z0 - b0) < 1e-12);
  assert.ok(Math.abs(sd1 * (rho * z0 + Math.sqrt(1 - rho * rho) * z1) - b1) < 1e-12);
  const sdv = fit.varpars.find((v) => v.name === 'sd_lot__amount')!;
  assert.equal(init.invMetric.sd_lot__amount, sdv.seLog ** 2);
});

test('laplaceInit clamps a zero sd of a singular fit to 10% of its profile upper limit', () => {
  // every group has the same mean: the ML sd of g is 0 (singular)
  const y = [3, 5, 4, 4, 5, 3, 4, 4, 3, 5, 4, 4];
  const g = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c', 'c', 'c'];
  const d = buildDesign('y ~ 1 + (1 | g)', frameFromRows({ y, g }), 'poisson');
  const fit = fitLaplace(d, { family: 'poisson' });
  assert.equal(fit.singular, true);
  assert.ok(fit.warnings.some((w) => /singular/.test(w)));
  const sd = fit.varpars.find((v) => v.name === 'sd_g__Intercept')!;
  assert.equal(sd.lower, 0);
  assert.ok(sd.upper > 0 && Number.isFinite(sd.upper));
  const init = laplaceInit(fit);
  assert.deepEqual(init.clamped, ['sd_g__Intercept']);
  assert.ok(Math.abs(init.point.sd_g__Intercept - CLAMP_FRACTION * sd.upper) < 1e-15);
  assert.ok(Number.isFinite(init.point['z_g[a,Intercept]']));
  // the metric of the clamped term's effects is the prior's (z ~ N(0, 1), b = sd·z at the clamped sd),
  // not the fit's conditional sd of b, which is ~0 at a zero sd and would hold the sampler's z at 0
  for (const lv of ['a', 'b', 'c']) {
    assert.equal(init.invMetric[`z_g[${lv},Intercept]`], 1);
    assert.equal(init.invMetric[`r_g[${lv},Intercept]`], init.point.sd_g__Intercept ** 2);
  }
});

test('laplaceInit on cbpp beta-binomial (sd(herd) → 0 at the ML fit): the clamped term\'s z get the unit metric', () => {
  const factors = ['herd', 'period'];
  const d = buildDesign('cbind(incidence, size - incidence) ~ period + (1|herd)', readCsvFile(repoPath('examples/data/lme4_cbpp.csv'), { factors }), 'betabinomial');
  const fit = fitLaplace(d, { family: 'betabinomial', profile: false });
  const init = laplaceInit(fit);
  assert.deepEqual(init.clamped, ['sd_herd__Intercept']);
  // before: (condSd / clamped sd)² ≈ 6e-15, so ChEES's chains never moved z and sd(herd) was sampled as its prior
  for (let lv = 1; lv <= 15; lv++) assert.equal(init.invMetric[`z_herd[${lv},Intercept]`], 1);
});
