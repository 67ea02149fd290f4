/**
 * What a user does with a fit (lme4/brms vocabulary): predictions with newdata, fitted values and
 * residuals, ranef/coef/VarCorr, posterior predictive draws, derived quantities and data-scale means,
 * each from the posterior and, where it exists, from the Laplace answer side by side.
 */
import seedrandom from 'seedrandom';
import type { Draws } from '../../diagnostics/draws.js';
import { getFamily } from '../../models/families/index.js';
import { getLink } from '../../models/links.js';
import type { DataFrame } from '../data/frame.js';
import { GlmmInputError } from '../../base/errors.js';
import { deltaMethod, deriveDraws, summarizeDerived, type DeltaResult, type DerivedSummary } from '../inference/derived.js';
import { newdataRows, type NewRows } from '../inference/newdata.js';
import { fittedDraws, linearPredictorDraws, posteriorPredictive, predictPoint, residuals as residualsAt, type ReForm, type ResidualType } from '../inference/predict.js';
import { coef as coefOf, ranef as ranefOf, VarCorr as varCorrOf, type GroupTable, type VarCorrResult } from '../inference/varcorr.js';
import { dataScaleMeans, levelRows, meanDraws, parameterDrawsFrom, type DataScaleMean, type MeanType } from '../inference/means.js';
import { contrastDraws, levelContrasts, type LevelContrast } from '../inference/contrasts.js';
import { gridSpecFromFrame } from '../design/refgrid.js';
import { samplePrior, priorPredictive } from '../inference/prior.js';
import type { ModelSpec } from '../model/parameters.js';
import type { LaplaceRun } from './laplace-run.js';

/** The parts of a fit these functions use (a GlmmFit, or a Laplace-only fit with draws null). */
export interface FitLike {
  readonly spec: ModelSpec;
  readonly frame: DataFrame;
  readonly factors: readonly string[];
  readonly draws: Draws | null;
  readonly laplace: LaplaceRun | null;
}

/** Which answer to use. */
export type Answer = 'posterior' | 'laplace';

function rowsFor(f: FitLike, newdata: DataFrame | undefined): NewRows | undefined {
  return newdata ? newdataRows(f.spec.design, f.frame, newdata, { factors: f.factors }) : undefined;
}

function needDraws(f: FitLike): Draws {
  if (!f.draws) throw new GlmmInputError('this fit has no posterior draws (Laplace only); use answer "laplace" or run fit()');
  return f.draws;
}

function needLaplace(f: FitLike): LaplaceRun {
  if (!f.laplace || f.laplace.error) throw new GlmmInputError(`this fit has no Laplace answer${f.laplace?.error ? ` (${f.laplace.error})` : ''}; use answer "posterior"`);
  return f.laplace;
}

/** Options of the prediction functions. */
export interface PredictionOptions {
  /** New rows (a typed frame, e.g. from frameFromRows); default: the data fitted. */
  readonly newdata?: DataFrame;
  /** 'all' (default) includes the random effects; 'none' predicts at random effects 0 (lme4 re.form = NA). */
  readonly reForm?: ReForm;
  /** New grouping levels: 'gaussian' draws them from N(0, Σ) per draw (brms), 'population' uses 0. */
  readonly newLevels?: 'gaussian' | 'population';
  readonly seed?: number;
}

/** Posterior draws of the linear predictor η (brms posterior_linpred). */
export function posteriorLinpred(f: FitLike, o: PredictionOptions = {}): Draws {
  return linearPredictorDraws(f.spec.design, needDraws(f), { newdata: rowsFor(f, o.newdata), reForm: o.reForm, newLevels: o.newLevels, rng: seedrandom(String(o.seed ?? 1)) });
}

/** Posterior draws of the expected response E[y] (brms posterior_epred; binomial: trials·p). */
export function posteriorEpred(f: FitLike, o: PredictionOptions = {}): Draws {
  return fittedDraws(f.spec.design, needDraws(f), getLink(f.spec.link), { newdata: rowsFor(f, o.newdata), reForm: o.reForm, newLevels: o.newLevels, rng: seedrandom(String(o.seed ?? 1)) });
}

