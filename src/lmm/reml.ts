/**
 * The profiled (RE)ML criterion of the linear mixed model, as lme4's `lmer` computes it
 * (Bates, Mächler, Bolker & Walker 2015, JSS 67(1), §3.4–3.6): for covariance parameters θ the
 * penalized least squares problem is solved in closed form for β and the spherical random effects u,
 * σ² is profiled out, and the criterion is
 *   ML:   −2ℓ(θ) = log|L_θ|² + n (1 + log(2π r²_θ / n))                      (eq. 34)
 *   REML: −2ℓ_R(θ) = log|L_θ|² + log|R_X|² + (n−p)(1 + log(2π r²_θ / (n−p)))   (eq. 41)
 * with L_θ L_θᵀ = Λ_θᵀ Zᵀ Z Λ_θ + I, R_Xᵀ R_X = Xᵀ X − R_ZXᵀ R_ZX and r²_θ the penalized residual sum of squares.
 * Λ_θ is block diagonal: term t contributes T_t ⊗ I_levels with T_t lower triangular, θ its lower
 * triangle in column-major order (lme4's order). Random effects are ordered term, level, column.
 * The normal equations M [u; β] = [ΛᵀZᵀy; Xᵀy] are the joint system of the one blocked sparse Cholesky
 * (src/linalg/blocked-*.ts, MixedModels.jl's `BlockedSparse`): log|L_θ|² is its random-effect part,
 * log|R_X|² its β part (the Schur complement XᵀX − R_ZXᵀR_ZX), so nothing q × q is ever dense.
 */
import type { Design } from '../design/types.js';
import { thetaLayout, thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { designLayout } from '../design/blocked.js';
import { factorBlocked } from '../linalg/blocked-factor.js';
import { scalarTerms, scaledParts, unitParts } from '../linalg/blocked-scaled.js';
import { addZLu, crossprodZX } from '../linalg/blocked-ops.js';
import { NotPositiveDefiniteError } from '../linalg/errors.js';
import { profiledGradient } from './reml-gradient.js';

/** The solution of the penalized least squares problem at θ. */
export interface PlsSolution {
  /** The criterion −2ℓ (ML) or −2ℓ_R (REML) with all constants. */
  readonly criterion: number;
  readonly beta: Float64Array;
  /** Penalized residual sum of squares r²_θ. */
  readonly pwrss: number;
  /** Profiled σ²: r²/(n−p) for REML, r²/n for ML. */
  readonly sigma2: number;
  /** R_X as a lower factor (p × p: R_Xᵀ). */
  readonly RXt: Float64Array;
  /** Conditional modes b = Λ u (length q). */
  readonly b: Float64Array;
  readonly logdetL2: number;
  readonly logdetRX2: number;
  /** Writes the criterion's gradient in θ at this θ into g, from this factor (scalar terms only: reml-gradient.ts). */
  readonly gradient?: (g: Float64Array) => void;
  /** The conditional sds of the random effects b (u order), σ·θ_t·√(M_uu⁻¹)_jj as lme4's condVar (scalar terms only). */
  readonly condSd?: () => Float64Array;
}

/**
 * Builds the profiled criterion θ ↦ PLS solution for a gaussian design (lme4's `mkLmerDevfun`). The
 * system's symbolic analysis is done here once; each evaluation refactors it numerically, O(n(p + Σk)²)
 * (with scalar terms only a rescaling of crossproducts accumulated once) plus the envelope of the Schur complement. Throws when M or R_X is not positive definite.
 */
export function buildProfiledCriterion(design: Design, reml: boolean): {
  layout: ThetaLayout;
  /** The solution at θ. */
  evaluate: (theta: ArrayLike<number>) => PlsSolution;
  /** Every term scalar (one θ per term): the analytic gradient of reml-gradient.ts applies. */
  hasGradient: boolean;
} {
  const n = design.nobs, p = design.fixed.p, X = design.fixed.X;
  const layout = thetaLayout(design);
  const q = layout.q;
  const y = Float64Array.from(design.response.y);
  if (design.offset) for (let i = 0; i < n; i++) y[i] -= design.offset[i];
  const sys = designLayout(design, layout, true);
  const ones = new Float64Array(n).fill(1);
  const unit = scalarTerms(sys) ? unitParts(sys, ones) : null; // scalar terms: crossproducts once, rescaled per θ

  const hasGradient = design.random.length > 0 && design.random.every((t) => t.k === 1);
  const work = hasGradient ? new Float64Array(sys.r * sys.r) : new Float64Array(0);
  const evaluate = (theta: ArrayLike<number>): PlsSolution => {
    const Ts = thetaTemplates(layout, theta);
    const fac = factorBlocked(sys, Ts, ones, unit ? scaledParts(sys, unit, Ts) : undefined);
    if (!Number.isFinite(fac.logDetU) || fac.singularX) throw new NotPositiveDefiniteError();
    const x = new Float64Array(q + p);
    crossprodZX(sys, Ts, y, x);
    fac.solve(x);
    const u = x.subarray(0, q), beta = Float64Array.from(x.subarray(q));
    const b = new Float64Array(q);
    design.random.forEach((t, ti) => {
      const k = t.k, T = Ts[ti];
      for (let l = 0; l < t.levels.length; l++) {
        const o = layout.terms[ti].uOffset + l * k;
        for (let r = 0; r < k; r++) { let s = 0; for (let a = 0; a <= r; a++) s += T[r * k + a] * u[o + a]; b[o + r] = s; }
      }
    });
    const fitted = new Float64Array(n);
    addZLu(sys, Ts, u, fitted);
    let pwrss = 0;
    for (let i = 0; i < q; i++) pwrss += u[i] * u[i];
    const resid = fitted; // overwritten in place: y − ZΛu − Xβ
    for (let i = 0; i < n; i++) {
      let f = fitted[i];
      for (let j = 0; j < p; j++) f += X[i * p + j] * beta[j];
      resid[i] = y[i] - f;
      pwrss += resid[i] ** 2;
    }
    const logdetL2 = fac.logDetU, logdetRX2 = fac.logDetX;
    const nu = reml ? n - p : n;
    const criterion = logdetL2 + (reml ? logdetRX2 : 0) + nu * (1 + Math.log(2 * Math.PI * pwrss / nu));
    const th = Float64Array.from(theta);
    const gradient = hasGradient ? (g: Float64Array): void => profiledGradient(design, layout, th, fac.inverseTraces(reml, work), u, resid, nu / pwrss, g) : undefined;
    const condSd = hasGradient ? (): Float64Array => conditionalSds(layout, th, fac.inverseDiagonal(work), Math.sqrt(pwrss / nu)) : undefined;
    return { criterion, beta, pwrss, sigma2: pwrss / nu, RXt: fac.lowerX(), b, logdetL2, logdetRX2, gradient, condSd };
  };
  return { layout, evaluate, hasGradient };
}

/** σ·θ_t·√d_j per random effect of a model with scalar terms (d the diagonal of M_uu⁻¹). */
function conditionalSds(layout: ThetaLayout, theta: ArrayLike<number>, d: Float64Array, sigma: number): Float64Array {
  const out = new Float64Array(d.length);
  for (const lt of layout.terms) {
    const th = Math.abs(theta[lt.thetaOffset]);
    for (let l = 0; l < lt.term.levels.length; l++) out[lt.uOffset + l] = sigma * th * Math.sqrt(d[lt.uOffset + l]);
  }
  return out;
}
