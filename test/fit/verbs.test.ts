/**
 * The lme4 verbs on a fit (src/fit/verbs.ts, issue 11 item 4) against lme4/lmerTest/car's answers on the
 * same data (test/fixtures/verbs/verbs-golden.R): fixef, ranef, coef, VarCorr, confint (Wald and profile),
 * anova(fit) type III, anova(fit0, fit1), predict; on Laplace-only fits they answer from the Laplace fit.
 * The glmer fits use the strict control of test/fixtures/laplace/make-golden.R (lme4's default PIRLS
 * tolerance stops up to 1e-3 SE from the exact optimum). Tolerances are test/laplace's (the task's):
 * estimates and Wald limits within 1e-4 relative or 1e-3 SE; Wald χ² within 1e-3 relative (the two
 * finite-difference Hessians agree to ~1e-4); predictions within 1e-4 relative; LRT and F at 1e-4.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  laplaceOnly, readCsv, fixef, ranef, coef, VarCorr, confint, anova, predict, summary, frameFromRows, anovaTable, fitLmm, buildDesign,
  likelihoodRatioTest, type LaplaceOnlyFit,
} from '../../src/index.js';
import { repoPath } from '../cli/cli-helpers.js';

const golden = JSON.parse(readFileSync(repoPath('test/fixtures/verbs/verbs-golden.json'), 'utf8'));

function close(a: number, b: number, rel: number, what: string): void {
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-8), `${what}: ${a} vs ${b}`);
}

/** An estimate: 1e-4 relative or 1e-3 of its SE (test/laplace/fit.test.ts). */
function closeEst(a: number, b: number, se: number, what: string, extra = 0): void {
  assert.ok(Math.abs(a - b) <= Math.max(1e-4 * Math.abs(b), 1e-3 * se) + extra, `${what}: ${a} vs ${b} (SE ${se})`);
}

const cbpp = readCsv(readFileSync(repoPath('examples/data/lme4_cbpp.csv'), 'utf8'), { factors: ['herd', 'period'] });
const cbppModel = (formula: string): LaplaceOnlyFit => laplaceOnly({ formula, data: cbpp, family: 'binomial', factors: ['herd', 'period'] });

