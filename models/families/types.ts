/**
 * The vocabulary of families and links. A `Family` carries everything its consumers need (the
 * float64 log-likelihood with its derivatives, variance, deviance residuals, simulation, response rules,
 * the family parameters with their default priors, its PIRLS start and weights, its row likelihood on η
 * for the plain-JS density), so that no file outside `models/families/` (and the family's tfjs twin in
 * `src/logdensity/families/`) branches on a family's name (MixedModels.jl's distribution-parameterised
 * model, Stan Math's one lpdf per file). Pure float64 math.
 *
 * Conventions (R's family objects): for families with trials (binomial, bernoulli), `mu` is the success
 * probability and `y` the number of successes out of `trials`; for the others `trials` is ignored (pass 1).
 * `aux` (FamilyValues) holds the family's parameters on their natural scale, every coordinate of every
 * entry of `params` in order (familyLayout in getFamily.ts): negative binomial size `shape` (Var = mu +
 * mu²/shape, NB2), gamma `shape` (Var = mu²/shape), gaussian `sigma`; empty where the family has none.
 * Each parameter carries its constraint (constraints.ts: positive → log, unit interval → logit, ordered
 * vector), so the engines handle a list of any length the same way.
 */
import type { PriorDist } from '../priors.js';

export type FamilyName = 'poisson' | 'binomial' | 'bernoulli' | 'negbinomial' | 'gaussian' | 'gamma' | 'lognormal' | 'beta' | 'betabinomial' | 'student'
  | 'zipoisson' | 'zinegbinomial' | 'hurdle_poisson' | 'hurdle_negbinomial' | 'cumulative';
export type LinkName = 'log' | 'identity' | 'sqrt' | 'logit' | 'probit' | 'cloglog' | 'inverse';
import type { FamilyParamName } from './params.js';
import type { Constraint } from './constraints.js';

export type { FamilyParamName } from './params.js';

export interface Link {
  readonly name: LinkName;
  /** η = g(μ). */
  linkfun(mu: number): number;
  /** μ = g⁻¹(η). */
  linkinv(eta: number): number;
  /** dμ/dη at η. */
  muEta(eta: number): number;
  /** d²μ/dη² at η (for the Hessian of the Laplace objective). */
  muEta2(eta: number): number;
  /** Whether η gives a valid μ for the families using this link (e.g. sqrt needs η ≥ 0). */
  validEta(eta: number): boolean;
}

/** The natural values of a family's parameters, concatenated in `params` order (familyLayout). */
export type FamilyValues = ArrayLike<number>;

/** A family parameter: sampled and optimised on the unconstrained scale of its constraint. */
export interface FamilyParam {
  readonly name: FamilyParamName;
  /** The name of its values when not `name` (the ordinal thresholds: prior class Intercept, values b_Intercept[k]). */
  readonly valueName?: string;
  /** Its range and transform (constraints.ts): LOG_TRANSFORM (positive), LOGIT_TRANSFORM (unit interval), ORDERED_TRANSFORM (an ordered vector). */
  readonly constraint: Constraint;
  /** Number of coordinates for response y (a vector's length from the data, e.g. K − 1 thresholds); 1 when absent. */
  readonly size?: (y: Float64Array) => number;
  /**
   * Default prior (a half-distribution, truncated at 0): a fixed prior, or 'data-scale' for brms's
   * student_t(3, 0, s) with s the data scale of models/defaultPriors.ts (the sd scale).
   */
  readonly defaultPrior: PriorDist | 'data-scale';
  /** Whether R's family()$variance contains it (the negative binomial's θ does; a dispersion σ or shape does not). */
  readonly inVarianceFunction: boolean;
  /** Starting value of the Laplace fit on the natural scale, `len` coordinates (glmmTMB starts log-parameters at 0). */
  start(y: Float64Array, len: number): ArrayLike<number>;
}

/**
 * Row i at η with the family's unconstrained coordinates u (familyLayout order; empty without
 * parameters): writes [value, ∂/∂η, ∂/∂u_0, ∂/∂u_1, …] into out.
 */
export type RowLikelihood = (i: number, eta: number, u: Float64Array, out: Float64Array) => void;

/**
 * A family's log-likelihood on the η scale in float64 (the plain-JS density): the parameter-dependent
 * row terms and the terms of the family parameters alone (`paramOnly(u, g)`: returns the value and
 * writes ∂/∂u_k into g[k]), or null. The constants (lgamma(y+1) and the like) are left out; the density
 * calibrates them once.
 */
export interface JsLikelihood {
  readonly row: RowLikelihood;
  readonly paramOnly: ((u: Float64Array, g: Float64Array) => number) | null;
}

