/**
 * What a user does with a fit (lme4/brms vocabulary): predictions with newdata, fitted values and
 * residuals, ranef/coef/VarCorr, posterior predictive draws, derived quantities and data-scale means,
 * each from the posterior and, where it exists, from the Laplace answer side by side.
 */
import seedrandom from 'seedrandom';
import type { Draws } from '../../diagnostics/draws.js';
import { familyFor, getFamily } from '../../models/families/index.js';
import type { DataFrame } from '../data/frame.js';
import { GlmmInputError } from '../../base/errors.js';
import { newdataRows, type NewRows } from '../inference/newdata.js';
import { fittedDraws, linearPredictorDraws, posteriorPredictive, predictPoint, residuals as residualsAt, type ReForm, type ResidualType } from '../inference/predict.js';
import { coef as coefOf, ranef as ranefOf, VarCorr as varCorrOf, type GroupTable, type VarCorrResult } from '../inference/varcorr.js';
import { samplePrior, priorPredictive } from '../inference/prior.js';
import type { ModelSpec } from '../target/parameters.js';
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

/** The answer a verb gives when none is asked for: the posterior when there are draws, else the Laplace fit. */
export function defaultAnswer(f: FitLike): Answer {
  return f.draws ? 'posterior' : 'laplace';
}

export function needDraws(f: FitLike): Draws {
  if (!f.draws) throw new GlmmInputError('this fit has no posterior draws (Laplace only); use answer "laplace" or run fit()');
  return f.draws;
}

export function needLaplace(f: FitLike): LaplaceRun {
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

/**
 * Draws of a custom family's mean or random y: its `mean`/`rng` on η and the named parameters of each
 * posterior draw (row = the row predicted, of newdata when given).
 */
function customFamilyDraws(f: FitLike, o: PredictionOptions, what: 'mean' | 'rng'): Draws {
  const fam = f.spec.user?.family as NonNullable<NonNullable<FitLike['spec']['user']>['family']>;
  const fn = what === 'mean' ? fam.mean : fam.rng;
  if (!fn) throw new GlmmInputError(`family '${fam.name}' has no ${what} function; give customFamily.${what} to use ${what === 'mean' ? 'posteriorEpred' : 'posteriorPredict'}`);
  const eta = posteriorLinpred(f, o);
  const draws = needDraws(f);
  const rand = seedrandom(`${o.seed ?? 1}-${what}`);
  const P = draws.names.length, n = eta.names.length, S = draws.nChains * draws.nDraws;
  const named = draws.names.flatMap((name, j) => (name.startsWith('r_') ? [] : [[name, j] as const]));
  const out = new Float64Array(S * n);
  for (let s = 0; s < S; s++) {
    const p: Record<string, number> = {};
    for (const [name, j] of named) p[name] = draws.data[s * P + j];
    for (let i = 0; i < n; i++) out[s * n + i] = what === 'mean' ? (fam.mean as NonNullable<typeof fam.mean>)(eta.data[s * n + i], p, i) : (fam.rng as NonNullable<typeof fam.rng>)(rand, eta.data[s * n + i], p, i);
  }
  return { ...eta, data: out };
}

/** Posterior draws of the expected response E[y] (brms posterior_epred; binomial: trials·p; a custom family: its mean). */
export function posteriorEpred(f: FitLike, o: PredictionOptions = {}): Draws {
  if (f.spec.user?.family) return customFamilyDraws(f, o, 'mean');
  return fittedDraws(f.spec.design, needDraws(f), familyFor(f.spec.family, f.spec.link).link, { newdata: rowsFor(f, o.newdata), reForm: o.reForm, newLevels: o.newLevels, rng: seedrandom(String(o.seed ?? 1)) });
}

/** Posterior predictive draws y_rep (brms posterior_predict; a custom family: its rng). */
export function posteriorPredict(f: FitLike, o: PredictionOptions = {}): Draws {
  if (f.spec.user?.family) return customFamilyDraws(f, o, 'rng');
  const rng = seedrandom(String(o.seed ?? 1));
  return posteriorPredictive(f.spec.design, needDraws(f), familyFor(f.spec.family, f.spec.link).family, familyFor(f.spec.family, f.spec.link).link, rng, {
    newdata: rowsFor(f, o.newdata), reForm: o.reForm, newLevels: o.newLevels, rng,
  });
}

/** lme4's predict(): the Laplace answer at the conditional modes (new levels get 0, as allow.new.levels = TRUE). */
export function laplacePredict(f: FitLike, o: PredictionOptions & { type?: 'link' | 'response' } = {}): Float64Array {
  return predictPoint(f.spec.design, needLaplace(f).estimates, { newdata: rowsFor(f, o.newdata), reForm: o.reForm, type: o.type ?? 'response', link: familyFor(f.spec.family, f.spec.link).link });
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
  return predictPoint(f.spec.design, pointEstimates(f, answer), { type: 'response', link: familyFor(f.spec.family, f.spec.link).link });
}

/** Residuals as R's residuals.glmerMod (response, pearson, deviance). */
export function residualsOf(f: FitLike, type: ResidualType = 'deviance', answer: Answer = 'laplace'): Float64Array {
  return residualsAt(f.spec.design, pointEstimates(f, answer), type, { family: getFamily(f.spec.family), link: familyFor(f.spec.family, f.spec.link).link });
}

/** lme4's ranef(): conditional modes (laplace) or posterior summaries of the random effects (default: posterior when there are draws). */
export function ranef(f: FitLike, answer: Answer = defaultAnswer(f)): GroupTable[] {
  return ranefOf(f.spec.design, answer === 'laplace' ? needLaplace(f).estimates : needDraws(f));
}

/** lme4's coef(): fixed plus random effect per level (default answer: posterior when there are draws). */
export function coef(f: FitLike, answer: Answer = defaultAnswer(f)): GroupTable[] {
  return coefOf(f.spec.design, answer === 'laplace' ? needLaplace(f).estimates : needDraws(f));
}

/** lme4's VarCorr(): sds, variances and correlations per term (default answer: posterior when there are draws). */
export function VarCorr(f: FitLike, answer: Answer = defaultAnswer(f)): VarCorrResult {
  return varCorrOf(f.spec.design, answer === 'laplace' ? needLaplace(f).estimates : needDraws(f));
}

/** Prior-only draws of the parameters and of y (prior predictive), by direct simulation from the priors. */
export function priorSample(spec: ModelSpec, nDraws: number, seed = 1): { draws: Draws; yrep: Draws } {
  const { family, link } = familyFor(spec.family, spec.link);
  const rng = seedrandom(String(seed));
  return priorPredictive(spec.design, family, link, spec.priors, nDraws, rng);
}

export { samplePrior };
