/**
 * The parts of the blocked system (blocked-factor.ts) when the weights never change and every term is
 * scalar (k = 1), as in lmer's normal equations for (1|a) + (1|b) + …: then Λ is diagonal and
 * D = θ_b² Z_bᵀZ_b, B = θ_b Z_bᵀ[Z_t θ_t, X], C = [Z_t θ_t, X]ᵀ[Z_t θ_t, X], so the crossproducts are
 * accumulated once over the rows and each evaluation only rescales them, O(stored entries) instead of
 * O(n·nd²) (lme4 keeps ZᵀZ, ZᵀX and XᵀX for the same reason, Bates et al. 2015 JSS 67(1) §3.3).
 */
import type { BlockedLayout } from './blocked-layout.js';
import { accumulate, type Parts } from './blocked-factor.js';

/** Whether the layout's terms are all scalar (the only case rescaling covers). */
export function scalarTerms(L: BlockedLayout): boolean {
  return L.terms.every((t) => t.k === 1);
}

/** The parts at θ = 1 for weights w (once per model). */
export function unitParts(L: BlockedLayout, w: Float64Array): Parts {
  return accumulate(L, L.terms.map(() => Float64Array.of(1)), w);
}

/** The parts at templates T (each 1 × 1), rescaled from the unit parts (fresh arrays: the factorisation works in place). */
export function scaledParts(L: BlockedLayout, unit: Parts, T: readonly Float64Array[]): Parts {
  const { r, Lb, nz, bStart } = L;
  const sc = new Float64Array(r).fill(1);
  L.terms.forEach((t, ti) => {
    if (ti === L.bi) return;
    for (let j = 0; j < t.nLevels; j++) sc[L.denseOf[t.uOffset + j]] = T[ti][0];
  });
  const tb = L.bi >= 0 ? T[L.bi][0] : 0;
  const D = new Float64Array(unit.D.length);
  for (let l = 0; l < D.length; l++) D[l] = tb * tb * unit.D[l];
  const B = new Float64Array(unit.B.length);
  for (let l = 0; l < Lb; l++) {
    const cols = nz[l], bo = bStart[l];
    for (let x = 0; x < cols.length; x++) B[bo + x] = tb * sc[cols[x]] * unit.B[bo + x];
  }
  const C = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    const si = sc[i], o = i * r;
    for (let j = 0; j <= i; j++) C[o + j] = si * sc[j] * unit.C[o + j];
  }
  return { D, B, C };
}