describe('verbs on a Laplace-only glmer fit (lme4 cbpp: period + (1|herd))', () => {
  const g = golden.cbpp;
  const m1 = cbppModel('cbind(incidence, size - incidence) ~ period + (1|herd)');
  const se = (j: number) => Math.sqrt(m1.laplace.vcov![j * 4 + j]);

  test('fixef, ranef, coef, VarCorr answer from the Laplace fit (no answer argument needed)', () => {
    const fe = fixef(m1);
    assert.deepEqual(Object.keys(fe), ['Intercept', 'period2', 'period3', 'period4']);
    closeEst(fe.Intercept, g.fixef['(Intercept)'], se(0), 'fixef Intercept');
    ['period2', 'period3', 'period4'].forEach((k, i) => closeEst(fe[k], g.fixef[k], se(i + 1), `fixef ${k}`));
    const re = ranef(m1)[0];
    assert.deepEqual(re.levels, g.herd_levels);
    re.values.forEach((row, i) => closeEst(row[0].estimate, g.ranef_herd[i], m1.laplace.intervals.get(`r_herd[${re.levels[i]},Intercept]`)!.se!, `ranef herd ${re.levels[i]}`));
    const co = coef(m1)[0];
    closeEst(co.values[0][0].estimate, g.coef_herd_1['(Intercept)'], se(0), 'coef herd 1 Intercept');
    closeEst(co.values[0][1].estimate, g.coef_herd_1.period2, se(1), 'coef herd 1 period2');
    close(VarCorr(m1).blocks[0].sd[0].estimate, g.sd_herd, 1e-3, 'VarCorr sd herd');
  });

  test('confint: Wald at 90% for b (lme4 method = "Wald"), profile for the sd (lme4 method = "profile")', () => {
    const w = confint(m1, { method: 'Wald', level: 0.9 });
    assert.deepEqual(w.map((r) => r.name), ['b_Intercept', 'b_period2', 'b_period3', 'b_period4']);
    w.forEach((r, i) => {
      assert.equal(r.method, 'Wald');
      closeEst(r.lower!, g.wald90.lower[i], se(i), `${r.name} lower`);
      closeEst(r.upper!, g.wald90.upper[i], se(i), `${r.name} upper`);
    });
    const p = confint(m1); // default for a fit without draws: profile
    const sd = p.find((r) => r.name === 'sd_herd__Intercept')!;
    assert.equal(sd.method, 'profile');
    close(sd.lower!, g.profile_sd[0], 1e-3, 'profile lower');
    close(sd.upper!, g.profile_sd[1], 1e-3, 'profile upper');
    assert.equal(p.find((r) => r.name === 'b_period2')!.method, 'Wald');
    assert.throws(() => confint(m1, { method: 'profile', level: 0.9 }), /refit with prob: 0\.9/);
    assert.throws(() => confint(m1, { method: 'posterior' }), /no posterior draws/);
  });

  test('anova(fit): Wald χ² type III tests as car::Anova(type = 3)', () => {
    const a = anova(m1);
    assert.deepEqual(a.map((r) => r.term), g.anova3.terms);
    a.forEach((r, i) => {
      assert.equal(r.test, 'chisq');
      assert.equal(r.numDf, g.anova3.df[i]);
      close(r.statistic, g.anova3.chisq[i], 1e-3, `${r.term} χ²`);
      close(r.p, g.anova3.p[i], 1e-2, `${r.term} p`);
    });
  });

  test('anova(fit0, fit1): the likelihood-ratio test of lme4 anova(m0, m1); likelihoodRatioTest says what it takes', () => {
    const m0 = cbppModel('cbind(incidence, size - incidence) ~ 1 + (1|herd)');
    const t = anova(m0, m1);
    assert.equal(t.df, g.lrt.df);
    close(t.chisq, g.lrt.chisq, 1e-4, 'χ²');
    close(t.p, g.lrt.p, 1e-3, 'p');
    assert.equal(t.smaller, 'cbind(incidence, size - incidence) ~ 1 + (1|herd)');
    assert.throws(() => likelihoodRatioTest(m0 as never, m1 as never), /takes \{label, logLik, df, nobs\} records; to compare two fits use anova\(fit0, fit1\)/);
  });

  test('predict: lme4 predict(type = "response") and predict(newdata, allow.new.levels = TRUE) on the link scale', () => {
    const r = predict(m1);
    for (let i = 0; i < 6; i++) close(r[i], g.predict_response[i], 1e-4, `row ${i + 1}`);
    const nd = frameFromRows([{ period: '2', herd: '3' }, { period: '4', herd: '99' }]);
    const l = predict(m1, { newdata: nd, type: 'link' });
    close(l[0], g.predict_newdata_link[0], 1e-4, 'herd 3, period 2');
    close(l[1], g.predict_newdata_link[1], 1e-4, 'new herd 99 at 0, period 4');
  });

  test('summary(fit) is the printed table', () => {
    assert.match(summary(m1), /^Parameter +Estimate +SE +95% interval$/m);
  });
});

test('anova(lmer0, lmer1) refits both REML fits by ML first, as lme4 does (rcbd counts)', () => {
  const g = golden.rcbd_lmm;
  const data = readCsv(readFileSync(repoPath('examples/data/rcbd.csv'), 'utf8'), { factors: ['trt', 'block'] });
  const fitOf = (formula: string) => laplaceOnly({ formula, data, family: 'gaussian', factors: ['trt', 'block'] });
  const l1 = fitOf('count ~ trt + (1|block)');
  assert.match(l1.laplace.method, /^REML/);
  const t = anova(fitOf('count ~ 1 + (1|block)'), l1);
  assert.equal(t.df, g.df);
  close(t.chisq, g.chisq, 1e-4, 'χ²');
  close(t.p, g.p, 1e-4, 'p');
  // the F table of the same fit, from the fit (lmerTest's anova type 3, Kenward–Roger)
  const f = anova(l1);
  assert.deepEqual(f.map((r) => [r.term, r.test, r.numDf]), [['trt', 'F', 1]]);
});

test('anovaTable(fitLmm(design)) on a model without factors: lmerTest anova(type = 3, ddf = "Kenward-Roger")', () => {
  const g = golden.lots_lmm_anova;
  const data = readCsv(readFileSync(repoPath('examples/data/sim_lots_visible.csv'), 'utf8'));
  const a = anovaTable(fitLmm(buildDesign('count ~ amount + (1|lot)', data, 'gaussian')));
  assert.equal(a.length, 1);
  assert.equal(a[0].term, g.term);
  close(a[0].F, g.F, 1e-4, 'F');
  assert.equal(a[0].numDf, g.numDf);
  close(a[0].denDf, g.denDf, 1e-4, 'den df');
  close(a[0].p, g.p, 1e-3, 'p');
});
