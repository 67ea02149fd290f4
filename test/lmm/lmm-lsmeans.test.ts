/**
 * LS means and the Type III F table against the seed's JMP table (glmm-references.json
 * rcbd_gaussian_lmm.seed_table), emmeans 1.8.4 / pbkrtest / lmerTest (rcbd_unbalanced_lmm and
 * test/fixtures/lmm/lmm-golden.json). Golden comparisons of df-dependent numbers are made at lme4's θ
 * (see kenward-roger.test.ts for why); the seed's JMP figures are checked at our own optimum to their printed digits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLmm } from '../../src/lmm/lmm.js';
import { lsmeans, lsmeanDifferences } from '../../src/lmm/lsmeans.js';
import { anovaTable } from '../../src/lmm/anova.js';
import { rcbdDesign, hessianflyDesign, splitplotDesign, readJson, levelsOf, readCsvColumns } from './lmm-designs.js';

const G = readJson('lmm-golden.json');
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const trtGrid = { factors: { trt: ['0', '1'] } };

test('balanced RCBD at our optimum: the JMP LS means table (7.625, 32.0; SE 9.1348406; df 13.993; limits)', () => {
  const rows = lsmeans(fitLmm(rcbdDesign()), 'trt', { grid: trtGrid, ddf: 'kenward-roger' });
  const jmp = [[7.625, 9.1348406, 13.993, -11.96814, 27.218143], [32.0, 9.1348406, 13.993, 12.40686, 51.593143]];
  rows.forEach((r, a) => {
    const [est, se, df, lo, hi] = jmp[a];
    assert.equal(r.label, String(a));
    assert.equal(r.estimate.toFixed(3), est.toFixed(3));
    assert.equal(r.se.toFixed(7), se.toFixed(7));
    assert.equal(r.df.toFixed(3), df.toFixed(3));
    assert.equal(r.lower.toFixed(5), lo.toFixed(5));
    assert.equal(r.upper.toFixed(6), hi.toFixed(6));
  });
});

test('unbalanced RCBD at our optimum: emmeans/pbkrtest LS means to 1e-6', () => {
  const rows = lsmeans(fitLmm(rcbdDesign(true)), 'trt', { grid: trtGrid });
  const ref = [[7.625, 9.45839197972095, 12.9837562769118, -12.8112125453925, 28.0612125453925],
    [32.9169701938459, 10.3185316883462, 12.9913508034326, 10.6236290128688, 55.210311374823]];
  rows.forEach((r, a) => [r.estimate, r.se, r.df, r.lower, r.upper].forEach((v, i) => assert.ok(rel(v, ref[a][i]) < 1e-6, `${a},${i}: ${v} vs ${ref[a][i]}`)));
});

const atLme4 = (key: string, design: ReturnType<typeof rcbdDesign>) => {
  const th = G[key].theta;
  return fitLmm(design, { theta: Array.isArray(th) ? th : [th] });
};
const checkEmm = (rows: ReturnType<typeof lsmeans>, ref: any[], tol: number) => {
  assert.equal(rows.length, ref.length);
  rows.forEach((r, a) => {
    assert.equal(r.label, ref[a].level);
    for (const [mine, theirs] of [[r.estimate, ref[a].emmean], [r.se, ref[a].SE], [r.df, ref[a].df], [r.lower, ref[a].lower], [r.upper, ref[a].upper]]) {
      assert.ok(rel(mine, theirs) < tol, `${r.label}: ${mine} vs ${theirs}`);
    }
  });
};

test('unbalanced RCBD at lme4\'s θ: emmeans Kenward–Roger (1e-9) and Satterthwaite (1e-7, numDeriv) LS means', () => {
  const f = atLme4('rcbd_unbalanced_reml', rcbdDesign(true));
  checkEmm(lsmeans(f, 'trt', { grid: trtGrid, ddf: 'kenward-roger' }), G.rcbd_unbalanced_reml.emmeans_kenward_roger, 1e-9);
  checkEmm(lsmeans(f, 'trt', { grid: trtGrid, ddf: 'satterthwaite' }), G.rcbd_unbalanced_reml.emmeans_satterthwaite, 1e-7);
  // glmm-references.json rcbd_unbalanced_lmm.satterthwaite.lsmeans[1]: SE 10.1105896962299, df 12.9923588446655
  const s = lsmeans(f, 'trt', { grid: trtGrid, ddf: 'satterthwaite' })[1];
  assert.ok(rel(s.se, 10.1105896962299) < 1e-9 && rel(s.df, 12.9923588446655) < 1e-7);
});

test('Hessian fly (16 levels, covariate long at its mean) at lme4\'s θ: emmeans LS means of gen', () => {
  const c = readCsvColumns('lme4test_gotway_hessianfly.csv');
  const grid = { factors: { gen: levelsOf(c.gen) } };
  const f = atLme4('hessianfly_reml', hessianflyDesign());
  checkEmm(lsmeans(f, 'gen', { grid, ddf: 'kenward-roger' }), G.hessianfly_reml.emmeans_kenward_roger, 1e-9);
  checkEmm(lsmeans(f, 'gen', { grid, ddf: 'satterthwaite' }), G.hessianfly_reml.emmeans_satterthwaite, 1e-7);
});

test('split plot with an interaction at lme4\'s θ: Type III F table (lmerTest KR and Satterthwaite) and emmeans', () => {
  const { design, grid } = splitplotDesign();
  const g = G.splitplot_reml;
  const f = fitLmm(design, { theta: [g.theta] });
  assert.ok(rel(f.logLik, g.logLik) < 1e-12);
  for (const [ddf, ref, tol0] of [['kenward-roger', g.anova_kr, 1e-9], ['satterthwaite', g.anova_satt, 1e-7]] as const) {
    const tab = anovaTable(f, { grid, ddf });
    assert.deepEqual(tab.map((r) => r.term), ['famount', 'half', 'famount:half']);
    for (const r of tab) {
      const x = ref[r.term];
      // lmerTest rounds its Type III contrast for 'half' to 7 digits (get_contrasts_type3 gives
      // 0.1666667 for 1/6), which moves its F by 2e-7; we use the exact 1/6, hence 1e-6 for that term.
      const tol = r.term === 'half' ? Math.max(tol0, 1e-6) : tol0;
      assert.equal(r.numDf, x.NumDF);
      assert.ok(rel(r.F, x['F value']) < tol, `${ddf} ${r.term} F ${r.F} vs ${x['F value']}`);
      assert.ok(rel(r.denDf, x.DenDF) < tol, `${ddf} ${r.term} df ${r.denDf} vs ${x.DenDF}`);
      assert.ok(rel(r.p, x['Pr(>F)']) < tol * 10, `${ddf} ${r.term} p ${r.p} vs ${x['Pr(>F)']}`);
    }
  }
  checkEmm(lsmeans(f, 'half', { grid, ddf: 'kenward-roger' }), g.emmeans_half_kr, 1e-9);
  checkEmm(lsmeans(f, 'half', { grid, ddf: 'satterthwaite' }), g.emmeans_half_satt, 1e-7);
  checkEmm(lsmeans(f, 'famount', { grid, ddf: 'kenward-roger' }), g.emmeans_famount_kr, 1e-9);
});

test('LS mean difference equals the coefficient test (trt1 − trt0 = b_trt1, KR df 7 in the balanced case)', () => {
  const f = fitLmm(rcbdDesign());
  const [d] = lsmeanDifferences(f, 'trt', { grid: trtGrid });
  assert.equal(d.label, '1 - 0');
  assert.ok(Math.abs(d.estimate - f.beta[1]) < 1e-12);
  assert.ok(Math.abs(d.t ** 2 - 3.6387063) < 1e-6);
  assert.ok(Math.abs(d.df - 7) < 1e-9);
});

test('an unknown factor is a GlmmInputError naming it', () => {
  assert.throws(() => lsmeans(fitLmm(rcbdDesign()), 'dose', { grid: trtGrid }), /factor 'dose'/);
});

test("ddf 'asymptotic': z limits from vcov(β) and the Wald χ² F (closed forms)", () => {
  const f = fitLmm(rcbdDesign());
  const [m0] = lsmeans(f, 'trt', { grid: trtGrid, ddf: 'asymptotic' });
  const se = Math.sqrt(f.vcov[0]);
  assert.equal(m0.df, Infinity);
  assert.ok(Math.abs(m0.se - se) < 1e-12 && Math.abs(m0.lower - (f.beta[0] - 1.959963984540054 * se)) < 1e-9);
  const [row] = anovaTable(f, { grid: trtGrid, ddf: 'asymptotic' });
  const z2 = f.beta[1] ** 2 / f.vcov[3];
  assert.ok(Math.abs(row.F - z2) < 1e-12 && row.denDf === Infinity);
  // P(χ²₁ > z²) = 2 Φ(−|z|) = erfc(|z|/√2); check against the lsmean-difference z test
  const [d] = lsmeanDifferences(f, 'trt', { grid: trtGrid, ddf: 'asymptotic' });
  assert.ok(Math.abs(row.p - d.p) < 1e-13, `${row.p} vs ${d.p}`);
});
