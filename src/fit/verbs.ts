/**
 * The verbs an lme4/brms user reaches for, on a fit from {@link fit} or {@link laplaceOnly}: `fixef`,
 * `confint` (Wald, profile or posterior interval), `summary`, `anova(fit)` (type III tests) and
 * `anova(fit0, fit1)` (likelihood-ratio test of two fits, refitted by ML when REML as lme4 does), and
 * `predict`. Each answers from the posterior when the fit has draws and from the Laplace fit otherwise,
 * or from the answer asked for. (ranef, coef and VarCorr are in src/fit/api.ts.)
 */
import { GlmmInputError } from '../../base/errors.js';
import type { SummaryJson } from '../report/schema.js';
import { formatSummaryTable, type TableOptions } from '../report/table.js';
import { fixedTerms, gridSpecFromFrame } from '../design/refgrid.js';
import { anovaTable } from '../lmm/anova.js';
import type { DdfMethod } from '../lmm/lsmeans.js';
import { invGeneral, qform } from '../linalg/dense.js';
import { pchisqUpper } from '../../base/distributions.js';
import { likelihoodRatioTest, type LrtResult } from '../laplace/compare.js';
import { parameterMatrix } from '../../diagnostics/draws.js';
import { quantile } from '../../diagnostics/quantile.js';
import { qnorm } from '../../base/normal.js';
import { defaultAnswer, needDraws, needLaplace, posteriorEpred, posteriorLinpred, laplacePredict, posteriorMeans, type Answer, type FitLike, type PredictionOptions } from './api.js';
import { runLaplace } from './laplace.js';
import type { LaplaceRun } from './laplace-run.js';

/** A fit with its summary.json (what fit() and laplaceOnly() return). */
export type FitWithSummary = FitLike & { readonly summary: SummaryJson };

/** lme4's fixef(): the fixed effects by term label (Intercept, trt1, ...): Laplace estimates or posterior means. */
export function fixef(f: FitLike, answer: Answer = defaultAnswer(f)): Record<string, number> {
  const est = answer === 'laplace' ? needLaplace(f).estimates : posteriorMeans(needDraws(f));
  return Object.fromEntries(f.spec.design.fixed.names.map((n) => [n.slice(2), est[n]]));
}

/** One interval of {@link confint}. */
export interface ConfintRow {
  /** DESIGN name (b_trt1, sd_block__Intercept, ...). */
  readonly name: string;
  readonly lower: number | null;
  readonly upper: number | null;
  /** How this row's interval was made. */
  readonly method: 'Wald' | 'profile' | 'posterior';
}

/**
 * lme4's confint(): 'Wald' (b_* only: est ± z·SE, as lme4 gives NA for the sds), 'profile' (sd_*, cor_*,
 * shape/sigma by profile likelihood at the fit's level, b_* by Wald — each row says which) or 'posterior'
 * (central quantiles of the draws). Default: 'posterior' when there are draws, else 'profile'.
 */
export function confint(f: FitWithSummary, opts: { method?: 'Wald' | 'profile' | 'posterior'; level?: number } = {}): ConfintRow[] {
  const method = opts.method ?? (f.draws ? 'posterior' : 'profile');
  const level = opts.level ?? f.summary.prob ?? 0.95;
  if (!(level > 0 && level < 1)) throw new GlmmInputError(`confint: level ${level} must be in (0, 1)`);
  const params = f.spec.params.filter((p) => p.class !== 'r');
  if (method === 'posterior') {
    const d = needDraws(f);
    return params.map((p) => {
      const x = parameterMatrix(d, d.names.indexOf(p.name));
      return { name: p.name, lower: quantile(x, (1 - level) / 2), upper: quantile(x, (1 + level) / 2), method };
    });
  }
  const run = needLaplace(f);
  const wald = waldRows(f, run, level);
  if (method === 'Wald') return wald;
  const fitLevel = f.summary.prob ?? 0.95;
  if (level !== fitLevel) throw new GlmmInputError(`confint: the profile intervals of this fit are at level ${fitLevel}; refit with prob: ${level} for profile intervals at ${level}`);
  return [...wald, ...params.filter((p) => p.class !== 'b').map((p): ConfintRow => {
    const i = run.intervals.get(p.name);
    return { name: p.name, lower: i?.lower ?? null, upper: i?.upper ?? null, method: 'profile' };
  })];
}

function waldRows(f: FitLike, run: LaplaceRun, level: number): ConfintRow[] {
  const z = qnorm((1 + level) / 2);
  const names = f.spec.design.fixed.names;
  return names.map((n, j) => {
    const se = run.vcov ? Math.sqrt(run.vcov[j * names.length + j]) : NaN;
    return { name: n, lower: run.estimates[n] - z * se, upper: run.estimates[n] + z * se, method: 'Wald' };
  });
}

