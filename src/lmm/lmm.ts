/**
 * The Gaussian linear mixed model fitted by REML or ML, as lme4's `lmer` (Bates et al. 2015, JSS
 * 67(1) §3): the profiled criterion of reml.ts is minimized over θ (diagonal of T_θ ≥ 0 as lme4 bounds it:
 * with scalar terms only by bounded BFGS on the analytic gradient of reml-gradient.ts, else by a quadratic-model trust region), β and σ² follow in closed form, vcov(β) = σ² R_X⁻¹ R_X⁻ᵀ.
 */
import type { Design } from '../design/types.js';
import { GlmmInputError } from '../../base/errors.js';
import { buildProfiledCriterion, type PlsSolution } from './reml.js';
import { SINGULAR_TOL, foldThetaSigns, thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { trustRegion } from './trust-region.js';
import { sdCorOfTemplate } from '../design/covariance/common.js';
import { quasiNewton } from '../linalg/quasi-newton.js';
import { solveLower, solveLowerT } from '../linalg/cholesky.js';
import { NotPositiveDefiniteError } from '../linalg/errors.js';
import type { GridSpec } from '../design/refgrid.js';
import { getFamily } from '../../models/families/getFamily.js';

/** One variance component in lme4's `as.data.frame(VarCorr(fit))` form. */
export interface VarComp {
  /** brms name: sd_block__Intercept, cor_lot__Intercept__amount, sigma. */
  readonly name: string;
  readonly group: string;
  readonly term: string | null;
  readonly term2: string | null;
  /** Variance (or covariance; NaN for a structure's correlation that no one pair of columns carries: cs, ar1, toep). */
  readonly vcov: number;
  /** Standard deviation (or correlation). */
  readonly sdcor: number;
}

/** A fitted linear mixed model. */
export interface LmmFit {
  readonly design: Design;
  readonly reml: boolean;
  readonly layout: ThetaLayout;
  /** lme4's θ (relative Cholesky factors, column-major lower triangles). */
  readonly theta: Float64Array;
  readonly beta: Float64Array;
  /** brms names b_Intercept, b_trt1, ... */
  readonly names: readonly string[];
  /** p × p row-major vcov(β) = σ² (XᵀV⁻¹X)⁻¹ scaled as lme4. */
  readonly vcov: Float64Array;
  readonly sigma: number;
  readonly varcomp: readonly VarComp[];
  /** Conditional modes of the random effects b (term, level, column order). */
  readonly ranef: Float64Array;
  /** Their conditional sds (lme4's condVar), when every term is scalar. */
  readonly condSd?: Float64Array;
  /** REML or ML log-likelihood with all constants (lme4's logLik). */
  readonly logLik: number;
  /** The criterion −2·logLik (lme4's REMLcrit or deviance). */
  readonly deviance: number;
  /** Number of parameters: p + length(θ) + 1. */
  readonly df: number;
  readonly nobs: number;
  readonly aic: number;
  readonly bic: number;
  /** lme4's isSingular: some diagonal element of T_θ below 1e-4. */
  readonly singular: boolean;
  readonly converged: boolean;
  readonly evaluations: number;
  /** Factor levels for LS means and the F table (from LmmOptions.grid), if given. */
  readonly grid?: GridSpec;
}

/** Options of fitLmm. */
export interface LmmOptions {
  /** REML (default) or ML. */
  readonly reml?: boolean;
  /** Evaluate at this θ instead of optimizing (e.g. to reproduce another program's fit exactly). */
  readonly theta?: ArrayLike<number>;
  /** Factor levels of the fixed effects (gridSpecFromFrame), kept on the fit for lsmeans/anovaTable. */
  readonly grid?: GridSpec;
  /** Called after every criterion evaluation of the optimizer with the evaluations so far and the best criterion (a progress line). */
  readonly onEvaluation?: (step: string, evaluations: number, best: number) => void;
}

/** Fits `y ~ X β + Z b`, b ~ N(0, σ² Λ Λᵀ), ε ~ N(0, σ²) by REML (default) or ML (lme4's `lmer`). */
export function fitLmm(design: Design, opts: LmmOptions = {}): LmmFit {
  if (!getFamily(design.family).linearMixed) throw new GlmmInputError(`family '${design.family}': the linear mixed model needs family gaussian; use the Laplace fit for other families`);
  const reml = opts.reml ?? true;
  const n = design.nobs, p = design.fixed.p;
  if (n <= p) throw new GlmmInputError(`${n} rows for ${p} fixed-effect columns: the model needs more rows than fixed effects`);
  const { layout, evaluate, hasGradient } = buildProfiledCriterion(design, reml);
  let theta: Float64Array, evaluations = 0, converged = true;
  if (opts.theta) {
    if (opts.theta.length !== layout.nTheta) throw new GlmmInputError(`theta has ${opts.theta.length} entries; this model has ${layout.nTheta}`);
    theta = Float64Array.from(opts.theta);
  } else if (layout.nTheta === 0) {
    theta = new Float64Array(0);
  } else {
    const x0 = Float64Array.from(layout.theta0);
    // a θ whose system is not positive definite is outside the criterion's domain; any other throw is a bug
    let n = 0, best = Infinity;
    const step = reml ? 'REML' : 'ML';
    const solveAt = (th: Float64Array): PlsSolution | null => {
      let sol: PlsSolution | null = null;
      try {
        sol = evaluate(th);
      } catch (e) {
        if (!(e instanceof NotPositiveDefiniteError)) throw e;
      }
      const v = sol ? sol.criterion : Infinity;
      if (v < best) best = v;
      opts.onEvaluation?.(step, ++n, best);
      return sol;
    };
    const crit = (th: Float64Array): number => solveAt(th)?.criterion ?? Infinity;
    const valueGradient = (th: Float64Array) => {
      const sol = solveAt(th);
      return { value: sol ? sol.criterion : Infinity, gradient: (g: Float64Array) => sol?.gradient?.(g) };
    };
    // scalar terms: bounded BFGS on the analytic gradient (reml-gradient.ts); else the derivative-free trust region
    const res = hasGradient ? quasiNewton(valueGradient, x0, { lower: layout.lower }) : trustRegion(crit, x0, { lower: layout.lower });
    theta = foldThetaSigns(layout, res.x);
    evaluations = res.evaluations;
    converged = res.converged;
  }
  const sol = evaluate(theta);
  const fit = assembleFit(design, reml, layout, theta, sol, evaluations, converged);
  return opts.grid ? { ...fit, grid: opts.grid } : fit;
}

function assembleFit(design: Design, reml: boolean, layout: ThetaLayout, theta: Float64Array, sol: PlsSolution,
  evaluations: number, converged: boolean): LmmFit {
  const n = design.nobs, p = design.fixed.p;
  const sigma2 = sol.sigma2;
  // vcov = σ² (R_Xᵀ R_X)⁻¹
  const vcov = new Float64Array(p * p);
  for (let i = 0; i < p; i++) vcov[i * p + i] = 1;
  solveLower(sol.RXt, p, vcov, p);
  solveLowerT(sol.RXt, p, vcov, p);
  for (let i = 0; i < p * p; i++) vcov[i] *= sigma2;
  const Ts = thetaTemplates(layout, theta);
  const varcomp: VarComp[] = [];
  const sigma = Math.sqrt(sigma2);
  layout.terms.forEach((lt, ti) => {
    const t = lt.term, k = t.k, S = sdCorOfTemplate(Ts[ti], k).cov;
    const col = (label: string | null): number => (label === null ? -1 : t.terms.indexOf(label));
    // the structure's natural parameters (sds relative to σ, then correlations), lme4's VarCorr order for us
    const nat = t.cov.toNatural(theta, lt.thetaOffset);
    t.cov.natural(t.group, t.terms).forEach((np, j) => {
      if (np.kind === 'sd') { const sd = sigma * nat[j]; varcomp.push({ name: np.name, group: t.group, term: np.term, term2: null, vcov: sd * sd, sdcor: sd }); return; }
      const a = col(np.term), b = col(np.term2);
      varcomp.push({ name: np.name, group: t.group, term: np.term, term2: np.term2, vcov: a >= 0 && b >= 0 ? sigma2 * S[b * k + a] : NaN, sdcor: nat[j] });
    });
  });
  varcomp.push({ name: 'sigma', group: 'Residual', term: null, term2: null, vcov: sigma2, sdcor: Math.sqrt(sigma2) });
  const logLik = -sol.criterion / 2;
  const df = p + layout.nTheta + 1;
  const singular = layout.entries.some((e, i) => e.diag && theta[i] < SINGULAR_TOL);
  return {
    design, reml, layout, theta, beta: sol.beta, names: design.fixed.names, vcov, sigma: Math.sqrt(sigma2), varcomp,
    ranef: sol.b, condSd: sol.condSd?.(), logLik, deviance: sol.criterion, df, nobs: n, aic: -2 * logLik + 2 * df, bic: -2 * logLik + Math.log(n) * df,
    singular, converged, evaluations,
  };
}
