/**
 * Predictions and residuals against lme4 (golden values: test/fixtures/inference/predict-golden.R,
 * R 4.2.2, lme4 1.1.31). lme4's fixef() and ranef() are fed in as the point estimates, so the
 * comparison checks the design-to-prediction arithmetic, not an optimizer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { GlmmInputError } from '../../base/errors.js';
import { frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitRows, newdataRows } from '../../src/inference/newdata.js';
import { estimatesAsDraws, fittedDraws, linearPredictorDraws, posteriorPredictive, predictPoint, residuals } from '../../src/inference/predict.js';
import { getFamily } from '../../models/families/getFamily.js';
import { getLink } from '../../models/links.js';
import type { Draws } from '../../diagnostics/draws.js';
import { golden, goldenCase, maxAbsDiff } from './golden.js';

// R prints 15 significant digits; η sums a handful of terms of size ≤ 10, so 1e-12 relative to that.
const TOL = 1e-11;

for (const name of Object.keys(golden).filter((k) => typeof golden[k] === 'object')) {
  test(`${name}: in-sample η, μ and residuals equal lme4's`, () => {
    const { g, design, link } = goldenCase(name);
    assert.ok(maxAbsDiff(predictPoint(design, g.params), g.eta) < TOL);
    assert.ok(maxAbsDiff(predictPoint(design, g.params, { type: 'response', link }), g.fitted) < TOL);
    for (const type of ['response', 'pearson', 'deviance'] as const) {
      const r = residuals(design, g.params, type, { link });
      const d = maxAbsDiff(r, g.residuals[type]);
      assert.ok(d < 1e-9, `${name} ${type} residuals differ by ${d}`);
    }
  });

  test(`${name}: newdata predictions equal lme4's predict(allow.new.levels = TRUE)`, () => {
    const { g, data, design, newdata, link } = goldenCase(name);
    const rows = newdataRows(design, data, newdata);
    const cases = [['all', 'link', g.predict.link_all], ['all', 'response', g.predict.response_all], ['none', 'link', g.predict.link_none], ['none', 'response', g.predict.response_none]] as const;
    for (const [reForm, type, want] of cases) {
      const got = predictPoint(design, g.params, { newdata: rows, reForm, type, link });
      assert.ok(maxAbsDiff(got, want) < TOL, `${name} ${reForm}/${type}: ${[...got]} vs ${want}`);
    }
  });

  test(`${name}: newdata = the fit's own data reproduces the in-sample predictions exactly`, () => {
    const { g, data, design } = goldenCase(name);
    const rows = newdataRows(design, data, data);
    const a = predictPoint(design, g.params);
    const b = predictPoint(design, g.params, { newdata: rows });
    assert.deepEqual([...b], [...a]);
    assert.deepEqual([...rows.X], [...design.fixed.X]);
    assert.deepEqual([...(rows.y as Float64Array)], [...design.response.y]);
  });
}

test('cbpp: a new herd gets the population-level prediction; new levels are listed', () => {
  const { g, data, design, newdata } = goldenCase('cbpp');
  const rows = newdataRows(design, data, newdata);
  assert.deepEqual(rows.random[0].newLevels, ['99']);
  const all = predictPoint(design, g.params, { newdata: rows });
  const none = predictPoint(design, g.params, { newdata: rows, reForm: 'none' });
  assert.equal(all[2], none[2]);
  assert.notEqual(all[0], none[0]);
  // trials from cbind(incidence, size - incidence) in newdata
  assert.deepEqual([...(rows.trials as Float64Array)], [14, 10, 8, 20]);
});

test('RCBD: η for given β and r equals the hand computation', () => {
  const { data, design } = goldenCase('rcbd');
  // data row 3 is block 3, trt 0 (count 21); data row 11 is block 3, trt 1.
  const est: Record<string, number> = { b_Intercept: 1.5, b_trt1: 0.75 };
  for (const l of design.random[0].levels) est[`r_block[${l},Intercept]`] = 0.1 * Number(l);
  for (const l of design.random[1].levels) est[`r_block:trt[${l},Intercept]`] = l.endsWith(':1') ? -0.05 : 0.02;
  const eta = predictPoint(design, est);
  assert.ok(Math.abs(eta[2] - (1.5 + 0.3 + 0.02)) < 1e-15);
  assert.ok(Math.abs(eta[10] - (1.5 + 0.75 + 0.3 - 0.05)) < 1e-15);
  const mu = predictPoint(design, est, { type: 'response' });
  assert.ok(Math.abs(mu[10] - Math.exp(2.5)) < 1e-12);
});

test('a fixed-effect factor level the fit did not see is a GlmmInputError naming column and level', () => {
  const { data, design } = goldenCase('cbpp');
  const nd = frameFromRows([{ herd: '1', period: '7', incidence: 1, size: 3 }]);
  assert.throws(() => newdataRows(design, data, nd), (e: Error) => e instanceof GlmmInputError && /column 'period'/.test(e.message) && /level '7'/.test(e.message));
  const missing = frameFromRows([{ herd: '1' }]);
  assert.throws(() => newdataRows(design, data, missing), (e: Error) => e instanceof GlmmInputError && /no column 'period'/.test(e.message));
});

/** Draws that repeat the estimates with a per-draw shift of every β, for the draw-based functions. */
function shiftedDraws(est: Record<string, number>, nChains: number, nDraws: number, shift: (s: number) => number): Draws {
  const names = Object.keys(est);
  const P = names.length;
  const data = new Float64Array(nChains * nDraws * P);
  for (let s = 0; s < nChains * nDraws; s++) names.forEach((n, j) => { data[s * P + j] = est[n] + (n.startsWith('b_') ? shift(s) : 0); });
  return { nChains, nDraws, names, data };
}

