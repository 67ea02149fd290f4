/**
 * The penalized weighted system of PIRLS, M = [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX; ·, XᵀWX] (lme4's
 * `merPredD` with its sparse factor L, Bates et al. 2015 JSS eq. 18–21), factored without a dense
 * q×q Cholesky. The term with the most random effects is block-diagonal (one k×k block per level);
 * every other random effect (and β in the joint nAGQ = 0 system) is a dense Schur complement
 * S = C − BᵀD⁻¹B, factored densely. With one grouping factor S is empty (or p×p). The dense part is
 * limited to MAX_DENSE columns (system-layout.ts).
 */
import type { Design } from '../design/types.js';
import type { ThetaLayout } from '../design/theta.js';
import { rowEntries, systemLayout, type SystemLayout } from './system-layout.js';
import { factorSystem, type Factored } from './system-factor.js';

/** Builds the system's sparsity layout once; `factor(templates, w)` then factors it. */
export interface PenalizedSystem {
  readonly q: number;
  readonly dim: number;
  /** η contributions: adds (ZΛu)_i to eta (length n). */
  addZLu(T: readonly Float64Array[], u: Float64Array, eta: Float64Array): void;
  /** out (length q [+p]) = [ΛᵀZᵀ s ; Xᵀ s]. */
  crossprod(T: readonly Float64Array[], s: Float64Array, out: Float64Array): void;
  factor(T: readonly Float64Array[], w: Float64Array): Factored;
}

/** Layout of the penalized system for the design; `joint` adds β (lme4's nAGQ = 0 PIRLS). */
export function buildSystem(design: Design, s: ThetaLayout, joint: boolean): PenalizedSystem {
  const L = systemLayout(design, s, joint);
  return {
    q: s.q,
    dim: s.q + (joint ? L.p : 0),
    addZLu: (T, u, eta) => addZLu(L, T, u, eta),
    crossprod: (T, sv, out) => crossprod(L, T, sv, out),
    factor: (T, w) => factorSystem(L, T, w),
  };
}

/** eta += ZΛu. */
function addZLu(L: SystemLayout, T: readonly Float64Array[], u: Float64Array, eta: Float64Array): void {
  const n = L.n;
  for (let t = 0; t < L.s.terms.length; t++) {
    const tl = L.s.terms[t];
    const k = tl.k;
    const idx = tl.term.index;
    const Z = tl.term.Z;
    const Tt = T[t];
    if (k === 1) {
      const th = Tt[0];
      for (let i = 0; i < n; i++) eta[i] += Z[i] * th * u[tl.uOffset + idx[i]];
      continue;
    }
    for (let i = 0; i < n; i++) {
      const base = tl.uOffset + idx[i] * k;
      let v = 0;
      for (let m = 0; m < k; m++) {
        let bm = 0;
        for (let j = 0; j <= m; j++) bm += Tt[m * k + j] * u[base + j];
        v += Z[i * k + m] * bm;
      }
      eta[i] += v;
    }
  }
}

/** out = [ΛᵀZᵀ sv ; Xᵀ sv] (the β part only when joint). */
function crossprod(L: SystemLayout, T: readonly Float64Array[], sv: Float64Array, out: Float64Array): void {
  const { n, p, X, s } = L;
  out.fill(0);
  for (let t = 0; t < s.terms.length; t++) {
    const tl = s.terms[t];
    const k = tl.k;
    const idx = tl.term.index;
    if (k === 1) {
      const Z = tl.term.Z;
      const th = T[t][0];
      for (let i = 0; i < n; i++) out[tl.uOffset + idx[i]] += Z[i] * th * sv[i];
      continue;
    }
    for (let i = 0; i < n; i++) {
      rowEntries(L, T, t, i, 0);
      const base = tl.uOffset + idx[i] * k;
      for (let j = 0; j < k; j++) out[base + j] += L.aBuf[j] * sv[i];
    }
  }
  if (L.joint) {
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[s.q + j] += X[i * p + j] * sv[i];
  }
}
