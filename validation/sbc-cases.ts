/**
 * The SBC designs, one entry per family (validation/sbc.ts runs them all): a design with its response
 * left to the simulation, the formula, and the prior statements where the defaults cannot serve SBC.
 * A new family is one more entry.
 *
 * The priors are not the defaults, and both the simulation and the fit use the SBC priors below: the
 * default priors are weakly informative for fitting, not generative. Drawn from them, θ gives
 * degenerate data sets (b, Intercept ~ normal(0, 5) and sd ~ student_t(3, 0, 2.5) on the log scale
 * simulate counts of 10⁶–10⁷ beside zeros, logits of ±15, gamma responses of 1e-9; the default
 * shape ~ gamma(0.01, 0.01) puts half its mass below ~1e-30; gaussian's defaults look at y, which
 * SBC cannot allow). So each case states proper priors of the same kind on the scale of real data:
 * b ~ normal(0, 1), sd ~ normal(0, 1) (half-normal), the intercept near the data's typical level,
 * shape ~ gamma(2, 0.5) (mean 4, 95% within 0.5–11); gaussian on the response scale of its
 * defaults' floor (s = 2.5). Everything else — the sampler, warmup, its stopping rule, the ESS
 * target, Laplace starts, the centring choice — is the default fit, which is what SBC checks here.
 */
import type { FamilyName } from '../models/families/types.js';

