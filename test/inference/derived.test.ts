/** deriveDraws, summarizeDerived (R type-7 quantiles) and the delta method against analytic answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaMethod, derivedAsDraws, deriveDraws, summarizeDerived } from '../../src/inference/derived.js';
import type { Draws } from '../../diagnostics/draws.js';

test('deriveDraws evaluates f per draw in chain-major order', () => {
  // 2 chains × 3 draws of (a, b): chain c draw d has a = 10c + d, b = 2
  const names = ['a', 'b'];
  const data = new Float64Array(12);
  for (let c = 0; c < 2; c++) for (let d = 0; d < 3; d++) { data[(c * 3 + d) * 2] = 10 * c + d; data[(c * 3 + d) * 2 + 1] = 2; }
  const draws: Draws = { nChains: 2, nDraws: 3, names, data };
  const v = deriveDraws(draws, 'a*b', (p) => p.a * p.b);
  assert.deepEqual([...v], [0, 2, 4, 20, 22, 24]);
  const d1 = derivedAsDraws(v, 'ab', draws);
  assert.deepEqual(d1.names, ['ab']);
  assert.equal(d1.data[4], 22);
});

test('summarizeDerived: mean, sd, R type-7 quantiles of 1..10', () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  const s = summarizeDerived(x, { nChains: 2, nDraws: 5 }, [0.25, 0.9]);
  // R: mean(1:10) = 5.5; sd(1:10) = 3.0276503540974917; quantile(1:10, c(.05,.5,.95,.25,.9)) = 1.45 5.5 9.55 3.25 9.1
  assert.equal(s.mean, 5.5);
  assert.ok(Math.abs(s.sd - 3.0276503540974917) < 1e-15);
  assert.ok(Math.abs(s.q5 - 1.45) < 1e-14);
  assert.equal(s.median, 5.5);
  assert.ok(Math.abs(s.q95 - 9.55) < 1e-14);
  assert.ok(Math.abs(s.quantiles[0].value - 3.25) < 1e-14);
  assert.ok(Math.abs(s.quantiles[1].value - 9.1) < 1e-14);
  // the two chains (1..5, 6..10) disagree: R-hat far above 1
  assert.ok(s.rhat > 1.5);
});

test('deltaMethod: exp(a) and a/b against the analytic gradient', () => {
  const est = { a: 0.7, b: -2.5, c: 9 };
  const V = [[0.04, 0.01], [0.01, 0.09]];
  const r1 = deltaMethod((p) => Math.exp(p.a), est, V, ['a', 'b']);
  assert.ok(Math.abs(r1.estimate - Math.exp(0.7)) < 1e-15);
  assert.ok(Math.abs(r1.se - Math.exp(0.7) * 0.2) / (Math.exp(0.7) * 0.2) < 1e-9);
  // z_0.975 = 1.959963984540054 (R qnorm(0.975))
  assert.ok(Math.abs(r1.upper - (r1.estimate + 1.959963984540054 * r1.se)) < 1e-12);
  const r2 = deltaMethod((p) => p.a / p.b, est, Float64Array.from([0.04, 0.01, 0.01, 0.09]), ['a', 'b'], 0.9);
  const g = [1 / est.b, -est.a / (est.b * est.b)];
  const se = Math.sqrt(g[0] * g[0] * 0.04 + 2 * g[0] * g[1] * 0.01 + g[1] * g[1] * 0.09);
  assert.ok(Math.abs(r2.gradient[0] - g[0]) < 1e-9 && Math.abs(r2.gradient[1] - g[1]) < 1e-9);
  assert.ok(Math.abs(r2.se - se) / se < 1e-9);
  // z_0.95 = 1.6448536269514722 (R qnorm(0.95))
  assert.ok(Math.abs(r2.lower - (r2.estimate - 1.6448536269514722 * se)) < 1e-9);
  assert.throws(() => deltaMethod((p) => p.a, est, V, ['a', 'zz']));
});
