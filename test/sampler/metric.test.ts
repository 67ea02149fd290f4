import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityInvMetric, makeMetric } from '../../src/sampler/metric.js';
import { makeRng } from '../../src/sampler/rng.js';

const A = Float64Array.from([2, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 0.5]);

test('dense metric: p♯ = A p and T = ½ pᵀ A p', () => {
  const m = makeMetric('dense', A);
  const p = Float64Array.from([1, -2, 3]);
  const ps = new Float64Array(3);
  m.sharp(p, ps);
  // A p by hand: [2 − 1.2 − 0.9, 0.6 − 2 + 0.6, −0.3 − 0.4 + 1.5]
  assert.deepEqual(Array.from(ps).map((x) => +x.toFixed(12)), [-0.1, -0.8, 0.8]);
  assert.ok(Math.abs(m.kinetic(p) - 0.5 * (1 * -0.1 + -2 * -0.8 + 3 * 0.8)) < 1e-14);
});

test('momentum covariance is the metric M = A⁻¹ (dense) and 1/A (diag), within 4 standard errors', () => {
  // Cov(p) = A⁻¹ (Stan's dense_e_metric sample_p). Check E[p pᵀ A] = I: each entry of (p pᵀ) A has
  // mean δ_ij; its sd is estimated from the same draws.
  const n = 40000;
  const rng = makeRng(11, 0);
  const m = makeMetric('dense', A);
  const p = new Float64Array(3);
  const ps = new Float64Array(3);
  const s1 = new Float64Array(9);
  const s2 = new Float64Array(9);
  for (let k = 0; k < n; k++) {
    m.sampleMomentum(rng, p);
    m.sharp(p, ps);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const v = p[i] * ps[j];
      s1[i * 3 + j] += v;
      s2[i * 3 + j] += v * v;
    }
  }
  for (let i = 0; i < 9; i++) {
    const mean = s1[i] / n;
    const se = Math.sqrt((s2[i] / n - mean * mean) / n);
    const target = i % 4 === 0 ? 1 : 0;
    assert.ok(Math.abs(mean - target) < 4 * se, `entry ${i}: ${mean} ± ${se}`);
  }
  const d = makeMetric('diag', Float64Array.from([4, 0.25]));
  const q = new Float64Array(2);
  let v0 = 0, v1 = 0;
  for (let k = 0; k < n; k++) {
    d.sampleMomentum(rng, q);
    v0 += q[0] * q[0];
    v1 += q[1] * q[1];
  }
  // Var(p_i) = 1/A_ii; the sample second moment has sd √2·(1/A_ii)/√n.
  assert.ok(Math.abs(v0 / n - 0.25) < 4 * Math.SQRT2 * 0.25 / Math.sqrt(n));
  assert.ok(Math.abs(v1 / n - 4) < 4 * Math.SQRT2 * 4 / Math.sqrt(n));
});

test('identity inverse metrics and bad metrics', () => {
  assert.deepEqual(Array.from(identityInvMetric('dense', 2)), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(identityInvMetric('diag', 2)), [1, 1]);
  assert.throws(() => makeMetric('diag', Float64Array.from([1, 0])), /finite and positive/);
  assert.throws(() => makeMetric('dense', Float64Array.from([1, 2, 2, 1])), /positive definite/);
});
