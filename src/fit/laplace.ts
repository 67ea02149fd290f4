/**
 * The likelihood answer beside the posterior: runs the Laplace ML fit (lme4's glmer; glmmTMB for the
 * negative binomial and gamma shape) or, for the gaussian family, lme4's lmer (REML by default), and
 * puts its estimates under DESIGN's names for summary.json and for the samplers' starting point.
 */
import { extraConstrain, type ExtraLayout } from '../target/extras.js';
import type { LaplaceInterval } from '../report/schema.js';
import type { LaplaceRun } from './laplace-run.js';
import { fitLmm, type LmmFit } from '../lmm/lmm.js';
import { type ModelSpec } from '../target/parameters.js';
import { unconstrain } from '../target/constrain.js';
import { rowValues } from '../../models/families/formula-layout.js';
import { familyFor, familyStart, familyValueNames, familyValuesByName, getFamily, pearsonChisq } from '../../models/families/index.js';
import { isFamilyParamName } from '../../models/families/params.js';
import { predictPoint } from '../inference/predict.js';
import { GlmmInputError } from '../../base/errors.js';
import { NotPositiveDefiniteError, SingularMatrixError } from '../linalg/errors.js';
import { glmmRun } from './laplace-glmm.js';
import type { LaplaceFit } from '../laplace/types.js';
import { ddfEngine, type DdfMethod } from '../lmm/lsmeans.js';
import { ddfFor } from './fixed-tests.js';
import { lmmProfileIntervals, lmmVarparSe, LMM_PROFILE_MAX_Q } from './lmm-profile.js';
import { qnorm } from '../../base/normal.js';

/** Options of {@link runLaplace}. */
export interface LaplaceRunOptions {
  /** Gauss–Hermite nodes (GLMMs with one scalar random term); has no effect on an lmer fit (warned). */
  readonly nAGQ?: number;
  readonly reml?: boolean;
  readonly ddf?: DdfMethod;
  /** Profile-likelihood intervals for sd/cor/sigma (default true; lmer: up to LMM_PROFILE_MAX_Q random effects). */
  readonly profile?: boolean;
  /** Level of every interval (default 0.95). */
  readonly level?: number;
  /** Called after every evaluation of the fit's criterion (lmer's REML/ML, glmer's deviance by step): a progress line. */
  readonly onEvaluation?: (step: string, evaluations: number, best: number) => void;
}

/**
 * The failures of the likelihood fit that leave the posterior standing alone (returned as `error`,
 * shown as a warning beside the posterior): a matrix of the fit that the data leave not positive
 * definite or singular (src/linalg/errors.ts). An optimizer that stops early is not a failure (the fit
 * says `converged: false` with a warning). Input errors throw as input errors; anything else is a bug
 * and propagates, so that it fails loudly instead of passing as a warning.
 */
function isExpectedFailure(e: unknown): e is Error {
  return e instanceof NotPositiveDefiniteError || e instanceof SingularMatrixError;
}

/** A failed fit as {@link runLaplace} returns it, or the exception again when it is not an expected failure. */
function failed(method: string, e: unknown): LaplaceRun {
  if (!isExpectedFailure(e)) throw e;
  return { method, error: e.message.split('\n')[0], estimates: {}, intervals: new Map(), scaleSe: {}, stats: null, warnings: [], vcov: null };
}

/** Pearson χ² / (n − number of parameters): GLIMMIX's overdispersion statistic from conditional fitted values. */
export function pearsonChisqDf(spec: ModelSpec, estimates: Readonly<Record<string, number>>, nPar: number): number {
  const d = spec.design;
  const { family, link } = familyFor(spec.family, spec.link);
  const mu = predictPoint(d, estimates, { type: 'response', link });
  const aux = rowValues(spec.familyBlock.formulas, familyValuesByName(spec.familyBlock.layout, estimates));
  const trials = d.response.trials;
  const perTrial = trials ? Float64Array.from(mu, (m, i) => m / trials[i]) : mu;
  return pearsonChisq(family, d.response.y, perTrial, aux, trials) / (d.nobs - nPar);
}

/**
 * Fixed-effect rows of an lmer fit: estimate ± t(df)·SE with Kenward–Roger or Satterthwaite df per
 * coefficient (lmerTest's summary and confint; KR's SE is pbkrtest's adjusted one), or z limits
 * ('asymptotic', above MAX_DENSE_N rows).
 */
