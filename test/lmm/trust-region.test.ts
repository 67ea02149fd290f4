/**
 * The lmer θ optimizer (src/lmm/trust-region.ts) on functions with known minima: a quadratic, an even
 * function whose minimum is on the bound 0 (a singular fit's shape), and a constant (nothing to gain:
 * the loop must still end — a degenerate criterion once made it revisit known points forever).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trustRegion } from '../../src/lmm/trust-region.js';

test('a quadratic: its minimum to 1e-6', () => {
  const f = (x: Float64Array) => 3 * (x[0] - 0.3) ** 2 + (x[1] + 0.2) ** 2 + (x[0] - 0.3) * (x[1] + 0.2) + 5;
  const r = trustRegion(f, [1, 1]);
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0] - 0.3) < 1e-6 && Math.abs(r.x[1] + 0.2) < 1e-6, `${r.x}`);
  assert.ok(r.evaluations < 60, `${r.evaluations} evaluations`);
});

test('an even function with its minimum on the bound: the step stops at 0 instead of crossing it', () => {
  const f = (x: Float64Array) => (x[0] * x[0] + 0.1) ** 2 + (x[1] - 1) ** 2;
  const r = trustRegion(f, [1, 0], { lower: [0, -Infinity] });
  assert.ok(r.converged);
  assert.ok(r.x[0] >= 0 && r.x[0] < 1e-3, `${r.x[0]}`);
  assert.ok(Math.abs(r.x[1] - 1) < 1e-6);
});

test('a constant: ends, at the start', () => {
  const r = trustRegion(() => 1, [1, 1, 1], { lower: [0, 0, 0] });
  assert.ok(r.evaluations < 200, `${r.evaluations}`);
  assert.equal(r.value, 1);
});
