/**
 * lmer's profiled REML and ML (src/lmm) for structured covariance terms, reached through each
 * structure's template T(θ) (src/design/covariance): gaussian fits of log(count + 1) in the epilepsy
 * seizure counts (examples/data/brms_epilepsy.csv, 59 patients × 4 visits) with `ar1(visit + 0 | patient)`
 * and `cs(visit + 0 | patient)` against glmmTMB 1.1.5's REML = TRUE / FALSE fits
 * (test/fixtures/covariance/epilepsy-reml.R → .json; tests never run R), and the Satterthwaite df of
 * a structure whose template is not linear in θ against the same model written unstructured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitLmm } from '../../src/lmm/lmm.js';
import { satterthwaiteContrast, satterthwaiteCore } from '../../src/lmm/satterthwaite.js';
import { defaultDdf, vcovAdj } from '../../src/lmm/kenward-roger.js';
import { GlmmInputError } from '../../base/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const GOLDEN: Record<string, any> = JSON.parse(readFileSync(join(root, 'test/fixtures/covariance/epilepsy-reml.json'), 'utf8'));
const epilepsy = readCsvFile(join(root, 'examples/data/brms_epilepsy.csv'), { factors: ['visit', 'patient', 'Trt'] });
const sleep = readCsvFile(join(root, 'examples/data/lme4_sleepstudy.csv'), { factors: ['Subject'] });
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

for (const key of ['ar1_reml', 'ar1_ml', 'cs_reml', 'cs_ml']) {
  test(`epilepsy gaussian ${key}: lmer's criterion and parameters equal glmmTMB's (REML = ${key.endsWith('reml')})`, () => {
    const g = GOLDEN[key];
    const fit = fitLmm(buildDesign(g.formula, epilepsy, 'gaussian'), { reml: g.reml });
    assert.equal(fit.converged, true);
    // glmmTMB's REML logLik is the restricted likelihood with β integrated out, lme4's −REMLcrit/2
    assert.ok(Math.abs(fit.logLik - g.logLik) < 1e-3, `logLik ${fit.logLik} vs glmmTMB ${g.logLik}`);
    assert.equal(fit.df, g.df);
    Object.values(g.beta as Record<string, number>).forEach((b, j) => assert.ok(Math.abs(fit.beta[j] - b) < 1e-3 * Math.max(1, Math.abs(b)), `β${j} ${fit.beta[j]} vs ${b}`));
    const byKind = (kind: 'sd' | 'cor') => fit.varcomp.filter((v) => v.name !== 'sigma' && (kind === 'sd') === v.name.startsWith('sd_')).map((v) => v.sdcor);
    const sds = key.startsWith('ar1') ? [g.sd[0]] : g.sd;
    assert.deepEqual(fit.varcomp.map((v) => v.name).slice(-2), [key.startsWith('ar1') ? 'ar_patient__visit' : 'cor_patient__visit', 'sigma']);
    byKind('sd').forEach((s, j) => assert.ok(rel(s, sds[j]) < 1e-3, `sd${j} ${s} vs ${sds[j]}`));
    assert.ok(rel(byKind('cor')[0], g.cor[1][0]) < 1e-3, `cor ${byKind('cor')[0]} vs ${g.cor[1][0]}`);
    assert.ok(rel(fit.sigma, g.sigma) < 1e-3, `sigma ${fit.sigma} vs ${g.sigma}`);
  });
}

test('sleepstudy cs(Days | Subject) (k = 2: two sds and one correlation) is (Days | Subject) reparametrised: same REML and Satterthwaite df (lmerTest: 17)', () => {
  const us = fitLmm(buildDesign('Reaction ~ Days + (Days | Subject)', sleep, 'gaussian'));
  const cs = fitLmm(buildDesign('Reaction ~ Days + cs(Days | Subject)', sleep, 'gaussian'));
  assert.ok(Math.abs(cs.logLik - us.logLik) < 1e-7, `REML logLik ${cs.logLik} vs ${us.logLik}`);
  us.varcomp.forEach((v, i) => assert.ok(rel(cs.varcomp[i].sdcor, v.sdcor) < 1e-5, `${cs.varcomp[i].name} ${cs.varcomp[i].sdcor} vs ${v.name} ${v.sdcor}`));
  // the df are invariant to the parametrisation at the optimum: cs's template derivatives (central
  // differences) against us's exact ones; the remaining difference is the two optimizers' stopping points
  const [cu, cc] = [satterthwaiteCore(us), satterthwaiteCore(cs)];
  for (const j of [0, 1]) {
    const ell = [j === 0 ? 1 : 0, j === 1 ? 1 : 0];
    const [du, dc] = [satterthwaiteContrast(us, ell, cu).df, satterthwaiteContrast(cs, ell, cc).df];
    assert.ok(rel(dc, du) < 1e-5 && rel(du, 17) < 1e-5, `df ${j}: cs ${dc}, us ${du}`);
  }
  // Kenward–Roger (pbkrtest's, over Σ's entries) is the default for us only; cs asks for Satterthwaite
  assert.equal(defaultDdf(us), 'kenward-roger');
  assert.equal(defaultDdf(cs), 'satterthwaite');
  assert.throws(() => vcovAdj(cs), (e: unknown) => e instanceof GlmmInputError && /satterthwaite/.test(e.message));
});