test('linearPredictorDraws: each draw equals predictPoint at that draw; fittedDraws is trials·p (brms epred)', () => {
  const { g, design } = goldenCase('cbpp');
  const draws = shiftedDraws(g.params, 2, 3, (s) => 0.01 * s);
  const eta = linearPredictorDraws(design, draws);
  assert.equal(eta.names[0], 'eta[1]');
  const n = design.nobs;
  for (let s = 0; s < 6; s++) {
    const est: Record<string, number> = {};
    draws.names.forEach((nm, j) => { est[nm] = draws.data[s * draws.names.length + j]; });
    assert.deepEqual([...eta.data.subarray(s * n, (s + 1) * n)], [...predictPoint(design, est)]);
  }
  const mu = fittedDraws(design, draws);
  const trials = design.response.trials as Float64Array;
  for (let q = 0; q < mu.data.length; q += 7) {
    const p = 1 / (1 + Math.exp(-eta.data[q]));
    assert.ok(Math.abs(mu.data[q] - trials[q % n] * p) < 1e-12);
  }
});

test('new levels from draws: N(0, Σ) per draw (brms gaussian), shared by the rows of one level', () => {
  const { g, data, design } = goldenCase('lots');
  // rows 1-2 have a new lot and a new sample, same covariates; row 3 an existing lot and sample
  const nd = frameFromRows({ amount: [3, 3, 0], lot: ['new', 'new', '1'], sample: ['new', 'new', '1'] });
  const rows = newdataRows(design, data, nd);
  const S = 20000;
  const draws = shiftedDraws(g.params, 4, S / 4, () => 0);
  assert.throws(() => linearPredictorDraws(design, draws, { newdata: rows }), GlmmInputError);
  const eta = linearPredictorDraws(design, draws, { newdata: rows, rng: seedrandom('new-levels') });
  const pop = predictPoint(design, g.params, { newdata: rows, reForm: 'none' })[0];
  const x = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    assert.equal(eta.data[s * 3], eta.data[s * 3 + 1]);
    assert.equal(eta.data[s * 3 + 2], predictPoint(design, g.params, { newdata: rows })[2]);
    x[s] = eta.data[s * 3] - pop;
  }
  // Var = sd0² + a²·sd1² + 2a·ρ·sd0·sd1 (lot, amount a = 3) + sd_sample²
  const p = g.params;
  const sd0 = p.sd_lot__Intercept, sd1 = p.sd_lot__amount, rho = p.cor_lot__Intercept__amount, ss = p.sd_sample__Intercept;
  const v = sd0 ** 2 + 9 * sd1 ** 2 + 6 * rho * sd0 * sd1 + ss ** 2;
  const m = x.reduce((a, b) => a + b, 0) / S;
  const vhat = x.reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1);
  // iid normal draws: MCSE(mean) = √(v/S), MCSE(var) = v·√(2/(S−1)); 4 MCSE
  assert.ok(Math.abs(m) < 4 * Math.sqrt(v / S), `mean ${m}`);
  assert.ok(Math.abs(vhat - v) < 4 * v * Math.sqrt(2 / (S - 1)), `var ${vhat} vs ${v}`);
  // 'population' gives 0 effects for new levels
  const popDraws = linearPredictorDraws(design, draws, { newdata: rows, newLevels: 'population' });
  assert.equal(popDraws.data[0], pop);
});

