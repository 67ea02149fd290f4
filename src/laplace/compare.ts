/**
 * Comparison of fitted models: the likelihood-ratio test of two nested fits (R's anova(m0, m1) for
 * lme4 fits) and an AIC/BIC table. Works from {logLik, df, nobs, label}, so any fit (LMM, GLMM
 * Laplace, lm) can take part.
 *
 * Boundary: when the larger model adds variance components whose null value is 0 (the edge of the
 * parameter space), the χ² reference is conservative. For one variance component the null
 * distribution is ½χ²₀ + ½χ²₁ (Self & Liang 1987, JASA 82:605), so the p-value halves; adding one
 * random effect to k correlated ones gives ½χ²_k + ½χ²_{k+1} (Stram & Lee 1994, Biometrics 50:1171).
 * `pBoundary` is that mixture, 0.5·P(χ²_{df−1} > x) + 0.5·P(χ²_df > x); it is the one to report when the
 * models differ only by such a variance component, and `p` (the plain χ²_df) otherwise.
 */
import { GlmmInputError } from '../../base/errors.js';
import { pchisqUpper } from '../../base/distributions.js';

/** What a comparison needs from a fit. */
export interface FitSummary {
  readonly label: string;
  /** Log-likelihood with all constants (for REML fits the REML criterion, comparable only with equal fixed effects). */
  readonly logLik: number;
  /** Number of estimated parameters (lme4's attr(logLik, "df")). */
  readonly df: number;
  readonly nobs: number;
  /** True for REML log-likelihoods. */
  readonly reml?: boolean;
}

/** Result of the likelihood-ratio test. */
export interface LrtResult {
  readonly smaller: string;
  readonly larger: string;
  /** 2·(logLik_larger − logLik_smaller), floored at 0. */
  readonly chisq: number;
  readonly df: number;
  /** P(χ²_df > chisq): the usual test (conservative for variance components at 0). */
  readonly p: number;
  /** The boundary mixture ½χ²_{df−1} + ½χ²_df (Self & Liang; Stram & Lee). */
  readonly pBoundary: number;
  /** Which p-value applies, given opts.boundary. */
  readonly recommended: 'p' | 'pBoundary';
  readonly note: string;
}

/**
 * Likelihood-ratio test of `smaller` nested in `larger`. Set `boundary: true` when the larger model
 * only adds variance components (and their covariances) whose null value is on the boundary.
 */
export function likelihoodRatioTest(smaller: FitSummary, larger: FitSummary, opts: { boundary?: boolean } = {}): LrtResult {
  for (const m of [smaller, larger]) {
    if (typeof m?.logLik !== 'number' || typeof m.df !== 'number') {
      throw new GlmmInputError('likelihoodRatioTest takes {label, logLik, df, nobs} records; to compare two fits use anova(fit0, fit1)');
    }
  }
  if (smaller.nobs !== larger.nobs) throw new GlmmInputError(`models '${smaller.label}' and '${larger.label}' were fitted to different numbers of rows (${smaller.nobs}, ${larger.nobs}); fit both to the same rows`);
  const df = larger.df - smaller.df;
  if (!(df > 0)) throw new GlmmInputError(`model '${larger.label}' must have more parameters than '${smaller.label}' (${larger.df} vs ${smaller.df}); give the smaller model first`);
  if (smaller.reml !== larger.reml) throw new GlmmInputError(`models '${smaller.label}' and '${larger.label}' mix REML and ML log-likelihoods; refit both by ML`);
  const chisq = Math.max(0, 2 * (larger.logLik - smaller.logLik));
  const p = pchisqUpper(chisq, df);
  const pBoundary = 0.5 * (df > 1 ? pchisqUpper(chisq, df - 1) : chisq > 0 ? 0 : 1) + 0.5 * p;
  const boundary = opts.boundary ?? false;
  const note = boundary
    ? `variance component(s) tested at 0: p from the mixture ½χ²(${df - 1}) + ½χ²(${df}); the plain χ²(${df}) p is conservative`
    : `χ²(${df}) reference${smaller.reml ? '; REML log-likelihoods compare models with identical fixed effects only' : ''}`;
  return { smaller: smaller.label, larger: larger.label, chisq, df, p, pBoundary, recommended: boundary ? 'pBoundary' : 'p', note };
}

/** One row of the information-criterion table. */
export interface IcRow {
  readonly label: string;
  readonly df: number;
  readonly logLik: number;
  /** −2·logLik + 2·df. */
  readonly aic: number;
  /** −2·logLik + log(nobs)·df. */
  readonly bic: number;
  readonly deltaAic: number;
  readonly deltaBic: number;
  /** Akaike weight exp(−ΔAIC/2) / Σ exp(−ΔAIC/2) (Burnham & Anderson 2002 §2.9). */
  readonly aicWeight: number;
}

/** AIC/BIC comparison of fits to the same rows, in the order given (R's AIC(m1, m2), BIC(m1, m2)). */
export function informationCriteria(fits: readonly FitSummary[]): IcRow[] {
  if (fits.length === 0) return [];
  const n = fits[0].nobs;
  for (const f of fits) if (f.nobs !== n) throw new GlmmInputError(`model '${f.label}' has ${f.nobs} rows, '${fits[0].label}' ${n}: information criteria compare fits to the same rows only`);
  const base = fits.map((f) => ({ label: f.label, df: f.df, logLik: f.logLik, aic: -2 * f.logLik + 2 * f.df, bic: -2 * f.logLik + Math.log(f.nobs) * f.df }));
  const minA = Math.min(...base.map((b) => b.aic)), minB = Math.min(...base.map((b) => b.bic));
  const w = base.map((b) => Math.exp(-(b.aic - minA) / 2)), sw = w.reduce((s, v) => s + v, 0);
  return base.map((b, i) => ({ ...b, deltaAic: b.aic - minA, deltaBic: b.bic - minB, aicWeight: w[i] / sw }));
}
