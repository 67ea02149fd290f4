/**
 * The layout of the random-effect covariance parameters θ shared by both likelihood fitters (the GLMM
 * Laplace in src/laplace/ and the Gaussian LMM in src/lmm/), as lme4's mkReTrms + Λ(θ) (Bates et al.
 * 2015, JSS 67(1), §2.2–2.3): per term a k×k lower-triangular template T_t, Λ = blockdiag(I_{L_t} ⊗ T_t),
 * b = Λu. θ holds each template's free entries in lme4's order (column-major lower triangle, only the
 * diagonal for uncorrelated terms); random effects are ordered term, level, column.
 */
import type { Design, RandomTerm } from './types.js';

/** lme4's isSingular tolerance: a template diagonal (an sd) below this is at its boundary 0. */
export const SINGULAR_TOL = 1e-4;

/** One θ entry: its term, and its row and column of the template T_t. */
export interface ThetaEntry {
  readonly term: number;
  readonly row: number;
  readonly col: number;
  /** A template diagonal (bounded below at 0). */
  readonly diag: boolean;
}

/** One term with its place in u (the random effects) and in θ. */
export interface ThetaTerm {
  readonly term: RandomTerm;
  readonly k: number;
  readonly nLevels: number;
  /** First index of this term in u (u index = uOffset + level·k + column). */
  readonly uOffset: number;
  /** First index of this term in θ. */
  readonly thetaOffset: number;
  /** (row, col) of T for each θ entry of this term, lme4's order. */
  readonly thetaPos: readonly (readonly [number, number])[];
}

/** The whole layout of u and θ. */
export interface ThetaLayout {
  readonly terms: readonly ThetaTerm[];
  /** Number of random effects (length of u and b). */
  readonly q: number;
  readonly nTheta: number;
  /** Every θ entry in order. */
  readonly entries: readonly ThetaEntry[];
  /** Lower bounds of θ: 0 on template diagonals, −∞ elsewhere (lme4's `lower`). */
  readonly lower: Float64Array;
  /** lme4's start: 1 on diagonals, 0 elsewhere. */
  readonly theta0: Float64Array;
  /** Whether θ entry i is a template diagonal. */
  readonly isDiag: readonly boolean[];
  /** Sum of k over terms: non-zeros of ZΛ per row. */
  readonly K: number;
}

/** Builds the layout (lme4 mkReTrms order: terms as given, levels outer, columns inner). */
export function thetaLayout(design: Design): ThetaLayout {
  const terms: ThetaTerm[] = [];
  const entries: ThetaEntry[] = [];
  let uOff = 0;
  let K = 0;
  design.random.forEach((term, ti) => {
    const k = term.k;
    const pos: [number, number][] = [];
    const thetaOffset = entries.length;
    for (let c = 0; c < k; c++) {
      for (let r = c; r < k; r++) {
        if (r !== c && !term.correlated) continue;
        pos.push([r, c]);
        entries.push({ term: ti, row: r, col: c, diag: r === c });
      }
    }
    terms.push({ term, k, nLevels: term.levels.length, uOffset: uOff, thetaOffset, thetaPos: pos });
    uOff += k * term.levels.length;
    K += k;
  });
  return {
    terms,
    q: uOff,
    nTheta: entries.length,
    entries,
    lower: Float64Array.from(entries, (e) => (e.diag ? 0 : -Infinity)),
    theta0: Float64Array.from(entries, (e) => (e.diag ? 1 : 0)),
    isDiag: entries.map((e) => e.diag),
    K,
  };
}

/** The templates T_t (k×k row-major, lower triangular) from θ. */
export function thetaTemplates(s: ThetaLayout, theta: ArrayLike<number>): Float64Array[] {
  return s.terms.map((t) => {
    const T = new Float64Array(t.k * t.k);
    t.thetaPos.forEach(([r, c], j) => {
      T[r * t.k + c] = theta[t.thetaOffset + j];
    });
    return T;
  });
}