/** What a family accepts as its response. */
export interface ResponseRule {
  /**
   * 'counts': y successes of `trials` (cbind(x, n − x), a 0/1 or two-level factor response, or a
   * proportion with weights); 'one': one trial per row (0/1 or a two-level factor); null: no trials.
   */
  readonly trials: 'counts' | 'one' | null;
  /** Whether y is a count (integer; float32-exact only up to 2^24). */
  readonly integer: boolean;
  /** Whether a response of 0 in every row carries no information (the intercept runs to −∞). */
  readonly allZeroUninformative: boolean;
  /** Whether value v is allowed (a plain numeric response; for 'counts', the one-trial 0/1 form). */
  check(v: number): boolean;
  /** What the response must be, completing "<family> response 'y' …; row r has v". */
  readonly rule: string;
  /** Name every bad row (up to 10), not only the first. */
  readonly namesAllRows?: boolean;
  /** An ordinal response: categories 1..K from an ordered factor, integers or `--levels` (src/data/ordinal.ts). */
  readonly ordinal?: boolean;
}

export interface Family {
  readonly name: FamilyName;
  /** Other names the CLI accepts (lower case: R's and glmmTMB's, e.g. `nbinom2`). */
  readonly aliases: readonly string[];
  readonly links: readonly LinkName[];
  readonly defaultLink: LinkName;
  /** The canonical link (observed = expected information), or null if it is not among `links`. */
  readonly canonicalLink: LinkName | null;
  /** The family parameters, zero or more (familyLayout lays out their coordinates). */
  readonly params: readonly FamilyParam[];
  readonly response: ResponseRule;
  /** y on the scale of μ for brms's data-scaled default priors (lognormal: log y); identity when absent. */
  readonly muScale?: (y: number) => number;
  /**
   * Whether, with the identity link, the model is lmer's linear mixed model (the gaussian): fitted by
   * src/lmm, σ the residual sd in VarCorr, a constant or exactly-fitted response degenerate, a grouping
   * factor with a level per row not identifiable apart from σ.
   */
  readonly linearMixed: boolean;
  /** A family this one reduces to on the boundary of its parameter (Poisson in the negative binomial as 1/shape → 0), for the LRT. */
  readonly nests: { readonly family: FamilyName; readonly note: string } | null;
  /** PIRLS weights: Fisher (expected, as lme4's glmer) or observed −∂²log p/∂η² (TMB's exact Laplace, glmmTMB). */
  readonly pirlsWeights: 'expected' | 'observed';
  /** μ for the saturated-log-likelihood shortcut of PIRLS (parameter-free families), or null. */
  readonly satMu: number | null;
  /** R's mustart (glm.fit): the starting μ for y (per trial with trials). */
  startMu(y: number, trials: number): number;
  /** log p(y | μ, aux, trials) with every constant (R's d*(..., log = TRUE)). */
  logLik(y: number, mu: number, aux: FamilyValues, trials: number): number;
  /** Variance of y given μ (per trial for binomial: μ(1-μ)), R's family()$variance times the dispersion. */
  variance(mu: number, aux: FamilyValues, trials: number): number;
  /** E[y] given μ: trials·μ with trials, μ otherwise. */
  mean(mu: number, aux: FamilyValues, trials: number): number;
  /** ∂ log p / ∂μ. */
  dLogLikDmu(y: number, mu: number, aux: FamilyValues, trials: number): number;
  /**
   * E[−∂² log p/∂μ²] (the Fisher information in μ), for a family where −∂²/∂μ² at y = E y is not it
   * (a mixture: the zero-inflated and hurdle families; the cumulative family, whose log p depends on which
   * category y is, not on y as a number); absent: −d2LogLikDmu2(mean(μ), μ).
   */
  readonly fisherInfo?: (mu: number, aux: FamilyValues, trials: number) => number;
  /** ∂² log p / ∂μ² (observed). */
  d2LogLikDmu2(y: number, mu: number, aux: FamilyValues, trials: number): number;
  /** ∂ log p / ∂aux[k], coordinate k of the family's parameters on the natural scale. */
  dLogLikDpar(y: number, mu: number, aux: FamilyValues, trials: number, k: number): number;
  /** Unit deviance contribution 2·(logLik(saturated) − logLik(μ)), as R's dev.resids: at dispersion 1
   * for gaussian ((y − μ)²) and gamma (shape 1); with the given shape for the negative binomial. */
  devResid(y: number, mu: number, aux: FamilyValues, trials: number): number;
  /** Draws y given μ with the rng (a uniform(0,1) source). */
  simulate(rng: () => number, mu: number, aux: FamilyValues, trials: number): number;
  /** Whether μ is inside the family's range (0 < μ for poisson, 0 < μ < 1 for binomial, ...). */
  validMu(mu: number): boolean;
  /** The row log-likelihood on η for the plain-JS density; throws for a link it does not cover. */
  jsLikelihood(link: LinkName, y: Float64Array, trials: Float64Array): JsLikelihood;
  /** Whether the family's parameters carry the intercept (ordinal thresholds): X has no intercept column. */
  readonly interceptInParams?: boolean;
  /**
   * For a family whose link names a latent distribution (cumulative: logit/probit pick F in
   * P(y ≤ k) = F(θ_k − η)): the link through which its functions see μ ('identity': μ is η), and the
   * family specialised to the model's link (familyFor in getFamily.ts). Absent: the link is the mean's.
   */
  readonly meanLink?: LinkName;
  readonly forLink?: (link: LinkName) => Family;
}
