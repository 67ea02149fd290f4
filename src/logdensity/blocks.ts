/**
 * The fused blocks of the GLMM log density, each a tf.customGrad op with a hand-written
 * vector-Jacobian product (how tfjs extends autograd): the tape then holds one node per block instead
 * of one per elementary op, and the products with transposed constants use stored transposes.
 * - `glmmOp`: (q, A_1…A_T) → the family's log-likelihood plus the built-in priors [C, 1] in one
 *   block, whenever the family is built in and the rows are summed in tfjs: the linear predictor
 *   (linear.ts), the likelihood with its analytic ∂/∂η and ∂/∂u of the family coordinates (likelihood.ts) and the priors
 *   (priors.ts) run forward, the reverse pass through the linear predictor runs in the same forward
 *   pass, and the vector-Jacobian product only scales the stored gradient by dy. One tape node: the
 *   tape's bookkeeping, the per-node gradient accumulation and a second e^u cost nothing.
 * - `linearPredictorOp` (q, A…) → η [C, n] and `densityOp` (q, η) → likelihood + priors, the same
 *   pieces as two blocks, when η must reach something outside (a custom family, written by the user
 *   and differentiated by autograd) or the per-row terms come back as columns (P.rowSumInJs, summed
 *   in float64 by the caller).
 * A = diag(sd)·L [C, K, K] per non-centred correlated term comes from the caller, which chain-rules
 * ∂A to the sd and cholesky_corr coordinates in float64.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Prepared } from './prepared.js';
import type { FamilyColumns } from './families/types.js';
import { choleskyTerms, linearBackward, linearForward } from './linear.js';
import { positiveCoords, positiveExtra, priorsAt, priorTerms, sumOf } from './priors.js';

type GradFn = (dy: Tensor, saved: Tensor[]) => Tensor[];
type Forward = (...args: unknown[]) => { value: Tensor; gradFunc: GradFn };
/** tf.customGrad typed loosely (tfjs's CustomGradientFunc is variadic). */
export function customOp<F extends (...xs: Tensor[]) => Tensor>(fn: Forward): F {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as F;
}

/**
 * Keeps a tensor of a block's forward pass for its backward pass (the body disposes it after the
 * gradient): cheaper than tf.customGrad's `save`, which clones (a copy on wasm).
 */
export type Hold = (t: Tensor) => Tensor;

type Eval = ReturnType<NonNullable<Prepared['likelihood']>['evaluate']>;

/**
 * The family's row coordinates of q (one [C, 1] column each, a formula's [C, n]: Prepared.famCols), or
 * null without them; a formula with random terms is its row block of the stacked linear predictor `lp`.
 */
function familyCoords(P: Prepared, q: Tensor, lp: Tensor): FamilyColumns | null {
  if (P.famOffset < 0) return null;
  const C = q.shape[0] as number;
  return P.famCols.map((c) => {
    if (c.etaBlock) return tf.slice(lp, [0, c.etaBlock * P.n], [C, P.n]);
    return c.Xt ? tf.matMul(tf.slice(q, [0, c.offset], [C, c.p]), c.Xt) : tf.slice(q, [0, c.offset], [C, 1]);
  });
}

/** η [C, n]: the first row block of the stacked linear predictor (Prepared.etaBlocks). */
function etaOf(P: Prepared, lp: Tensor): Tensor {
  return P.etaBlocks > 1 ? tf.slice(lp, [0, 0], [lp.shape[0] as number, P.n]) : lp;
}

/** The cotangent of the stacked linear predictor: ∂/∂η, then each stacked formula's ∂/∂u [C, n] (weighted by `w` when given). */
function stackedGradient(P: Prepared, ev: Eval, w: Tensor | null = null): Tensor {
  const wg = (g: Tensor) => (w ? tf.mul(w, g) : g);
  if (P.etaBlocks === 1) return wg(ev.g);
  const parts: Tensor[] = [wg(ev.g)];
  P.famCols.forEach((c, k) => {
    if (c.etaBlock) parts[c.etaBlock] = wg((ev.gRowsPar as readonly Tensor[])[k]);
  });
  return tf.concat(parts, 1);
}

/** [C, m] → [C, dim]: the family block's gradient in place in q. */
function padFamily(P: Prepared, g: Tensor): Tensor {
  return tf.pad(g, [[0, 0], [P.famOffset, P.dim - P.famOffset - P.famDim]]);
}

/** ∂/∂u [C, dim] of the likelihood's rows (weighted by `w` [C, n] when given) and per-chain term (weighted by wLast [C, 1]), placed in q; null without family coordinates. */
function familyGradient(P: Prepared, ev: Eval, w: Tensor | null = null, wLast: Tensor | null = null): Tensor | null {
  if (P.famOffset < 0 || !ev.gRowsPar) return null;
  const cols = ev.gRowsPar.map((g, k) => {
    // a stacked formula's coefficients get their gradient through the linear predictor (stackedGradient)
    if (P.famCols[k].etaBlock) return tf.zeros([g.shape[0] as number, P.famCols[k].p]);
    const X = P.famCols[k].X;
    const wg = w ? tf.mul(w, g) : g;
    // a formula's coefficients: Σ_i ∂ℓ_i/∂u_i X_p[i,·]
    const rows = X ? tf.matMul(wg, X) : tf.sum(wg, 1, true);
    const pc = ev.gPerChainPar?.[k];
    return pc ? tf.add(rows, wLast ? tf.mul(wLast, pc) : pc) : rows;
  });
  return padFamily(P, cols.length > 1 ? tf.concat(cols, 1) : cols[0]);
}

