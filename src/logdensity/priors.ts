/**
 * The built-in priors of the batched log density as tfjs ops with their analytic gradient (used
 * inside the fused blocks of blocks.ts, so tfjs's tape records none of them): normal priors
 * Σ w (q − m)² on β and the non-centred z, Student-t/Cauchy A log1p(B (β − m)²), and the forms
 * A log1p(B (x−m)²) + Q (x−m)² + D x + (E+1) u of the sd priors on x = e^u with their
 * log-Jacobian u (models/priors.ts logPriorForm).
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Prepared } from './prepared.js';

/** The sd coordinates u [C, nPos] of q. */
export function positiveCoords(P: Prepared, q: Tensor): Tensor {
  const C = q.shape[0] as number;
  return P.posSel ? tf.matMul(q, P.posSel) : tf.slice(q, [0, P.posStart], [C, P.nPos]);
}

/**
 * Value [C, 1] and ∂/∂u [C, nPos] of the sd priors at x = e^u, Jacobian included, with `extra`
 * [C, nPos] (or null) added to the gradient.
 */
function positivePriors(P: Prepared, u: Tensor, x: Tensor, extra: Tensor | null): { value: Tensor; du: Tensor } {
  const pos = P.pos!;
  const C = u.shape[0] as number;
  const d = pos.m ? tf.sub(x, pos.m) : x;
  const parts: Tensor[] = [];
  const d2 = pos.hasA || pos.hasQ ? tf.square(d) : null;
  const bd2 = pos.hasA ? tf.mul(d2 as Tensor, pos.B as Tensor) : null;
  if (pos.hasA) parts.push(tf.log1p(bd2 as Tensor));
  if (pos.hasQ) parts.push(d2 as Tensor);
  if (pos.hasD) parts.push(x);
  parts.push(u);
  const value = tf.matMul(parts.length > 1 ? tf.concat(parts, 1) : parts[0], pos.coef);
  const du: Tensor[] = [];
  const dx = pos.hasA || pos.hasQ ? tf.mul(d, x) : null;
  if (pos.hasA) du.push(tf.mul(tf.div(dx as Tensor, tf.add(bd2 as Tensor, P.one)), pos.A2B as Tensor));
  if (pos.hasQ) du.push(tf.mul(dx as Tensor, pos.Q2 as Tensor));
  if (pos.hasD) du.push(tf.mul(x, pos.D as Tensor));
  if (extra) du.push(extra);
  // the constant row E+1 (Jacobian and the u coefficient) broadcasts in one add
  if (du.length === 0) return { value, du: tf.broadcastTo(pos.E1, [C, P.nPos]) };
  return { value, du: tf.add(du.length > 1 ? tf.addN(du) : du[0], pos.E1) };
}

/** ∂/∂u [C, nPos] that the caller adds to the sd block: the linear predictor's ∂/∂log sd [C, nSd]. */
export function positiveExtra(P: Prepared, dLogSd: Tensor | null): Tensor | null {
  if (!dLogSd) return null;
  return P.nSd === P.nPos ? dLogSd : tf.pad(dLogSd, [[0, 0], [0, P.nPos - P.nSd]]);
}

/**
 * The terms of the value [C, 1] and of ∂/∂q [C, dim] of the built-in priors at q, for the caller to
 * sum with its own (one addN each); `extra` [C, nPos] (positiveExtra) joins the sd block before
 * its one scatter into q; `ux` passes u and e^u when the caller has them.
 */
export function priorTerms(P: Prepared, q: Tensor, extra: Tensor | null, ux?: { u: Tensor; x: Tensor }): { values: Tensor[]; grads: Tensor[] } {
  const values: Tensor[] = [];
  const qm = P.mq ? tf.sub(q, P.mq) : q;
  values.push(tf.matMul(tf.square(qm), P.wq));
  const grads: Tensor[] = [tf.mul(qm, P.w2)];
  if (P.t) {
    const td = tf.sub(tf.matMul(q, P.t.sel), P.t.m);
    const tbd2 = tf.mul(tf.square(td), P.t.B);
    values.push(tf.matMul(tf.log1p(tbd2), P.t.A));
    grads.push(tf.matMul(tf.mul(tf.div(td, tf.add(tbd2, P.one)), P.t.A2B), P.t.selT));
  }
  if (P.nPos) {
    const u = ux?.u ?? positiveCoords(P, q);
    const { value, du } = positivePriors(P, u, ux?.x ?? tf.exp(u), extra);
    values.push(value);
    grads.push(P.posSelT ? tf.matMul(du, P.posSelT) : tf.pad(du, [[0, 0], [P.posStart, P.dim - P.posStart - P.nPos]]));
  }
  return { values, grads };
}

/** Sum of tensors of one shape (one kernel). */
export function sumOf(ts: readonly Tensor[]): Tensor {
  return ts.length > 1 ? tf.addN(ts as Tensor[]) : ts[0];
}

/** Value [C, 1] and ∂/∂q [C, dim] of the built-in priors at q (priorTerms summed). */
export function priorsAt(P: Prepared, q: Tensor, extra: Tensor | null): { value: Tensor; grad: Tensor } {
  const { values, grads } = priorTerms(P, q, extra);
  return { value: sumOf(values), grad: sumOf(grads) };
}
