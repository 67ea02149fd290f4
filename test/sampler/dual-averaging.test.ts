import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dualAveraging } from '../../src/sampler/adaptation/dual-averaging.js';

test('dual averaging matches hand-computed iterations of Stan learn_stepsize (δ=0.8, γ=0.05, t0=10, κ=0.75, μ=log 10)', () => {
  // Golden values: Stan's stepsize_adaptation.hpp formulas evaluated by hand in Python 3 (float64),
  // accept stats 0.9, 0.5, 1.2 (clipped to 1), 0.0; checked by hand to 6 digits for t = 1, 2.
  const expected = [
    { sBar: -0.009090909090909089, x: 2.4844032748122276, xBar: 2.4844032748122276 },
    { sBar: 0.01666666666666667, x: 1.8311805722030141, xBar: 2.095994732000136 },
    { sBar: 6.938893903907228e-18, x: 2.3025850929940455, xBar: 2.186624133810322 },
    { sBar: 0.05714285714285715, x: 0.016870807279760314, xBar: 1.4195004884644074 },
  ];
  const da = dualAveraging();
  let s = da.init(Math.log(10));
  assert.equal(s.t, 0);
  [0.9, 0.5, 1.2, 0.0].forEach((a, i) => {
    s = da.update(s, a);
    assert.equal(s.t, i + 1);
    assert.ok(Math.abs(s.sBar - expected[i].sBar) < 1e-15, `sBar at t=${i + 1}`);
    assert.ok(Math.abs(s.x - expected[i].x) < 1e-14, `x at t=${i + 1}`);
    assert.ok(Math.abs(s.xBar - expected[i].xBar) < 1e-14, `xBar at t=${i + 1}`);
  });
  assert.ok(Math.abs(da.final(s) - 4.135054416911554) < 1e-13);
});

test('dual averaging restarts at a new μ and honours δ', () => {
  const da = dualAveraging({ delta: 0.95 });
  const s = da.update(da.init(Math.log(2)), 0.95);
  // δ − a = 0 so s̄ = 0 and x = μ exactly.
  assert.equal(s.sBar, 0);
  assert.equal(s.x, Math.log(2));
});
