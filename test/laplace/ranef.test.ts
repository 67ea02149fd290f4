/**
 * Conditional modes and conditional sds (lme4 ranef(condVar = TRUE)) and the Pearson χ² of the fit,
 * against test/fixtures/laplace/laplace-golden-ranef.json (make-golden-ranef.R, lme4 1.1-31 with
 * strict tolerances). Modes are compared on the scale of their conditional sd (1e-3), as estimates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseDesign } from './cases.js';
import { fitLaplace } from '../../src/laplace/laplace.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = [join(here, '..', 'fixtures', 'laplace'), join(here, '..', '..', '..', 'test', 'fixtures', 'laplace'), '/work/main/test/fixtures/laplace']
  .map((d) => join(d, 'laplace-golden-ranef.json'))
  .find((f) => {
    try {
      readFileSync(f);
      return true;
    } catch {
      return false;
    }
  })!;
const G = JSON.parse(readFileSync(file, 'utf8'));

test('cbpp: conditional modes, conditional sds and Pearson χ²/df as lme4', () => {
  const fit = fitLaplace(caseDesign('cbpp').design, { family: 'binomial', profile: false });
  const g = G.cbpp;
  g.levels.forEach((lev: string, i: number) => {
    const r = fit.ranef.find((x) => x.name === `r_herd[${lev},Intercept]`)!;
    assert.ok(Math.abs(r.estimate - g.mode[i]) < 1e-3 * g.condSd[i], `mode ${lev}: ${r.estimate} vs ${g.mode[i]}`);
    assert.ok(Math.abs(r.condSd / g.condSd[i] - 1) < 1e-3, `condSd ${lev}: ${r.condSd} vs ${g.condSd[i]}`);
  });
  const want = g.pearson_chisq / (g.n - g.p - g.ntheta);
  assert.ok(Math.abs(fit.pearsonChisqDf / want - 1) < 1e-4, `${fit.pearsonChisqDf} vs ${want}`);
});

test('lots: correlated (amount | lot) modes and conditional covariance blocks as lme4', () => {
  const fit = fitLaplace(caseDesign('lots_visible').design, { family: 'poisson', profile: false });
  const g = G.lots;
  g.levels.forEach((lev: string, i: number) => {
    const r0 = fit.ranef.find((x) => x.name === `r_lot[${lev},Intercept]`)!;
    const r1 = fit.ranef.find((x) => x.name === `r_lot[${lev},amount]`)!;
    assert.ok(Math.abs(r0.estimate - g.intercept[i]) < 1e-3 * g.condSd_intercept[i]);
    assert.ok(Math.abs(r1.estimate - g.amount[i]) < 1e-3 * g.condSd_amount[i]);
    assert.ok(Math.abs(r0.condSd / g.condSd_intercept[i] - 1) < 1e-3);
    assert.ok(Math.abs(r1.condSd / g.condSd_amount[i] - 1) < 1e-3);
  });
});