/**
 * (q, A…) → likelihood + built-in priors [C, 1] as one differentiable op (see the file comment).
 * `isSeed(dy)`: whether dy is the all-ones seed cotangent of the caller's tf.valueAndGrads (this op's
 * output is then the value itself, and the product is the stored gradient: no multiply).
 */
export function glmmOp(P: Prepared, hold: Hold, isSeed: (dy: Tensor) => boolean = () => false): (q: Tensor, As: readonly Tensor[]) => Tensor {
  const lik = P.likelihood;
  if (!lik || P.rowSumInJs) throw new Error('glmmOp needs a built-in likelihood summed in tfjs');
  const chol = choleskyTerms(P);
  const op = customOp<(...xs: Tensor[]) => Tensor>(((...args: unknown[]) => {
    const q = args[0] as Tensor;
    const As = args.slice(1, 1 + chol.length) as Tensor[];
    const C = q.shape[0] as number;
    // e^u once, for the sd priors and the effects' scale (the sds are the first nSd of the positive block)
    const u = P.nPos ? positiveCoords(P, q) : null;
    const ux = u ? { u, x: tf.exp(u) } : undefined;
    const sd = ux && P.E ? (P.nSd === P.nPos ? ux.x : tf.slice(ux.x, [0, 0], [C, P.nSd])) : null;
    const lf = linearForward(P, q, As, chol, sd);
    const ev = lik.evaluate(etaOf(P, lf.eta), familyCoords(P, q, lf.eta));
    const back = linearBackward(P, q, As, chol, lf, stackedGradient(P, ev));
    const pr = priorTerms(P, q, positiveExtra(P, back.dLogSd), ux);
    const value = sumOf([tf.sum(ev.rows, 1, true), ...pr.values, ...(ev.perChain ? [ev.perChain] : [])]);
    const gFam = familyGradient(P, ev);
    const grad = hold(sumOf([...back.dq, ...pr.grads, ...(gFam ? [gFam] : [])]));
    const dA = back.dA.map(hold);
    const gradFunc = (dy: Tensor): Tensor[] => {
      if (isSeed(dy)) return [grad, ...dA];
      const dy3 = dA.length ? tf.reshape(dy, [C, 1, 1]) : null;
      return [tf.mul(dy, grad), ...dA.map((d) => tf.mul(dy3 as Tensor, d))];
    };
    return { value, gradFunc };
  }) as Forward);
  return (q, As) => op(q, ...As);
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
    const ev = lik.evaluate(etaOf(P, eta), familyCoords(P, q, eta));
    if (!P.rowSumInJs) {
      const g = hold(stackedGradient(P, ev));
      const pr = priorsAt(P, q, null);
      const parts = [tf.sum(ev.rows, 1, true), pr.value, ...(ev.perChain ? [ev.perChain] : [])];
      const gFam = familyGradient(P, ev);
      const gq = hold(gFam ? tf.add(pr.grad, gFam) : pr.grad);
      return { value: tf.addN(parts), gradFunc: (dy: Tensor) => [tf.mul(dy, gq), tf.mul(dy, g)] };
    }
    const pr = priorsAt(P, q, null);
    const gq = hold(pr.grad);
    const kept: Eval = { ...ev, g: hold(ev.g), gRowsPar: ev.gRowsPar?.map(hold) ?? null, gPerChainPar: ev.gPerChainPar?.map(hold) ?? null };
    const gradFunc = (dy: Tensor): Tensor[] => {
      const dRows = tf.slice(dy, [0, 0], [C, P.n]);
      const dLast = tf.slice(dy, [0, P.n], [C, 1]);
      const dFam = familyGradient(P, kept, dRows, dLast);
      const dq = tf.mul(dLast, gq);
      return [dFam ? tf.add(dq, dFam) : dq, stackedGradient(P, kept, dRows)];
    };
    return { value: tf.concat([ev.rows, ev.perChain ? tf.add(pr.value, ev.perChain) : pr.value], 1), gradFunc };
  }) as Forward);
}

/** (q, A_1…A_T) → η [C, n] as one differentiable op (linear.ts). */
export function linearPredictorOp(P: Prepared, hold: Hold): (q: Tensor, As: readonly Tensor[]) => Tensor {
  const chol = choleskyTerms(P);
  const op = customOp<(...xs: Tensor[]) => Tensor>(((...args: unknown[]) => {
    const q = args[0] as Tensor;
    const As = args.slice(1, 1 + chol.length) as Tensor[];
    const lf = linearForward(P, q, As, chol);
    const kept = { scale: lf.scale === P.base ? lf.scale : hold(lf.scale), z: lf.z.map(hold) };
    const gradFunc = (dy: Tensor): Tensor[] => {
      const back = linearBackward(P, q, As, chol, kept, dy);
      if (back.dLogSd) back.dq.push(tf.pad(back.dLogSd, [[0, 0], [P.p, P.dim - P.p - P.nSd]]));
      return [back.dq.length > 1 ? tf.addN(back.dq) : back.dq[0], ...back.dA];
    };
    return { value: lf.eta, gradFunc };
  }) as Forward);
  return (q, As) => op(q, ...As);
}
