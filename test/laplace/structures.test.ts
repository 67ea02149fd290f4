/**
 * The covariance structures on the likelihood side: Laplace ML fits of the epilepsy seizure counts
 * (examples/data/brms_epilepsy.csv, 59 patients × 4 visits) with a visit-by-patient term under ar1,
 * cs, diag, us and toep (poisson; ar1 also negative binomial and, ar1, cs and toep, gaussian on log(count + 1)), against
 * glmmTMB 1.1.5's fits of the same models
 * (test/fixtures/covariance/epilepsy-structures.R → .json; tests never run R).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import type { FamilyName } from '../../models/families/types.js';
import { buildModel } from '../../src/target/parameters.js';
import { runLaplace } from '../../src/fit/laplace.js';
import { GlmmInputError } from '../../base/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const GOLDEN: Record<string, any> = JSON.parse(readFileSync(join(root, 'test/fixtures/covariance/epilepsy-structures.json'), 'utf8'));
const data = readCsvFile(join(root, 'examples/data/brms_epilepsy.csv'), { factors: ['visit', 'patient', 'Trt'] });

// toep_gaussian: with tanh(θ) for the partial autocorrelations the optimizer stopped on the singular
// boundary φ_3 → 1 (logLik −223.479, the gradient in θ vanishing with 1 − φ²); the reflected map
// (src/design/covariance/toeplitz.ts) reaches glmmTMB's interior maximum −223.318
for (const key of ['ar1', 'cs', 'diag', 'us', 'ar1_nb', 'ar1_gaussian', 'cs_gaussian', 'toep', 'toep_gaussian']) {
  test(`epilepsy ${key}: Laplace ML matches glmmTMB (logLik, β, sds, correlations)`, () => {
    const g = GOLDEN[key];
    const family = g.family as FamilyName;
    const formula = (g.formula as string).replace(/ \+ 0 \|/, ' + 0 |');
    const fit = fitLaplace(buildDesign(formula, data, family), { family, profile: false });
    assert.equal(fit.converged, true, fit.warnings.join('; '));
    // the same maximum: glmmTMB's optimizer tolerance is ~1e-8 relative in the objective
    assert.ok(Math.abs(fit.logLik - g.logLik) < 2e-4, `logLik ${fit.logLik} vs glmmTMB ${g.logLik}`);
    assert.equal(fit.df, g.df);
    const betas = Object.values(g.beta as Record<string, number>);
    fit.beta.forEach((b, j) => assert.ok(Math.abs(b - betas[j]) < 2e-3, `β${j} ${b} vs ${betas[j]}`));
    const sds = fit.varpars.filter((v) => v.class === 'sd').map((v) => v.estimate);
    if (typeof g.sigma === 'number') {
      const aux = fit.varpars.find((v) => v.class === 'sigma' || v.class === 'shape');
      assert.ok(aux && Math.abs(aux.estimate - g.sigma) < 2e-3 * g.sigma, `${aux?.name} ${aux?.estimate} vs glmmTMB sigma() ${g.sigma}`);
    }
    const distinct = key.startsWith('ar1') ? [g.sd[0]] : g.sd;
    assert.equal(sds.length, distinct.length);
    sds.forEach((s, j) => assert.ok(Math.abs(s - distinct[j]) < 2e-3, `sd${j} ${s} vs ${distinct[j]}`));
    const cors = fit.varpars.filter((v) => v.class === 'cor').map((v) => v.estimate);
    const R = g.cor as number[][];
    const expected = key === 'diag' ? [] : key === 'us' ? [R[1][0], R[2][0], R[3][0], R[2][1], R[3][1], R[3][2]] : key.startsWith('toep') ? [R[1][0], R[2][0], R[3][0]] : [R[1][0]];
    assert.equal(cors.length, expected.length);
    cors.forEach((c, j) => assert.ok(Math.abs(c - expected[j]) < 3e-3, `cor${j} ${c} vs ${expected[j]}`));
  });
}

test('a gaussian model with an ar1 term is fitted by lmer (REML by default, --reml works); with a toep term by Laplace ML, where --reml is a one-line error', () => {
  const g = GOLDEN.ar1_gaussian;
  const spec = buildModel(buildDesign(g.formula, data, 'gaussian'), { family: 'gaussian' });
  const ml = runLaplace(spec, { reml: false, profile: false });
  assert.ok(ml.lmm && ml.stats && Math.abs(ml.stats.logLik - g.logLik) < 2e-4, `ML logLik ${ml.stats?.logLik} vs ${g.logLik}`);
  assert.equal(runLaplace(spec, { profile: false }).lmm?.reml, true);
  const toep = buildModel(buildDesign(GOLDEN.toep_gaussian.formula, data, 'gaussian'), { family: 'gaussian' });
  const run = runLaplace(toep, { profile: false });
  assert.equal(run.lmm, undefined);
  assert.ok(run.stats && Math.abs(run.stats.logLik - GOLDEN.toep_gaussian.logLik) < 2e-4, `toep logLik ${run.stats?.logLik} vs ${GOLDEN.toep_gaussian.logLik}`);
  assert.throws(() => runLaplace(toep, { reml: true, profile: false }), (e: unknown) => e instanceof GlmmInputError && /Laplace ML/.test(e.message));
});
