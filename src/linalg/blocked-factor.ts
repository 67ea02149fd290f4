/**
 * The numeric factorisation of the blocked system of blocked-layout.ts for one Λ (templates T) and one
 * set of weights w: accumulate the block-diagonal part D (one k × k block per level of the first term),
 * the sparse coupling B (per level, only its nz columns) and the dense part C; factor each block of D;
 * form the Schur complement S = C − BᵀD⁻¹B and factor it within its envelope (envelope.ts); then solve
 * and read conditional-variance blocks. MixedModels.jl's `updateL!` (src/linalg/), lme4's
 * `merPredD::updateDecomp`. One implementation for lmer's normal equations and glmer's PIRLS.
 */
import { rowEntries, type BlockedLayout } from './blocked-layout.js';
import { envelopeCholesky, envelopeSolveLower, envelopeSolveLowerT } from './envelope.js';
import { inverseDiagonal, inverseTraces, leverages } from './blocked-selinv.js';

/** A factored system for one Λ and one set of weights. */
export interface BlockedFactor {
  /** log det(ΛᵀZᵀWZΛ + I): lme4's ldL2 (NaN when that part is not positive definite). */
  readonly logDetU: number;
  /** log det of the β part of the Schur complement (lme4's ldRX2; joint systems), and whether it was singular. */
  readonly logDetX: number;
  readonly singularX: boolean;
  /** Solves M x = g in place (g has length q + p when joint, else q). */
  solve(g: Float64Array): void;
  /** Diagonal k × k blocks of (ΛᵀZᵀWZΛ + I)⁻¹ per term and level (u-only systems). */
  condVarBlocks(): Float64Array[];
  /** The β part of the factor, p × p lower (R_Xᵀ; joint systems). */
  lowerX(): Float64Array;
  /** Per term, Σ of the diagonal of M⁻¹ over its levels: of the joint system (withX) or the random-effect system alone
   * (scalar block terms only; blocked-selinv.ts). `work` holds at least r² numbers. */
  inverseTraces(withX: boolean, work: Float64Array): Float64Array;
  /** The random-effect system's per-term traces of the inverse and per-row leverages z_iᵀ M_uu⁻¹ z_i (z_i row i of ZΛ for the
   * templates T the system was factored with; scalar block terms only; blocked-selinv.ts). `work` holds at least ru² numbers. */
  leverages(T: readonly Float64Array[], work: Float64Array): { traces: Float64Array; leverages: Float64Array };
  /** The diagonal of the random-effect system's inverse M_uu⁻¹ per random effect (scalar block terms only; blocked-selinv.ts). `work` holds at least ru² numbers. */
  inverseDiagonal(work: Float64Array): Float64Array;
}

/** The system's parts for one evaluation (lower triangles filled). */
export interface Parts {
  readonly D: Float64Array;
  readonly B: Float64Array;
  readonly C: Float64Array;
}

/** Factors M for templates T and weights w (or for parts already accumulated for them: blocked-scaled.ts). */
export function factorBlocked(L: BlockedLayout, T: readonly Float64Array[], w: Float64Array, given?: Parts): BlockedFactor {
  const parts = given ?? accumulate(L, T, w);
  let logDetU = factorBlocks(L, parts.D);
  let logDetX = 0, singularX = false;
  if (L.r > 0) {
    schurComplement(L, parts);
    const env = envelopeCholesky(parts.C, L.r, L.first, L.ru);
    logDetU += env.logDetA;
    logDetX = env.logDetB;
    singularX = env.failedB;
  }
  const yd = new Float64Array(L.r);
  return {
    logDetU, logDetX, singularX,
    solve: (g) => solve(L, parts, yd, g),
    condVarBlocks: () => condVarBlocks(L, parts, yd),
    lowerX: () => lowerX(L, parts.C),
    inverseTraces: (withX, work) => inverseTraces(L, parts, withX ? L.r : L.ru, work),
    leverages: (T2, work) => leverages(L, parts, T2, work),
    inverseDiagonal: (work) => inverseDiagonal(L, parts, work),
  };
}

