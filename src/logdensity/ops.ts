/**
 * Custom tfjs ops the log density needs and tfjs lacks (float32):
 * lgamma and digamma (tf.customGrad: lgamma' = digamma), log Φ (stable in the lower tail), and a
 * column gather whose gradient is a one-pass segment sum (tfjs's default gather gradient is
 * O(n · levels) on the cpu backend and its UnsortedSegmentSum kernel is missing on wasm), and its
 * fast form for rows grouped in equal blocks by level.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { LOG_SQRT_2PI } from '../../base/constants.js';

type GradFn = (dy: Tensor, saved: Tensor[]) => Tensor[];
/** tf.customGrad with the (x, save) signature typed loosely (tfjs's CustomGradientFunc is variadic). */
function unaryCustom(fn: (x: Tensor, save: (ts: Tensor[]) => void) => { value: Tensor; gradFunc: GradFn }): (x: Tensor) => Tensor {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: Tensor) => Tensor;
}

/**
 * Stirling's series for log Γ(z), z ≥ 6: (z − ½) log z − z + ½ log 2π + 1/(12z) − 1/(360z³) + 1/(1260z⁵)
 * (truncation < 2e-9 at z = 6, below float32 resolution).
 */
function stirling(z: Tensor): Tensor {
  const r = tf.reciprocal(z);
  const r2 = tf.square(r);
  const series = tf.mul(r, tf.add(1 / 12, tf.mul(r2, tf.add(-1 / 360, tf.mul(r2, 1 / 1260)))));
  return tf.add(tf.sub(tf.mul(tf.sub(z, 0.5), tf.log(z)), z), tf.add(series, LOG_SQRT_2PI));
}

/**
 * Digamma ψ(x) for x > 0 in float32: ψ(x) = ψ(x + 6) − Σ_{k=0}^{5} 1/(x + k) with the asymptotic series
 * ψ(z) ≈ log z − 1/(2z) − 1/(12z²) + 1/(120z⁴) − 1/(252z⁶) at z = x + 6 (A&S 6.3.18; error < 1e-8).
 */
export function digamma(x: Tensor): Tensor {
  return tf.tidy(() => {
    let shift = tf.reciprocal(x);
    for (let k = 1; k < 6; k++) shift = tf.add(shift, tf.reciprocal(tf.add(x, k)));
    const z = tf.add(x, 6);
    const r2 = tf.reciprocal(tf.square(z));
    const series = tf.mul(r2, tf.add(1 / 12, tf.mul(r2, tf.add(-1 / 120, tf.mul(r2, 1 / 252)))));
    return tf.sub(tf.sub(tf.log(z), tf.add(tf.div(0.5, z), series)), shift);
  });
}

/**
 * log Γ(x) for x > 0 in float32 (value only): lgamma(x) = stirling(x + 6) − log(x(x+1)(x+2))
 * − log((x+3)(x+4)(x+5)) (the split keeps the products finite up to x ≈ 7e12).
 */
export function lgammaValue(x: Tensor): Tensor {
  const p1 = tf.mul(tf.mul(x, tf.add(x, 1)), tf.add(x, 2));
  const p2 = tf.mul(tf.mul(tf.add(x, 3), tf.add(x, 4)), tf.add(x, 5));
  return tf.sub(stirling(tf.add(x, 6)), tf.add(tf.log(p1), tf.log(p2)));
}

/** log Γ(x) as a differentiable op: value lgammaValue, gradient ψ(x) (tf.customGrad). */
export const lgamma = unaryCustom((x, save) => {
  save([x]);
  return { value: lgammaValue(x), gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.mul(dy, digamma(saved[0]))] };
});

/**
 * log Φ(η) in float32 for any η: with z = |η|/√2 and the Chebyshev fit of Numerical Recipes' erfcc
 * (fractional error < 1.2e-7 everywhere), log erfc(z) = log t − z² + P(t), t = 1/(1 + z/2);
 * log Φ(η) = log ½ + log erfc(z) for η < 0 and log1p(−½ erfc(z)) for η ≥ 0.
 * Gradient φ(η)/Φ(η) = exp(−η²/2 − ½ log 2π − log Φ(η)).
 */
