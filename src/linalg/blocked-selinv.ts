/**
 * Traces of the diagonal blocks of M⁻¹ per random-effect term, from the blocked factor of
 * blocked-factor.ts, for scalar block terms (kb = 1): what the analytic gradient of the profiled
 * criterion needs (src/lmm/reml-gradient.ts). The Schur part's inverse is taken within the envelope of
 * its factor by Takahashi's recursion (Takahashi, Fagan & Chin 1973; Erisman & Tinney 1975):
 *   S_ij = −(1/L_jj) Σ_{k>j} L_kj S_ki,  S_jj = 1/L_jj² − (1/L_jj) Σ_{k>j} L_kj S_kj,
 * over the rows k of column j's envelope, whose S_ki all lie in the envelope; its cost is the envelope
 * factorisation's. The block term's levels then follow from M⁻¹₁₁ = D⁻¹ + D⁻¹BᵀS⁻¹BD⁻¹: with
 * L_l the factor of level l and W_l = B_l/L_l, (M⁻¹)_ll = (1 + W_lᵀ S⁻¹ W_l)/L_l².
 * `upto` rows of the Schur part take part: r for the joint system (REML's log|L|² + log|R_X|² = log|M|),
 * ru for the random-effect system alone (ML's log|L|², the leading block of the same factor).
 */
import type { BlockedLayout } from './blocked-layout.js';

/** The factored parts of blocked-factor.ts: level factors L_l, W_l = B_l/L_l, the envelope factor of the Schur complement. */
interface FactoredParts { readonly D: Float64Array; readonly B: Float64Array; readonly C: Float64Array }

/** Σ over each term's levels of the diagonal of the inverse (the term order of the layout); kb must be 1. */
export function inverseTraces(L: BlockedLayout, { D, B, C }: FactoredParts, upto: number, Z: Float64Array): Float64Array {
  const out = new Float64Array(L.terms.length);
  const n = upto;
  if (n > 0) takahashi(C, L.r, L.first, n, Z);
  const termOf = denseTerms(L);
  for (let a = 0; a < Math.min(n, L.ru); a++) out[termOf[a]] += Z[a * n + a];
  if (L.bi >= 0) {
    let tr = 0;
    for (let l = 0; l < L.Lb; l++) {
      const cols = L.nz[l], bo = L.bStart[l];
      let quad = 0;
      for (let x = 0; x < cols.length; x++) {
        const cx = cols[x];
        if (cx >= n) continue;
        const wx = B[bo + x], row = cx * n;
        let s = 0;
        for (let y = 0; y < cols.length; y++) if (cols[y] < n) s += B[bo + y] * Z[row + cols[y]];
        quad += wx * s;
      }
      tr += (1 + quad) / (D[l] * D[l]);
    }
    out[L.bi] += tr;
  }
  return out;
}

/** The term of each dense random-effect index. */
function denseTerms(L: BlockedLayout): Int32Array {
  const termOf = new Int32Array(L.ru);
  L.terms.forEach((t, ti) => {
    for (let u = t.uOffset; u < t.uOffset + t.nLevels * t.k; u++) if (L.denseOf[u] >= 0) termOf[L.denseOf[u]] = ti;
  });
  return termOf;
}

/**
 * S = (LLᵀ)⁻¹ of the leading n rows of the envelope factor C (r × r, row-major lower), into Z (n × n, both
 * triangles): S_ij for the rows i of column j's envelope, each a contiguous dot product over k > j with
 * L_kj = 0 outside the envelope (the envelopes here are mostly full, where indexed sums cost more than zeros).
 */
function takahashi(C: Float64Array, r: number, first: Int32Array, n: number, Z: Float64Array): void {
  const col = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    const ljj = C[j * r + j];
    for (let k = j + 1; k < n; k++) col[k] = first[k] <= j ? C[k * r + j] : 0;
    for (let i = j + 1; i < n; i++) {
      if (first[i] > j) { Z[i * n + j] = 0; Z[j * n + i] = 0; continue; }
      const v = -dotFrom(col, Z, i * n, j + 1, n) / ljj;
      Z[i * n + j] = v;
      Z[j * n + i] = v;
    }
    Z[j * n + j] = 1 / (ljj * ljj) - dotFrom(col, Z, j * n, j + 1, n) / ljj;
  }
}

/** Σ_{k=lo}^{hi−1} a[k] · b[off + k], unrolled by four. */
function dotFrom(a: Float64Array, b: Float64Array, off: number, lo: number, hi: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = lo;
  for (; k + 3 < hi; k += 4) {
    s0 += a[k] * b[off + k]; s1 += a[k + 1] * b[off + k + 1];
    s2 += a[k + 2] * b[off + k + 2]; s3 += a[k + 3] * b[off + k + 3];
  }
  for (; k < hi; k++) s0 += a[k] * b[off + k];
  return s0 + s1 + s2 + s3;
}
