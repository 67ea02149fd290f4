/**
 * ranef/coef/VarCorr: from lme4's estimates they must reproduce lme4's coef() (golden values from
 * test/fixtures/inference/predict-golden.R, lme4 1.1.31); from draws, the summaries of the draws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coef, ranef, VarCorr } from '../../src/inference/varcorr.js';
import { goldenCase } from './golden.js';
import type { Draws } from '../../diagnostics/draws.js';

interface CoefGolden { levels: string[]; terms: string[]; values: number[][] }

for (const name of ['cbpp', 'rcbd', 'lots']) {
  test(`${name}: coef() from lme4's fixef + ranef equals lme4's coef()`, () => {
    const { g, design } = goldenCase(name);
    const want = (g as unknown as { coef: Record<string, CoefGolden> }).coef;
    const got = coef(design, g.params);
    for (const tab of got) {
      const w = want[tab.group];
      assert.ok(w, `group ${tab.group}`);
      assert.deepEqual(tab.terms, w.terms);
      tab.levels.forEach((l, li) => {
        const wl = w.levels.indexOf(l);
        assert.ok(wl >= 0, `${tab.group} level ${l}`);
        tab.terms.forEach((_, j) => assert.ok(Math.abs(tab.values[li][j].estimate - w.values[wl][j]) < 1e-13));
      });
    }
  });
}

test('lots: ranef and VarCorr from estimates are the estimates', () => {
  const { g, design } = goldenCase('lots');
  const r = ranef(design, g.params);
  const lot = r.find((t) => t.group === 'lot')!;
  assert.deepEqual(lot.terms, ['Intercept', 'amount']);
  assert.equal(lot.values[2][1].estimate, g.params['r_lot[3,amount]']);
  assert.ok(Number.isNaN(lot.values[2][1].sd));
  const vc = VarCorr(design, g.params);
  const b = vc.blocks.find((x) => x.group === 'lot')!;
  assert.equal(b.sd[1].estimate, g.params.sd_lot__amount);
  assert.equal(b.variance[0].estimate, g.params.sd_lot__Intercept ** 2);
  assert.equal(b.cor[0][1].estimate, g.params.cor_lot__Intercept__amount);
  assert.equal(b.cor[1][0].estimate, g.params.cor_lot__Intercept__amount);
  assert.equal(b.cor[1][1].estimate, 1);
  assert.equal(vc.sigma, null);
});

test('from draws: posterior mean, sd and type-7 quantiles; coef sums per draw', () => {
  const { g, design } = goldenCase('cbpp');
  // 2 chains × 2 draws: every parameter at its estimate plus δ_s, δ = (0, 1, 2, 3) · 0.1
  const names = Object.keys(g.params);
  const P = names.length;
  const data = new Float64Array(4 * P);
  for (let s = 0; s < 4; s++) names.forEach((n, j) => { data[s * P + j] = g.params[n] + 0.1 * s; });
  const draws: Draws = { nChains: 2, nDraws: 2, names, data };
  const r = ranef(design, draws)[0];
  const c = r.values[0][0];
  const r1 = g.params['r_herd[1,Intercept]'];
  assert.ok(Math.abs(c.estimate - (r1 + 0.15)) < 1e-14);
  // sd of (0, .1, .2, .3) = 0.12909944487358055; quantile type 7 5% = 0.015, 95% = 0.285
  assert.ok(Math.abs(c.sd - 0.12909944487358055) < 1e-14);
  assert.ok(Math.abs(c.q5 - (r1 + 0.015)) < 1e-14 && Math.abs(c.q95 - (r1 + 0.285)) < 1e-14);
  // coef: b + r moves by 0.2 per draw → sd doubles
  const k = coef(design, draws)[0].values[0][0];
  assert.ok(Math.abs(k.estimate - (g.params.b_Intercept + r1 + 0.3)) < 1e-13);
  assert.ok(Math.abs(k.sd - 2 * 0.12909944487358055) < 1e-13);
  // a fixed effect the group lacks is just β: period2 for herd 1
  const k2 = coef(design, draws)[0].values[0][1];
  assert.ok(Math.abs(k2.estimate - (g.params.b_period2 + 0.15)) < 1e-13);
});
