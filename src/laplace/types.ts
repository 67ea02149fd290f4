/**
 * The result of the Laplace maximum-likelihood fit ({@link import('./laplace.js').fitLaplace}).
 * Names follow DESIGN.md (brms): b_*, sd_group__term, cor_group__t1__t2, shape/sigma, r_group[level,term].
 */
import type { FamilyName, FamilyParamName, LinkName } from '../../models/families/types.js';

/** A fixed effect with lme4's Hessian-based SE and Wald z test. */
export interface LaplaceFixef {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly z: number;
  readonly p: number;
}

/** A covariance parameter (sd, cor) or a family parameter's coordinate (shape, sigma, nu, zi, …). */
export interface LaplaceVarPar {
  readonly name: string;
  readonly class: 'sd' | 'cor' | FamilyParamName;
  readonly group: string | null;
  readonly term: string | null;
  readonly term2: string | null;
  readonly estimate: number;
  /** sd²  for an sd, NaN otherwise. */
  readonly variance: number;
  /** Wald SE on the log scale (sd), the parameter's unconstrained scale (a family parameter: log, logit, …) or the correlation scale (cor); NaN at a bound. */
  readonly seLog: number;
  /** Wald SE on the natural scale (delta method); NaN at a bound. */
  readonly se: number;
  /** Profile-likelihood 95% interval (NaN when not computed). */
  readonly lower: number;
  readonly upper: number;
}

/** A conditional mode of a random effect with its conditional sd. */
export interface LaplaceRanef {
  readonly name: string;
  readonly group: string;
  readonly level: string;
  readonly term: string;
  readonly estimate: number;
  readonly condSd: number;
}

/**
 * The mode and curvature in the samplers' layout (DESIGN: non-centred, sds on the log scale,
 * Cholesky factor of each correlation matrix).
 */
export interface LaplaceMode {
  readonly beta: Float64Array;
  /** Per term: log sd of each column (−∞ for an sd at 0). */
  readonly logSd: readonly Float64Array[];
  /** Per term: lower Cholesky factor of its correlation matrix (k×k row-major; identity if k = 1). */
  readonly corChol: readonly Float64Array[];
  /** The family parameters' natural values (FamilyValues; empty when the family has none). */
  readonly aux: Float64Array;
  /** Random effects b = Λũ in u's layout (per term, level-major, columns inner). */
  readonly b: Float64Array;
  /** Per term: k×k conditional covariance of b per level (Λ_t M⁻¹_ll Λ_tᵀ), nLevels·k·k. */
  readonly bCondCov: readonly Float64Array[];
  /** Covariance of (θ, β, u_family) from the Hessian: 2·H⁻¹ (null if not invertible). */
  readonly cov: Float64Array | null;
  /** Names of the entries of `cov`. */
  readonly covNames: readonly string[];
}

/** The Laplace fit. */
export interface LaplaceFit {
  readonly family: FamilyName;
  readonly link: LinkName;
  /** 'Laplace', 'AGQ(n)' (adaptive Gauss–Hermite, n nodes) or 'nAGQ=0' (β in PIRLS). */
  readonly method: string;
  readonly nAGQ: number;
  readonly nobs: number;
  readonly fixef: readonly LaplaceFixef[];
  /** sds and correlations, then shape/sigma. */
  readonly varpars: readonly LaplaceVarPar[];
  readonly ranef: readonly LaplaceRanef[];
  /** Σ log p(y|μ) − ½‖ũ‖² − ½ log det(LLᵀ), with every constant (as lme4's logLik). */
  readonly logLik: number;
  /** −2·logLik (not lme4's deviance() of a GLMM, which drops the saturated terms). */
  readonly deviance: number;
  readonly aic: number;
  readonly bic: number;
  /** Number of estimated parameters (β, θ, aux). */
  readonly df: number;
  /** Σ Pearson residual² / (n − p − number of covariance parameters incl. aux), as SAS GLIMMIX. */
  readonly pearsonChisqDf: number;
  /** lme4's θ (Λ's template entries) and β at the optimum. */
  readonly theta: Float64Array;
  readonly beta: Float64Array;
  /** p×p vcov of β (lme4's Hessian-based default). */
  readonly vcov: Float64Array;
  readonly converged: boolean;
  /** An sd at (or within 1e-4 of) 0, or a correlation at ±1 (lme4's isSingular). */
  readonly singular: boolean;
  readonly warnings: readonly string[];
  /**
   * Deviance evaluations, lme4's max scaled gradient (null for nAGQ = 0: lme4 checks no gradient then,
   * and `converged` is the optimizer's own verdict), wall time; stageSeconds = [stage 1, stage 2, Hessian].
   */
  readonly optimizer: {
    readonly evals: number;
    readonly maxScaledGradient: number | null;
    readonly seconds: number;
    readonly stageSeconds: readonly number[];
  };
  readonly mode: LaplaceMode;
}