/** Posterior predictive draws y_rep (brms posterior_predict). */
export function posteriorPredict(f: FitLike, o: PredictionOptions = {}): Draws {
  const rng = seedrandom(String(o.seed ?? 1));
  return posteriorPredictive(f.spec.design, needDraws(f), getFamily(f.spec.family), getLink(f.spec.link), rng, {
    newdata: rowsFor(f, o.newdata), reForm: o.reForm, newLevels: o.newLevels, rng,
  });
}

/** lme4's predict(): the Laplace answer at the conditional modes (new levels get 0, as allow.new.levels = TRUE). */
export function laplacePredict(f: FitLike, o: PredictionOptions & { type?: 'link' | 'response' } = {}): Float64Array {
  return predictPoint(f.spec.design, needLaplace(f).estimates, { newdata: rowsFor(f, o.newdata), reForm: o.reForm, type: o.type ?? 'response', link: getLink(f.spec.link) });
}

/** Posterior means of the parameters by name. */
export function posteriorMeans(draws: Draws): Record<string, number> {
  const P = draws.names.length, S = draws.nChains * draws.nDraws;
  const out: Record<string, number> = {};
  draws.names.forEach((name, j) => {
    let s = 0;
    for (let i = 0; i < S; i++) s += draws.data[i * P + j];
    out[name] = s / S;
  });
  return out;
}

function pointEstimates(f: FitLike, answer: Answer): Record<string, number> {
  return answer === 'laplace' ? { ...needLaplace(f).estimates } : posteriorMeans(needDraws(f));
}

/** Fitted values μ on the response scale (lme4 fitted(); posterior: at the posterior means). */
export function fittedValues(f: FitLike, answer: Answer = 'laplace'): Float64Array {
  return predictPoint(f.spec.design, pointEstimates(f, answer), { type: 'response', link: getLink(f.spec.link) });
}

/** Residuals as R's residuals.glmerMod (response, pearson, deviance). */
export function residualsOf(f: FitLike, type: ResidualType = 'deviance', answer: Answer = 'laplace'): Float64Array {
  return residualsAt(f.spec.design, pointEstimates(f, answer), type, { family: getFamily(f.spec.family), link: getLink(f.spec.link) });
}

/** lme4's ranef(): conditional modes (laplace) or posterior summaries of the random effects. */
export function ranef(f: FitLike, answer: Answer = 'posterior'): GroupTable[] {
  return ranefOf(f.spec.design, answer === 'laplace' ? needLaplace(f).estimates : needDraws(f));
}

/** lme4's coef(): fixed plus random effect per level. */
export function coef(f: FitLike, answer: Answer = 'posterior'): GroupTable[] {
  return coefOf(f.spec.design, answer === 'laplace' ? needLaplace(f).estimates : needDraws(f));
}

/** lme4's VarCorr(): sds, variances and correlations per term. */
export function VarCorr(f: FitLike, answer: Answer = 'posterior'): VarCorrResult {
  return varCorrOf(f.spec.design, answer === 'laplace' ? needLaplace(f).estimates : needDraws(f));
}

/** A derived quantity from both answers: posterior quantiles and, where the Laplace fit exists, a delta-method interval. */
export interface Derived {
  readonly name: string;
  readonly posterior: DerivedSummary | null;
  /** Delta-method estimate and interval over the fixed effects' vcov; null when f uses other parameters or there is no Laplace fit. */
  readonly laplace: DeltaResult | null;
}

/**
 * Any function of the parameters (by DESIGN name), summarized over the draws (with `probs` quantiles)
 * and, for the likelihood answer, by the delta method when f depends on fixed effects only.
 */
export function derive(f: FitLike, name: string, fn: (p: Record<string, number>) => number, probs: readonly number[] = [0.025, 0.975]): Derived {
  const posterior = f.draws ? summarizeDerived(deriveDraws(f.draws, name, fn), f.draws, probs) : null;
  let laplace: DeltaResult | null = null;
  const run = f.laplace && !f.laplace.error ? f.laplace : null;
  if (run?.vcov) {
    const est = run.estimates;
    const bNames = f.spec.design.fixed.names;
    const base = fn({ ...est });
    const others = Object.keys(est).filter((k) => !k.startsWith('b_') && !k.startsWith('r_'));
    const usesOthers = others.some((k) => {
      const h = 1e-4 * Math.max(1, Math.abs(est[k]));
      return Math.abs(fn({ ...est, [k]: est[k] + h }) - base) > 1e-12 * Math.max(1, Math.abs(base));
    });
    if (!usesOthers) laplace = deltaMethod((p) => fn({ ...est, ...p }), Object.fromEntries(bNames.map((n) => [n, est[n]])), run.vcov, bNames);
  }
  return { name, posterior, laplace };
}

