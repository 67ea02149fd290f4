/**
 * The sparsity layout of the penalized system (system.ts): the largest term is block-diagonal, every
 * other random effect (and β when joint) is dense; per block level the dense columns it touches.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Design } from '../design/types.js';
import type { ThetaLayout } from '../design/theta.js';

/** Largest dense part (random effects outside the largest term, plus β when joint). */
export const MAX_DENSE = 3000;

/**
 * The sparsity layout of the penalized system: which term is block-diagonal (the one with the most
 * random effects), the dense index of every other random effect, and per block level the dense columns
 * it touches. Built once per design; the scratch buffers are reused by every factorization.
 */
export interface SystemLayout {
  readonly s: ThetaLayout;
  readonly joint: boolean;
  readonly n: number;
  readonly p: number;
  readonly X: Float64Array;
  /** Index of the block-diagonal term, its k and number of levels. */
  readonly bi: number;
  readonly kb: number;
  readonly Lb: number;
  /** Dense index of each u index outside the block term (−1 inside it). */
  readonly denseOf: Int32Array;
  /** Random effects in the dense part, and the dense dimension (ru, plus p when joint). */
  readonly ru: number;
  readonly r: number;
  /** Per block level, the dense columns it touches (ascending). */
  readonly nz: readonly Int32Array[];
  /** Scratch: ZΛ entries of one row (length Σk), and one row's dense indices and values. */
  readonly aBuf: Float64Array;
  readonly dIdx: Int32Array;
  readonly dVal: Float64Array;
}

/** The term with the most random effects (the first on ties). */
function largestTerm(s: ThetaLayout): number {
  let bi = 0;
  for (let t = 1; t < s.terms.length; t++) if (s.terms[t].k * s.terms[t].nLevels > s.terms[bi].k * s.terms[bi].nLevels) bi = t;
  return bi;
}

/** Dense index of each u index outside the block term, and how many there are. */
function denseIndex(s: ThetaLayout, bi: number): { denseOf: Int32Array; ru: number } {
  const denseOf = new Int32Array(s.q).fill(-1);
  let ru = 0;
  for (let t = 0; t < s.terms.length; t++) {
    if (t === bi) continue;
    const tl = s.terms[t];
    for (let j = 0; j < tl.k * tl.nLevels; j++) denseOf[tl.uOffset + j] = ru++;
  }
  return { denseOf, ru };
}

/** Per block level: the dense columns its rows touch (plus β's when joint), ascending. */
function blockNonzeros(design: Design, s: ThetaLayout, bi: number, denseOf: Int32Array, ru: number, joint: boolean): Int32Array[] {
  const p = design.fixed.p;
  const bt = s.terms[bi];
  const nzSets: Set<number>[] = Array.from({ length: bt.nLevels }, () => new Set<number>());
  const bIdx = bt.term.index;
  for (let i = 0; i < design.nobs; i++) {
    const set = nzSets[bIdx[i]];
    for (let t = 0; t < s.terms.length; t++) {
      if (t === bi) continue;
      const tl = s.terms[t];
      const base = tl.uOffset + tl.term.index[i] * tl.k;
      for (let j = 0; j < tl.k; j++) set.add(denseOf[base + j]);
    }
  }
  return nzSets.map((set) => {
    const a = Array.from(set);
    if (joint) for (let j = 0; j < p; j++) a.push(ru + j);
    return Int32Array.from(a.sort((x, y) => x - y));
  });
}

/** The layout of the system for the design (throws when the dense part exceeds MAX_DENSE). */
export function systemLayout(design: Design, s: ThetaLayout, joint: boolean): SystemLayout {
  const p = design.fixed.p;
  const bi = largestTerm(s);
  const bt = s.terms[bi];
  const { denseOf, ru } = denseIndex(s, bi);
  const r = ru + (joint ? p : 0);
  if (r > MAX_DENSE) {
    throw new GlmmInputError(
      `random effects: ${ru} random effects outside the largest term '${bt.term.group}' need a dense ${r}×${r} factor; the Laplace fit handles at most ${MAX_DENSE} — simplify the crossed/nested terms`,
    );
  }
  return {
    s, joint, n: design.nobs, p, X: design.fixed.X, bi, kb: bt.k, Lb: bt.nLevels, denseOf, ru, r,
    nz: blockNonzeros(design, s, bi, denseOf, ru, joint),
    aBuf: new Float64Array(s.K), dIdx: new Int32Array(r), dVal: new Float64Array(r),
  };
}

/** ZΛ entries of row i for term t into L.aBuf[off..off+k). */
export function rowEntries(L: SystemLayout, T: readonly Float64Array[], t: number, i: number, off: number): void {
  const tl = L.s.terms[t];
  const k = tl.k;
  const Z = tl.term.Z;
  const Tt = T[t];
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (let m = j; m < k; m++) v += Z[i * k + m] * Tt[m * k + j];
    L.aBuf[off + j] = v;
  }
}
