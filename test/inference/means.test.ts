/**
 * Data-scale means, ratios and their draws against emmeans 1.8.4 on lme4 1.1-31 glmer fits
 * (test/fixtures/lmm/lmm-golden.json: rcbd_poisson = count ~ trt + (1|block) + (1|block:trt), poisson;
 * beitler = cbind(x, n − x) ~ t + (1|clinic) + (1|clinic:t), binomial), the closed forms of the
 * glmm-references.json rcbd_poisson Laplace fit (exp(1.41795885107836) etc.), and independent
 * numerical integration for the marginal means.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { dataScaleMeans, meanDraws, marginalMean, gaussHermite } from '../../src/inference/means.js';
import { levelContrasts, contrastDraws } from '../../src/inference/contrasts.js';
import { getLink } from '../../models/links.js';
import { makeDesign, rcbd, readJson, readCsvColumns } from '../lmm/lmm-designs.js';
import type { Design } from '../../src/design/types.js';

const G = readJson('lmm-golden.json');
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const Z975 = 1.959963984540054; // R: qnorm(0.975)

// The fixed-effects part of the seed's Poisson design (random terms are not needed for the means).
const poissonDesign = (): Design => ({ ...makeDesign(rcbd.count, [{ factor: 'trt', values: rcbd.trt }], []), family: 'poisson' });
const trtGrid = { factors: { trt: ['0', '1'] } };
const poissonFit = (beta: number[], vcov: number[], sds?: Record<string, number>) =>
  ({ beta, vcov, names: ['b_Intercept', 'b_trt1'], link: 'log' as const, design: poissonDesign(), sds });

test('Poisson RCBD: emmeans type = "response" rates, SEs and asymptotic limits (1e-12)', () => {
  const g = G.rcbd_poisson;
  const rows = dataScaleMeans(poissonFit(g.beta, g.vcov.flat()), 'trt', { grid: trtGrid });
  rows.forEach((r, a) => {
    const e = g.emmeans_response[a];
    assert.equal(r.level, e.level);
    assert.equal(r.type, 'conditional');
    assert.ok(rel(r.eta, g.emmeans_link[a].emmean) < 1e-12 && rel(r.seEta, g.emmeans_link[a].SE) < 1e-12);
    for (const [mine, theirs] of [[r.estimate, e.rate], [r.se, e.SE], [r.lower, e.lower], [r.upper, e.upper]]) assert.ok(rel(mine, theirs) < 1e-12, `${mine} vs ${theirs}`);
  });
});

test('Poisson RCBD: rate ratio trt1 / trt0 as emmeans pairs(reverse = TRUE) (1e-12)', () => {
  const g = G.rcbd_poisson;
  const [c] = levelContrasts(poissonFit(g.beta, g.vcov.flat()), 'trt', { grid: trtGrid });
  assert.equal(c.label, '1 / 0');
  assert.equal(c.kind, 'rate ratio');
  for (const [mine, theirs] of [[c.ratio!, g.ratio.ratio], [c.ratioSe!, g.ratio.SE], [c.z, g.ratio.z], [c.p, g.ratio.p], [c.ratioLower!, g.ratio.lower], [c.ratioUpper!, g.ratio.upper]]) {
    assert.ok(rel(mine, theirs) < 1e-12, `${mine} vs ${theirs}`);
  }
});

test('closed forms from glmm-references.json rcbd_poisson (lme4 fixef and se)', () => {
  const b0 = 1.41795885107836, b1 = 1.24112716100044, se0 = 0.536838813394084, se1 = 0.59340866467796;
  // only the variances enter level 0 and the ratio; the covariance is arbitrary here
  const fit = poissonFit([b0, b1], [se0 ** 2, -0.18, -0.18, se1 ** 2]);
  const [m0] = dataScaleMeans(fit, 'trt', { grid: trtGrid });
  assert.ok(rel(m0.estimate, Math.exp(b0)) < 1e-15);
  assert.ok(rel(m0.lower, Math.exp(b0 - Z975 * se0)) < 1e-14 && rel(m0.upper, Math.exp(b0 + Z975 * se0)) < 1e-14);
  const [c] = levelContrasts(fit, 'trt', { grid: trtGrid });
  assert.ok(rel(c.ratio!, Math.exp(b1)) < 1e-15);
  assert.ok(rel(c.ratioLower!, Math.exp(b1 - Z975 * se1)) < 1e-14 && rel(c.ratioUpper!, Math.exp(b1 + Z975 * se1)) < 1e-14);
  // marginal (population-averaged) mean: exp(η + (sd1² + sd2²)/2) with the reference sds
  const sds = { 'sd_block:trt__Intercept': 1.09034430942197, sd_block__Intercept: 0.883771465757137 };
  const [mm] = dataScaleMeans({ ...fit, sds }, 'trt', { grid: trtGrid, type: 'marginal' });
  const tau2 = 1.09034430942197 ** 2 + 0.883771465757137 ** 2;
  assert.equal(mm.type, 'marginal');
  assert.ok(rel(mm.estimate, Math.exp(b0 + tau2 / 2)) < 1e-15);
  assert.ok(rel(mm.lower, Math.exp(b0 - Z975 * se0 + tau2 / 2)) < 1e-14);
  assert.ok(rel(mm.se, Math.exp(b0 + tau2 / 2) * se0) < 1e-8); // numerical derivative of the smooth map
});

test('Gauss–Hermite: 100 nodes (default) reproduce the log-link closed form and an independent integral for the logit link', () => {
  const gh = gaussHermite(100);
  assert.ok(Math.abs(gh.w.reduce((s, v) => s + v, 0) - 1) < 1e-13);
  const log = getLink('log');
  const asOther = { ...log, name: 'sqrt' as const, linkinv: (e: number) => Math.exp(e) }; // force quadrature
  assert.ok(rel(marginalMean(asOther, 0.7, 1.9), Math.exp(0.7 + 1.9 / 2)) < 1e-10);
  // logit: trapezoid on z ∈ [−12, 12] with step 1e-3 (error far below 1e-10 for this smooth integrand)
  const logit = getLink('logit');
  for (const [eta, tau2] of [[-1.2, 1.93], [0.3, 0.2], [2, 4]]) {
    let s = 0;
    for (let z = -12; z <= 12 + 1e-12; z += 1e-3) s += (Math.abs(z) > 12 - 1e-9 ? 0.5 : 1) * logit.linkinv(eta + Math.sqrt(tau2) * z) * Math.exp(-z * z / 2);
    const ref = s * 1e-3 / Math.sqrt(2 * Math.PI);
    assert.ok(Math.abs(marginalMean(logit, eta, tau2) - ref) < 1e-10, `${eta},${tau2}`);
  }
});

test('Beitler binomial: emmeans probabilities and the odds ratio t1 / t0 (1e-12)', () => {
  const g = G.beitler, c = readCsvColumns('beitler_landis_1985.csv');
  const d: Design = { ...makeDesign(c.x.map(Number), [{ factor: 't', values: c.t }], []), family: 'binomial' };
  const fit = { beta: g.beta, vcov: g.vcov.flat(), names: ['b_Intercept', 'b_t1'], link: 'logit' as const, design: d };
  const grid = { factors: { t: ['0', '1'] } };
  dataScaleMeans(fit, 't', { grid }).forEach((r, a) => {
    const e = g.emmeans_response[a];
    for (const [mine, theirs] of [[r.estimate, e.prob], [r.se, e.SE], [r.lower, e.lower], [r.upper, e.upper]]) assert.ok(rel(mine, theirs) < 1e-12, `${mine} vs ${theirs}`);
  });
  const [or] = levelContrasts(fit, 't', { grid });
  assert.equal(or.kind, 'odds ratio');
  for (const [mine, theirs] of [[or.ratio!, g.odds_ratio.ratio], [or.ratioLower!, g.odds_ratio.lower], [or.ratioUpper!, g.odds_ratio.upper]]) assert.ok(rel(mine, theirs) < 1e-12);
});

test('draws: each draw is g⁻¹(ℓᵀβ_s); quantiles of draws from N(β̂, V) recover the back-transformed Wald limits within 4 MCSE', () => {
  const g = G.rcbd_poisson, S = 20000, rng = seedrandom('lmm-means-draws');
  const V = g.vcov.flat() as number[];
  const l00 = Math.sqrt(V[0]), l10 = V[2] / l00, l11 = Math.sqrt(V[3] - l10 * l10);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const beta = new Float64Array(2 * S), sdB = new Float64Array(S), sdBT = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const z0 = normal(), z1 = normal();
    beta[2 * s] = g.beta[0] + l00 * z0;
    beta[2 * s + 1] = g.beta[1] + l10 * z0 + l11 * z1;
    sdB[s] = 0.5 + 0.5 * rng(); sdBT[s] = 1 + rng();
  }
  const draws = { nDraws: S, beta, sds: { sd_block__Intercept: sdB, 'sd_block:trt__Intercept': sdBT } };
  const model = poissonFit(g.beta, V);
  const m = meanDraws(model, draws, 'trt', { grid: trtGrid });
  assert.deepEqual(m.names, ['mean_trt[0]', 'mean_trt[1]']);
  for (const s of [0, 17, S - 1]) {
    assert.ok(rel(m.values[2 * s], Math.exp(beta[2 * s])) < 1e-15);
    assert.ok(rel(m.values[2 * s + 1], Math.exp(beta[2 * s] + beta[2 * s + 1])) < 1e-15);
  }
  const mm = meanDraws(model, draws, 'trt', { grid: trtGrid, type: 'marginal' });
  assert.ok(rel(mm.values[2 * 5], Math.exp(beta[10] + (sdB[5] ** 2 + sdBT[5] ** 2) / 2)) < 1e-15);
  const r = contrastDraws(model, draws, 'trt', { grid: trtGrid });
  assert.deepEqual(r.names, ['ratio_trt[1/0]']);
  assert.ok(rel(r.values[3], Math.exp(beta[7])) < 1e-15);
  // 2.5% quantile of the level-1 draws vs exp(η₁ − z·SE₁): the quantile's sampling SE on the η scale is
  // SE₁·√(p(1 − p)/S)/φ(z) = 0.0189·SE₁; allow 4 of those.
  const v1 = Array.from({ length: S }, (_, s) => Math.log(m.values[2 * s + 1])).sort((a, b) => a - b);
  const q = v1[Math.floor(0.025 * S)];
  const se1 = G.rcbd_poisson.emmeans_link[1].SE, eta1 = G.rcbd_poisson.emmeans_link[1].emmean;
  const mcse = se1 * Math.sqrt(0.025 * 0.975 / S) / (Math.exp(-Z975 * Z975 / 2) / Math.sqrt(2 * Math.PI));
  assert.ok(Math.abs(q - (eta1 - Z975 * se1)) < 4 * mcse, `${q} vs ${eta1 - Z975 * se1} (mcse ${mcse})`);
});

test('marginal means refuse random slopes; unknown reference levels are named', () => {
  const g = G.rcbd_poisson;
  assert.throws(() => dataScaleMeans(poissonFit(g.beta, g.vcov.flat(), { sd_block__amount: 1 }), 'trt', { grid: trtGrid, type: 'marginal' }), /sd_block__amount/);
  assert.throws(() => levelContrasts(poissonFit(g.beta, g.vcov.flat()), 'trt', { grid: trtGrid, reference: '7' }), /reference level '7'/);
});

test('Draws adapters: β and intercept sds picked by name, derived draws back in chain-major layout', async () => {
  const { parameterDrawsFrom, derivedToDraws } = await import('../../src/inference/means.js');
  // 2 chains × 3 draws of [sd_block__Intercept, b_trt1, lp__, b_Intercept]
  const names = ['sd_block__Intercept', 'b_trt1', 'lp__', 'b_Intercept'];
  const data = Float64Array.from({ length: 24 }, (_, i) => i / 10);
  const pd = parameterDrawsFrom({ nChains: 2, nDraws: 3, names, data }, ['b_Intercept', 'b_trt1']);
  assert.equal(pd.nDraws, 6);
  assert.deepEqual(Array.from(pd.beta.subarray(0, 4)), [0.3, 0.1, 0.7, 0.5]);
  assert.deepEqual(Array.from(pd.sds!.sd_block__Intercept.subarray(0, 2)), [0, 0.4]);
  const g = G.rcbd_poisson;
  const m = meanDraws(poissonFit(g.beta, g.vcov.flat()), pd, 'trt', { grid: trtGrid });
  const d = derivedToDraws(m, 2);
  assert.equal(d.nDraws, 3);
  assert.ok(rel(d.data[2 * 4 + 1], Math.exp(pd.beta[8] + pd.beta[9])) < 1e-15); // chain 1, draw 1, level 1
  assert.throws(() => parameterDrawsFrom({ nChains: 2, nDraws: 3, names, data }, ['b_x']), /'b_x'/);
});
