/**
 * Profile-likelihood intervals for the sds, correlations and sigma of a linear mixed model, as lme4's
 * confint(method = "profile") of an lmer fit (R/profile.R devfun2): on the ML deviance (lme4 refits a
 * REML fit by ML first), in the parametrization y = [sds, cors, σ] with β profiled out in closed form:
 * d(θ, σ) = ML criterion(θ) + n·(log(σ²/σ̂²_θ) + σ̂²_θ/σ² − 1), where σ̂²_θ = r²_θ/n is the profiled
 * σ² and θ = the Cholesky factor of Σ/σ². The limits are found as for the GLMM (laplace/profile.ts);
 * this file joins the two fitters' pieces, which is why it lives in src/fit (src/lmm and src/laplace
 * never import each other).
 */
import type { Design } from '../design/types.js';
import type { ThetaLayout } from '../design/theta.js';
import { buildProfiledCriterion } from '../lmm/reml.js';
import { fitLmm, type LmmFit } from '../lmm/lmm.js';
import { deriv12 } from '../laplace/hessian.js';
import { invertSym } from '../linalg/dense.js';
import { pathSetup } from '../laplace/profile-path.js';
import { profileLimits, CHISQ1_95 } from '../laplace/profile.js';
import { natLayout, natToTheta } from '../laplace/structure.js';

/** Largest number of random effects q for which the (dense, O(q³) per evaluation) profiles run by default. */
export const LMM_PROFILE_MAX_Q = 1000;

/** θ of y = [sds, cors, σ]: the natural parameters relative to σ (Σ/σ² = T Tᵀ); NaN when a correlation matrix is not positive definite. */
function yToTheta(layout: ThetaLayout, kind: readonly ('sd' | 'cor')[], y: ArrayLike<number>, m: number): Float64Array {
  const sigma = y[m];
  return natToTheta(layout, Float64Array.from({ length: m }, (_, i) => (kind[i] === 'sd' ? y[i] / sigma : y[i])));
}

/**
 * The (RE)ML deviance in y = [sds, cors, σ] at the fit's optimum y0 and its Hessian there:
 * criterion(θ) + ν·(log(σ̂²_θ/σ²)·(−1) + σ̂²_θ/σ² − 1), ν = n (ML) or n − p (REML).
 */
function devianceInY(design: Design, fit: LmmFit): { names: string[]; kind: ('sd' | 'cor')[]; y0: Float64Array; dev: (y: Float64Array) => number; hessian: Float64Array | null } {
  const { layout, evaluate } = buildProfiledCriterion(design, fit.reml);
  const nu = fit.reml ? design.nobs - design.fixed.p : design.nobs;
  const nl = natLayout(layout);
  const names = [...nl.names, 'sigma'], kind = [...nl.kind, 'sd' as const];
  const m = nl.size;
  const byName = new Map(fit.varcomp.map((v) => [v.name, v.sdcor]));
  const y0 = Float64Array.from(names, (nm) => byName.get(nm) ?? NaN);
  const dev = (y: Float64Array): number => {
    const sigma = y[y.length - 1];
    if (!(sigma > 0)) return Infinity;
    const theta = yToTheta(layout, kind, y, m);
    if (theta.some((v) => !Number.isFinite(v))) return Infinity;
    const sol = evaluate(theta);
    const r = sol.sigma2 / (sigma * sigma);
    return sol.criterion + nu * (-Math.log(r) + r - 1);
  };
  // a central-difference step well inside every sd (deriv12's fixed step would cross 0 for a small sd)
  const pos = Array.from(y0, Math.abs).filter((v) => v > 0);
  const h = 1e-4 * Math.min(1, ...pos);
  const H = deriv12(dev, y0, h).hessian;
  return { names, kind, y0, dev, hessian: H.every(Number.isFinite) ? H : null };
}

/**
 * Wald SEs of the variance parameters from the Hessian of the fit's own criterion (REML or ML) in
 * y: for sd_* and sigma the SE of log(sd) (as the GLMM rows), for cor_* the SE of the correlation;
 * null at the boundary (an sd at 0) or with a singular Hessian.
 */
export function lmmVarparSe(design: Design, fit: LmmFit): Record<string, number | null> {
  const D = devianceInY(design, fit);
  const d = D.y0.length;
  const cov = D.hessian && !D.y0.some((v, i) => D.kind[i] === 'sd' && v < 1e-6 * Math.max(1, fit.sigma)) ? invertSym(D.hessian, d) : null;
  const out: Record<string, number | null> = {};
  D.names.forEach((nm, j) => {
    const v = cov ? 2 * cov[j * d + j] : NaN;
    out[nm] = v > 0 ? (D.kind[j] === 'sd' ? Math.sqrt(v) / D.y0[j] : Math.sqrt(v)) : null;
  });
  return out;
}

/** Profile 95% intervals of the sd, cor and sigma parameters of a gaussian design (lme4's confint.merMod, method "profile"). */
export function lmmProfileIntervals(design: Design, crit = CHISQ1_95): Record<string, [number, number]> {
  const D = devianceInY(design, fitLmm(design, { reml: false }));
  return profileLimits(pathSetup(D), D.names, crit);
}
