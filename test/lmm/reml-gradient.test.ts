/**
 * The analytic gradient of the profiled REML/ML criterion (src/lmm/reml-gradient.ts, traces by
 * src/linalg/blocked-selinv.ts) against central differences of the criterion itself, on crossed
 * (Penicillin; the InstEval subset of test/fixtures/sparse with three terms, the first block diagonal)
 * and single-term designs, at θ away from the optimum; and the bounded BFGS that uses it leaving a
 * bound where an even function has a maximum (as the Hessian fly's REML criterion has at θ = 0: lmm.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { buildProfiledCriterion } from '../../src/lmm/reml.js';
import { quasiNewton } from '../../src/linalg/quasi-newton.js';

const dir = 'test/fixtures/sparse';
const pen = (f: string) => buildDesign(f, readCsvFile(`${dir}/lme4_Penicillin.csv`, { factors: ['plate', 'sample'] }), 'gaussian');
const designs = {
  penicillin: pen('diameter ~ 1 + (1|plate) + (1|sample)'),
  single: pen('diameter ~ 1 + (1|plate)'),
  insteval_subset: buildDesign('y ~ service + (1|s) + (1|d) + (1|dept:service)', readCsvFile(`${dir}/insteval_subset.csv`, { factors: ['s', 'd', 'service', 'dept'] }), 'gaussian'),
};

for (const [name, design] of Object.entries(designs)) {
  for (const reml of [true, false]) {
    test(`${name} ${reml ? 'REML' : 'ML'}: the analytic gradient equals central differences (h 1e-5) to 1e-6 relative`, () => {
      const { layout, evaluate, hasGradient } = buildProfiledCriterion(design, reml);
      assert.ok(hasGradient);
      const th = Float64Array.from(layout.theta0, (_, i) => 0.3 + 0.4 * i);
      const g = new Float64Array(th.length);
      evaluate(th).gradient?.(g);
      th.forEach((_, i) => {
        const a = Float64Array.from(th), b = Float64Array.from(th);
        a[i] += 1e-5; b[i] -= 1e-5;
        const fd = (evaluate(a).criterion - evaluate(b).criterion) / 2e-5;
        // central differences: truncation ~h²·f''' and rounding ~ε|f|/h, both below 1e-6 of these slopes (|g| > 10)
        assert.ok(Math.abs(g[i] - fd) <= 1e-6 * Math.abs(fd) + 1e-5, `θ${i}: ${g[i]} vs ${fd}`);
      });
    });
  }
}

test('quasiNewton: started at a bound where an even function has its maximum and no gradient, it probes inside and reaches the minimum at √2', () => {
  // f(x) = −x² + x⁴/4 is even, has a maximum at 0 and minima at ±√2; started at the bound 0, where the gradient is 0
  const fg = (x: Float64Array) => ({ value: -(x[0] ** 2) + x[0] ** 4 / 4, gradient: (g: Float64Array) => { g[0] = -2 * x[0] + x[0] ** 3; } });
  const r = quasiNewton(fg, [0], { lower: [0] });
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0] - Math.SQRT2) < 1e-6, `x ${r.x[0]}`);
});
