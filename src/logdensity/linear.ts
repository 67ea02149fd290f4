/**
 * The linear predictor of the batched log density and its hand-written reverse pass:
 * v = q ⊙ scale (scale = sd at the z of non-centred uncorrelated terms, 1 at β and centred r),
 * r_t = z_t·A_tᵀ for each non-centred correlated term (A_t = diag(sd)·L [C, K, K] from the caller),
 * η = v·M (dense one-hot) or Xβ + Σ gather(r_t)⊙Z_t, + offset. Used by the fused blocks of blocks.ts.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Prepared, PreparedTerm } from './prepared.js';

/** The non-centred correlated terms, in P.terms order: they take A_t from the caller. */
export function choleskyTerms(P: Prepared): number[] {
  return P.terms.map((t, ti) => (t.correlated && !t.centered ? ti : -1)).filter((ti) => ti >= 0);
}

/** The forward pass: η [C, n] and what the reverse pass needs (scale [C or 1, dim], z_t [C, nLevels, k] per Cholesky term). */
export interface LinearForward {
  readonly eta: Tensor;
  readonly scale: Tensor;
  readonly z: Tensor[];
}

/** The gradient of ⟨dη, η⟩: parts of ∂q (to be summed), ∂/∂log sd of the uncorrelated non-centred effects, ∂A_t [C, K, K]. */
export interface LinearBackward {
  readonly dq: Tensor[];
  readonly dLogSd: Tensor | null;
  readonly dA: Tensor[];
}

/** z_t [C, nLevels, k] of a term. */
function z3(q: Tensor, t: PreparedTerm): Tensor {
  const C = q.shape[0] as number;
  return tf.reshape(tf.slice(q, [0, t.zOffset], [C, t.nLevels * t.k]), [C, t.nLevels, t.k]);
}

/** Adds the gathered effects r [C, nLevels·k] of a gather-path term to η. */
function addGathered(P: Prepared, t: PreparedTerm, eta: Tensor, r: Tensor): Tensor {
  const C = eta.shape[0] as number;
  const g = (t.gather as (x: Tensor) => Tensor)(r);
  return tf.add(eta, t.k === 1 ? tf.mul(g, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.sum(tf.mul(tf.reshape(g, [C, P.n, t.k]), t.Z as Tensor), 2));
}

/**
 * η at (q, A…). `sd` [C, nSd] = exp(q[:, p : p + nSd]) when the caller already has it (the fused
 * block shares e^u with the sd priors); computed here otherwise.
 */
export function linearForward(P: Prepared, q: Tensor, As: readonly Tensor[], chol: readonly number[], sd?: Tensor | null): LinearForward {
  const C = q.shape[0] as number;
  const s = P.E ? (sd ?? tf.exp(tf.slice(q, [0, P.p], [C, P.nSd]))) : null;
  const scale = s ? tf.add(tf.matMul(s, P.E as Tensor), P.base) : P.base;
  const v = tf.mul(q, scale);
  let eta = P.denseM ? tf.matMul(v, P.denseM) : tf.matMul(tf.slice(v, [0, 0], [C, P.p]), P.Xt as Tensor);
  const z = chol.map((ti) => z3(q, P.terms[ti]));
  P.terms.forEach((t, ti) => {
    const ci = chol.indexOf(ti);
    const r = ci >= 0 ? tf.reshape(tf.matMul(z[ci], As[ci], false, true), [C, t.nLevels * t.k]) : null;
    if (P.denseM) {
      if (r) eta = tf.add(eta, tf.matMul(r, t.corrM as Tensor));
    } else eta = addGathered(P, t, eta, r ?? tf.slice(v, [0, t.zOffset], [C, t.nLevels * t.k]));
  });
  if (P.offset) eta = tf.add(eta, P.offset);
  return { eta, scale, z };
}

/** The reverse pass of linearForward for the cotangent dη [C, n]. */
export function linearBackward(P: Prepared, q: Tensor, As: readonly Tensor[], chol: readonly number[], f: Omit<LinearForward, 'eta'>, dEta: Tensor): LinearBackward {
  const C = q.shape[0] as number;
  const dq: Tensor[] = [];
  const dA: Tensor[] = [];
  // a non-centred correlated term: r = z·Aᵀ per level → ∂A = Σ_j dr_jᵀ z_j, ∂z = dr·A
  const corrGrad = (t: PreparedTerm, ci: number, dr: Tensor): void => {
    const dr3 = tf.reshape(dr, [C, t.nLevels, t.k]);
    dA.push(tf.matMul(dr3, f.z[ci], true, false));
    const dz = tf.reshape(tf.matMul(dr3, As[ci]), [C, t.nLevels * t.k]);
    dq.push(tf.pad(dz, [[0, 0], [t.zOffset, P.dim - t.zOffset - t.nLevels * t.k]]));
  };
  let dv: Tensor;
  if (P.denseM) {
    dv = tf.matMul(dEta, P.denseMT as Tensor);
    chol.forEach((ti, ci) => corrGrad(P.terms[ti], ci, tf.matMul(dEta, P.terms[ti].corrMT as Tensor)));
  } else {
    const pieces: Tensor[] = [tf.matMul(dEta, P.X as Tensor)];
    const gap = (P.terms.length ? P.terms[0].zOffset : P.dim) - P.p; // sd, cor, aux, extra coordinates
    if (gap > 0) pieces.push(tf.zeros([C, gap]));
    P.terms.forEach((t, ti) => {
      const gz = t.k === 1 ? tf.mul(dEta, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.reshape(tf.mul(tf.reshape(dEta, [C, P.n, 1]), t.Z as Tensor), [C, P.n * t.k]);
      const dr = (t.segmentSum as (d: Tensor) => Tensor)(gz);
      const ci = chol.indexOf(ti);
      if (ci >= 0) {
        corrGrad(t, ci, dr);
        pieces.push(tf.zeros([C, t.nLevels * t.k]));
      } else pieces.push(dr);
    });
    dv = tf.concat(pieces, 1);
  }
  const dqv = tf.mul(dv, f.scale);
  dq.unshift(dqv);
  // ∂/∂log sd_j of the uncorrelated non-centred effects v = z·sd_j: Σ_i dv_i z_i sd_j = Σ_i ∂z_i · z_i
  const dLogSd = P.E ? tf.matMul(tf.mul(dqv, q), P.ET as Tensor) : null;
  return { dq, dLogSd, dA };
}
