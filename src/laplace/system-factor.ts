/**
 * Factoring the penalized system of system.ts for one set of weights: accumulate the block-diagonal
 * part D (one k×k block per level of the largest term), the coupling B and the dense part C; factor
 * each block of D; form and factor the Schur complement S = C − BᵀD⁻¹B; then solve and read the
 * conditional-variance blocks. Hand-written, not src/linalg: the block-sparse structure is the point.
 */
import { rowEntries, type SystemLayout } from './system-layout.js';

/** A factored penalized system for one set of weights. */
export interface Factored {
  /** log det(ΛᵀZᵀWZΛ + I): lme4's ldL2. */
  readonly logDetU: number;
  /** Solves M x = g in place (g has length q + p when joint, else q). */
  solve(g: Float64Array): void;
  /** Diagonal k×k blocks of (ΛᵀZᵀWZΛ + I)⁻¹ per term and level (u-only systems). */
  condVarBlocks(): Float64Array[];
}

/** The penalized system's blocks for weights w (lower triangles filled). */
interface Blocks {
  readonly D: Float64Array;
  readonly B: Float64Array;
  readonly C: Float64Array;
}

/** Factors M for templates T and weights w. */
export function factorSystem(L: SystemLayout, T: readonly Float64Array[], w: Float64Array): Factored {
  const blocks = accumulate(L, T, w);
  let logDetU = factorBlocks(L, blocks.D);
  if (L.r > 0) {
    schurComplement(L, blocks);
    logDetU = factorSchur(L, blocks.C, logDetU);
  }
  const yd = new Float64Array(L.r);
  return {
    logDetU,
    solve: (g) => solve(L, blocks, yd, g),
    condVarBlocks: () => condVarBlocks(L, blocks, yd),
  };
}

/** D, B and C of M = [ΛᵀZᵀWZΛ + I, …] for weights w, by the fastest path the layout allows. */
function accumulate(L: SystemLayout, T: readonly Float64Array[], w: Float64Array): Blocks {
  const { Lb, kb, r, p, bi, joint } = L;
  const blocks = { D: new Float64Array(Lb * kb * kb), B: new Float64Array(kb * Lb * r), C: new Float64Array(r * r) };
  if (kb === 1 && r === 0) accumulateDiagonal(L, T, w, blocks);
  else if (kb === 1 && L.s.terms.length === 1 && joint && r === p && bi === 0) accumulateScalarJoint(L, T, w, blocks);
  else accumulateRows(L, T, w, blocks);
  return blocks;
}

/** One scalar term: M is diagonal (the common large case). */
function accumulateDiagonal(L: SystemLayout, T: readonly Float64Array[], w: Float64Array, { D }: Blocks): void {
  const term = L.s.terms[L.bi].term;
  const Zb = term.Z;
  const bIdx = term.index;
  const th2 = T[L.bi][0] * T[L.bi][0];
  for (let i = 0; i < L.n; i++) D[bIdx[i]] += w[i] * Zb[i] * Zb[i] * th2;
}

/** One scalar term and β (the nAGQ = 0 stage of the common large case). */
function accumulateScalarJoint(L: SystemLayout, T: readonly Float64Array[], w: Float64Array, { D, B, C }: Blocks): void {
  const { p, r, X } = L;
  const term = L.s.terms[L.bi].term;
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
    const bo = l * r;
    for (let j = 0; j < p; j++) {
      const xj = X[xo + j];
      B[bo + j] += wa * xj;
      const wx = wi * xj;
      for (let j2 = 0; j2 <= j; j2++) C[j * r + j2] += wx * X[xo + j2];
    }
  }
}

/** The general case, row by row: the block term's entries into D, the rest (and β) into B and C. */
function accumulateRows(L: SystemLayout, T: readonly Float64Array[], w: Float64Array, { D, B, C }: Blocks): void {
  const { kb, r, p, ru, bi, joint, X, s, aBuf, dIdx, dVal, denseOf } = L;
  const bIdx = s.terms[bi].term.index;
  for (let i = 0; i < L.n; i++) {
    const wi = w[i];
    rowEntries(L, T, bi, i, 0);
    const lev = bIdx[i];
    const Dl = lev * kb * kb;
    for (let a = 0; a < kb; a++) for (let c = 0; c <= a; c++) D[Dl + a * kb + c] += wi * aBuf[a] * aBuf[c];
    if (r === 0) continue;
    let nd = 0;
    for (let t = 0; t < s.terms.length; t++) {
      if (t === bi) continue;
      const tl = s.terms[t];
      rowEntries(L, T, t, i, kb);
      const base = tl.uOffset + tl.term.index[i] * tl.k;
      for (let j = 0; j < tl.k; j++) {
        dIdx[nd] = denseOf[base + j];
        dVal[nd++] = aBuf[kb + j];
      }
    }
    if (joint) {
      for (let j = 0; j < p; j++) {
        dIdx[nd] = ru + j;
        dVal[nd++] = X[i * p + j];
      }
    }
    for (let a = 0; a < kb; a++) {
      const row = (lev * kb + a) * r;
      const wa = wi * aBuf[a];
      for (let d = 0; d < nd; d++) B[row + dIdx[d]] += wa * dVal[d];
    }
    for (let d1 = 0; d1 < nd; d1++) {
      const w1 = wi * dVal[d1];
      const i1 = dIdx[d1];
      for (let d2 = 0; d2 < nd; d2++) {
        const i2 = dIdx[d2];
        if (i2 <= i1) C[i1 * r + i2] += w1 * dVal[d2];
      }
    }
  }
}

