import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRng } from '../../src/sampler/rng.js';

test('same (seed, stream) gives the same sequence; other streams and seeds differ', () => {
  const a = makeRng(42, 0);
  const b = makeRng(42, 0);
  const c = makeRng(42, 1);
  const d = makeRng(43, 0);
  const xa = Array.from({ length: 20 }, () => a.normal() + a.uniform());
  const xb = Array.from({ length: 20 }, () => b.normal() + b.uniform());
  const xc = Array.from({ length: 20 }, () => c.normal() + c.uniform());
  const xd = Array.from({ length: 20 }, () => d.normal() + d.uniform());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  assert.notDeepEqual(xa, xd);
});

test('uniform and normal moments within 4 standard errors (n = 200000)', () => {
  const n = 200000;
  const r = makeRng(7, 3);
  let su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0, lag = 0, prev = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    su2 += u * u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z ** 4;
    lag += z * prev; // the cached polar pair must not be correlated
    prev = z;
  }
  // Standard errors: uniform mean sd √(1/12), E[u²] sd √(1/5 − 1/9); normal mean 1, E[z²] sd √2, E[z⁴] sd √96, lag product sd 1.
  assert.ok(Math.abs(su / n - 0.5) < 4 * Math.sqrt(1 / 12 / n));
  assert.ok(Math.abs(su2 / n - 1 / 3) < 4 * Math.sqrt((1 / 5 - 1 / 9) / n));
  assert.ok(Math.abs(sn / n) < 4 * Math.sqrt(1 / n));
  assert.ok(Math.abs(sn2 / n - 1) < 4 * Math.sqrt(2 / n));
  assert.ok(Math.abs(sn4 / n - 3) < 4 * Math.sqrt(96 / n));
  assert.ok(Math.abs(lag / n) < 4 * Math.sqrt(1 / n));
});
