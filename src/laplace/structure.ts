/**
 * θ in the Laplace fit's terms (θ's layout is src/design/theta.ts): the sds and correlations of each
 * term's template (lme4's VarCorr) and the "natural" parameters ↔ θ. For a GLMM without dispersion
 * Λ(θ)Λ(θ)ᵀ is the random-effects covariance itself; for the gaussian/gamma/negbinomial families we do
 * the same (absolute, not relative, scale) as glmmTMB does.
 */
import { thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { cholesky } from '../linalg/cholesky.js';

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
export function natLayout(s: ThetaLayout): NatLayout {
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
export function thetaToNat(s: ThetaLayout, theta: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  thetaTemplates(s, theta).forEach((T, ti) => {
    const t = s.terms[ti];
    const { sd, cor } = sdCor(T, t.k);
    for (let j = 0; j < t.k; j++) out.push(sd[j]);
    if (t.term.correlated) for (let c = 0; c < t.k; c++) for (let r = c + 1; r < t.k; r++) out.push(cor[r * t.k + c]);
  });
  return Float64Array.from(out);
}

/** Natural parameters → θ (T = diag(sd)·chol(R)); NaN θ when R is not positive definite. */
export function natToTheta(s: ThetaLayout, nat: ArrayLike<number>): Float64Array {
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
