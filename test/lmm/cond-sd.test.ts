/**
 * Conditional sds of an lmer fit's random effects (scalar terms: σ·θ·√diag(M_uu⁻¹) from the selected
 * inverse), as lme4's `ranef(m, condVar = TRUE)`. Golden: lme4 1.1-31, 2026-12-07,
 * `m <- lmer(Reaction ~ Days + (1|Subject), sleepstudy); sqrt(attr(ranef(m, condVar = TRUE)$Subject, "postVar")[1, 1, ])`
 * = 9.475668 for every subject (balanced), modes 40.78371, −77.84955, −63.10857 for 308, 309, 310.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitLmm } from '../../src/lmm/lmm.js';
import { informationRatios } from '../../src/fit/centering.js';
import { runLaplace } from '../../src/fit/laplace.js';
import { buildModel } from '../../src/target/parameters.js';
import { repoPath } from '../design/repo-path.js';

const sleep = () => buildDesign('Reaction ~ Days + (1|Subject)', readCsvFile(repoPath('examples/data/lme4_sleepstudy.csv'), { factors: ['Subject'] }), 'gaussian');

test('lmer conditional sds equal lme4 condVar (sleepstudy (1|Subject), 1e-5 relative)', () => {
  const f = fitLmm(sleep(), { reml: true });
  assert.ok(f.condSd, 'scalar terms give conditional sds');
  for (const c of f.condSd) assert.ok(Math.abs(c / 9.475668 - 1) < 1e-5, `condSd ${c}`);
  assert.ok(Math.abs(f.ranef[0] - 40.78371) < 1e-4 && Math.abs(f.ranef[1] - -77.84955) < 1e-4);
});

test('the centring rule reads an lmer fit: sleepstudy subjects, condSd/sd = 9.48/37.1 = 0.26', () => {
  const design = sleep();
  const run = runLaplace(buildModel(design, { family: 'gaussian' }), { profile: false });
  const ratio = informationRatios(design, run).get('Subject');
  assert.ok(ratio !== undefined && Math.abs(ratio - 9.475668 / run.estimates['sd_Subject__Intercept']) < 1e-5, `ratio ${ratio}`);
});