/** D, B and C for weights w, by the fastest path the layout allows. */
export function accumulate(L: BlockedLayout, T: readonly Float64Array[], w: Float64Array): Parts {
  const { Lb, kb, r } = L;
  const parts = { D: new Float64Array(Lb * kb * kb), B: new Float64Array(L.bSize), C: new Float64Array(r * r) };
  if (L.bi < 0) accumulateDense(L, w, parts);
  else if (kb === 1 && r === 0) accumulateDiagonal(L, T, w, parts);
  else if (r > 0 && L.rowPos === null) accumulateScalarJoint(L, T, w, parts);
  else accumulateRows(L, T, w, parts);
  return parts;
}

/** No random-effect term: C = XᵀWX. */
function accumulateDense(L: BlockedLayout, w: Float64Array, { C }: Parts): void {
  const { n, p, r, X } = L;
  for (let i = 0; i < n && r > 0; i++) {
    for (let a = 0; a < p; a++) {
      const wx = w[i] * X[i * p + a];
      for (let c = 0; c <= a; c++) C[a * r + c] += wx * X[i * p + c];
    }
  }
}

/** One scalar term: M is diagonal (the common large case). */
function accumulateDiagonal(L: BlockedLayout, T: readonly Float64Array[], w: Float64Array, { D }: Parts): void {
  const term = L.terms[L.bi];
  const Zb = term.Z;
  const bIdx = term.index;
  const th2 = T[L.bi][0] * T[L.bi][0];
  for (let i = 0; i < L.n; i++) D[bIdx[i]] += w[i] * Zb[i] * Zb[i] * th2;
}

/** One scalar term and β (the nAGQ = 0 stage of the common large case): every level couples to all p columns. */
function accumulateScalarJoint(L: BlockedLayout, T: readonly Float64Array[], w: Float64Array, { D, B, C }: Parts): void {
  const { p, r, X } = L;
  const term = L.terms[L.bi];
  const Zb = term.Z;
  const bIdx = term.index;
  const th = T[L.bi][0];
  for (let i = 0; i < L.n; i++) {
    const a = Zb[i] * th;
    const wi = w[i];
    const l = bIdx[i];
    D[l] += wi * a * a;
    const wa = wi * a;
    const xo = i * p;
    const bo = l * p;
    for (let j = 0; j < p; j++) {
      const xj = X[xo + j];
      B[bo + j] += wa * xj;
      const wx = wi * xj;
      for (let j2 = 0; j2 <= j; j2++) C[j * r + j2] += wx * X[xo + j2];
    }
  }
}

/** The general case, row by row: the block term's entries into D, the rest (and β) into B and C. */
function accumulateRows(L: BlockedLayout, T: readonly Float64Array[], w: Float64Array, { D, B, C }: Parts): void {
  const { kb, r, p, ru, bi, joint, X, terms, denseOf, nd, nz, bStart } = L;
  const rowPos = L.rowPos ?? new Int32Array(0);
  const aBuf = new Float64Array(L.K);
  const dIdx = new Int32Array(nd), dVal = new Float64Array(nd);
  const bIdx = terms[bi].index;
  for (let i = 0; i < L.n; i++) {
    const wi = w[i];
    rowEntries(terms, T, bi, i, aBuf, 0);
    const lev = bIdx[i];
    const Dl = lev * kb * kb;
    for (let a = 0; a < kb; a++) for (let c = 0; c <= a; c++) D[Dl + a * kb + c] += wi * aBuf[a] * aBuf[c];
    if (nd === 0) continue;
    let m = 0;
    for (let t = 0; t < terms.length; t++) {
      if (t === bi) continue;
      const tl = terms[t];
      rowEntries(terms, T, t, i, aBuf, kb);
      const base = tl.uOffset + tl.index[i] * tl.k;
      for (let j = 0; j < tl.k; j++) { dIdx[m] = denseOf[base + j]; dVal[m++] = aBuf[kb + j]; }
    }
    if (joint) for (let j = 0; j < p; j++) { dIdx[m] = ru + j; dVal[m++] = X[i * p + j]; }
    const len = nz[lev].length;
    const bo = bStart[lev];
    const po = i * nd;
    for (let a = 0; a < kb; a++) {
      const row = bo + a * len;
      const wa = wi * aBuf[a];
      for (let d = 0; d < nd; d++) B[row + rowPos[po + d]] += wa * dVal[d];
    }
    for (let d1 = 0; d1 < nd; d1++) {
      const w1 = wi * dVal[d1];
      const i1 = dIdx[d1] * r;
      const c1 = dIdx[d1];
      for (let d2 = 0; d2 < nd; d2++) if (dIdx[d2] <= c1) C[i1 + dIdx[d2]] += w1 * dVal[d2];
    }
  }
}

