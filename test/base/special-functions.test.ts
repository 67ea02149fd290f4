import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from '../diagnostics/fixture.js';
import { qnorm } from '../../base/normal.js';
import { qbeta, pbeta } from '../../base/beta.js';
import { lbeta, lgamma } from '../../base/gamma.js';

// Golden values: R 4.2.2 stats::qnorm/qbeta/pbeta/lbeta written with 17 significant digits by
// test/fixtures/special-functions-reference.R.
const ref = readFixture<{
  qnorm: { p: string; q: string }[];
  qbeta: { p: string; a: string; b: string; qbeta: string; pbeta_at_0_3?: string; 'pbeta_at_0.3': string; lbeta: string }[];
}>('special-functions-reference.json');

function rel(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}

test('qnorm matches R (AS 241) to 1e-15', () => {
  for (const { p, q } of ref.qnorm) assert.ok(rel(qnorm(+p), +q) < 1e-15, `p=${p}: ${qnorm(+p)} vs ${q}`);
  assert.equal(qnorm(0), -Infinity);
  assert.equal(qnorm(1), Infinity);
  assert.ok(Number.isNaN(qnorm(1.5)));
});

test('lbeta, pbeta and qbeta match R', () => {
  for (const r of ref.qbeta) {
    const [p, a, b] = [+r.p, +r.a, +r.b];
    assert.ok(rel(lbeta(a, b), +r.lbeta) < 1e-13, `lbeta(${a},${b}) = ${lbeta(a, b)} vs ${r.lbeta}`);
    const pb = +r['pbeta_at_0.3'];
    // relative error where the probability is representable; absolute 1e-300 floor for underflow
    assert.ok(Math.abs(pbeta(0.3, a, b) - pb) <= 1e-12 * pb + 1e-300, `pbeta(0.3,${a},${b}) = ${pbeta(0.3, a, b)} vs ${pb}`);
    assert.ok(rel(qbeta(p, a, b), +r.qbeta) < 1e-12, `qbeta(${p},${a},${b}) = ${qbeta(p, a, b)} vs ${r.qbeta}`);
  }
});

test('lgamma at integers is log factorial; qbeta inverts pbeta', () => {
  let lf = 0;
  for (let n = 1; n <= 30; n++) {
    assert.ok(Math.abs(lgamma(n) - lf) <= 1e-14 * Math.max(1, lf), `lgamma(${n})`);
    lf += Math.log(n);
  }
  // lgamma(0.5) = lgamma(10.5) − log(0.5·1.5·…·9.5): the difference of two numbers near 14 loses
  // a few ulps of 14 (≈ 2e-15 each), so absolute 1e-14
  assert.ok(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  for (const [a, b] of [[2, 3], [50.5, 400], [1, 1]]) {
    for (const p of [0.01, 0.1586553, 0.5, 0.8413447, 0.99]) {
      // pbeta's log prefactor a·log x + b·log1p(−x) − lbeta(a,b) sums terms up to ~150 in size, each
      // carrying ~1 ulp (3e-14), so I_x itself is good to ~1e-13 relative: the round trip cannot be closer
      const x = qbeta(p, a, b);
      const err = Math.abs(pbeta(x, a, b) - p);
      const bound = 4 * 2.2e-16 * (Math.abs(a * Math.log(x)) + Math.abs(b * Math.log1p(-x)) + Math.abs(lbeta(a, b)) + 1);
      assert.ok(err < bound, `a=${a} b=${b} p=${p}: ${err} ≥ ${bound}`);
    }
  }
  // uniform: I_x = x, computed by the continued fraction to a few ulps
  assert.ok(Math.abs(qbeta(0.3, 1, 1) - 0.3) < 4e-15);
});
