/**
 * The batched log density's one body, differentiated by tf.valueAndGrads: the fused blocks
 * (blocks.ts: the linear predictor, the family's likelihood and the built-in priors as one block, or as
 * two when η must reach a custom family or the rows come back as columns) are tf.customGrad ops, the
 * centred terms and everything the user writes (user.ts) are plain tfjs ops that autograd differentiates.
 * (q [C, dim], A_t [C, K, K] per non-centred correlated term) → one tensor [C, values + dim + Σ K²]:
 * the value columns (likelihood + priors, or the likelihood rows and a last column; the centred terms
 * and the extras' priors; then one column per user term
 * and one for a custom family), the gradient in q, and ∂/∂A_t flattened (the caller chain-rules it
 * to the sd and cholesky_corr coordinates in float64), so that one dataSync brings everything back.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Prepared } from './prepared.js';
import { densityOp, glmmOp, linearPredictorOp } from './blocks.js';
import { correlatedTerm } from './correlated.js';
import { checkReturned, guardParameters, userParameters } from './user.js';

/** Number of value columns the user parts add (one per term, one for a custom family). */
export function userColumns(P: Prepared): number {
  return P.user ? P.user.terms.length + (P.user.family ? 1 : 0) : 0;
}

/** The centred terms' densities r_j ~ N(0, diag(sd)·L·Lᵀ·diag(sd)) (with LKJ and Jacobian when correlated), [C, 1] each. */
function centredTerms(P: Prepared, q: Tensor): Tensor[] {
  const C = q.shape[0] as number;
  const out: Tensor[] = [];
  for (const t of P.terms) {
    if (!t.centered) continue;
    const sd = tf.exp(tf.slice(q, [0, t.sdOffset], [C, t.k]));
    if (t.correlated) {
      out.push(correlatedTerm(q, t, sd).logDensity);
      continue;
    }
    const r = tf.reshape(tf.slice(q, [0, t.zOffset], [C, t.nLevels * t.k]), [C, t.nLevels, t.k]);
    const zz = tf.div(r, tf.reshape(sd, [C, 1, t.k]));
    out.push(tf.sub(tf.mul(tf.reshape(tf.sum(tf.square(zz), [1, 2]), [C, 1]), -0.5), tf.mul(tf.sum(tf.slice(q, [0, t.sdOffset], [C, t.k]), 1, true), t.nLevels)));
  }
  return out;
}

/** The blocks: one (likelihood and priors at (q, A…)), or two (η, then likelihood and priors at (q, η)). */
type Ops =
  | { fused: (q: Tensor, As: readonly Tensor[]) => Tensor }
  | { density: (q: Tensor, eta: Tensor) => Tensor; lp: (q: Tensor, As: readonly Tensor[]) => Tensor };

/** The value columns of the density at (q, A…) (see the file comment). */
function valueColumns(P: Prepared, q: Tensor, As: readonly Tensor[], ops: Ops): Tensor {
  const C = q.shape[0] as number;
  const eta = 'lp' in ops ? ops.lp(q, As) : null;
  const density = 'lp' in ops ? ops.density(q, eta as Tensor) : ops.fused(q, As);
  const rest: Tensor[] = centredTerms(P, q);
  const userCols: Tensor[] = [];
  if (P.user) {
    const U = P.user;
    const { params, extraLogp } = userParameters(U, q);
    if (extraLogp) rest.push(extraLogp);
    const ctx = { tf, data: U.data };
    for (const term of U.terms) {
      const what = `term '${term.name}'`;
      userCols.push(checkReturned(what, term.logDensity(guardParameters(params, what), ctx), C, null));
    }
    if (U.family) {
      const what = `family '${U.family.name}'`;
      const v = checkReturned(what, U.family.logLik(eta as Tensor, guardParameters(params, what), ctx), C, P.n);
      userCols.push(v.shape[1] === 1 ? v : tf.sum(v, 1, true));
    }
  }
  // no concat (and no split in the backward pass) unless columns must come back separately
  if (!P.rowSumInJs && userCols.length === 0) return rest.length ? tf.addN([density, ...rest]) : density;
  return tf.concat([density, ...(rest.length ? [rest.length > 1 ? tf.addN(rest) : rest[0]] : []), ...userCols], 1);
}

/** The body: (q, A…) → [values | ∂q | ∂A…] (one tensor), and `dispose` for its cached tensors. */
export interface Body {
  readonly run: (q: Tensor, As: readonly Tensor[]) => Tensor;
  readonly dispose: () => void;
}

/** Builds the body (see Body). */
export function buildBody(P: Prepared): Body {
  // tensors the blocks' backward passes need, kept past their forward tidy and freed after each gradient
  const held: Tensor[] = [];
  const hold = (t: Tensor): Tensor => {
    held.push(tf.keep(t));
    return t;
  };
  // the seed cotangent [C, 1] of ones, one kept tensor per chain count: when the one block's output is
  // the value itself, its vector-Jacobian product with the seed is the stored gradient (no multiply by dy)
  const seeds = new Map<number, Tensor>();
  let seed: Tensor | null = null;
  const fused = P.likelihood && !P.rowSumInJs;
  const ops: Ops = fused ? { fused: glmmOp(P, hold, (dy) => dy === seed) } : { density: densityOp(P, hold), lp: linearPredictorOp(P, hold) };
  const alone = fused && !P.user && !P.terms.some((t) => t.centered);
  const vg = tf.valueAndGrads((...xs: Tensor[]) => valueColumns(P, xs[0], xs.slice(1), ops));
  const seedFor = (C: number): Tensor => {
    if (!seeds.has(C)) seeds.set(C, tf.keep(tf.ones([C, 1])));
    return seeds.get(C) as Tensor;
  };
  const run = (q: Tensor, As: readonly Tensor[]): Tensor => {
    const C = q.shape[0] as number;
    try {
      seed = alone ? seedFor(C) : null;
      const { value, grads } = vg([q, ...As], seed ?? undefined);
      return tf.concat([value, ...grads.map((g, i) => (i === 0 ? g : tf.reshape(g, [C, -1])))], 1);
    } finally {
      tf.dispose(held.splice(0));
      seed = null;
    }
  };
  const dispose = (): void => {
    tf.dispose([...seeds.values()]);
    seeds.clear();
  };
  return { run, dispose };
}
