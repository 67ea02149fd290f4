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
import { rowEntries, type BlockedLayout } from './blocked-layout.js';

/** The factored parts of blocked-factor.ts: level factors L_l, W_l = B_l/L_l, the envelope factor of the Schur complement. */
interface FactoredParts { readonly D: Float64Array; readonly B: Float64Array; readonly C: Float64Array }

/** Σ over each term's levels of the diagonal of the inverse (the term order of the layout); kb must be 1. */
export function inverseTraces(L: BlockedLayout, parts: FactoredParts, upto: number, Z: Float64Array): Float64Array {
  if (upto > 0) takahashi(parts.C, L.r, L.first, upto, Z);
  return tracesOf(L, parts, upto, Z);
}

/**
 * The random-effect system's selected inverse (M_uu⁻¹, the leading block of a joint system's factor):
 * its per-term traces as {@link inverseTraces}, and per row the leverage z_iᵀ M_uu⁻¹ z_i, with z_i row i of
 * ZΛ (templates T): what the Laplace deviance's gradient needs (src/laplace/gradient.ts). Every entry it
 * reads lies in the envelope: a row's dense columns are in its block level's nz, which eliminating that
 * level joins. With t_l = S⁻¹W_l on nz_l, (M⁻¹)_{l,c} = −t_l[c]/L_l. kb must be 1.
 */
export function leverages(L: BlockedLayout, parts: FactoredParts, T: readonly Float64Array[], Z: Float64Array): { traces: Float64Array; leverages: Float64Array } {
  const traces = inverseTraces(L, parts, L.ru, Z);
  const { tl, mll } = levelParts(L, parts, Z);
  return { traces, leverages: rowLeverages(L, T, parts.D, tl, mll, Z) };
}

/** The block levels' parts of M_uu⁻¹ from the Schur part's inverse Z (ru × ru): t_l = S⁻¹W_l on nz_l and (M⁻¹)_ll. */
function levelParts(L: BlockedLayout, { D, B }: FactoredParts, Z: Float64Array): { tl: Float64Array; mll: Float64Array } {
  const n = L.ru;
  const tl = new Float64Array(L.bSize), mll = new Float64Array(L.Lb);
  for (let l = 0; l < L.Lb; l++) {
    const cols = L.nz[l], bo = L.bStart[l];
    let quad = 0;
    for (let x = 0; x < cols.length; x++) {
      if (cols[x] >= n) continue;
      const row = cols[x] * n;
      let s = 0;
      for (let y = 0; y < cols.length; y++) if (cols[y] < n) s += B[bo + y] * Z[row + cols[y]];
      tl[bo + x] = s;
      quad += B[bo + x] * s;
    }
    mll[l] = (1 + quad) / (D[l] * D[l]);
  }
  return { tl, mll };
}

/**
 * The diagonal of M_uu⁻¹ per random effect (u order of the layout): what lme4's condVar scales by σ²Λ² for
 * scalar terms. Z (ru² numbers) is the work space. kb must be 1.
 */
export function inverseDiagonal(L: BlockedLayout, parts: FactoredParts, Z: Float64Array): Float64Array {
  const n = L.ru;
  if (n > 0) takahashi(parts.C, L.r, L.first, n, Z);
  const out = new Float64Array(L.q);
  for (let u = 0; u < L.q; u++) if (L.denseOf[u] >= 0) out[u] = Z[L.denseOf[u] * n + L.denseOf[u]];
  if (L.bi >= 0) {
    const { mll } = levelParts(L, parts, Z);
    const off = L.terms[L.bi].uOffset;
    for (let l = 0; l < L.Lb; l++) out[off + l] = mll[l];
  }
  return out;
}