/** One SBC design. */
export interface SbcCase {
  readonly family: FamilyName;
  /** What the design imitates. */
  readonly like: string;
  readonly formula: string;
  /** Response column(s) filled by the simulation: the first is y (for binomial, the successes). */
  readonly response: string;
  /** The predictor and grouping columns (and binomial trials), one value per row. */
  readonly columns: Record<string, readonly (number | string)[]>;
  readonly factors: readonly string[];
  /** Prior statements replacing the defaults in both the simulation and the fit (see the file comment). */
  readonly priors: readonly string[];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** `groups` × `per` rows: group label g1…, within-group index 0…per−1. */
function grid(groups: number, per: number) {
  const g = range(groups * per).map((i) => `g${Math.floor(i / per) + 1}`);
  const w = range(groups * per).map((i) => i % per);
  return { g, w };
}

const rcbd = grid(8, 2); // 8 blocks × 2 treatments, the RCBD of glmm-references.json
const toenail = grid(30, 5); // 30 patients × 5 visits, half treated
const clustered = grid(10, 4); // 10 groups × 4 rows, a numeric covariate
const x4 = clustered.w.map((i, r) => Number((((i * 7 + r * 3) % 9) / 4 - 1).toFixed(2)));
const sbcPriors = (intercept: string, ...extra: string[]) => [`Intercept ~ ${intercept}`, 'b ~ normal(0, 1)', 'sd ~ normal(0, 1)', ...extra];
const SHAPE_PRIOR = 'shape ~ gamma(2, 0.5)';
/** beta/betabinomial precision φ: the default gamma(0.01, 0.01) is as degenerate as shape's; gamma(2, 0.1) has mean 20, 95% within 2.4–56. */
const PHI_PRIOR = 'phi ~ gamma(2, 0.1)';

/** One entry per family (the family name is its key: $SBC_FAMILIES). */
export const SBC_CASES: readonly SbcCase[] = [
  { family: 'poisson', like: 'the RCBD (8 blocks × 2 treatments, block:trt per observation)', formula: 'y ~ trt + (1|block) + (1|block:trt)', response: 'y',
    columns: { block: rcbd.g, trt: rcbd.w }, factors: ['trt', 'block'], priors: sbcPriors('normal(2, 1)') },
  { family: 'binomial', like: 'Beitler & Landis (8 clinics × 2 treatments, its trials)', formula: 'cbind(y, n - y) ~ t + (1|clinic) + (1|clinic:t)', response: 'y',
    columns: { clinic: rcbd.g, t: rcbd.w.map((w) => 1 - w), n: [36, 37, 20, 32, 19, 19, 16, 17, 17, 12, 11, 10, 5, 9, 6, 7] }, factors: ['t', 'clinic'], priors: sbcPriors('normal(0, 1)') },
  { family: 'bernoulli', like: 'toenail (30 patients × 5 visits, half treated, visit in years)', formula: 'y ~ trt + visit + (1|patient)', response: 'y',
    columns: { patient: toenail.g, trt: toenail.g.map((g) => Number(g.slice(1)) % 2), visit: toenail.w.map((w) => w / 4) }, factors: ['trt', 'patient'], priors: sbcPriors('normal(0, 1)') },
  { family: 'negbinomial', like: 'salamanders (10 sites × 4 counts, a covariate)', formula: 'y ~ x + (1|site)', response: 'y',
    columns: { site: clustered.g, x: x4 }, factors: ['site'], priors: sbcPriors('normal(2, 1)', SHAPE_PRIOR) },
  { family: 'gamma', like: 'positive measurements (10 groups × 4, a covariate), log link', formula: 'y ~ x + (1|g)', response: 'y',
    columns: { g: clustered.g, x: x4 }, factors: ['g'], priors: sbcPriors('normal(0, 1)', SHAPE_PRIOR) },
  { family: 'gaussian', like: 'an LMM (10 groups × 4, a covariate)', formula: 'y ~ x + (1|g)', response: 'y',
    columns: { g: clustered.g, x: x4 }, factors: ['g'],
    priors: ['Intercept ~ normal(0, 2.5)', 'b ~ normal(0, 2.5)', 'sd ~ normal(0, 2.5)', 'sigma ~ normal(0, 2.5)'] },
  { family: 'lognormal', like: 'positive measurements on the log scale (10 groups × 4, a covariate)', formula: 'y ~ x + (1|g)', response: 'y',
    columns: { g: clustered.g, x: x4 }, factors: ['g'], priors: sbcPriors('normal(0, 1)', 'sigma ~ normal(0, 1)') },
  { family: 'beta', like: 'proportions (10 groups × 4, a covariate)', formula: 'y ~ x + (1|g)', response: 'y',
    columns: { g: clustered.g, x: x4 }, factors: ['g'], priors: sbcPriors('normal(0, 1)', PHI_PRIOR) },
  { family: 'betabinomial', like: 'Beitler & Landis, overdispersed (its trials)', formula: 'cbind(y, n - y) ~ t + (1|clinic)', response: 'y',
    columns: { clinic: rcbd.g, t: rcbd.w.map((w) => 1 - w), n: [36, 37, 20, 32, 19, 19, 16, 17, 17, 12, 11, 10, 5, 9, 6, 7] }, factors: ['t', 'clinic'], priors: sbcPriors('normal(0, 1)', PHI_PRIOR) },
  // student (two family parameters): the LMM's design, brms's nu prior (ν > 1, the gamma truncated there in simulation and fit)
  { family: 'student', like: 'an LMM with heavy tails (10 groups × 4, a covariate)', formula: 'y ~ x + (1|g)', response: 'y',
    columns: { g: clustered.g, x: x4 }, factors: ['g'], priors: sbcPriors('normal(0, 1)', 'sigma ~ normal(0, 1)', 'nu ~ gamma(2, 0.1)') },
  // zipoisson: salamanders' design with a constant zero-inflation share; zi ~ beta(2, 6) (mean 0.25, 95% within 0.04–0.6)
  { family: 'zipoisson', like: 'salamanders, zero-inflated (10 sites × 4 counts, a covariate, zi ~ 1)', formula: 'y ~ x + (1|site)', response: 'y',
    columns: { site: clustered.g, x: x4 }, factors: ['site'], priors: sbcPriors('normal(2, 1)', 'zi ~ beta(2, 6)') },
  // cumulative: 4 ordered categories, 3 thresholds Intercept ~ normal(0, 1.5) iid sorted (the prior restricted to θ₁ < θ₂ < θ₃);
  // a data set with an empty category is refused by the fit and drawn afresh with its θ (validation/sbc-job.ts)
  { family: 'cumulative', like: 'ratings by judges (10 judges × 4, a covariate; 4 categories), cumulative logit', formula: 'y ~ x + (1|g)', response: 'y',
    columns: { g: clustered.g, x: x4 }, factors: ['g'], priors: sbcPriors('normal(0, 1.5)') },
];