test('posteriorPredictive: poisson y_rep means match μ within MCSE; same seed, same draws', () => {
  const { g, design } = goldenCase('rcbd');
  const draws = estimatesAsDraws(g.params);
  const many = { ...draws, nDraws: 4000, data: new Float64Array(4000 * draws.names.length).map((_, q) => draws.data[q % draws.names.length]) };
  const fam = getFamily('poisson');
  const link = getLink('log');
  const yrep = posteriorPredictive(design, many, fam, link, seedrandom('ppc'));
  const again = posteriorPredictive(design, many, fam, link, seedrandom('ppc'));
  assert.deepEqual([...yrep.data.subarray(0, 50)], [...again.data.subarray(0, 50)]);
  const n = design.nobs;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < 4000; d++) s += yrep.data[d * n + i];
    const mu = g.fitted[i];
    assert.ok(Math.abs(s / 4000 - mu) < 4 * Math.sqrt(mu / 4000), `row ${i}: ${s / 4000} vs ${mu}`);
  }
  assert.deepEqual(fitRows(design).y, design.response.y);
});

test('negative binomial residuals need the shape', () => {
  const { g, design } = goldenCase('salamanders');
  const { shape: _s, ...noShape } = g.params;
  assert.throws(() => residuals(design, noShape, 'pearson'), GlmmInputError);
  assert.ok(buildDesign);
});

test('factor(x) of a numeric column, forced factors and offsets are rebuilt for newdata as in the fit', async () => {
  const { readCsvFile } = await import('../../src/data/read.js');
  const { repoFile } = await import('./golden.js');
  const raw = readCsvFile(repoFile('examples/data/rcbd.csv')); // block, trt numeric
  const d1 = buildDesign('count ~ factor(trt) + (1 | block)', raw, 'poisson');
  assert.deepEqual(d1.fixed.names, ['b_Intercept', 'b_factor(trt)1']);
  const est: Record<string, number> = { b_Intercept: 1, 'b_factor(trt)1': 0.5 };
  d1.random[0].levels.forEach((l, i) => { est[`r_block[${l},Intercept]`] = i / 10; });
  const same = newdataRows(d1, raw, raw);
  assert.deepEqual([...predictPoint(d1, est, { newdata: same })], [...predictPoint(d1, est)]);
  const nd = frameFromRows({ trt: [1, 0], block: [2, 12] });
  const eta = predictPoint(d1, est, { newdata: newdataRows(d1, raw, nd) });
  assert.ok(Math.abs(eta[0] - (1 + 0.5 + 0.1)) < 1e-15);
  assert.equal(eta[1], 1); // new block 12: population level
  assert.throws(() => newdataRows(d1, raw, frameFromRows({ trt: [2], block: [1] })), (e: Error) => e instanceof GlmmInputError && /'trt'.*level '2'/.test(e.message));
  // the CLI's --factor trt: a numeric column forced to a factor in the fit
  const d2 = buildDesign('count ~ trt + (1 | block)', raw, 'poisson', { factors: ['trt'] });
  assert.deepEqual(d2.fixed.names, ['b_Intercept', 'b_trt1']);
  const r2 = newdataRows(d2, raw, frameFromRows({ trt: [1, 0], block: [2, 3] }), { factors: ['trt'] });
  assert.deepEqual([...r2.X], [1, 1, 1, 0]);
  // offset(log(size)) is evaluated on the new rows
  const { data: cbpp } = goldenCase('cbpp');
  const d3 = buildDesign('incidence ~ period + offset(log(size)) + (1 | herd)', cbpp, 'poisson');
  const r3 = newdataRows(d3, cbpp, frameFromRows({ period: ['2'], herd: ['1'], size: [20] }));
  assert.ok(Math.abs((r3.offset as Float64Array)[0] - Math.log(20)) < 1e-15);
  assert.equal(r3.y, null);
  const own = newdataRows(d3, cbpp, cbpp);
  assert.deepEqual([...(own.offset as Float64Array)], [...(d3.offset as Float64Array)]);
});