/** D_l + I = L_l L_lᵀ for every level (in place, lower); returns Σ log det. */
function factorBlocks(L: BlockedLayout, D: Float64Array): number {
  const { Lb, kb } = L;
  let logDetU = 0;
  for (let l = 0; l < Lb; l++) {
    const o = l * kb * kb;
    for (let a = 0; a < kb; a++) D[o + a * kb + a] += 1;
    for (let j = 0; j < kb; j++) {
      let d = D[o + j * kb + j];
      for (let m = 0; m < j; m++) d -= D[o + j * kb + m] ** 2;
      const ljj = Math.sqrt(d);
      D[o + j * kb + j] = ljj;
      logDetU += 2 * Math.log(ljj);
      for (let i2 = j + 1; i2 < kb; i2++) {
        let v = D[o + i2 * kb + j];
        for (let m = 0; m < j; m++) v -= D[o + i2 * kb + m] * D[o + j * kb + m];
        D[o + i2 * kb + j] = v / ljj;
      }
    }
  }
  return logDetU;
}

/** C + I on the random-effect part, W_l = L_l⁻¹ B_l (in place in B) and S = C − Σ W_lᵀ W_l (in place in C). */
function schurComplement(L: BlockedLayout, { D, B, C }: Parts): void {
  const { Lb, kb, r, ru, nz, bStart } = L;
  for (let d = 0; d < ru; d++) C[d * r + d] += 1;
  if (kb === 1) { scalarSchur(L, D, B, C); return; }
  for (let l = 0; l < Lb; l++) {
    const o = l * kb * kb;
    const cols = nz[l];
    const len = cols.length;
    const bo = bStart[l];
    for (let x = 0; x < len; x++) {
      for (let a = 0; a < kb; a++) {
        let v = B[bo + a * len + x];
        for (let m = 0; m < a; m++) v -= D[o + a * kb + m] * B[bo + m * len + x];
        B[bo + a * len + x] = v / D[o + a * kb + a];
      }
    }
    for (let x = 0; x < len; x++) {
      const c1 = cols[x] * r;
      for (let y = 0; y <= x; y++) {
        let v = 0;
        for (let a = 0; a < kb; a++) v += B[bo + a * len + x] * B[bo + a * len + y];
        C[c1 + cols[y]] -= v;
      }
    }
  }
}

/** schurComplement for a scalar block term: W_l = B_l / L_l and a rank-one update of S per level. */
function scalarSchur(L: BlockedLayout, D: Float64Array, B: Float64Array, C: Float64Array): void {
  const { Lb, r, nz, bStart } = L;
  for (let l = 0; l < Lb; l++) {
    const cols = nz[l], len = cols.length, bo = bStart[l];
    const inv = 1 / D[l];
    for (let x = 0; x < len; x++) B[bo + x] *= inv;
    for (let x = 0; x < len; x++) {
      const c1 = cols[x] * r, bx = B[bo + x];
      for (let y = 0; y <= x; y++) C[c1 + cols[y]] -= bx * B[bo + y];
    }
  }
}

