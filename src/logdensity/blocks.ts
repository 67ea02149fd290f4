/**
 * The two fused blocks of the GLMM log density, each a tf.customGrad op with a hand-written
 * vector-Jacobian product (how tfjs extends autograd): the tape then holds one node per block instead
 * of one per elementary op, and the products with transposed constants use stored transposes.
 * - `densityOp`: (q, η) → the family's log-likelihood (likelihood.ts, analytic ∂/∂η and ∂/∂log aux)
 *   plus the built-in priors [C, 1] (normal and Student-t/Cauchy on β, N(0, 1) on non-centred z, the
 *   half priors of sd/aux with their log-Jacobian); the per-chain gradients are computed in the
 *   forward pass and scaled by dy.
 * - `linearPredictorOp`: (q, A_1…A_T) → η [C, n], with v = q ⊙ scale (scale = sd at non-centred
 *   uncorrelated z), r_t = z_t·A_tᵀ for each non-centred correlated term (A_t = diag(sd)·L [C, K, K]
 *   from the caller), η = v·M (dense one-hot) or Xβ + Σ gather(r_t)⊙Z_t, + offset.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Prepared, PreparedTerm } from './prepared.js';

type GradFn = (dy: Tensor, saved: Tensor[]) => Tensor[];
type Forward = (...args: unknown[]) => { value: Tensor; gradFunc: GradFn };
/** tf.customGrad typed loosely (tfjs's CustomGradientFunc is variadic). */
export function customOp<F extends (...xs: Tensor[]) => Tensor>(fn: Forward): F {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as F;
}

/** The sd/aux coordinates u [C, nPos] of q. */
export function positiveCoords(P: Prepared, q: Tensor): Tensor {
  const C = q.shape[0] as number;
  return P.posSel ? tf.matMul(q, P.posSel) : tf.slice(q, [0, P.posStart], [C, P.nPos]);
}

/** Value [C, 1] and ∂/∂u [C, nPos] of the sd/aux priors at x = e^u, Jacobian included. */
function positivePriors(P: Prepared, u: Tensor): { value: Tensor; du: Tensor } {
  const pos = P.pos!;
  const C = u.shape[0] as number;
  const x = tf.exp(u);
  const d = pos.m ? tf.sub(x, pos.m) : x;
  const parts: Tensor[] = [];
  const d2 = pos.hasA || pos.hasQ ? tf.square(d) : null;
  const bd2 = pos.hasA ? tf.mul(d2 as Tensor, pos.B as Tensor) : null;
  if (pos.hasA) parts.push(tf.log1p(bd2 as Tensor));
  if (pos.hasQ) parts.push(d2 as Tensor);
  if (pos.hasD) parts.push(x);
  parts.push(u);
  const value = tf.matMul(parts.length > 1 ? tf.concat(parts, 1) : parts[0], pos.coef);
  const du: Tensor[] = [tf.broadcastTo(pos.E1, [C, P.nPos])];
  const dx = pos.hasA || pos.hasQ ? tf.mul(d, x) : null;
  if (pos.hasA) du.push(tf.mul(tf.div(dx as Tensor, tf.add(bd2 as Tensor, 1)), pos.A2B as Tensor));
  if (pos.hasQ) du.push(tf.mul(dx as Tensor, pos.Q2 as Tensor));
  if (pos.hasD) du.push(tf.mul(x, pos.D as Tensor));
  return { value, du: du.length > 1 ? tf.addN(du) : du[0] };
}

/**
 * Keeps a tensor of a block's forward pass for its backward pass (the body disposes it after the
 * gradient): cheaper than tf.customGrad's `save`, which clones (a copy on wasm).
 */
export type Hold = (t: Tensor) => Tensor;

/**
 * Value [C, 1] and ∂/∂q [C, dim] of the built-in priors at q; `auxGrad` [C, 1] (the likelihood's
 * ∂/∂log aux) joins the sd/aux block before its one scatter into q.
 */
