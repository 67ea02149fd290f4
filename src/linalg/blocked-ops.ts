/**
 * The products with ZΛ (and X) that go with the blocked system (blocked-layout.ts): η += ZΛu and
 * [ΛᵀZᵀs ; Xᵀs], row by row over the terms' level indices (Z is never formed).
 */
import { rowEntries, type BlockedLayout } from './blocked-layout.js';

/** eta += ZΛu (u of length q). */
export function addZLu(L: BlockedLayout, T: readonly Float64Array[], u: Float64Array, eta: Float64Array): void {
  const n = L.n;
  for (let t = 0; t < L.terms.length; t++) {
    const tl = L.terms[t];
    const k = tl.k;
    const idx = tl.index;
    const Z = tl.Z;
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

/** out (length q, plus p when joint) = [ΛᵀZᵀ sv ; Xᵀ sv]. */
export function crossprodZX(L: BlockedLayout, T: readonly Float64Array[], sv: ArrayLike<number>, out: Float64Array): void {
  const { n, p, X, q } = L;
  out.fill(0);
  const buf = new Float64Array(L.K);
  for (let t = 0; t < L.terms.length; t++) {
    const tl = L.terms[t];
    const k = tl.k;
    const idx = tl.index;
    if (k === 1) {
      const Z = tl.Z;
      const th = T[t][0];
      for (let i = 0; i < n; i++) out[tl.uOffset + idx[i]] += Z[i] * th * sv[i];
      continue;
    }
    for (let i = 0; i < n; i++) {
      rowEntries(L.terms, T, t, i, buf, 0);
      const base = tl.uOffset + idx[i] * k;
      for (let j = 0; j < k; j++) out[base + j] += buf[j] * sv[i];
    }
  }
  if (L.joint) {
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[q + j] += X[i * p + j] * sv[i];
  }
}
