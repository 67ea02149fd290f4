/**
 * The fixed-effect tests and means of summary.json (`anova`, `means`): for a gaussian lmer fit, the
 * Type III F table (lmerTest's anova(type = 3), JMP's "Fixed Effect Tests") and least-squares means
 * with SE, df and t limits (emmeans with lmer.df = "kenward-roger" | "satterthwaite"); for other
 * families, data-scale means of each level from the Laplace answer (delta method, emmeans type =
 * "response") and from the posterior (quantiles of the per-draw means). Schema: src/report/schema.ts.
 */
import type { AnovaJson, MeansJson } from '../report/schema.js';
import { anovaTable } from '../lmm/anova.js';
import { lsmeans, type DdfMethod } from '../lmm/lsmeans.js';
import { MAX_DENSE_N } from '../lmm/varderiv.js';
import { defaultDdf } from '../lmm/kenward-roger.js';
import type { LmmFit } from '../lmm/lmm.js';
import { gridSpecFromFrame, type GridSpec } from '../design/refgrid.js';
import { means as levelMeans } from './quantities.js';
import type { FitLike } from './api.js';

/** Options: the denominator-df method of an lmer fit and the factors whose means are wanted. */
export interface FixedTestOptions {
  /** Default: Kenward–Roger for REML, Satterthwaite for ML; 'asymptotic' (z, χ²) above MAX_DENSE_N rows. */
  readonly ddf?: DdfMethod;
  readonly means?: readonly string[];
  /** Interval level (the summary's prob), default 0.95. */
  readonly prob?: number;
}

/** The df method used for a fit of `nobs` rows: the asked one, or asymptotic when the dense n × n work is too big. */
export function ddfFor(fit: Pick<LmmFit, 'nobs' | 'reml' | 'layout'>, asked: DdfMethod | undefined): DdfMethod {
  if (fit.nobs > MAX_DENSE_N) return 'asymptotic';
  return asked ?? defaultDdf(fit);
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Type III F tests of an lmer fit, or null when the likelihood answer is not an lmer fit. */
export function anovaOf(f: FitLike, grid: GridSpec, ddf: DdfMethod | undefined): AnovaJson | null {
  const lmm = f.laplace?.lmm;
  if (!lmm || f.spec.design.fixed.p <= (f.spec.design.fixed.hasIntercept ? 1 : 0)) return null;
  const method = ddfFor(lmm, ddf);
  const rows = anovaTable(lmm, { grid, ddf: method });
  return { type: 'III', ddf: method, rows: rows.map((r) => ({ term: r.term, F: r.F, num_df: r.numDf, den_df: num(r.denDf), p: r.p })) };
}

/** Means of each level of `factor` from both answers (LS means with t limits for an lmer fit). */
export function meansOf(f: FitLike, grid: GridSpec, factor: string, ddf: DdfMethod | undefined, level = 0.95): MeansJson {
  const lmm = f.laplace?.lmm;
  const both = levelMeans(f, factor, 'conditional', level);
  const posterior = both.posterior?.map(({ level, summary: s }) => ({
    level, mean: s.mean, sd: s.sd, median: s.median, lower: s.quantiles[0].value, upper: s.quantiles[1].value,
  })) ?? null;
  if (lmm) {
    const method = ddfFor(lmm, ddf);
    const rows = lsmeans(lmm, factor, { grid, ddf: method, level });
    return { factor, scale: 'response', interval: `t, ${method === 'kenward-roger' ? 'Kenward–Roger' : method === 'satterthwaite' ? 'Satterthwaite' : 'z (asymptotic)'} df`, level,
      laplace: rows.map((r) => ({ level: r.label, estimate: r.estimate, se: r.se, df: num(r.df), lower: r.lower, upper: r.upper })), posterior };
  }
  const laplace = both.laplace?.map((m) => ({ level: m.level, estimate: m.estimate, se: m.se, df: null, lower: m.lower, upper: m.upper })) ?? null;
  return { factor, scale: 'response', interval: 'delta method on the link scale, back-transformed', level, laplace, posterior };
}

/** Adds `anova` (gaussian lmer fits) and `means` (the asked factors) to a summary. */
export function fixedTests(f: FitLike, opts: FixedTestOptions): { anova?: AnovaJson; means?: MeansJson[] } {
  const grid = gridSpecFromFrame(f.spec.design, f.frame, f.factors);
  const anova = anovaOf(f, grid, opts.ddf);
  const means = opts.means?.length ? opts.means.map((m) => meansOf(f, grid, m, opts.ddf, opts.prob ?? 0.95)) : undefined;
  return { ...(anova ? { anova } : {}), ...(means ? { means } : {}) };
}
