/**
 * The vocabulary of families and links: one table serves the tfjs log density (as the reference for
 * its tests), the Laplace fit (PIRLS), simulation and prediction. Pure float64 math; imports nothing.
 *
 * Conventions (R's family objects): for binomial and bernoulli, `mu` is the success probability and
 * `y` the number of successes out of `trials`; for the others `trials` is ignored (pass 1).
 * `aux` is the family's extra parameter on its natural scale: negative binomial size = `shape`
 * (Var = mu + mu²/shape, NB2), gamma `shape` (Var = mu²/shape), gaussian `sigma`; NaN where none.
 */
export type FamilyName = 'poisson' | 'binomial' | 'bernoulli' | 'negbinomial' | 'gaussian' | 'gamma';
export type LinkName = 'log' | 'identity' | 'sqrt' | 'logit' | 'probit' | 'cloglog' | 'inverse';

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

export interface Family {
  readonly name: FamilyName;
  readonly links: readonly LinkName[];
  readonly defaultLink: LinkName;
  /** Name of the extra parameter (DESIGN's parameter names), or null. */
  readonly aux: 'shape' | 'sigma' | null;
  /** log p(y | μ, aux, trials) with every constant (R's d*(..., log = TRUE)). */
  logLik(y: number, mu: number, aux: number, trials: number): number;
  /** Variance of y given μ (per trial for binomial: μ(1-μ)), R's family()$variance times the dispersion. */
  variance(mu: number, aux: number, trials: number): number;
  /** ∂ log p / ∂μ. */
  dLogLikDmu(y: number, mu: number, aux: number, trials: number): number;
  /** ∂² log p / ∂μ² (observed). */
  d2LogLikDmu2(y: number, mu: number, aux: number, trials: number): number;
  /** ∂ log p / ∂aux on the natural scale (NaN when there is no aux). */
  dLogLikDaux(y: number, mu: number, aux: number, trials: number): number;
  /** Unit deviance contribution 2·(logLik(saturated) − logLik(μ)), as R's dev.resids: at dispersion 1
   * for gaussian ((y − μ)²) and gamma (shape 1); with the given shape for the negative binomial. */
  devResid(y: number, mu: number, aux: number, trials: number): number;
  /** Draws y given μ with the rng (a uniform(0,1) source). */
  simulate(rng: () => number, mu: number, aux: number, trials: number): number;
  /** Whether μ is inside the family's range (0 < μ for poisson, 0 < μ < 1 for binomial, ...). */
  validMu(mu: number): boolean;
}
