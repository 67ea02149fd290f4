/**
 * Kenward–Roger against pbkrtest 0.5.2 (via lmerTest 3.1-3 anova(ddf = "Kenward-Roger") and
 * pbkrtest::vcovAdj / Lb_ddf; test/fixtures/lmm/lmm-golden.json) and the seed's JMP table
 * (glmm-references.json rcbd_gaussian_lmm: F 3.6387 on 1 and 7 df, p 0.0981) and pbkrtest figures
 * for the unbalanced RCBD (rcbd_unbalanced_lmm.kenward_roger).
 * At lme4's θ the computation is the same as pbkrtest's, so agreement is to rounding (1e-9).
 * At our own optimum the inputs differ from lme4's by its optimizer tolerance (θ 4.6e-6 relative in
 * the unbalanced case; our θ is within 7e-8 of the root of the REML score), which moves the KR figures by < 4e-7.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLmm } from '../../src/lmm/lmm.js';
import { krF, krContrast, vcovAdj } from '../../src/lmm/kenward-roger.js';
import { rcbdDesign, lotsDesign, hessianflyDesign, readJson } from './lmm-designs.js';

const G = readJson('lmm-golden.json');
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const unit = (p: number, j: number): Float64Array => Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0));

test('balanced RCBD at our REML optimum: the JMP table F 3.6387 on 1 and 7 df, p 0.0981', () => {
  const f = fitLmm(rcbdDesign());
  const r = krF(f, [unit(2, 1)]);
  assert.equal(r.F.toFixed(4), '3.6387');
  assert.equal(r.numDf, 1);
  assert.equal(r.denDf.toFixed(3), '7.000');
  assert.equal(r.p.toFixed(4), '0.0981');
});

test('unbalanced RCBD at our optimum: pbkrtest F 3.37838675563343 on 1 and 6.66716442325053 df, p 0.110768572730217', () => {
  const f = fitLmm(rcbdDesign(true));
  const r = krF(f, [unit(2, 1)]);
  assert.ok(rel(r.F, 3.37838675563343) < 1e-6, `F ${r.F}`);
  assert.ok(rel(r.denDf, 6.66716442325053) < 1e-6, `df ${r.denDf}`);
  assert.ok(rel(r.p, 0.110768572730217) < 1e-6, `p ${r.p}`);
});

for (const key of ['rcbd_balanced_reml', 'rcbd_unbalanced_reml', 'lots_slope_reml', 'hessianfly_reml'] as const) {
  test(`${key} at lme4's θ: vcovAdj, coefficient df and the F test equal pbkrtest's to 1e-9`, () => {
    const g = G[key];
    const design = key === 'lots_slope_reml' ? lotsDesign() : key === 'hessianfly_reml' ? hessianflyDesign() : rcbdDesign(key === 'rcbd_unbalanced_reml');
    const f = fitLmm(design, { theta: Array.isArray(g.theta) ? g.theta : [g.theta] });
    const p = f.beta.length, kr = vcovAdj(f);
    g.vcovAdj.forEach((row: number[], i: number) => row.forEach((v, j) =>
      assert.ok(Math.abs(kr.PhiA[i * p + j] - v) < 1e-9 * Math.abs(g.vcovAdj[i][i]), `PhiA ${i},${j}: ${kr.PhiA[i * p + j]} vs ${v}`)));
    g.kr_coef_df.forEach((df: number, j: number) => assert.ok(rel(krContrast(f, unit(p, j), kr).df, df) < 1e-9, `df ${j}`));
    const L = key === 'hessianfly_reml' ? Array.from({ length: 15 }, (_, i) => unit(p, i + 1)) : [unit(p, 1)];
    const r = krF(f, L, kr);
    assert.ok(rel(r.F, g.kenward_roger.F) < 1e-9, `F ${r.F} vs ${g.kenward_roger.F}`);
    assert.equal(r.numDf, g.kenward_roger.NumDF);
    assert.ok(rel(r.denDf, g.kenward_roger.DenDF) < 1e-9, `df ${r.denDf} vs ${g.kenward_roger.DenDF}`);
    assert.ok(rel(r.p, g.kenward_roger.p) < 1e-9, `p ${r.p} vs ${g.kenward_roger.p}`);
    if (key === 'hessianfly_reml') {
      const l = krF(f, [unit(p, 16)], kr);
      assert.ok(rel(l.F, g.kenward_roger_long.F) < 1e-9 && rel(l.denDf, g.kenward_roger_long.DenDF) < 1e-9 && rel(l.p, g.kenward_roger_long.p) < 1e-9);
    }
  });
}

test('Kenward–Roger refuses an ML fit', () => {
  assert.throws(() => vcovAdj(fitLmm(rcbdDesign(), { reml: false })), { name: 'GlmmInputError' });
});

test('singular fit (Hessian fly proportions, block variance at 0): KR 45 and Satterthwaite 48 df at our optimum, as pbkrtest/lmerTest', async () => {
  const { makeDesign, readCsvColumns } = await import('./lmm-designs.js');
  const { satterthwaiteF } = await import('../../src/lmm/satterthwaite.js');
  const g = G.hessianfly_singular_reml, c = readCsvColumns('lme4test_gotway_hessianfly.csv');
  const d = makeDesign(c.y.map((v, i) => Number(v) / Number(c.n[i])), [{ factor: 'gen', values: c.gen }], [{ group: 'block', values: c.block }]);
  for (const f of [fitLmm(d), fitLmm(d, { theta: [0] })]) {
    assert.ok(f.singular);
    assert.ok(Math.abs(f.logLik - g.logLik) < 1e-9);
    const L = Array.from({ length: 15 }, (_, i) => unit(16, i + 1));
    const k = krF(f, L), s = satterthwaiteF(f, L);
    assert.ok(rel(k.F, g.kenward_roger.F) < 1e-9 && rel(k.denDf, g.kenward_roger.DenDF) < 1e-9 && rel(k.p, g.kenward_roger.p) < 1e-9);
    assert.ok(rel(s.F, g.satterthwaite.F) < 1e-9 && rel(s.denDf, g.satterthwaite.DenDF) < 1e-9 && rel(s.p, g.satterthwaite.p) < 1e-8);
  }
});