/** Solves L_l L_lᵀ x = e for the block of level l only (in place). */
function solveBlock(L: BlockedLayout, D: Float64Array, e: Float64Array, l: number, forward: boolean, backward: boolean): void {
  const kb = L.kb;
  const o = l * kb * kb;
  const base = L.terms[L.bi].uOffset + l * kb;
  if (forward) {
    for (let a = 0; a < kb; a++) {
      let v = e[base + a];
      for (let m = 0; m < a; m++) v -= D[o + a * kb + m] * e[base + m];
      e[base + a] = v / D[o + a * kb + a];
    }
  }
  if (backward) {
    for (let a = kb - 1; a >= 0; a--) {
      let v = e[base + a];
      for (let m = a + 1; m < kb; m++) v -= D[o + m * kb + a] * e[base + m];
      e[base + a] = v / D[o + a * kb + a];
    }
  }
}

/** Solves M x = g in place: forward through the blocks, the Schur part, backward through the blocks. */
function solve(L: BlockedLayout, { D, B, C }: Parts, yd: Float64Array, g: Float64Array): void {
  const { Lb, kb, r, ru, p, joint, nz, denseOf, bStart, q } = L;
  const bOff = L.bi >= 0 ? L.terms[L.bi].uOffset : 0;
  for (let l = 0; l < Lb; l++) solveBlock(L, D, g, l, true, false);
  if (r === 0) {
    for (let l = 0; l < Lb; l++) solveBlock(L, D, g, l, false, true);
    return;
  }
  for (let u = 0; u < q; u++) if (denseOf[u] >= 0) yd[denseOf[u]] = g[u];
  for (let j = 0; j < p && joint; j++) yd[ru + j] = g[q + j];
  for (let l = 0; l < Lb; l++) {
    const base = bOff + l * kb, cols = nz[l], len = cols.length, bo = bStart[l];
    for (let x = 0; x < len; x++) {
      let v = 0;
      for (let a = 0; a < kb; a++) v += B[bo + a * len + x] * g[base + a];
      yd[cols[x]] -= v;
    }
  }
  envelopeSolveLower(C, r, L.first, yd);
  envelopeSolveLowerT(C, r, L.first, yd);
  for (let u = 0; u < q; u++) if (denseOf[u] >= 0) g[u] = yd[denseOf[u]];
  for (let j = 0; j < p && joint; j++) g[q + j] = yd[ru + j];
  for (let l = 0; l < Lb; l++) {
    const base = bOff + l * kb, cols = nz[l], len = cols.length, bo = bStart[l];
    for (let x = 0; x < len; x++) {
      const y = yd[cols[x]];
      for (let a = 0; a < kb; a++) g[base + a] -= B[bo + a * len + x] * y;
    }
  }
  for (let l = 0; l < Lb; l++) solveBlock(L, D, g, l, false, true);
}

/** Diagonal k × k blocks of M⁻¹'s random-effect part per term and level, by k solves per level (NaN beyond 4000 random effects with a dense part). */
function condVarBlocks(L: BlockedLayout, parts: Parts, yd: Float64Array): Float64Array[] {
  const out = L.terms.map((tl) => new Float64Array(tl.nLevels * tl.k * tl.k));
  const e = new Float64Array(L.q + (L.joint ? L.p : 0));
  if (L.r > 0 && L.q > 4000) {
    for (const o of out) o.fill(NaN); // documented limit: too many dense solves
    return out;
  }
  for (const [ti, tl] of L.terms.entries()) {
    for (let l = 0; l < tl.nLevels; l++) {
      for (let c = 0; c < tl.k; c++) {
        e.fill(0);
        e[tl.uOffset + l * tl.k + c] = 1;
        if (L.r === 0) solveBlock(L, parts.D, e, l, true, true);
        else solve(L, parts, yd, e);
        for (let a = 0; a < tl.k; a++) out[ti][l * tl.k * tl.k + a * tl.k + c] = e[tl.uOffset + l * tl.k + a];
      }
    }
  }
  return out;
}

/** The trailing p × p block of the Schur factor (lower): R_Xᵀ. */
function lowerX(L: BlockedLayout, C: Float64Array): Float64Array {
  const { p, r, ru } = L;
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let c = 0; c <= a; c++) out[a * p + c] = C[(ru + a) * r + ru + c];
  return out;
}