function lmmFixed(f: LmmFit, method: DdfMethod, level: number): LaplaceInterval[] {
  const p = f.beta.length;
  if (method === 'asymptotic') {
    const z = qnorm((1 + level) / 2);
    return f.names.map((_, j) => {
      const se = Math.sqrt(f.vcov[j * p + j]);
      return { estimate: f.beta[j], se, lower: f.beta[j] - z * se, upper: f.beta[j] + z * se };
    });
  }
  const eng = ddfEngine(f, method);
  return f.names.map((name, j) => {
    const r = eng.estimate(name, Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0)), level);
    return { estimate: r.estimate, se: r.se, lower: r.lower, upper: r.upper, df: r.df };
  });
}

/** Variance rows of an lmer fit: Wald SE of log sd (of cor) from the criterion's Hessian, lme4's profile limits. */
function lmmVarpars(spec: ModelSpec, f: LmmFit, profile: boolean | undefined, level: number, warnings: string[]): Map<string, LaplaceInterval> {
  const doProfile = profile ?? spec.design.random.reduce((q, t) => q + t.k * t.levels.length, 0) <= LMM_PROFILE_MAX_Q;
  if (profile === undefined && !doProfile) warnings.push(`profile-likelihood intervals skipped for more than ${LMM_PROFILE_MAX_Q} random effects; pass profile: true to compute them`);
  const se = lmmVarparSe(spec.design, f);
  const ci = doProfile ? lmmProfileIntervals(spec.design, qnorm((1 + level) / 2) ** 2) : {};
  return new Map(f.varcomp.map((v) => [v.name, { estimate: v.sdcor, se: se[v.name] ?? null, lower: ci[v.name]?.[0] ?? null, upper: ci[v.name]?.[1] ?? null }]));
}

function lmmRun(spec: ModelSpec, reml: boolean, opts: LaplaceRunOptions): LaplaceRun {
  const ddf = opts.ddf;
  const label = reml ? 'REML (lme4 lmer)' : 'ML (lme4 lmer)';
  let f: LmmFit;
  try {
    f = fitLmm(spec.design, { reml, onEvaluation: opts.onEvaluation });
  } catch (e) {
    return failed(label, e);
  }
  const estimates: Record<string, number> = {};
  const intervals = new Map<string, LaplaceInterval>();
  const scaleSe: Record<string, number> = {};
  const ddfMethod = ddfFor(f, ddf);
  const level = opts.level ?? 0.95;
  const fixed = lmmFixed(f, ddfMethod, level);
  f.names.forEach((name, j) => {
    estimates[name] = f.beta[j];
    scaleSe[name] = fixed[j].se!;
    intervals.set(name, fixed[j]);
  });
  const warnings: string[] = [];
  if ((opts.nAGQ ?? 1) > 1) warnings.push(`--nagq ${opts.nAGQ} has no effect on a gaussian (lmer) fit: its likelihood is exact, with no Laplace approximation to refine.`);
  for (const [name, iv] of lmmVarpars(spec, f, opts.profile, level, warnings)) {
    estimates[name] = iv.estimate;
    intervals.set(name, iv);
  }
  let o = 0;
  const z = qnorm((1 + level) / 2);
  for (const t of spec.design.random) {
    for (const lev of t.levels) {
      for (const term of t.terms) {
        const name = `r_${t.group}[${lev},${term}]`, sd = f.condSd?.[o], b = f.ranef[o++];
        estimates[name] = b;
        // the conditional sd (scalar terms), which the centring rule reads (centering.ts)
        if (sd !== undefined && Number.isFinite(sd)) intervals.set(name, { estimate: b, se: sd, lower: b - z * sd, upper: b + z * sd });
      }
    }
  }
  const nPar = f.df;
  return {
    method: label, error: null, estimates, intervals, scaleSe, lmm: f, vcov: f.vcov,
    stats: {
      logLik: f.logLik, deviance: -2 * f.logLik, aic: f.aic, bic: f.bic, converged: f.converged, singular: f.singular,
      method: label, pearson_chisq_df: pearsonChisqDf(spec, estimates, nPar), ddf: ddfMethod,
    },
    warnings: [...warnings, ...(f.singular ? ['The REML/ML fit is singular: a variance component is estimated at 0 (lme4 calls this a singular fit); see the posterior of that sd.'] : [])],
  };
}

/**
 * Fits the likelihood answer for `spec` with intervals at `level` (default 0.95); an expected numerical
 * failure ({@link isExpectedFailure}) is returned as `error`; bad input and bugs throw.
 */
