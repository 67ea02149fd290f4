/**
 * θ in the Laplace fit's terms (θ's layout is src/design/theta.ts): the sds and correlations of each
 * term's template (lme4's VarCorr) and the "natural" parameters ↔ θ. For a GLMM without dispersion
 * Λ(θ)Λ(θ)ᵀ is the random-effects covariance itself; for the gaussian/gamma/negbinomial families we do
 * the same (absolute, not relative, scale) as glmmTMB does.
 */
import type { ThetaLayout } from '../design/theta.js';
import { sdCorOfTemplate } from '../design/covariance/common.js';

/** Per-term sds and correlation matrix of b from its template: Σ = T Tᵀ (lme4's VarCorr). */
export const sdCor = sdCorOfTemplate;

/**
 * The "natural" parameters (per term its structure's sds, then its correlations) ↔ θ; each structure
 * (src/design/covariance) maps its own, so a zero sd is allowed.
 */
export interface NatLayout {
  /** Names: sd_group__term, cor_group__t1__t2, cor_group__t (cs), ar_group__t (ar1). */
  readonly names: readonly string[];
  readonly kind: readonly ('sd' | 'cor')[];
  /** Index of the term each entry belongs to. */
  readonly termOf: readonly number[];
  readonly size: number;
}

/** Names and kinds of the natural covariance parameters (DESIGN's names). */
export function natLayout(s: ThetaLayout): NatLayout {
  const params = s.terms.flatMap((t, ti) => t.term.cov.natural(t.term.group, t.term.terms).map((p) => ({ ...p, ti })));
  return { names: params.map((p) => p.name), kind: params.map((p) => p.kind), termOf: params.map((p) => p.ti), size: params.length };
}

/** θ → natural parameters (per term, its structure's order). */
export function thetaToNat(s: ThetaLayout, theta: ArrayLike<number>): Float64Array {
  return Float64Array.from(s.terms.flatMap((t) => t.term.cov.toNatural(theta, t.thetaOffset)));
}

/** Natural parameters → θ; NaN θ where they give no valid covariance. */
export function natToTheta(s: ThetaLayout, nat: ArrayLike<number>): Float64Array {
  const theta = new Float64Array(s.nTheta);
  let p = 0;
  for (const t of s.terms) {
    theta.set(t.term.cov.fromNatural(nat, p), t.thetaOffset);
    p += t.term.cov.natural(t.term.group, t.term.terms).length;
  }
  return theta;
}
