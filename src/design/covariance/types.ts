/**
 * A covariance structure of one random-effect term: the k × k covariance Σ of a level's k effects,
 * as one object behind one set of methods (the shape of lme4 2.0's R/covariance.R virtual class
 * `Covariance` with `us`, `diag`, `cs`, `ar1` subclasses; glmmTMB writes the same structures as
 * `us(x | g)`, `diag(x | g)`, `cs(x | g)`, `ar1(t + 0 | g)`, Brooks et al. 2017, R Journal 9(2)).
 *
 * It owns, for both answers:
 * - the likelihood side (src/laplace, src/lmm): θ, its start and bounds, and the relative covariance
 *   factor template T(θ) (lower triangular, Σ ∝ T Tᵀ; lme4's θ → Λ = I_L ⊗ T, Bates et al. 2015 §2.3);
 * - the natural parameters (sds, then correlations) and their brms names;
 * - the sampler side (src/target): its log sds and its unconstrained reals → the Cholesky factor L of the
 *   correlation matrix, with the log Jacobian and the correlation prior, and the reverse pass.
 * Nothing outside this folder asks which structure a term has.
 */

import type { CovarianceKind } from '../../formula/terms.js';
import type { PriorDist } from '../../../models/priors.js';

/** The structures, as glmmTMB and lme4 2.0 name them (the formula's words). */
export type { CovarianceKind };

/** One natural (reported) parameter: an sd, or a correlation (class 'cor' also for ar1's ρ). */
export interface NaturalParam {
  /** brms-style name: sd_patient__visit1, cor_patient__Intercept__x, cor_patient__visit, ar_patient__visit. */
  readonly name: string;
  readonly kind: 'sd' | 'cor';
  readonly term: string;
  readonly term2: string | null;
}

export interface Covariance {
  readonly kind: CovarianceKind;
  /** Number of columns (effects per level). */
  readonly k: number;
  /** The label its one correlation is named after (cs, ar1; makeCovariance(kind, k, label) rebuilds it). */
  readonly label: string;
  /** Whether the effects of a level are correlated (the sampler then works with A = diag(sd)·L). */
  readonly correlated: boolean;

  // ---- likelihood side: θ and the template T(θ)
  readonly nTheta: number;
  /** lme4's start for θ (1 on scales, 0 elsewhere). */
  readonly theta0: readonly number[];
  /** Per θ entry: a scale bounded below at 0 (lme4's template diagonals), or unbounded. */
  readonly thetaScale: readonly boolean[];
  /** Writes T(θ[off…]) (k × k row-major, lower triangular) into T. */
  template(theta: ArrayLike<number>, off: number, T: Float64Array): void;
  /**
   * (row, col) of T for each θ entry when T is linear in θ (us, diag: θ are T's entries, lme4's
   * order), else null. The LMM's variance-parameter derivatives (Satterthwaite, Kenward–Roger) need it.
   */
  readonly linearPos: readonly (readonly [number, number])[] | null;
  /**
   * Whether a gaussian model with this term is fitted by lmer's profiled REML/ML (src/lmm; us, diag, cs,
   * ar1), else by Laplace ML, exact for the gaussian, as glmmTMB does (toep: its profiled criterion has
   * a second local maximum on the epilepsy data, ML logLik −223.578 against −223.318, which the trust
   * region reaches from lme4's start θ = (1…, 0…); the Laplace path from its start reaches −223.318).
   */
  readonly lmer: boolean;
  /** Makes the scales of θ[off…] non-negative without changing T Tᵀ (an unbounded optimizer may flip signs). */
  foldSigns(theta: Float64Array, off: number): void;

  // ---- natural parameters
  /** The natural parameters' names for a term of group `group` with column labels `terms`. */
  natural(group: string, terms: readonly string[]): readonly NaturalParam[];
  /** θ[off…] → the natural parameters (on Σ ∝ T Tᵀ's scale). */
  toNatural(theta: ArrayLike<number>, off: number): number[];
  /** Natural parameters nat[off…] → θ (NaN when they give no valid covariance). */
  fromNatural(nat: ArrayLike<number>, off: number): number[];

  // ---- sampler side
  /** Number of log-sd coordinates (k, or 1 for a structure with one variance). */
  readonly nSd: number;
  /** The column labels the sds are named after (sd_<group>__<label>). */
  sdTerms(terms: readonly string[]): readonly string[];
  /** Which of the term's sds scales column a (0 ≤ a < k). */
  sdIndex(a: number): number;
  /** Number of unconstrained reals of the correlation factor. */
  readonly nReal: number;
  /** Names of the unconstrained reals (cholesky_corr_g[1], atanh_ar_g, …). */
  realNames(group: string): readonly string[];
  /** The constrained names of the correlation parameters with their column labels (constrain()'s order). */
  correlationParams(group: string, terms: readonly string[]): readonly NaturalParam[];
  /** The correlation parameters' values from L (k × k), constrain()'s order. */
  correlationsOf(L: ArrayLike<number>): number[];
  /** The inverse of correlationsOf: the k × k correlation matrix R from its parameters values[off…]. */
  correlationMatrix(values: ArrayLike<number>, off: number): Float64Array;
  /** y[off…] → L (k × k correlation Cholesky factor) into L; returns log|J| of the map to the correlations. */
  factor(y: ArrayLike<number>, off: number, L: Float64Array): number;
  /**
   * Reverse pass: with dL = ∂F/∂L, adds into dy[dyOff…] the gradient of F(L(y)) + log|J|(y) + log p(corr)
   * (p the correlation prior; `eta` is the LKJ shape for us) and returns log|J| + log p (up to the LKJ constant).
   */
  factorBackward(y: ArrayLike<number>, off: number, eta: number, dL: ArrayLike<number>, dy: Float64Array, dyOff: number): number;
  /** The full log prior density of the correlations at L (constants included), for the float64 reference. */
  logPrior(L: ArrayLike<number>, eta: number): number;
  /** logPrior minus the part factorBackward returns (a constant: the LKJ normaliser, log 1/width of a uniform). */
  priorConstant(eta: number): number;
  /** The inverse of factor: L → y[off…]. */
  free(L: ArrayLike<number>, out: Float64Array, off: number): void;
  /** Whether the correlations have the LKJ prior (brms class `cor`, `cor ~ lkj(eta)`). */
  readonly usesLkj: boolean;
  /** brms's class of the correlation prior when it is not LKJ ('ar' for ar1's ρ, 'cor' for cs and toep), else null. */
  readonly corClass: 'ar' | 'cor' | null;
  /** The prior of the correlation parameters when not LKJ (default: uniform on their range), else null. */
  readonly corPrior: PriorDist | null;
  /** corPrior in brms syntax for printing (the default of cs as `uniform(-1/3, 1)`), or null. */
  readonly corPriorText: string | null;
  /**
   * This structure under prior p on its correlation(s): the sampler side changes, θ and T(θ) do not.
   * Throws a GlmmInputError naming `where` (the prior statement) when p does not fit the range.
   */
  withCorPrior(p: PriorDist, where: string): Covariance;
  /** One draw of correlationParams from corPrior (prior predictive); [] without a non-LKJ prior. */
  drawCorrelations(rng: () => number): number[];
}