function priorsAt(P: Prepared, q: Tensor, auxGrad: Tensor | null): { value: Tensor; grad: Tensor } {
  const values: Tensor[] = [];
  const qm = P.mq ? tf.sub(q, P.mq) : q;
  values.push(tf.matMul(tf.square(qm), P.wq));
  const grads: Tensor[] = [tf.mul(qm, P.w2)];
  if (P.t) {
    const td = tf.sub(tf.matMul(q, P.t.sel), P.t.m);
    const tbd2 = tf.mul(tf.square(td), P.t.B);
    values.push(tf.matMul(tf.log1p(tbd2), P.t.A));
    grads.push(tf.matMul(tf.mul(tf.div(td, tf.add(tbd2, 1)), P.t.A2B), P.t.selT));
  }
  if (P.nPos) {
    const pos = positivePriors(P, positiveCoords(P, q));
    values.push(pos.value);
    // the aux coordinate is the last of the sd/aux block
    const du = auxGrad ? tf.add(pos.du, P.nPos === 1 ? auxGrad : tf.pad(auxGrad, [[0, 0], [P.nPos - 1, 0]])) : pos.du;
    grads.push(P.posSelT ? tf.matMul(du, P.posSelT) : tf.pad(du, [[0, 0], [P.posStart, P.dim - P.posStart - P.nPos]]));
  }
  return { value: values.length > 1 ? tf.addN(values) : values[0], grad: grads.length > 1 ? tf.addN(grads) : grads[0] };
}

/**
 * (q [C, dim], η [C, n]) → the likelihood plus the built-in priors as one differentiable op: [C, 1],
 * or with P.rowSumInJs the per-row terms and one last column [C, n + 1] (summed in float64 by the
 * caller). Without a built-in likelihood (a custom family) it is q → the priors [C, 1].
 */
export function densityOp(P: Prepared, hold: Hold): (q: Tensor, eta: Tensor) => Tensor {
  const lik = P.likelihood;
  if (!lik) {
    const op = customOp<(q: Tensor) => Tensor>(((q: Tensor) => {
      const { value, grad } = priorsAt(P, q, null);
      const g = hold(grad);
      return { value, gradFunc: (dy: Tensor) => [tf.mul(dy, g)] };
    }) as Forward);
    return (q) => op(q);
  }
  return customOp<(q: Tensor, eta: Tensor) => Tensor>(((q: Tensor, eta: Tensor) => {
    const C = q.shape[0] as number;
    const la = P.auxOffset >= 0 ? tf.slice(q, [0, P.auxOffset], [C, 1]) : null;
    const ev = lik.evaluate(eta, la);
    const g = hold(ev.g);
    if (!P.rowSumInJs) {
      let auxGrad: Tensor | null = null;
      if (la) auxGrad = ev.gPerChainAux ? tf.add(tf.sum(ev.gRowsAux as Tensor, 1, true), ev.gPerChainAux) : tf.sum(ev.gRowsAux as Tensor, 1, true);
      const pr = priorsAt(P, q, auxGrad);
      const parts = [tf.sum(ev.rows, 1, true), pr.value, ...(ev.perChain ? [ev.perChain] : [])];
      const gq = hold(pr.grad);
      return { value: tf.addN(parts), gradFunc: (dy: Tensor) => [tf.mul(dy, gq), tf.mul(dy, g)] };
    }
    const pr = priorsAt(P, q, null);
    const gq = hold(pr.grad);
    const gr = la ? hold(ev.gRowsAux as Tensor) : null;
    const gp = la && ev.gPerChainAux ? hold(ev.gPerChainAux) : null;
    const gradFunc = (dy: Tensor): Tensor[] => {
      const dRows = tf.slice(dy, [0, 0], [C, P.n]);
      const dLast = tf.slice(dy, [0, P.n], [C, 1]);
      let dq = tf.mul(dLast, gq);
      if (gr) {
        const dla = tf.sum(tf.mul(dRows, gr), 1, true);
        dq = tf.add(dq, tf.pad(gp ? tf.add(dla, tf.mul(dLast, gp)) : dla, [[0, 0], [P.auxOffset, P.dim - P.auxOffset - 1]]));
      }
      return [dq, tf.mul(dRows, g)];
    };
    return { value: tf.concat([ev.rows, ev.perChain ? tf.add(pr.value, ev.perChain) : pr.value], 1), gradFunc };
  }) as Forward);
}

/** The non-centred correlated terms, in P.terms order: they take A_t from the caller. */
export function choleskyTerms(P: Prepared): number[] {
  return P.terms.map((t, ti) => (t.correlated && !t.centered ? ti : -1)).filter((ti) => ti >= 0);
}

