/**
 * summary.json, as DESIGN.md §Contracts defines it. `glmm fit --json` prints exactly this; `glmm laplace
 * --json` prints the same schema with the posterior fields null. NaN and ±Infinity are written as null.
 */
import type { FamilyParamName } from '../../models/families/params.js';

export const SCHEMA_VERSION = 1;

/**
 * 'extra': a parameter the user declared (src/logdensity/user.ts). A family parameter's class is its
 * brms name (`sigma`, `shape`, `phi`, `nu`, …), one entry per parameter of the family's list, a vector
 * parameter one entry per coordinate named `name[k]`; the ordinal thresholds have class `Intercept` and
 * names `b_Intercept[1]` … `b_Intercept[K−1]` (brms's), their Laplace `se` and Wald limits on their own scale.
 * A zero part with its own formula (`--zi '~ x'`) has, in place of `zi` (`hu`), its coefficients on the
 * logit scale: class `zi` (`hu`), names `b_zi_Intercept`, `b_zi_x` (brms's), `term` the coefficient's
 * label (`Intercept`, `x`), Laplace `se` the Hessian SE on that scale.
 * Its random terms (`--zi '~ x + (1|site)'`) have brms's names: `sd_site__zi_Intercept` and
 * `cor_site__zi_Intercept__zi_x` (class sd/cor, `group` site, `term` zi_Intercept), effects
 * `r_site__zi[R-1,Intercept]` (class r, `group` site, `term` zi_Intercept, `level` R-1); `model.groups`
 * counts the zero part's grouping factors too. Their Laplace answer is the joint fit of both parts'
 * effects (src/laplace/joint-fit.ts, as glmmTMB): sds with Wald intervals on the log scale, no profile.
 */
export type ParameterClass = 'b' | 'sd' | 'cor' | 'r' | FamilyParamName | 'extra';

export interface LaplaceInterval {
  estimate: number;
  /** Hessian SE for b, the ordinal thresholds and a zero formula's b_zi_*; Wald SE on the log-sd scale for sd and on its unconstrained scale (log, logit) for a family parameter; null where none. */
  se: number | null;
  /** Wald (b; t with `df` for an lmer fit) or profile-likelihood (sd, cor, sigma) limits at the summary's `prob`, null where not computed. */
  lower: number | null;
  upper: number | null;
  /** Denominator df of a b_* interval of an lmer fit (Kenward–Roger or Satterthwaite); absent for z intervals. */
  df?: number;
}

/**
 * Type III tests of the fixed effects of a gaussian lmer fit (lmerTest's anova(type = 3), JMP's
 * "Fixed Effect Tests"): one row per fixed term, F on num_df and den_df (null: ∞, a χ²/q test).
 */
export interface AnovaJson {
  type: 'III';
  ddf: 'kenward-roger' | 'satterthwaite' | 'asymptotic';
  rows: { term: string; F: number; num_df: number; den_df: number | null; p: number }[];
}

/**
 * Means of each level of a factor (`--means FACTOR`), on the data scale, from both answers:
 * `laplace` (lmer: least-squares means with SE, df and t limits as emmeans; GLMMs: the inverse link
 * of the reference-grid mean, delta-method SE, limits back-transformed from the link scale, df null)
 * and `posterior` (per-draw means: mean, sd, median, 2.5% and 97.5% quantiles), each null when that
 * answer is absent. Other factors are averaged with equal weights, covariates at their means, random
 * effects at 0.
 */
export interface MeansJson {
  factor: string;
  scale: 'response';
  /** How the Laplace limits are made, e.g. "t, kenward-roger df". */
  interval: string;
  level: number;
  laplace: { level: string; estimate: number; se: number; df: number | null; lower: number; upper: number }[] | null;
  posterior: { level: string; mean: number; sd: number; median: number; lower: number; upper: number }[] | null;
}