/** z_iᵀ M_uu⁻¹ z_i per row from the level parts (mll, t_l) and the Schur part's inverse Z (see {@link leverages}). */
function rowLeverages(L: BlockedLayout, T: readonly Float64Array[], D: Float64Array, tl: Float64Array, mll: Float64Array, Z: Float64Array): Float64Array {
  const { terms, bi, nd, denseOf, bStart } = L, n = L.ru;
  const out = new Float64Array(L.n);
  const bt = terms[bi], thb = T[bi][0];
  const nTerm = L.K - L.kb; // the row's dense random-effect entries (rowPos lists them first, β's after)
  const cIdx = new Int32Array(nTerm), cVal = new Float64Array(nTerm), buf = new Float64Array(L.K);
  for (let i = 0; i < L.n; i++) {
    const l = bt.index[i], a0 = bt.Z[i] * thb;
    let v = a0 * a0 * mll[l];
    if (nTerm > 0 && L.rowPos) {
      let m = 0;
      for (let t = 0; t < terms.length; t++) {
        if (t === bi) continue;
        const term = terms[t];
        rowEntries(terms, T, t, i, buf, 0);
        const base = term.uOffset + term.index[i] * term.k;
        for (let j = 0; j < term.k; j++) { cIdx[m] = denseOf[base + j]; cVal[m++] = buf[j]; }
      }
      const po = i * nd, bo = bStart[l];
      let cross = 0, dense = 0;
      for (let a = 0; a < nTerm; a++) {
        cross += cVal[a] * tl[bo + L.rowPos[po + a]];
        const row = cIdx[a] * n;
        let s = 0;
        for (let b = 0; b < nTerm; b++) s += cVal[b] * Z[row + cIdx[b]];
        dense += cVal[a] * s;
      }
      v += dense - (2 * a0 * cross) / D[l];
    }
    out[i] = v;
  }
  return out;
}

/** The per-term traces from the Schur part's inverse Z (upto rows) and the level factors. */
function tracesOf(L: BlockedLayout, { D, B }: FactoredParts, upto: number, Z: Float64Array): Float64Array {
  const out = new Float64Array(L.terms.length);
  const n = upto;
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
  const rows = new Int32Array(n);
  for (let j = n - 1; j >= 0; j--) {
    const ljj = C[j * r + j];
    // L_kj is 0 past the last row whose envelope reaches column j: the dot products stop there
    let hi = j + 1;
    for (let k = j + 1; k < n; k++) {
      const inEnv = first[k] <= j;
      col[k] = inEnv ? C[k * r + j] : 0;
      if (inEnv) hi = k + 1;
    }
    let m = 0;
    for (let i = j + 1; i < n; i++) {
      if (first[i] > j) { Z[i * n + j] = 0; Z[j * n + i] = 0; } else rows[m++] = i;
    }
    columnOfInverse(col, Z, n, j, hi, ljj, rows, m);
    Z[j * n + j] = 1 / (ljj * ljj) - dotFrom(col, Z, j * n, j + 1, hi) / ljj;
  }
}

/** S_ij = −(1/L_jj) Σ_{k=j+1}^{hi−1} L_kj S_ik for the m rows i of column j's envelope, four rows at a time (they share L_kj). */
function columnOfInverse(col: Float64Array, Z: Float64Array, n: number, j: number, hi: number, ljj: number, rows: Int32Array, m: number): void {
  let t = 0;
  for (; t + 3 < m; t += 4) {
    const o0 = rows[t] * n, o1 = rows[t + 1] * n, o2 = rows[t + 2] * n, o3 = rows[t + 3] * n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = j + 1; k < hi; k++) {
      const c = col[k];
      s0 += c * Z[o0 + k]; s1 += c * Z[o1 + k]; s2 += c * Z[o2 + k]; s3 += c * Z[o3 + k];
    }
    store(Z, n, j, rows[t], -s0 / ljj);
    store(Z, n, j, rows[t + 1], -s1 / ljj);
    store(Z, n, j, rows[t + 2], -s2 / ljj);
    store(Z, n, j, rows[t + 3], -s3 / ljj);
  }
  for (; t < m; t++) store(Z, n, j, rows[t], -dotFrom(col, Z, rows[t] * n, j + 1, hi) / ljj);
}

/** S_ij = S_ji = v (Z n × n, both triangles). */
function store(Z: Float64Array, n: number, j: number, i: number, v: number): void {
  Z[i * n + j] = v;
  Z[j * n + i] = v;
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
