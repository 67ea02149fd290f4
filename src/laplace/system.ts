/**
 * The penalized weighted system of PIRLS, M = [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX; ·, XᵀWX] (lme4's `merPredD`,
 * Bates et al. 2015 JSS eq. 18–21), on the one blocked sparse Cholesky of src/linalg (blocked-layout.ts:
 * symbolic analysis once per model; blocked-factor.ts: numeric factorisation per θ and weights). The
 * design → layout adapter is src/design/blocked.ts.
 */
import type { Design } from '../design/types.js';
import type { ThetaLayout } from '../design/theta.js';
import { designLayout } from '../design/blocked.js';
import { factorBlocked, type BlockedFactor } from '../linalg/blocked-factor.js';
import { addZLu, crossprodZX } from '../linalg/blocked-ops.js';

/** A factored penalized system for one set of weights. */
export type Factored = BlockedFactor;

/** The system's sparsity layout, built once; `factor(templates, w)` then factors it. */
export interface PenalizedSystem {
  readonly q: number;
  readonly dim: number;
  /** Random effects in the factor's dense part (the selected inverse's size: src/laplace/gradient.ts). */
  readonly ru: number;
  /** η contributions: adds (ZΛu)_i to eta (length n). */
  addZLu(T: readonly Float64Array[], u: Float64Array, eta: Float64Array): void;
  /** out (length q [+p]) = [ΛᵀZᵀ s ; Xᵀ s]. */
  crossprod(T: readonly Float64Array[], s: ArrayLike<number>, out: Float64Array): void;
  factor(T: readonly Float64Array[], w: Float64Array): Factored;
}

/** The penalized system of the design; `joint` adds β (lme4's nAGQ = 0 PIRLS). */
export function buildSystem(design: Design, s: ThetaLayout, joint: boolean): PenalizedSystem {
  const L = designLayout(design, s, joint);
  return {
    q: s.q,
    dim: s.q + (joint ? L.p : 0),
    ru: L.ru,
    addZLu: (T, u, eta) => addZLu(L, T, u, eta),
    crossprod: (T, sv, out) => crossprodZX(L, T, sv, out),
    factor: (T, w) => factorBlocked(L, T, w),
  };
}