/** D_l + I = L_l L_lᵀ for every level (in place, lower); returns Σ log det. */
function factorBlocks(L: SystemLayout, D: Float64Array): number {
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
function schurComplement(L: SystemLayout, { D, B, C }: Blocks): void {
  const { Lb, kb, r, ru, nz } = L;
  for (let d = 0; d < ru; d++) C[d * r + d] += 1;
  for (let l = 0; l < Lb; l++) {
    const o = l * kb * kb;
    const cols = nz[l];
    for (const c of cols) {
      for (let a = 0; a < kb; a++) {
        let v = B[(l * kb + a) * r + c];
        for (let m = 0; m < a; m++) v -= D[o + a * kb + m] * B[(l * kb + m) * r + c];
        B[(l * kb + a) * r + c] = v / D[o + a * kb + a];
      }
    }
    for (let x = 0; x < cols.length; x++) {
      const c1 = cols[x];
      for (let y = 0; y <= x; y++) {
        const c2 = cols[y];
        let v = 0;
        for (let a = 0; a < kb; a++) v += B[(l * kb + a) * r + c1] * B[(l * kb + a) * r + c2];
        C[c1 * r + c2] -= v;
      }
    }
  }
}

/** Dense Cholesky of S (lower, in place); adds the random-effect part's log det to logDetU (NaN when M is not positive definite). */
function factorSchur(L: SystemLayout, C: Float64Array, logDetU: number): number {
  const { r, ru } = L;
  for (let j = 0; j < r; j++) {
    let d = C[j * r + j];
    for (let m = 0; m < j; m++) d -= C[j * r + m] ** 2;
    if (!(d > 0)) {
      if (j < ru) logDetU = NaN; // M is not positive definite (observed weights away from the mode)
      d = 1e-300; // β block numerically singular: keep finite, caller sees huge steps
    }
    const ljj = Math.sqrt(d);
    C[j * r + j] = ljj;
    if (j < ru) logDetU += 2 * Math.log(ljj);
    for (let i2 = j + 1; i2 < r; i2++) {
      let v = C[i2 * r + j];
      const ri = i2 * r;
      const rj = j * r;
      for (let m = 0; m < j; m++) v -= C[ri + m] * C[rj + m];
      C[ri + j] = v / ljj;
    }
  }
  return logDetU;
}

/** Solves L_l L_lᵀ x = e for the block of level l only (in place; the u-only system without a dense part). */
function solveBlock(L: SystemLayout, D: Float64Array, e: Float64Array, l: number, forward: boolean, backward: boolean): void {
  const kb = L.kb;
  const o = l * kb * kb;
  const base = L.s.terms[L.bi].uOffset + l * kb;
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

/** Solves M x = g in place: forward through the blocks, the dense Schur part, backward through the blocks. */
function solve(L: SystemLayout, { D, B, C }: Blocks, yd: Float64Array, g: Float64Array): void {
  const { Lb, kb, r, ru, p, joint, nz, denseOf } = L;
  const q = L.s.q;
  const bOff = L.s.terms[L.bi].uOffset;
  for (let l = 0; l < Lb; l++) solveBlock(L, D, g, l, true, false);
  if (r > 0) {
    for (let u = 0; u < q; u++) if (denseOf[u] >= 0) yd[denseOf[u]] = g[u];
    for (let j = 0; j < p && joint; j++) yd[ru + j] = g[q + j];
    for (let l = 0; l < Lb; l++) {
      const base = bOff + l * kb;
      for (const c of nz[l]) {
        let v = 0;
        for (let a = 0; a < kb; a++) v += B[(l * kb + a) * r + c] * g[base + a];
        yd[c] -= v;
      }
    }
    for (let j = 0; j < r; j++) {
      let v = yd[j];
      for (let m = 0; m < j; m++) v -= C[j * r + m] * yd[m];
      yd[j] = v / C[j * r + j];
    }
    for (let j = r - 1; j >= 0; j--) {
      let v = yd[j];
      for (let m = j + 1; m < r; m++) v -= C[m * r + j] * yd[m];
      yd[j] = v / C[j * r + j];
    }
    for (let u = 0; u < q; u++) if (denseOf[u] >= 0) g[u] = yd[denseOf[u]];
    for (let j = 0; j < p && joint; j++) g[q + j] = yd[ru + j];
    for (let l = 0; l < Lb; l++) {
      const base = bOff + l * kb;
      for (const c of nz[l]) {
        for (let a = 0; a < kb; a++) g[base + a] -= B[(l * kb + a) * r + c] * yd[c];
      }
    }
  }
  for (let l = 0; l < Lb; l++) solveBlock(L, D, g, l, false, true);
}

/** Diagonal k×k blocks of M⁻¹'s random-effect part per term and level, by k solves per level (NaN beyond 4000 random effects with a dense part). */
function condVarBlocks(L: SystemLayout, blocks: Blocks, yd: Float64Array): Float64Array[] {
  const s = L.s;
  const out = s.terms.map((tl) => new Float64Array(tl.nLevels * tl.k * tl.k));
  const e = new Float64Array(s.q + (L.joint ? L.p : 0));
  if (L.r > 0 && s.q > 4000) {
    for (const o of out) o.fill(NaN); // documented limit: too many dense solves
    return out;
  }
  for (const [ti, tl] of s.terms.entries()) {
    for (let l = 0; l < tl.nLevels; l++) {
      for (let c = 0; c < tl.k; c++) {
        e.fill(0);
        e[tl.uOffset + l * tl.k + c] = 1;
        if (L.r === 0) solveBlock(L, blocks.D, e, l, true, true);
        else solve(L, blocks, yd, e);
        for (let a = 0; a < tl.k; a++) out[ti][l * tl.k * tl.k + a * tl.k + c] = e[tl.uOffset + l * tl.k + a];
      }
    }
  }
  return out;
}
