/**
 * One correlated random-effect term in tfjs: Stan's cholesky_corr transform of its K(K−1)/2 reals
 * (reference/algorithms.md §4) with the log-Jacobian, the LKJ(η) density on L (without its constant,
 * which the caller adds in float64), and the effects r_j = diag(sd)·L·z_j (non-centred) or the centred
 * density of r_j ~ N(0, diag(sd)·L·Lᵀ·diag(sd)). The float64 twin is src/target/choleskyCorr.ts.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';

/** What correlatedTerm needs to know of the term's layout. */
export interface CorrelatedLayout {
  readonly k: number;
  readonly nLevels: number;
  readonly corOffset: number;
  readonly zOffset: number;
  readonly centered: boolean;
  readonly lkjEta: number;
}

/**
 * q [C, dim], sd [C, K] → r [C, nLevels·K] (level-major) and logDensity [C, 1] = log|J| + LKJ kernel
 * (+ centred MVN density with all but its −log √2π constants).
 */
export function correlatedTerm(q: Tensor, t: CorrelatedLayout, sd: Tensor): { r: Tensor; logDensity: Tensor } {
  const C = q.shape[0] as number;
  const K = t.k;
  const m = (K * (K - 1)) / 2;
  const y = tf.slice(q, [0, t.corOffset], [C, m]);
  const ay = tf.abs(y);
  // Σ log(1 − tanh² y) = Σ 2(log 2 − |y| − log1p(e^{−2|y|}))
  const parts: Tensor[] = [tf.mul(tf.sum(tf.add(ay, tf.softplus(tf.mul(ay, -2))), 1, true), -2)];
  const constJ = 2 * Math.LN2 * m;
  const z = m === 1 ? [tf.tanh(y)] : tf.split(tf.tanh(y), m, 1);
  const L: Tensor[][] = [];
  const logDiag: (Tensor | null)[] = [null]; // ½ log(1 − ss_i) = log L_ii
  let pos = 0;
  for (let i = 0; i < K; i++) {
    L.push([]);
    if (i === 0) continue;
    let ss: Tensor | null = null;
    for (let j = 0; j < i; j++) {
      const zij = z[pos++];
      if (j === 0) L[i].push(zij);
      else {
        const half = tf.mul(tf.log1p(tf.neg(ss as Tensor)), 0.5);
        parts.push(half);
        L[i].push(tf.mul(zij, tf.exp(half)));
      }
      const sq = tf.square(L[i][j]);
      ss = ss ? tf.add(ss, sq) : sq;
    }
    const logLii = tf.mul(tf.log1p(tf.neg(ss as Tensor)), 0.5);
    logDiag.push(logLii);
    L[i].push(tf.exp(logLii));
    const w = K - (i + 1) + 2 * t.lkjEta - 2; // LKJ exponent of L_ii (i 1-based)
    if (w !== 0) parts.push(tf.mul(logLii, w));
  }
  const sdc = tf.split(sd, K, 1);
  let r: Tensor;
  if (!t.centered) {
    const zeros = tf.zerosLike(sdc[0]);
    const entries: Tensor[] = [];
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) entries.push(j > i ? zeros : i === 0 ? sdc[0] : tf.mul(sdc[i], L[i][j]));
    }
    const A = tf.reshape(tf.concat(entries, 1), [C, K, K]);
    const z3 = tf.reshape(tf.slice(q, [0, t.zOffset], [C, t.nLevels * K]), [C, t.nLevels, K]);
    r = tf.reshape(tf.matMul(z3, A, false, true), [C, t.nLevels * K]);
  } else {
    r = tf.slice(q, [0, t.zOffset], [C, t.nLevels * K]);
    const cols = tf.split(tf.reshape(r, [C, t.nLevels, K]), K, 2);
    const w: Tensor[] = [];
    let ssq: Tensor | null = null;
    for (let a = 0; a < K; a++) {
      let s = tf.div(cols[a], tf.reshape(sdc[a], [C, 1, 1]));
      for (let b = 0; b < a; b++) s = tf.sub(s, tf.mul(tf.reshape(L[a][b], [C, 1, 1]), w[b]));
      if (a > 0) s = tf.div(s, tf.reshape(L[a][a], [C, 1, 1]));
      w.push(s);
      const sq = tf.sum(tf.square(s), [1, 2]);
      ssq = ssq ? tf.add(ssq, sq) : sq;
    }
    parts.push(tf.mul(tf.reshape(ssq as Tensor, [C, 1]), -0.5));
    let logDet = tf.sum(tf.log(sd), 1, true);
    for (let a = 1; a < K; a++) logDet = tf.add(logDet, logDiag[a] as Tensor);
    parts.push(tf.mul(logDet, -t.nLevels));
  }
  const logDensity = tf.add(parts.length > 1 ? tf.addN(parts) : parts[0], constJ);
  return { r, logDensity };
}
