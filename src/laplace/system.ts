/**
 * The penalized weighted system of PIRLS, M = [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX; ·, XᵀWX] (lme4's
 * `merPredD` with its sparse factor L, Bates et al. 2015 JSS eq. 18–21), factored without a dense
 * q×q Cholesky. The term with the most random effects is block-diagonal (one k×k block per level);
 * every other random effect (and β in the joint nAGQ = 0 system) is a dense Schur complement
 * S = C − BᵀD⁻¹B, factored densely. With one grouping factor S is empty (or p×p). The dense part is
 * limited to {@link MAX_DENSE} columns.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Design } from '../design/types.js';
import type { ThetaLayout } from '../design/theta.js';

/** Largest dense part (random effects outside the largest term, plus β when joint). */
export const MAX_DENSE = 3000;

/** A factored penalized system for one set of weights. */
export interface Factored {
  /** log det(ΛᵀZᵀWZΛ + I): lme4's ldL2. */
  readonly logDetU: number;
  /** Solves M x = g in place (g has length q + p when joint, else q). */
  solve(g: Float64Array): void;
  /** Diagonal k×k blocks of (ΛᵀZᵀWZΛ + I)⁻¹ per term and level (u-only systems). */
  condVarBlocks(): Float64Array[];
}

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
  const n = design.nobs;
  const p = design.fixed.p;
  const X = design.fixed.X;
  const nt = s.terms.length;
  let bi = 0;
  for (let t = 1; t < nt; t++) if (s.terms[t].k * s.terms[t].nLevels > s.terms[bi].k * s.terms[bi].nLevels) bi = t;
  const bt = s.terms[bi];
  const kb = bt.k;
  const Lb = bt.nLevels;
  const qb = kb * Lb;
  // dense index of each u index outside the block term
  const denseOf = new Int32Array(s.q).fill(-1);
  let ru = 0;
  for (let t = 0; t < nt; t++) {
    if (t === bi) continue;
    const tl = s.terms[t];
    for (let j = 0; j < tl.k * tl.nLevels; j++) denseOf[tl.uOffset + j] = ru++;
  }
  const r = ru + (joint ? p : 0);
  if (r > MAX_DENSE) {
    throw new GlmmInputError(
      `random effects: ${ru} random effects outside the largest term '${bt.term.group}' need a dense ${r}×${r} factor; the Laplace fit handles at most ${MAX_DENSE} — simplify the crossed/nested terms`,
    );
  }
  // per block level: the dense columns it touches
  const nzSets: Set<number>[] = Array.from({ length: Lb }, () => new Set<number>());
  const bIdx = bt.term.index;
  for (let i = 0; i < n; i++) {
    const set = nzSets[bIdx[i]];
    for (let t = 0; t < nt; t++) {
      if (t === bi) continue;
      const tl = s.terms[t];
      const base = tl.uOffset + tl.term.index[i] * tl.k;
      for (let j = 0; j < tl.k; j++) set.add(denseOf[base + j]);
    }
  }
  const nz: Int32Array[] = nzSets.map((set) => {
    const a = Array.from(set);
    if (joint) for (let j = 0; j < p; j++) a.push(ru + j);
    return Int32Array.from(a.sort((x, y) => x - y));
  });
  const Kmax = s.K;
  const aBuf = new Float64Array(Kmax);

  /** ZΛ entries of row i for term t into aBuf[off..off+k). */
  function rowEntries(T: readonly Float64Array[], t: number, i: number, off: number): void {
    const tl = s.terms[t];
    const k = tl.k;
    const Z = tl.term.Z;
    const Tt = T[t];
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let m = j; m < k; m++) v += Z[i * k + m] * Tt[m * k + j];
      aBuf[off + j] = v;
    }
  }

  function addZLu(T: readonly Float64Array[], u: Float64Array, eta: Float64Array): void {
    for (let t = 0; t < nt; t++) {
      const tl = s.terms[t];
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

  function crossprod(T: readonly Float64Array[], sv: Float64Array, out: Float64Array): void {
    out.fill(0);
    for (let t = 0; t < nt; t++) {
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
        rowEntries(T, t, i, 0);
        const base = tl.uOffset + idx[i] * k;
        for (let j = 0; j < k; j++) out[base + j] += aBuf[j] * sv[i];
      }
    }
    if (joint) {
      for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[s.q + j] += X[i * p + j] * sv[i];
    }
  }

  const dIdx = new Int32Array(r);
  const dVal = new Float64Array(r);

  function factor(T: readonly Float64Array[], w: Float64Array): Factored {
    const D = new Float64Array(Lb * kb * kb);
    const B = new Float64Array(qb * r);
    const C = new Float64Array(r * r);
    if (kb === 1 && r === 0) {
      // one scalar term: M is diagonal (the common large case)
      const Zb = bt.term.Z;
      const th2 = T[bi][0] * T[bi][0];
      for (let i = 0; i < n; i++) D[bIdx[i]] += w[i] * Zb[i] * Zb[i] * th2;
    }
    const scalarJoint = kb === 1 && nt === 1 && joint && r === p;
    if (scalarJoint) {
      // one scalar term and β (the nAGQ = 0 stage of the common large case)
      const Zb = bt.term.Z;
      const th = T[bi][0];
      for (let i = 0; i < n; i++) {
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
    for (let i = 0; i < n && !(kb === 1 && r === 0) && !scalarJoint; i++) {
      const wi = w[i];
      rowEntries(T, bi, i, 0);
      const lev = bIdx[i];
      const Dl = lev * kb * kb;
      for (let a = 0; a < kb; a++) for (let c = 0; c <= a; c++) D[Dl + a * kb + c] += wi * aBuf[a] * aBuf[c];
      if (r === 0) continue;
      let nd = 0;
      for (let t = 0; t < nt; t++) {
        if (t === bi) continue;
        const tl = s.terms[t];
        rowEntries(T, t, i, kb);
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
    let logDetU = 0;
    // block Cholesky D_l = L_l L_lᵀ (in place, lower)
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
    if (r > 0) {
      for (let d = 0; d < ru; d++) C[d * r + d] += 1;
      // W_l = L_l⁻¹ B_l (in place in B) and S = C − Σ W_lᵀ W_l
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
      // dense Cholesky of S (lower, in place)
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
    }
    const yd = new Float64Array(r);

    function solve(g: Float64Array): void {
      // forward: block part
      for (let l = 0; l < Lb; l++) {
        const o = l * kb * kb;
        const base = bt.uOffset + l * kb;
        for (let a = 0; a < kb; a++) {
          let v = g[base + a];
          for (let m = 0; m < a; m++) v -= D[o + a * kb + m] * g[base + m];
          g[base + a] = v / D[o + a * kb + a];
        }
      }
      if (r > 0) {
        for (let u = 0; u < s.q; u++) if (denseOf[u] >= 0) yd[denseOf[u]] = g[u];
        for (let j = 0; j < p && joint; j++) yd[ru + j] = g[s.q + j];
        for (let l = 0; l < Lb; l++) {
          const base = bt.uOffset + l * kb;
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
        for (let u = 0; u < s.q; u++) if (denseOf[u] >= 0) g[u] = yd[denseOf[u]];
        for (let j = 0; j < p && joint; j++) g[s.q + j] = yd[ru + j];
        for (let l = 0; l < Lb; l++) {
          const base = bt.uOffset + l * kb;
          for (const c of nz[l]) {
            for (let a = 0; a < kb; a++) g[base + a] -= B[(l * kb + a) * r + c] * yd[c];
          }
        }
      }
      // backward: block part
      for (let l = 0; l < Lb; l++) {
        const o = l * kb * kb;
        const base = bt.uOffset + l * kb;
        for (let a = kb - 1; a >= 0; a--) {
          let v = g[base + a];
          for (let m = a + 1; m < kb; m++) v -= D[o + m * kb + a] * g[base + m];
          g[base + a] = v / D[o + a * kb + a];
        }
      }
    }

    function condVarBlocks(): Float64Array[] {
      // column-by-column solves restricted to what each block needs: simple and exact.
      const out = s.terms.map((tl) => new Float64Array(tl.nLevels * tl.k * tl.k));
      const dim = s.q + (joint ? p : 0);
      const e = new Float64Array(dim);
      if (r > 0 && s.q > 4000) {
        for (const o of out) o.fill(NaN); // documented limit: too many dense solves
      } else {
        // one solve per random effect would be q solves; blocks of the same level need k solves
        for (const [ti, tl] of s.terms.entries()) {
          for (let l = 0; l < tl.nLevels; l++) {
            for (let c = 0; c < tl.k; c++) {
              e.fill(0);
              const ui = tl.uOffset + l * tl.k + c;
              e[ui] = 1;
              if (r === 0) {
                solveBlockOnly(e, l, ti === bi);
              } else solve(e);
              for (let a = 0; a < tl.k; a++) out[ti][l * tl.k * tl.k + a * tl.k + c] = e[tl.uOffset + l * tl.k + a];
            }
          }
        }
      }
      return out;
    }

    function solveBlockOnly(e: Float64Array, l: number, _isB: boolean): void {
      const o = l * kb * kb;
      const base = bt.uOffset + l * kb;
      for (let a = 0; a < kb; a++) {
        let v = e[base + a];
        for (let m = 0; m < a; m++) v -= D[o + a * kb + m] * e[base + m];
        e[base + a] = v / D[o + a * kb + a];
      }
      for (let a = kb - 1; a >= 0; a--) {
        let v = e[base + a];
        for (let m = a + 1; m < kb; m++) v -= D[o + m * kb + a] * e[base + m];
        e[base + a] = v / D[o + a * kb + a];
      }
    }

    return { logDetU, solve, condVarBlocks };
  }

  return { q: s.q, dim: s.q + (joint ? p : 0), addZLu, crossprod, factor };
}
