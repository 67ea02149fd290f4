/**
 * The layout of the random-effect covariance parameters θ shared by both likelihood fitters (the GLMM
 * Laplace in src/laplace/ and the Gaussian LMM in src/lmm/), as lme4's mkReTrms + Λ(θ) (Bates et al.
 * 2015, JSS 67(1), §2.2–2.3): per term a k×k lower-triangular template T_t, Λ = blockdiag(I_{L_t} ⊗ T_t),
 * b = Λu. Each term's covariance structure (src/design/covariance) owns its θ and T_t(θ) (for us,
 * lme4's column-major lower triangle); random effects are ordered term, level, column.
 */
import type { Design, RandomTerm } from './types.js';
import { templateDerivatives, type TemplateDerivatives } from './covariance/common.js';

/** lme4's isSingular tolerance: a template diagonal (an sd) below this is at its boundary 0. */
export const SINGULAR_TOL = 1e-4;

/** One θ entry: its term and its index within the term's θ. */
export interface ThetaEntry {
  readonly term: number;
  readonly index: number;
  /** A scale (a template diagonal for us/diag; bounded below at 0). */
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
  readonly nTheta: number;
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
  /** The structures' start (lme4's: 1 on diagonals, 0 elsewhere). */
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
    const thetaOffset = entries.length;
    term.cov.thetaScale.forEach((scale, index) => entries.push({ term: ti, index, diag: scale }));
    terms.push({ term, k, nLevels: term.levels.length, uOffset: uOff, thetaOffset, nTheta: term.cov.nTheta });
    uOff += k * term.levels.length;
    K += k;
  });
  return {
    terms,
    q: uOff,
    nTheta: entries.length,
    entries,
    lower: Float64Array.from(entries, (e) => (e.diag ? 0 : -Infinity)),
    theta0: Float64Array.from(entries, (e) => terms[e.term].term.cov.theta0[e.index]),
    isDiag: entries.map((e) => e.diag),
    K,
  };
}

/** The templates T_t (k×k row-major, lower triangular) from θ. */
export function thetaTemplates(s: ThetaLayout, theta: ArrayLike<number>): Float64Array[] {
  return s.terms.map((t) => {
    const T = new Float64Array(t.k * t.k);
    t.term.cov.template(theta, t.thetaOffset, T);
    return T;
  });
}

/** Makes every term's scales in θ non-negative without changing Λ Λᵀ (after an unbounded optimizer). */
export function foldThetaSigns(s: ThetaLayout, theta: ArrayLike<number>): Float64Array {
  const th = Float64Array.from(theta);
  for (const t of s.terms) t.term.cov.foldSigns(th, t.thetaOffset);
  return th;
}

/**
 * Per term, the derivatives of its template T_t in its own θ entries (exact when T is linear in θ: us,
 * diag; central differences otherwise: cs, ar1, toep), for the LMM's variance-parameter derivatives
 * (Satterthwaite: ∂Σ/∂θ and ∂²Σ/∂θ∂θ).
 */
export function thetaTemplateDerivatives(s: ThetaLayout, theta: ArrayLike<number>): TemplateDerivatives[] {
  return s.terms.map((t) => templateDerivatives(t.term.cov, theta, t.thetaOffset));
}

/** Whether every term's template is linear in θ (Kenward–Roger as pbkrtest needs Σ's entries as the variance parameters). */
export function templatesLinear(s: ThetaLayout): boolean {
  return s.terms.every((t) => t.term.cov.linearPos !== null);
}
