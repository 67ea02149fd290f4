import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eightSchoolsNoncentered } from '../../validation/eight-schools.js';

test('eight-schools log density: gradient matches central finite differences (float64)', () => {
  const t = eightSchoolsNoncentered();
  const q = Float64Array.from([3.1, 0.7, -0.5, 1.2, 0.3, -1.1, 0.8, 0.05, -0.4, 1.7]);
  const { grad } = t.logDensity(q, 1);
  const h = 1e-6;
  for (let i = 0; i < t.dim; i++) {
    const a = Float64Array.from(q);
    const b = Float64Array.from(q);
    a[i] += h;
    b[i] -= h;
    const fd = (t.logDensity(a, 1).logp[0] - t.logDensity(b, 1).logp[0]) / (2 * h);
    assert.ok(Math.abs(fd - grad[i]) < 1e-6 * Math.max(1, Math.abs(fd)), `coordinate ${i}: ${grad[i]} vs ${fd}`);
  }
  // The log density at one point, by hand: normal(3.1|0,5), half-Cauchy(e^0.7|0,5), Jacobian 0.7, N(0,1)s, likelihood.
  const { y, sigma } = { y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] };
  let lp = -0.5 * (3.1 / 5) ** 2 - Math.log(1 + (Math.exp(0.7) / 5) ** 2) + 0.7;
  for (let j = 0; j < 8; j++) lp += -0.5 * q[2 + j] ** 2 - 0.5 * ((y[j] - 3.1 - Math.exp(0.7) * q[2 + j]) / sigma[j]) ** 2;
  assert.ok(Math.abs(t.logDensity(q, 1).logp[0] - lp) < 1e-12);
});
