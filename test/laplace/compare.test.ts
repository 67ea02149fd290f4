/**
 * Likelihood-ratio test and AIC/BIC against R (test/fixtures/lmm/lmm-golden.json lrt_rcbd_ml:
 * lm(count ~ trt) vs lmer(count ~ trt + (1|block), REML = FALSE) on the RCBD data; R 4.2.2, lme4 1.1-31).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { likelihoodRatioTest, informationCriteria } from '../../src/laplace/compare.js';
import { fitLmm } from '../../src/lmm/lmm.js';
import { rcbdDesign, readJson, makeDesign, rcbd } from '../lmm/lmm-designs.js';

const G = readJson('lmm-golden.json').lrt_rcbd_ml;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

test('lm vs lmer (ML) on the RCBD: χ², p, the halved boundary p, AIC and BIC as R', () => {
  const lmer = fitLmm(rcbdDesign(), { reml: false });
  // our ML optimum is at least as high as lme4's, and within its optimizer tolerance
  assert.ok(lmer.logLik >= G.logLik1 - 1e-9 && lmer.logLik - G.logLik1 < 1e-7);
  const big = { label: 'lmer', logLik: G.logLik1, df: G.df1, nobs: 16, reml: false };
  const small = { label: 'lm', logLik: G.logLik0, df: G.df0, nobs: 16, reml: false };
  const r = likelihoodRatioTest(small, big, { boundary: true });
  // χ² = 0.0037 is a difference of two log-likelihoods near −73.7: rounding leaves ~1e-11 relative
  assert.ok(rel(r.chisq, G.chisq) < 1e-9);
  assert.equal(r.df, 1);
  assert.ok(rel(r.p, G.p) < 1e-9, `${r.p} vs ${G.p}`);
  assert.ok(rel(r.pBoundary, G.p / 2) < 1e-9);
  assert.equal(r.recommended, 'pBoundary');
  const tab = informationCriteria([big, small]);
  assert.ok(rel(tab[0].aic, G.AIC1) < 1e-13 && rel(tab[1].aic, G.AIC0) < 1e-13);
  assert.ok(rel(tab[0].bic, G.BIC1) < 1e-13 && rel(tab[1].bic, G.BIC0) < 1e-13);
  assert.equal(tab[1].deltaAic, 0);
  assert.ok(Math.abs(tab[0].aicWeight + tab[1].aicWeight - 1) < 1e-15);
  // Akaike weight of the lmer: 1 / (1 + exp(ΔAIC/2)) with ΔAIC = 2 − χ²
  assert.ok(Math.abs(tab[0].aicWeight - 1 / (1 + Math.exp((2 - G.chisq) / 2))) < 1e-14);
});

test('χ² tail against closed forms: df 2 is exp(−x/2); the mixture for df 2 adds P(χ²₁ > x)/2', () => {
  const r = likelihoodRatioTest({ label: 'a', logLik: -10, df: 3, nobs: 5 }, { label: 'b', logLik: -7, df: 5, nobs: 5 });
  assert.ok(Math.abs(r.p - Math.exp(-3)) < 1e-15);
  // P(χ²₁ > 6) = erfc(√3) = 0.014305878435429631 (R: pchisq(6, 1, lower = FALSE))
  assert.ok(Math.abs(r.pBoundary - 0.5 * (0.014305878435429631 + Math.exp(-3))) < 1e-15);
  assert.equal(r.recommended, 'p');
});

test('bad comparisons are GlmmInputErrors', () => {
  const a = { label: 'a', logLik: -10, df: 3, nobs: 5 };
  assert.throws(() => likelihoodRatioTest(a, { ...a, label: 'b', nobs: 6, df: 4 }), { name: 'GlmmInputError' });
  assert.throws(() => likelihoodRatioTest({ ...a, df: 4 }, a), { name: 'GlmmInputError' });
  assert.throws(() => likelihoodRatioTest(a, { ...a, df: 4, reml: true }), { name: 'GlmmInputError' });
});

test('fitLmm without random terms is lm: ML logLik −73.6638295410779 on 3 df (R logLik(lm(count ~ trt)))', () => {
  const lm = fitLmm(makeDesign(rcbd.count, [{ factor: 'trt', values: rcbd.trt }], []), { reml: false });
  assert.ok(rel(lm.logLik, G.logLik0) < 1e-13);
  assert.equal(lm.df, G.df0);
  const lmer = fitLmm(rcbdDesign(), { reml: false });
  const r = likelihoodRatioTest({ ...lm, label: 'lm' }, { ...lmer, label: 'lmer' }, { boundary: true });
  // our ML optimum is ≥ lme4's by < 1e-10, so χ² agrees to that absolute level
  assert.ok(Math.abs(r.chisq - G.chisq) < 1e-9);
});
