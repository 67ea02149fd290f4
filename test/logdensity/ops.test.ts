/**
 * float32 custom ops against the float64 special functions (themselves pinned to R in
 * test/base/special.test.ts): lgamma/digamma (relative 2e-6: Stirling at x + 6 truncates below
 * 2e-9, the rest is ~10 float32 roundings), log Φ (absolute 5e-7 + relative 2e-6: Numerical Recipes'
 * erfcc has fractional error < 1.2e-7), their gradients (ψ and φ/Φ), and the segment-sum gradient of
 * the column gather against the dense gather gradient.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend, tf } from '../../src/logdensity/tfjs.js';
import { buildColumnGather, digamma, lgamma, logNormCdf } from '../../src/logdensity/ops.js';
import { digamma as digamma64, lgamma as lgamma64 } from '../../base/gamma.js';
import { logPnorm, dnormStd, pnorm } from '../../base/normal.js';
import { checkTarget, centralDifference } from '../../src/logdensity/check.js';

test.before(async () => {
  await useBackend('cpu');
});

test('lgamma, digamma (float32) match float64 and lgamma′ = ψ', () => {
  const xs = [1e-3, 0.05, 0.5, 1, 1.5, 2.2, 4, 7.5, 13, 60, 500, 3e4, 1e6];
  const x = tf.tensor1d(xs);
  const lg = lgamma(x).dataSync();
  const dg = digamma(x).dataSync();
  const grad = tf.grad((t: tf.Tensor) => tf.sum(lgamma(t)))(x).dataSync();
  xs.forEach((v, i) => {
    assert.ok(Math.abs(lg[i] - lgamma64(v)) <= 2e-6 * Math.max(1, Math.abs(lgamma64(v))), `lgamma(${v}) ${lg[i]} vs ${lgamma64(v)}`);
    assert.ok(Math.abs(dg[i] - digamma64(v)) <= 2e-6 * Math.max(1, Math.abs(digamma64(v))), `digamma(${v}) ${dg[i]} vs ${digamma64(v)}`);
    assert.ok(Math.abs(grad[i] - digamma64(v)) <= 2e-6 * Math.max(1, Math.abs(digamma64(v))), `lgamma'(${v})`);
  });
  tf.dispose(x);
});

test('log Φ (float32) matches float64 from −30 to 8, gradient φ/Φ', () => {
  const xs = [-30, -12, -6, -3, -1, -0.2, 0, 0.3, 1.5, 4, 8];
  const x = tf.tensor1d(xs);
  const v = logNormCdf(x).dataSync();
  const g = tf.grad((t: tf.Tensor) => tf.sum(logNormCdf(t)))(x).dataSync();
  xs.forEach((z, i) => {
    const ref = logPnorm(z);
    assert.ok(Math.abs(v[i] - ref) <= 5e-7 + 2e-6 * Math.abs(ref), `logPhi(${z}) ${v[i]} vs ${ref}`);
    const dref = z < -5 ? Math.exp(-0.5 * z * z - 0.9189385332046727 - ref) : dnormStd(z) / pnorm(z);
    // exp(−z²/2 − c − log Φ) cancels two numbers of size z²/2 in float32: relative error ≈ 4u·z²
    assert.ok(Math.abs(g[i] - dref) <= (2e-6 + 2.4e-7 * z * z) * Math.max(1, Math.abs(dref)), `dlogPhi(${z}) ${g[i]} vs ${dref}`);
  });
  tf.dispose(x);
});

test('column gather: value = tf.gather, gradient = segment sums (levels missing at the end padded)', () => {
  const index = Int32Array.from([3, 0, 1, 3, 3, 0, 1, 1, 0]); // level 4 of 5 never used
  const g = buildColumnGather(index, 5);
  const x = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
  const w = tf.tensor2d([Array.from({ length: 9 }, (_, i) => i + 1), Array.from({ length: 9 }, (_, i) => 10 * (i + 1))]);
  assert.deepEqual(Array.from(g.gather(x).dataSync()), Array.from(tf.gather(x, Array.from(index), 1).dataSync()));
  const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(g.gather(t), w)))(x).dataSync();
  const expect = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]];
  index.forEach((lvl, i) => {
    expect[0][lvl] += i + 1;
    expect[1][lvl] += 10 * (i + 1);
  });
  assert.deepEqual(Array.from(grad), expect.flat());
  tf.dispose([x, w]);
  g.dispose();
});

test('checkTarget reports the errors of a target against its reference (a known-wrong gradient is caught)', () => {
  const ref = (q: Float64Array) => -0.5 * (q[0] * q[0] + 4 * q[1] * q[1]);
  const good = { dim: 2, logDensity: (q: Float64Array) => ({ logp: Float64Array.of(ref(q)), grad: Float64Array.of(-q[0], -4 * q[1]) }) };
  const bad = { dim: 2, logDensity: (q: Float64Array) => ({ logp: Float64Array.of(ref(q)), grad: Float64Array.of(-q[0], -2 * q[1]) }) };
  const q = Float64Array.of(0.3, -0.7);
  assert.ok(checkTarget(good, ref, q).maxGradError < 1e-8);
  const r = checkTarget(bad, ref, q);
  assert.equal(r.worst, 1);
  assert.ok(r.maxGradError > 0.4);
  assert.ok(Math.abs(centralDifference(ref, q)[1] - 2.8) < 1e-9);
});
