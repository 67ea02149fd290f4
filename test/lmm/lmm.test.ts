/**
 * fitLmm against lme4 1.1-31 `lmer` (golden values in test/fixtures/lmm/lmm-golden.json, made by
 * lmm-golden.R) and the seed's figures in glmm-references.json (cases rcbd_gaussian_lmm, rcbd_unbalanced_lmm).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLmm } from '../../src/lmm/lmm.js';
import { rcbdDesign, lotsDesign, hessianflyDesign, readJson } from './lmm-designs.js';

const G = readJson('lmm-golden.json');
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test('balanced RCBD REML: glmm-references rcbd_gaussian_lmm (var_block 14.43, var_residual 653.13, REML logLik -67.46838)', () => {
  const f = fitLmm(rcbdDesign());
  assert.equal(Number(f.varcomp[0].vcov.toFixed(2)), 14.43);
  assert.equal(Number(f.varcomp[1].vcov.toFixed(2)), 653.13);
  assert.equal(Number(f.logLik.toFixed(5)), -67.46838);
  assert.equal(f.varcomp[0].name, 'sd_block__Intercept');
  assert.equal(f.varcomp[1].name, 'sigma');
  assert.equal(f.singular, false);
});

test('unbalanced RCBD REML: glmm-references rcbd_unbalanced_lmm varcomp (block 26.3494107984453, residual 689.340019937951)', () => {
  const f = fitLmm(rcbdDesign(true));
  // In double precision θ is identified only to ~3e-5 relative here: the REML criterion (≈126) changes by
  // less than 4e-14 (its rounding level) over θ ± 1e-5 (measured: −2ℓ at θ = 0.19550, 0.195505, 0.19551
  // differs by 3.6e-14). lme4 stops at θ = 0.1955099, we at 0.1955090; the variances inherit that, so
  // the tolerance is 1e-4 (block, ∝ θ²) and 1e-5 (residual, weakly dependent on θ).
  assert.ok(rel(f.varcomp[0].vcov, 26.3494107984453) < 1e-4, `${f.varcomp[0].vcov}`);
  assert.ok(rel(f.varcomp[1].vcov, 689.340019937951) < 1e-5, `${f.varcomp[1].vcov}`);
  const g = G.rcbd_unbalanced_reml;
  assert.ok(f.logLik >= g.logLik - 1e-9);
  assert.ok(rel(f.logLik, g.logLik) < 1e-10);
});

for (const [key, design, reml] of [
  ['rcbd_balanced_reml', rcbdDesign(), true], ['rcbd_balanced_ml', rcbdDesign(), false],
  ['rcbd_unbalanced_reml', rcbdDesign(true), true], ['rcbd_unbalanced_ml', rcbdDesign(true), false],
  ['lots_slope_reml', lotsDesign(), true], ['hessianfly_reml', hessianflyDesign(), true],
] as const) {
  test(`${key}: at lme4's θ every output matches lmer to 1e-9; the optimum reaches lme4's criterion`, () => {
    const g = G[key];
    const theta = Array.isArray(g.theta) ? g.theta : [g.theta];
    const at = fitLmm(design, { reml, theta });
    assert.ok(rel(at.logLik, g.logLik) < 1e-12, `logLik ${at.logLik} vs ${g.logLik}`);
    assert.ok(rel(at.sigma, g.sigma) < 1e-9, `sigma ${at.sigma} vs ${g.sigma}`);
    g.beta.forEach((b: number, j: number) => assert.ok(Math.abs(at.beta[j] - b) < 1e-9 * (1 + Math.abs(b)), `beta ${j}`));
    const p = g.beta.length;
    g.vcov.forEach((row: number[], i: number) => row.forEach((v, j) => assert.ok(Math.abs(at.vcov[i * p + j] - v) < 1e-9 * Math.abs(g.vcov[i][i]), `vcov ${i},${j}`)));
    assert.equal(at.df, g.df);
    assert.ok(rel(at.aic, g.AIC) < 1e-12 && rel(at.bic, g.BIC) < 1e-12);
    g.varcomp.forEach((v: any, i: number) => assert.ok(Math.abs(at.varcomp[i].sdcor - v.sdcor) < 1e-8 * (1 + Math.abs(v.sdcor)), `varcomp ${i}`));
    const opt = fitLmm(design, { reml });
    assert.ok(opt.converged);
    assert.ok(opt.logLik >= g.logLik - 1e-9, `optimum ${opt.logLik} below lme4 ${g.logLik}`);
    assert.ok(opt.logLik - g.logLik < 1e-6, `optimum ${opt.logLik} far above lme4 ${g.logLik}`);
  });
}

test('lots: correlated random slope names and the correlation', () => {
  const f = fitLmm(lotsDesign());
  assert.deepEqual(f.varcomp.map((v) => v.name), ['sd_lot__Intercept', 'sd_lot__amount', 'cor_lot__Intercept__amount', 'sigma']);
  assert.ok(Math.abs(f.varcomp[2].sdcor - 0.337895301327784) < 1e-4);
});

test('a non-gaussian design is refused with a GlmmInputError', () => {
  const d = { ...rcbdDesign(), family: 'poisson' as const };
  assert.throws(() => fitLmm(d), { name: 'GlmmInputError' });
});
