/**
 * The cumulative family (models/families/cumulative.ts) against R and itself: logLik at μ = η equals R's
 * log P(y = k) (test/fixtures/families/cumulative.json), its derivatives in η and each threshold equal
 * finite differences, the plain-JS row terms in the unconstrained thresholds (ordered transform) equal
 * finite differences of logLik through the transform, simulated categories have the model's
 * probabilities, and the family is specialised per link.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { familyFor } from '../../models/families/getFamily.js';
import { categoryProbs, latentCdf } from '../../models/families/cumulative-math.js';
import { repoRoot } from '../architecture/graph.js';

interface Points { theta: number[]; eta: number[]; y: number[]; logp: number[] }
const golden = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/families/cumulative.json'), 'utf8')) as { pointwise: Record<'logit' | 'probit', Points> };
const theta = [-1.6, 1.5, 4.2, 6.1];
/** The ordered transform's inverse: u = (θ_1, log(θ_k − θ_{k−1})). */
const uOf = (t: number[]) => Float64Array.from(t, (v, k) => (k === 0 ? v : Math.log(v - t[k - 1])));
const thetaOf = (u: ArrayLike<number>) => {
  const t: number[] = [];
  for (let k = 0; k < u.length; k++) t.push(k === 0 ? u[0] : t[k - 1] + Math.exp(u[k]));
  return t;
};

for (const link of ['logit', 'probit'] as const) {
  const { family: f, meanLink } = familyFor('cumulative', link);

  test(`cumulative/${link}: μ is η, and logLik equals R's log P at every golden point (rel 1e-12)`, () => {
    assert.equal(meanLink, 'identity');
    const p = golden.pointwise[link];
    p.y.forEach((y, i) => {
      const v = f.logLik(y, p.eta[i], p.theta, 1);
      assert.ok(Math.abs(v - p.logp[i]) <= 1e-12 * Math.abs(p.logp[i]) + 1e-300, `y=${y} eta=${p.eta[i]}: ${v} vs ${p.logp[i]}`);
    });
  });

  test(`cumulative/${link}: dLogLikDmu, d2LogLikDmu2 and dLogLikDpar equal finite differences`, () => {
    const h = 1e-5;
    for (const eta of [-2, 0.4, 3.1]) {
      for (let y = 1; y <= 5; y++) {
        const d1 = (f.logLik(y, eta + h, theta, 1) - f.logLik(y, eta - h, theta, 1)) / (2 * h);
        assert.ok(Math.abs(f.dLogLikDmu(y, eta, theta, 1) - d1) < 1e-7 * Math.max(1, Math.abs(d1)));
        const d2 = (f.dLogLikDmu(y, eta + h, theta, 1) - f.dLogLikDmu(y, eta - h, theta, 1)) / (2 * h);
        assert.ok(Math.abs(f.d2LogLikDmu2(y, eta, theta, 1) - d2) < 1e-7 * Math.max(1, Math.abs(d2)));
        for (let k = 0; k < 4; k++) {
          const tp = theta.map((t, j) => (j === k ? t + h : t));
          const tm = theta.map((t, j) => (j === k ? t - h : t));
          const dk = (f.logLik(y, eta, tp, 1) - f.logLik(y, eta, tm, 1)) / (2 * h);
          assert.ok(Math.abs(f.dLogLikDpar(y, eta, theta, 1, k) - dk) < 1e-7 * Math.max(1, Math.abs(dk)), `y=${y} k=${k}`);
        }
      }
    }
  });

  test(`cumulative/${link}: the plain-JS row terms in the unconstrained thresholds equal finite differences`, () => {
    const y = Float64Array.from([1, 2, 3, 4, 5, 3, 2]);
    const js = f.jsLikelihood(link, y, new Float64Array(y.length).fill(1));
    const u = uOf(theta);
    const out = new Float64Array(2 + u.length);
    const o2 = new Float64Array(2 + u.length);
    const h = 1e-6;
    for (let i = 0; i < y.length; i++) {
      const eta = -1 + 0.9 * i;
      js.row(i, eta, u, out);
      assert.ok(Math.abs(out[0] - f.logLik(y[i], eta, theta, 1)) < 1e-13);
      const dEta = (f.logLik(y[i], eta + h, theta, 1) - f.logLik(y[i], eta - h, theta, 1)) / (2 * h);
      assert.ok(Math.abs(out[1] - dEta) < 1e-7);
      for (let k = 0; k < u.length; k++) {
        const up = Float64Array.from(u, (v, j) => (j === k ? v + h : v));
        const um = Float64Array.from(u, (v, j) => (j === k ? v - h : v));
        const fd = (f.logLik(y[i], eta, thetaOf(up), 1) - f.logLik(y[i], eta, thetaOf(um), 1)) / (2 * h);
        assert.ok(Math.abs(out[2 + k] - fd) < 1e-7 * Math.max(1, Math.abs(fd)), `row ${i} u${k + 1}: ${out[2 + k]} vs ${fd}`);
      }
      // a second call with the same u reuses the thresholds, a changed u recomputes them
      js.row(i, eta, Float64Array.from(u, (v, j) => (j === 0 ? v + 0.5 : v)), o2);
      assert.ok(Math.abs(o2[0] - f.logLik(y[i], eta, theta.map((t) => t + 0.5), 1)) < 1e-13);
    }
  });

  test(`cumulative/${link}: simulated categories have the model's probabilities (20,000 draws, 5 MCSE); mean and variance`, () => {
    const rng = seedrandom(`cumulative-${link}`);
    const eta = 1.3;
    const S = 20000;
    const p = categoryProbs(latentCdf(link), eta, theta);
    const count = new Float64Array(5);
    for (let s = 0; s < S; s++) count[f.simulate(rng, eta, theta, 1) - 1]++;
    p.forEach((pk, k) => assert.ok(Math.abs(count[k] / S - pk) <= 5 * Math.sqrt(pk * (1 - pk) / S) + 1e-12, `category ${k + 1}`));
    const m = p.reduce((a, pk, k) => a + (k + 1) * pk, 0);
    assert.ok(Math.abs(f.mean(eta, theta, 1) - m) < 1e-14);
    assert.ok(Math.abs(f.variance(eta, theta, 1) - (p.reduce((a, pk, k) => a + (k + 1) ** 2 * pk, 0) - m * m)) < 1e-13);
  });

  test(`cumulative/${link}: the Laplace start puts θ_k at F⁻¹ of the share of y ≤ k`, () => {
    const y = Float64Array.from([1, 1, 2, 3, 3, 3, 4, 5]);
    const s = Array.from(f.params[0].start(y, 4));
    const q = link === 'logit' ? (pp: number) => Math.log(pp / (1 - pp)) : null;
    if (q) [2 / 8, 3 / 8, 6 / 8, 7 / 8].forEach((pp, k) => assert.ok(Math.abs(s[k] - q(pp)) < 1e-12));
    for (let k = 1; k < 4; k++) assert.ok(s[k] > s[k - 1]);
  });
}
