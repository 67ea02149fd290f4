/** ppcSummary on a hand-made y_rep whose quantiles and p-values are counted by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ppcSummary } from '../../src/inference/ppc.js';

test('per-observation quantiles, zero and ≥ proportions; statistic p-values', () => {
  // 2 observations, 1 chain × 5 draws; y = (0, 3)
  const y = [0, 3];
  const rows = [[0, 1], [0, 3], [1, 4], [2, 2], [0, 5]];
  const data = Float64Array.from(rows.flat());
  const s = ppcSummary(y, { nChains: 1, nDraws: 5, names: ['y_rep[1]', 'y_rep[2]'], data });
  const o1 = s.observations[0];
  // y_rep[1] sorted 0 0 0 1 2: R quantile(type 7) 5% = 0, 50% = 0, 95% = 1.8
  assert.equal(o1.q5, 0);
  assert.equal(o1.q50, 0);
  assert.ok(Math.abs(o1.q95 - 1.8) < 1e-14);
  assert.equal(o1.pZero, 0.6);
  assert.equal(o1.pGreaterEqual, 1);
  const o2 = s.observations[1];
  // y_rep[2] = 1 3 4 2 5 (sorted 1 2 3 4 5): 5% = 1.2, 95% = 4.8; ≥ 3 in 3 of 5
  assert.ok(Math.abs(o2.q5 - 1.2) < 1e-14 && Math.abs(o2.q95 - 4.8) < 1e-14);
  assert.equal(o2.pGreaterEqual, 0.6);
  assert.equal(o2.mean, 3);
  const st = Object.fromEntries(s.statistics.map((t) => [t.name, t]));
  // T(y): mean 1.5, max 3, prop_zero 0.5, sd = √4.5
  // draw means 0.5 1.5 2.5 2 2.5 → ≥ 1.5 in 4 of 5; maxes 1 3 4 2 5 → ≥ 3 in 3; prop_zero .5 .5 0 0 .5 → ≥ .5 in 3
  assert.equal(st.mean.observed, 1.5);
  assert.equal(st.mean.pValue, 0.8);
  assert.equal(st.max.pValue, 0.6);
  assert.equal(st.prop_zero.pValue, 0.6);
  // draw sds: √0.5, √4.5, √4.5, 0, √12.5 → ≥ √4.5 in 3
  assert.ok(Math.abs(st.sd.observed - Math.sqrt(4.5)) < 1e-15);
  assert.equal(st.sd.pValue, 0.6);
  assert.equal(s.nDraws, 5);
});