/** The printed summary (what `glmm fit` shows): posterior beside Laplace, fit statistics, notes and warnings. `f.summary` is the object. */
export function summary(f: FitWithSummary, opts: TableOptions = {}): string {
  return formatSummaryTable(f.summary, opts);
}

/** One row of a type III table: an F test (gaussian lmer, with its denominator df) or a Wald χ² test (GLMM, as car::Anova(type = 3)). */
export interface AnovaRow {
  readonly term: string;
  /** 'F' (lmerTest anova type 3) or 'chisq' (car::Anova type 3 Wald χ²). */
  readonly test: 'F' | 'chisq';
  /** F, or χ². */
  readonly statistic: number;
  readonly numDf: number;
  /** Denominator df of the F test (Kenward–Roger or Satterthwaite); Infinity for χ². */
  readonly denDf: number;
  readonly p: number;
  readonly method: DdfMethod | 'Wald';
}

/**
 * anova(fit): type III tests of the fixed effects from the likelihood answer. Gaussian (lmer): F tests with
 * Kenward–Roger (REML, default) or Satterthwaite df as lmerTest's anova(type = 3). Other families: Wald χ²
 * of each term's coefficients, intercept included, as car::Anova(glmer, type = 3).
 * anova(fit0, fit1): the likelihood-ratio test of fit0 nested in fit1 (lme4's anova(m0, m1)); REML fits are
 * refitted by ML first, as lme4 does.
 */
export function anova(f: FitLike, opts?: { ddf?: DdfMethod }): AnovaRow[];
export function anova(f0: FitLike, f1: FitLike, opts?: { boundary?: boolean }): LrtResult;
export function anova(f: FitLike, g?: FitLike | { ddf?: DdfMethod }, opts: { boundary?: boolean } = {}): AnovaRow[] | LrtResult {
  if (g && 'spec' in g) return likelihoodRatio(f, g, opts);
  const run = needLaplace(f);
  const grid = gridSpecFromFrame(f.spec.design, f.frame, f.factors);
  const ddf = (g as { ddf?: DdfMethod } | undefined)?.ddf;
  if (run.lmm) {
    return anovaTable(run.lmm, { grid, ddf }).map((r) => ({ term: r.term, test: 'F', statistic: r.F, numDf: r.numDf, denDf: r.denDf, p: r.p, method: r.method }));
  }
  if (ddf) throw new GlmmInputError(`anova: ddf applies to the gaussian family (lmer); the ${f.spec.family} model is tested by Wald χ²`);
  const d = f.spec.design;
  const beta = d.fixed.names.map((n) => run.estimates[n]);
  const p = beta.length;
  const terms = [...(d.fixed.hasIntercept ? [{ label: '(Intercept)', columns: [d.fixed.columns.indexOf('(Intercept)')] }] : []), ...fixedTerms(d.fixed.columns, grid)];
  return terms.map((t) => {
    const q = t.columns.length;
    const M = new Float64Array(q * q);
    const Lb = Float64Array.from(t.columns, (j) => beta[j]);
    t.columns.forEach((a, i) => t.columns.forEach((b, k) => { M[i * q + k] = run.vcov![a * p + b]; }));
    const chisq = qform(Lb, invGeneral(M, q), Lb, q);
    return { term: t.label, test: 'chisq', statistic: chisq, numDf: q, denDf: Infinity, p: pchisqUpper(chisq, q), method: 'Wald' };
  });
}

/** logLik, parameter count and label of a fit's likelihood answer, refitted by ML if it was REML. */
function mlSummary(f: FitLike, label: string) {
  let run = needLaplace(f);
  if (run.lmm?.reml) run = runLaplace(f.spec, { reml: false });
  const s = run.stats!;
  // AIC = −2 logLik + 2 df
  return { label, logLik: s.logLik, df: Math.round((s.aic + 2 * s.logLik) / 2), nobs: f.spec.design.nobs, reml: false };
}

function likelihoodRatio(f0: FitLike, f1: FitLike, opts: { boundary?: boolean }): LrtResult {
  return likelihoodRatioTest(mlSummary(f0, f0.spec.design.formula), mlSummary(f1, f1.spec.design.formula), opts);
}

/**
 * predict(): the Laplace answer as lme4's predict() (conditional modes; new levels get 0), or the
 * posterior mean of the linear predictor (type 'link') or of E[y] (type 'response') per row.
 */
export function predict(f: FitLike, o: PredictionOptions & { type?: 'link' | 'response'; answer?: Answer } = {}): Float64Array {
  const answer = o.answer ?? defaultAnswer(f);
  if (answer === 'laplace') return laplacePredict(f, o);
  const d = (o.type ?? 'response') === 'link' ? posteriorLinpred(f, o) : posteriorEpred(f, o);
  const P = d.names.length, S = d.nChains * d.nDraws;
  const out = new Float64Array(P);
  for (let s = 0; s < S; s++) for (let j = 0; j < P; j++) out[j] += d.data[s * P + j];
  return out.map((v) => v / S);
}