/** Data-scale means of each level of a factor from both answers (conditional at random effects 0, or marginal). */
export function means(f: FitLike, factor: string, type: MeanType = 'conditional'): { laplace: DataScaleMean[] | null; posterior: { level: string; summary: DerivedSummary }[] | null } {
  const d = f.spec.design;
  const grid = gridSpecFromFrame(d, f.frame, f.factors);
  const run = f.laplace && !f.laplace.error ? f.laplace : null;
  const sdNames = f.spec.params.filter((p) => p.class === 'sd' && p.term === 'Intercept').map((p) => p.name);
  const laplace = run?.vcov
    ? dataScaleMeans({ beta: d.fixed.names.map((n) => run.estimates[n]), vcov: run.vcov, names: d.fixed.names, link: f.spec.link, design: d,
      sds: Object.fromEntries(sdNames.map((n) => [n, run.estimates[n] ?? 0])) }, factor, { grid, type })
    : null;
  let posterior: { level: string; summary: DerivedSummary }[] | null = null;
  if (f.draws) {
    const pd = parameterDrawsFrom(f.draws, d.fixed.names);
    const sds = type === 'marginal' ? Object.fromEntries(sdNames.map((n) => [n, deriveDraws(f.draws!, n, (p) => p[n])])) : undefined;
    const md = meanDraws({ names: d.fixed.names, link: f.spec.link, design: d }, { ...pd, sds }, factor, { grid, type });
    // md.names are draws names (mean_trt[0]); report the level itself, as the Laplace rows do
    const { levels } = levelRows({ design: d, names: d.fixed.names }, factor, grid);
    posterior = levels.map((level, j) => {
      const v = new Float64Array(md.nDraws);
      for (let s = 0; s < md.nDraws; s++) v[s] = md.values[s * md.names.length + j];
      return { level, summary: summarizeDerived(v, f.draws!, [0.025, 0.975]) };
    });
  }
  return { laplace, posterior };
}

/** Contrasts between levels of a factor (rate or odds ratios for log/logit links) from both answers. */
export function contrasts(f: FitLike, factor: string, pairs: 'reference' | 'pairwise' = 'reference'): { laplace: LevelContrast[] | null; posterior: { name: string; summary: DerivedSummary; probPositive: number }[] | null } {
  const d = f.spec.design;
  const grid = gridSpecFromFrame(d, f.frame, f.factors);
  const run = f.laplace && !f.laplace.error ? f.laplace : null;
  const laplace = run?.vcov
    ? levelContrasts({ beta: d.fixed.names.map((n) => run.estimates[n]), vcov: run.vcov, names: d.fixed.names, link: f.spec.link, design: d }, factor, { grid, pairs })
    : null;
  let posterior = null;
  if (f.draws) {
    const cd = contrastDraws({ names: d.fixed.names, link: f.spec.link, design: d }, parameterDrawsFrom(f.draws, d.fixed.names), factor, { grid, pairs });
    posterior = cd.names.map((name, j) => {
      const v = new Float64Array(cd.nDraws);
      for (let s = 0; s < cd.nDraws; s++) v[s] = cd.values[s * cd.names.length + j];
      const isRatio = name.startsWith('ratio_');
      let pos = 0;
      for (const x of v) if (isRatio ? x > 1 : x > 0) pos++;
      // same label as the Laplace row of this pair (the rows come in the same order)
      return { name: laplace?.[j]?.label ?? name, summary: summarizeDerived(v, f.draws!, [0.025, 0.975]), probPositive: pos / v.length };
    });
  }
  return { laplace, posterior };
}

/** Prior-only draws of the parameters and of y (prior predictive), by direct simulation from the priors. */
export function priorSample(spec: ModelSpec, nDraws: number, seed = 1): { draws: Draws; yrep: Draws } {
  const family = getFamily(spec.family);
  const rng = seedrandom(String(seed));
  return priorPredictive(spec.design, family, getLink(spec.link), spec.priors, nDraws, rng);
}

export { samplePrior };
