import { test } from 'node:test';
import assert from 'node:assert/strict';
import { welfordInvMetric } from '../../src/sampler/adaptation/welford.js';

// Five points in 2-D. Two-pass sample (co)variances by hand: x = [1, 2, 4, 7, 11] has mean 5 and
// Σ(x−5)² = 16+9+1+4+36 = 66 → var 16.5; y = [0, 1, 0, 3, 1] has mean 1, Σ(y−1)² = 1+0+1+4+0 = 6 → 1.5;
// Σ(x−5)(y−1) = 4+0+1+4+0 = 9 → cov 2.25. Stan's regularisation with n = 5: A = (5/10)·S + 1e-3·(5/10).
const pts = [[1, 0], [2, 1], [4, 0], [7, 3], [11, 1]];

test('Welford diag variance with Stan regularisation (var_adaptation.hpp)', () => {
  const w = welfordInvMetric('diag', 2);
  let s = w.init();
  for (const p of pts) s = w.update(s, Float64Array.from(p));
  assert.equal(s.n, 5);
  assert.deepEqual(Array.from(s.mean), [5, 1]);
  const a = w.final(s);
  assert.ok(Math.abs(a[0] - (0.5 * 16.5 + 0.0005)) < 1e-12);
  assert.ok(Math.abs(a[1] - (0.5 * 1.5 + 0.0005)) < 1e-12);
});

test('Welford dense covariance with Stan regularisation (covar_adaptation.hpp), symmetric', () => {
  const w = welfordInvMetric('dense', 2);
  let s = w.init();
  for (const p of pts) s = w.update(s, Float64Array.from(p));
  const a = Array.from(w.final(s));
  const expected = [0.5 * 16.5 + 0.0005, 0.5 * 2.25, 0.5 * 2.25, 0.5 * 1.5 + 0.0005];
  a.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `entry ${i}: ${v}`));
  assert.throws(() => w.final(w.update(w.init(), Float64Array.from([1, 2]))), /at least 2/);
});