/** Adds the gathered effects r [C, nLevels·k] of a gather-path term to η. */
function addGathered(P: Prepared, t: PreparedTerm, eta: Tensor, r: Tensor): Tensor {
  const C = eta.shape[0] as number;
  const g = (t.gather as (x: Tensor) => Tensor)(r);
  return tf.add(eta, t.k === 1 ? tf.mul(g, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.sum(tf.mul(tf.reshape(g, [C, P.n, t.k]), t.Z as Tensor), 2));
}

/** scale = sd·E + base [C, dim] and sd [C, nSd] (null without uncorrelated non-centred terms). */
function effectScale(P: Prepared, q: Tensor): { scale: Tensor; sd: Tensor | null } {
  if (!P.E) return { scale: P.base, sd: null };
  const sd = tf.exp(tf.slice(q, [0, P.p], [q.shape[0] as number, P.nSd]));
  return { scale: tf.add(tf.matMul(sd, P.E), P.base), sd };
}

/** (q, A_1…A_T) → η [C, n] as one differentiable op (see the file comment). */
export function linearPredictorOp(P: Prepared, hold: Hold): (q: Tensor, As: readonly Tensor[]) => Tensor {
  const chol = choleskyTerms(P);
  const op = customOp<(...xs: Tensor[]) => Tensor>(((...args: unknown[]) => {
    const q = args[0] as Tensor;
    const As = args.slice(1, 1 + chol.length) as Tensor[];
    const C = q.shape[0] as number;
    const { scale, sd } = effectScale(P, q);
    const v = tf.mul(q, scale);
    let eta = P.denseM ? tf.matMul(v, P.denseM) : tf.matMul(tf.slice(v, [0, 0], [C, P.p]), P.Xt as Tensor);
    const z3 = (t: PreparedTerm) => tf.reshape(tf.slice(q, [0, t.zOffset], [C, t.nLevels * t.k]), [C, t.nLevels, t.k]);
    P.terms.forEach((t, ti) => {
      const ci = chol.indexOf(ti);
      const r = ci >= 0 ? tf.reshape(tf.matMul(z3(t), As[ci], false, true), [C, t.nLevels * t.k]) : null;
      if (P.denseM) {
        if (r) eta = tf.add(eta, tf.matMul(r, t.corrM as Tensor));
      } else eta = addGathered(P, t, eta, r ?? tf.slice(v, [0, t.zOffset], [C, t.nLevels * t.k]));
    });
    if (P.offset) eta = tf.add(eta, P.offset);
    const sc = scale === P.base ? scale : hold(scale);
    const sdS = sd ? hold(sd) : null;
    const gradFunc = (dy: Tensor): Tensor[] => {
      const grads: Tensor[] = [];
      const dA: Tensor[] = [];
      // a non-centred correlated term: r = z·Aᵀ per level → ∂A = Σ_j dr_jᵀ z_j, ∂z = dr·A
      const corrGrad = (t: PreparedTerm, ci: number, dr: Tensor): void => {
        const dr3 = tf.reshape(dr, [C, t.nLevels, t.k]);
        dA.push(tf.matMul(dr3, z3(t), true, false));
        const dz = tf.reshape(tf.matMul(dr3, As[ci]), [C, t.nLevels * t.k]);
        grads.push(tf.pad(dz, [[0, 0], [t.zOffset, P.dim - t.zOffset - t.nLevels * t.k]]));
      };
      let dv: Tensor;
      if (P.denseM) {
        dv = tf.matMul(dy, P.denseMT as Tensor);
        chol.forEach((ti, ci) => corrGrad(P.terms[ti], ci, tf.matMul(dy, P.terms[ti].corrMT as Tensor)));
      } else {
        const pieces: Tensor[] = [tf.matMul(dy, P.X as Tensor)];
        const gap = (P.terms.length ? P.terms[0].zOffset : P.dim) - P.p; // sd, cor, aux, extra coordinates
        if (gap > 0) pieces.push(tf.zeros([C, gap]));
        P.terms.forEach((t, ti) => {
          const gz = t.k === 1 ? tf.mul(dy, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.reshape(tf.mul(tf.reshape(dy, [C, P.n, 1]), t.Z as Tensor), [C, P.n * t.k]);
          const dr = (t.segmentSum as (d: Tensor) => Tensor)(gz);
          const ci = chol.indexOf(ti);
          if (ci >= 0) {
            corrGrad(t, ci, dr);
            pieces.push(tf.zeros([C, t.nLevels * t.k]));
          } else pieces.push(dr);
        });
        dv = tf.concat(pieces, 1);
      }
      grads.push(tf.mul(dv, sc));
      // ∂/∂log sd of the uncorrelated non-centred effects v = q·sd
      if (sdS) grads.push(tf.pad(tf.mul(tf.matMul(tf.mul(dv, q), P.ET as Tensor), sdS), [[0, 0], [P.p, P.dim - P.p - P.nSd]]));
      return [grads.length > 1 ? tf.addN(grads) : grads[0], ...dA];
    };
    return { value: eta, gradFunc };
  }) as Forward);
  return (q, As) => op(q, ...As);
}