export interface ParameterSummary {
  name: string;
  class: ParameterClass;
  group: string | null;
  term: string | null;
  term2: string | null;
  level: string | null;
  mean: number | null;
  sd: number | null;
  median: number | null;
  mad: number | null;
  q5: number | null;
  q95: number | null;
  /** Central posterior interval at the summary's `prob` (default 0.95: the 2.5% and 97.5% quantiles). */
  lower: number | null;
  upper: number | null;
  /** Classic rank-normalized R-hat (Vehtari et al. 2021). */
  rhat: number | null;
  /** Nested R-hat (Margossian et al. 2024) of many-chain runs (ChEES); null for NUTS. */
  rhat_nested: number | null;
  ess_bulk: number | null;
  ess_tail: number | null;
  mcse_mean: number | null;
  mcse_sd: number | null;
  /** posterior's mcse_quantile at 0.05 and 0.95 and mcse_median (R posterior ≥ 1.6). */
  mcse_q5: number | null;
  mcse_median: number | null;
  mcse_q95: number | null;
  laplace: LaplaceInterval | null;
}

/** The share-of-zeros check (summary.json `ppc.zeros`). */
export interface ZeroShareJson {
  observed: number;
  replicated: { mean: number; sd: number; lower: number; upper: number };
  p_greater: number;
  draws: number;
}

export interface SummaryJson {
  schema_version: number;
  package_version: string;
  /** Level of the intervals: the posterior's lower/upper and the Laplace lower/upper (default 0.95). */
  prob: number;
  model: {
    formula: string;
    /**
     * Family parameters with their own formula (`--zi '~ x'`, `--zi '~ x + (1|site)'`): the parameter (zi, hu)
     * and the formula as written; absent when every family parameter has one value.
     */
    param_formulas?: { param: string; formula: string }[];
    family: string;
    link: string;
    nobs: number;
    dropped_rows: number;
    groups: Record<string, number>;
    priors: string[];
    /**
     * An ordinal response (family cumulative): its category labels, lowest first; category k lies between
     * the thresholds b_Intercept[k − 1] and b_Intercept[k] (P(y ≤ k) = F(b_Intercept[k] − η)). Absent otherwise.
     */
    categories?: string[];
  };
  sampler: {
    engine: string;
    sampler: 'nuts' | 'chees';
    chains: number;
    warmup: number;
    draws: number;
    seed: number;
    seconds: { warmup: number; sampling: number };
    divergences: number;
    treedepth_hits: number;
    ebfmi: number[];
    step_size: number[];
    /** The nested R-hat threshold sqrt(1 + 1/M + 1e-4), M chains per superchain (ChEES); null for NUTS. */
    rhat_nested_threshold: number | null;
    /** The bulk/tail ESS target sampling ran to (ChEES without --draws); null for a fixed length. */
    ess_target: number | null;
  } | null;
  parameters: ParameterSummary[];
  laplace: {
    logLik: number;
    deviance: number;
    aic: number;
    bic: number;
    converged: boolean;
    singular: boolean;
    method: string;
    pearson_chisq_df: number;
    /** lmer fits: the df method of the b_* t intervals and the tests ('asymptotic': z, above 4,000 rows). */
    ddf?: 'kenward-roger' | 'satterthwaite' | 'asymptotic';
  } | null;
  warnings: string[];
  /**
   * Free-text notes the caller adds (e.g. for a singular ML fit: how much posterior mass the sd has
   * near 0). Printed after the human table, before the warnings. Optional: absent means none.
   */
  notes?: string[];
  /** Type III fixed-effect tests; present for gaussian lmer fits. */
  anova?: AnovaJson;
  /**
   * Posterior predictive checks of a count response (src/inference/zero-share.ts): the share of zeros
   * observed against its replicated distribution (mean, sd, central interval at `prob`) and
   * P(replicated ≥ observed), over the report's posterior predictive draws. Absent for other responses
   * and for a Laplace-only fit.
   */
  ppc?: { zeros: ZeroShareJson };
  /** Means per level of the factors asked for (`--means`); absent when none was asked. */
  means?: MeansJson[];
  /**
   * Present only when sampling was interrupted (SIGINT/SIGTERM, or the library's shouldStop): what stopped
   * it, and the draws per chain kept of those asked for.
   */
  incomplete?: { reason: string; draws: number; draws_requested: number };
}