export function runLaplace(spec: ModelSpec, opts: LaplaceRunOptions): LaplaceRun {
  // the zero part's random effects (--zi '~ x + (1|g)') are not in src/laplace's fit yet: an expected
  // failure, so the posterior stands alone and the samplers start at random points
  // lmer's REML/ML reaches a structure through its template T(θ); a structure says whether it goes there (Covariance.lmer)
  const linearMixed = getFamily(spec.family).linearMixed && spec.link === 'identity';
  if (linearMixed && spec.terms.every((t) => t.cov.lmer)) return lmmRun(spec, opts.reml ?? true, opts);
  if (opts.reml && linearMixed) throw new GlmmInputError('--reml: a model with toep() terms is fitted by Laplace ML (as glmmTMB does); drop --reml');
  if (opts.reml) throw new GlmmInputError(`--reml applies to the gaussian family with the identity link only; family ${spec.family} is fitted by Laplace ML`);
  try {
    return glmmRun(spec, opts.nAGQ ?? 1, opts.level ?? 0.95, opts.profile, opts.onEvaluation);
  } catch (e) {
    return failed(opts.nAGQ && opts.nAGQ > 1 ? `adaptive Gauss-Hermite (nAGQ = ${opts.nAGQ})` : 'Laplace', e);
  }
}

/** The Laplace side of summary.json. */
export function laplaceSide(_spec: ModelSpec, run: LaplaceRun) {
  return { byName: run.intervals, fit: run.stats!, warnings: run.warnings };
}

/**
 * Starting point for the samplers: the Laplace mode on the unconstrained scale, and a per-coordinate
 * spread (SE on that scale, 1 for standardized random effects). An sd at the boundary is started at
 * 0.1 (a tenth of the link scale; gaussian: a tenth of sigma) instead of 0, where log sd is −∞.
 */
export function laplaceStart(spec: ModelSpec, run: LaplaceRun): { mode: Float64Array; sd: Float64Array } {
  const floor = getFamily(spec.family).linearMixed ? 0.1 * (run.estimates.sigma ?? 1) : 0.1;
  // a family parameter the fit did not estimate starts at the Laplace fit's own start (familyStart)
  const famLayout = spec.familyBlock.layout;
  const famStarts = familyStart(famLayout, spec.design.response.y);
  const famStart = new Map(familyValueNames(famLayout).map((n, k) => [n, famStarts[k]]));
  const values = spec.params.map((p) => {
    if (p.class === 'extra') return extraConstrain(spec.extras.find((e) => e.name === p.name) as ExtraLayout, 0); // not in the built-in model
    const v = run.start?.[p.name] ?? run.estimates[p.name] ?? (p.class === 'cor' ? 0 : p.class === 'sd' ? 1 : isFamilyParamName(p.class) ? famStart.get(p.name) ?? 1 : 0);
    return p.class === 'sd' ? Math.max(v, floor) : v;
  });
  const mode = unconstrain(spec, values);
  const sd = new Float64Array(spec.dim).fill(1);
  for (let j = 0; j < spec.p; j++) {
    const se = run.scaleSe[spec.design.fixed.names[j]];
    if (se !== undefined && Number.isFinite(se) && se > 0) sd[j] = se;
  }
  for (const t of spec.terms) {
    t.cov.sdTerms(t.terms).forEach((term, a) => {
      const se = run.scaleSe[`sd_${t.group}__${term}`];
      sd[t.sdOffset + a] = se !== undefined && Number.isFinite(se) && se > 0 ? Math.min(se, 1) : 0.5;
    });
    if (t.corOffset >= 0) for (let i = 0; i < t.cov.nReal; i++) sd[t.corOffset + i] = 0.3;
  }
  const fb = spec.familyBlock;
  const famNames = familyValueNames(fb.layout);
  for (let k = 0; k < fb.layout.dim; k++) sd[fb.offset + k] = Math.min(run.scaleSe[famNames[k]] ?? 0.3, 1);
  // random-effect coordinates (z_… non-centred, r_… centred): their conditional sd where the fit gives it
  for (let i = 0; i < spec.dim; i++) {
    const name = spec.names[i];
    const se = run.scaleSe[name];
    if ((name.startsWith('z_') || name.startsWith('r_')) && se !== undefined && Number.isFinite(se) && se > 0) sd[i] = se;
  }
  return { mode, sd };
}