export function logNormCdfValue(x: Tensor): Tensor {
  const z = tf.mul(tf.abs(x), Math.SQRT1_2);
  const t = tf.reciprocal(tf.add(tf.mul(z, 0.5), 1));
  const c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
  let poly: Tensor = tf.mul(t, c[9]);
  for (let i = 8; i >= 1; i--) poly = tf.mul(t, tf.add(poly, c[i]));
  poly = tf.add(poly, c[0]);
  const logErfc = tf.add(tf.sub(tf.log(t), tf.square(z)), poly);
  const lower = tf.add(logErfc, Math.log(0.5));
  const upper = tf.log1p(tf.mul(tf.exp(logErfc), -0.5));
  return tf.where(tf.less(x, 0), lower, upper);
}

/** log Φ as a differentiable op (tf.customGrad with the gradient above). */
export const logNormCdf = unaryCustom((x, save) => {
  const value = logNormCdfValue(x);
  save([x, value]);
  return {
    value,
    gradFunc: (dy: Tensor, [xs, v]: Tensor[]) => [tf.mul(dy, tf.exp(tf.sub(tf.mul(tf.square(xs), -0.5), tf.add(v, LOG_SQRT_2PI))))],
  };
});

/**
 * Builds `gather(x)`: x [C, L] → x[:, index] [C, n], whose gradient dy [C, n] → [C, L] is one
 * segment sum over the rows sorted by level (tf.sparse.sparseSegmentSum, on both cpu and wasm).
 * The index tensors are created once here; call `dispose()` to free them.
 */
export function buildColumnGather(index: Int32Array, nLevels: number): {
  gather: (x: Tensor) => Tensor;
  segmentSum: (dy: Tensor) => Tensor;
  dispose: () => void;
} {
  const n = index.length;
  const perm = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => index[a] - index[b] || a - b);
  const sorted = Int32Array.from(perm, (i) => index[i]);
  const maxLevel = n > 0 ? sorted[n - 1] : -1;
  const idxT = tf.tensor1d(index, 'int32');
  const permT = tf.tensor1d(perm, 'int32');
  const sortedT = tf.tensor1d(sorted, 'int32');
  /** dy [C, n] → [C, nLevels]: Σ of dy over the rows of each level. */
  const segmentSum = (dy: Tensor): Tensor => {
    let g = tf.sparse.sparseSegmentSum(tf.transpose(dy), permT, sortedT); // [maxLevel + 1, C]
    if (maxLevel + 1 < nLevels) g = tf.pad(g, [[0, nLevels - maxLevel - 1], [0, 0]]);
    return tf.transpose(g);
  };
  const gather = unaryCustom(((x: Tensor) => ({ value: tf.gather(x, idxT, 1), gradFunc: (dy: Tensor) => [segmentSum(dy)] })) as never);
  return { gather, segmentSum, dispose: () => tf.dispose([idxT, permT, sortedT]) };
}

/**
 * The column gather for rows ordered by level in equal blocks (rows j·m … j·m + m − 1 belong to level j,
 * L·m = n): x [C, L] → [C, n] by a broadcast multiply with ones [1, L, m], gradient dy [C, n] → [C, L]
 * by a sum over each block. On wasm, with 64 chains × 100,000 rows, the general gather takes ~400 ms and
 * its segment sum (with the transposes it needs) ~140 ms; these take ~100 ms and ~6 ms.
 */
export function buildBlockGather(nLevels: number, blockSize: number): {
  gather: (x: Tensor) => Tensor;
  segmentSum: (dy: Tensor) => Tensor;
  dispose: () => void;
} {
  const L = nLevels;
  const m = blockSize;
  const ones = tf.ones([1, L, m]);
  const segmentSum = (dy: Tensor): Tensor => tf.sum(tf.reshape(dy, [dy.shape[0] as number, L, m]), 2);
  const forward = (x: Tensor): Tensor => tf.reshape(tf.mul(tf.reshape(x, [x.shape[0] as number, L, 1]), ones), [x.shape[0] as number, L * m]);
  const gather = unaryCustom(((x: Tensor) => ({ value: forward(x), gradFunc: (dy: Tensor) => [segmentSum(dy)] })) as never);
  return { gather, segmentSum, dispose: () => tf.dispose(ones) };
}
