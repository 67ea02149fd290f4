/**
 * The random-effects structure of the Laplace fit, as lme4's mkReTrms + Λ(θ) (Bates et al. 2015,
 * JSS 67(1), §2.2–2.3): per term a k×k lower-triangular template T_t, Λ = blockdiag(I_{L_t} ⊗ T_t),
 * b = Λu. θ holds each template's free entries in lme4's order (column-major lower triangle, the
 * diagonal only for uncorrelated terms). For a GLMM without dispersion Λ(θ)Λ(θ)ᵀ is the
 * random-effects covariance itself; for the gaussian/gamma/negbinomial families we do the same
 * (absolute, not relative, scale) as glmmTMB does.
 */
import type { Design, RandomTerm } from '../design/types.js';
import { cholesky } from '../linalg/cholesky.js';

/** One term with its place in u and in θ. */
export interface TermLayout {
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

/** The whole random-effects layout. */
export interface ReStructure {
  readonly terms: readonly TermLayout[];
  /** Number of random effects (length of u and b). */
  readonly q: number;
  readonly nTheta: number;
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
export function buildStructure(design: Design): ReStructure {
  const terms: TermLayout[] = [];
  let uOff = 0;
  let thOff = 0;
  let K = 0;
  const lower: number[] = [];
  const theta0: number[] = [];
  const isDiag: boolean[] = [];
  for (const term of design.random) {
    const k = term.k;
    const pos: [number, number][] = [];
    for (let c = 0; c < k; c++) {
      for (let r = c; r < k; r++) {
        if (r !== c && !term.correlated) continue;
        pos.push([r, c]);
        lower.push(r === c ? 0 : -Infinity);
        theta0.push(r === c ? 1 : 0);
        isDiag.push(r === c);
      }
    }
    terms.push({ term, k, nLevels: term.levels.length, uOffset: uOff, thetaOffset: thOff, thetaPos: pos });
    uOff += k * term.levels.length;
    thOff += pos.length;
    K += k;
  }
  return {
    terms,
    q: uOff,
    nTheta: thOff,
    lower: Float64Array.from(lower),
    theta0: Float64Array.from(theta0),
    isDiag,
    K,
  };
}

/** The templates T_t (k×k row-major, lower triangular) from θ. */
export function templates(s: ReStructure, theta: ArrayLike<number>): Float64Array[] {
  return s.terms.map((t) => {
    const T = new Float64Array(t.k * t.k);
    t.thetaPos.forEach(([r, c], j) => {
      T[r * t.k + c] = theta[t.thetaOffset + j];
    });
    return T;
  });
}

/**
 * Per-term sds and correlation matrix of b from its template: Σ = T Tᵀ (lme4's VarCorr).
 * Returns sd (length k) and cor (k×k row-major; NaN where an sd is 0).
 */
export function sdCor(T: Float64Array, k: number): { sd: Float64Array; cor: Float64Array; cov: Float64Array } {
  const cov = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += T[i * k + m] * T[j * k + m];
      cov[i * k + j] = s;
    }
  }
  const sd = new Float64Array(k);
  for (let i = 0; i < k; i++) sd[i] = Math.sqrt(cov[i * k + i]);
  const cor = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cor[i * k + j] = i === j ? 1 : cov[i * k + j] / (sd[i] * sd[j]);
  return { sd, cor, cov };
}

/**
 * The "natural" parameters (sds, then correlations of each correlated term, row > col in column
 * order) ↔ θ. θ from them is T = diag(sd)·chol(R), so a zero sd is allowed.
 */
export interface NatLayout {
  /** Names: sd_group__term and cor_group__t1__t2. */
  readonly names: readonly string[];
  readonly kind: readonly ('sd' | 'cor')[];
  /** Index of the term each entry belongs to. */
  readonly termOf: readonly number[];
  readonly size: number;
}

/** Names and kinds of the natural covariance parameters (DESIGN's names). */
export function natLayout(s: ReStructure): NatLayout {
  const names: string[] = [];
  const kind: ('sd' | 'cor')[] = [];
  const termOf: number[] = [];
  s.terms.forEach((t, ti) => {
    const g = t.term.group;
    for (let j = 0; j < t.k; j++) {
      names.push(`sd_${g}__${t.term.terms[j]}`);
      kind.push('sd');
      termOf.push(ti);
    }
    if (t.term.correlated) {
      for (let c = 0; c < t.k; c++) {
        for (let r = c + 1; r < t.k; r++) {
          names.push(`cor_${g}__${t.term.terms[c]}__${t.term.terms[r]}`);
          kind.push('cor');
          termOf.push(ti);
        }
      }
    }
  });
  return { names, kind, termOf, size: names.length };
}

/** θ → natural parameters (sds then correlations per term). */
export function thetaToNat(s: ReStructure, theta: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  templates(s, theta).forEach((T, ti) => {
    const t = s.terms[ti];
    const { sd, cor } = sdCor(T, t.k);
    for (let j = 0; j < t.k; j++) out.push(sd[j]);
    if (t.term.correlated) for (let c = 0; c < t.k; c++) for (let r = c + 1; r < t.k; r++) out.push(cor[r * t.k + c]);
  });
  return Float64Array.from(out);
}

/** Natural parameters → θ (T = diag(sd)·chol(R)); NaN θ when R is not positive definite. */
export function natToTheta(s: ReStructure, nat: ArrayLike<number>): Float64Array {
  const theta = new Float64Array(s.nTheta);
  let p = 0;
  for (const t of s.terms) {
    const k = t.k;
    const sd = Array.from({ length: k }, (_, j) => nat[p + j]);
    p += k;
    const R = new Float64Array(k * k);
    for (let j = 0; j < k; j++) R[j * k + j] = 1;
    if (t.term.correlated) {
      for (let c = 0; c < k; c++) {
        for (let r = c + 1; r < k; r++) {
          R[r * k + c] = R[c * k + r] = nat[p++];
        }
      }
    }
    const C = cholesky(R, k);
    t.thetaPos.forEach(([r, c], j) => {
      theta[t.thetaOffset + j] = C ? sd[r] * C[r * k + c] : NaN;
    });
  }
  return theta;
}
