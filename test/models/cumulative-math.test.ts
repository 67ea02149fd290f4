/**
 * The cumulative model's float64 math (models/families/cumulative-math.ts) against R: log P(y = k) at the
 * points of test/fixtures/families/cumulative.json (differences of plogis/pnorm in log space, far tails
 * included; script cumulative.R beside it), its derivatives in η and in each threshold against central
 * finite differences, and the category probabilities summing to 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoryProbs, categoryTerms, fisherInfoEta, latentCdf, logPCategory } from '../../models/families/cumulative-math.js';
import { repoRoot } from '../architecture/graph.js';

interface Points { theta: number[]; eta: number[]; y: number[]; logp: number[] }
const golden = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/families/cumulative.json'), 'utf8')) as { pointwise: Record<'logit' | 'probit', Points> };

for (const link of ['logit', 'probit'] as const) {
  test(`${link}: log P(y = k) equals R's at every golden point, far tails included (rel 1e-12)`, () => {
    const c = latentCdf(link);
    const p = golden.pointwise[link];
    assert.ok(p.y.length >= 10);
    p.y.forEach((y, i) => {
      const v = logPCategory(c, y, p.eta[i], p.theta);
      const want = p.logp[i];
      assert.ok(Math.abs(v - want) <= 1e-12 * Math.abs(want) + 1e-300, `y=${y} eta=${p.eta[i]}: ${v} vs R ${want}`);
    });
  });

  test(`${link}: ∂/∂η, ∂/∂θ and ∂²/∂η² equal central finite differences`, () => {
    const c = latentCdf(link);
    const theta = [-1.6, 1.5, 4.2, 6.1];
    const out = new Float64Array(5);
    const o2 = new Float64Array(5);
    const h = 1e-5;
    for (const eta of [-4, -1, 0.3, 2.9, 5, 9]) {
      for (let y = 1; y <= 5; y++) {
        categoryTerms(c, y, eta, theta, out);
        assert.ok(Math.abs(out[0] - logPCategory(c, y, eta, theta)) < 1e-15);
        const fd = (f: (d: number) => number) => (f(h) - f(-h)) / (2 * h);
        const dEta = fd((d) => logPCategory(c, y, eta + d, theta));
        const tol = (v: number) => 1e-7 * Math.max(1, Math.abs(v));
        assert.ok(Math.abs(out[1] - dEta) < tol(dEta), `y=${y} eta=${eta} d/deta ${out[1]} vs ${dEta}`);
        const d2 = fd((d) => (categoryTerms(c, y, eta + d, theta, o2), o2[1]));
        assert.ok(Math.abs(out[4] - d2) < tol(d2), `y=${y} eta=${eta} d2/deta2 ${out[4]} vs ${d2}`);
        // thresholds: only θ_{y−1} (slot 2) and θ_y (slot 3) move P(y)
        for (let k = 0; k < 4; k++) {
          const dk = fd((d) => logPCategory(c, y, eta, theta.map((t, j) => (j === k ? t + d : t))));
          const want = k === y - 2 ? out[2] : k === y - 1 ? out[3] : 0;
          assert.ok(Math.abs(want - dk) < tol(dk), `y=${y} eta=${eta} d/dtheta${k + 1} ${want} vs ${dk}`);
        }
      }
    }
  });

  test(`${link}: the Fisher information E[score²] equals −E[∂² log P/∂η²] (the information identity)`, () => {
    const c = latentCdf(link);
    const theta = [-1.6, 1.5, 4.2, 6.1];
    const out = new Float64Array(5);
    for (const eta of [-3, 0.5, 2.2, 7]) {
      let minusE2 = 0;
      for (let k = 1; k <= 5; k++) {
        categoryTerms(c, k, eta, theta, out);
        minusE2 -= Math.exp(out[0]) * out[4];
      }
      const info = fisherInfoEta(c, eta, theta);
      assert.ok(info > 0 && Math.abs(info - minusE2) < 1e-12 * Math.max(1, info), `eta=${eta}: ${info} vs ${minusE2}`);
    }
  });

  test(`${link}: the category probabilities sum to 1 and an unordered θ gives −∞`, () => {
    const c = latentCdf(link);
    for (const eta of [-30, -2, 0, 3.3, 40]) {
      const p = categoryProbs(c, eta, [-1.6, 1.5, 4.2, 6.1]);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-14, `eta=${eta}`);
    }
    assert.equal(logPCategory(c, 2, 0, [1, 0.5, 2]), -Infinity);
  });
}
