/**
 * The Laplace maximum-likelihood fit of a GLMM, as lme4's `glmer` (and glmmTMB for the families with
 * an aux parameter). Stage 1 (lme4's nAGQ = 0): minimize the deviance over θ (and log aux) with β
 * inside PIRLS; stage 2: over (θ, β, log aux) with u inside PIRLS, by the Laplace or adaptive
 * Gauss–Hermite deviance. Then lme4's finite-difference Hessian (deriv12) for vcov(β) and the
 * convergence checks, and optionally profile-likelihood intervals for the sds and correlations.
 * Bates, Mächler, Bolker & Walker (2015) JSS 67(1); lme4 R/modular.R (optimizeGlmer).
 */
import { qnorm } from '../../base/normal.js';
import type { Design } from '../design/types.js';
import type { Family, FamilyName, Link, LinkName } from '../../models/families/types.js';
import { familyFor, familyStart, getFamily, unconstrainFamily } from '../../models/families/index.js';
import { GlmmInputError } from '../../base/errors.js';
import { checkAgq } from './agq.js';
import { evalDeviance, splitX, stageObjective } from './deviance.js';
import { makeProblem, type LaplaceProblem, type Optimum } from './problem.js';
import { profileIntervals, profileWarning } from './profile.js';
import { checkConvergence, deriv12 } from './hessian.js';
import { invertSym } from '../linalg/dense.js';
import { minimizeWithProbes } from './optimize.js';
import { glmStart } from './pirls.js';
import { hasLaplaceGradient } from './gradient.js';
import { fullValueGradient, gradientHessian, stageValueGradient } from './gradient-fit.js';
import { quasiNewton } from '../linalg/quasi-newton.js';
import { summarizeFit } from './summarize.js';
import type { LaplaceFit } from './types.js';
import { zeroFormulaWithTerms } from './joint-model.js';
import { fitJoint } from './joint-fit.js';

/** Options of {@link fitLaplace}. */
export interface LaplaceOptions {
  readonly family: FamilyName;
  readonly link?: LinkName;
  /** 1 = Laplace (default); > 1 adaptive Gauss–Hermite (one scalar term); 0 = β in PIRLS. */
  readonly nAGQ?: number;
  /** Starting values (lme4's `start`): θ and/or β and/or aux on its natural scale. */
  readonly start?: { readonly theta?: ArrayLike<number>; readonly beta?: ArrayLike<number>; readonly family?: ArrayLike<number> };
  /**
   * Profile-likelihood intervals for sds/cors (each costs ~20 constrained refits). Default: true up to
   * {@link PROFILE_MAX_N} rows, false above (with a warning saying how to ask for them).
   */
  readonly profile?: boolean;
  /** Level of the profile intervals (default 0.95; the cut-off is χ²₁(level) = qnorm((1 + level)/2)²). */
  readonly level?: number;
  /** Called after every deviance evaluation: the step ('nAGQ = 0 stage', 'Laplace', 'Hessian'), its evaluations so far and its best deviance (a progress line). */
  readonly onEvaluation?: (step: string, evaluations: number, best: number) => void;
}

/** A counter that reports each evaluation's value of one step to onEvaluation (undefined without one). */
function reporter(step: string, on: LaplaceOptions['onEvaluation']): ((v: number) => void) | undefined {
  if (!on) return undefined;
  let n = 0, best = Infinity;
  return (v) => {
    if (v < best) best = v;
    on(step, ++n, best);
  };
}

/** f, reporting each evaluation to onEvaluation (the identity without one). */
function reporting<F extends (x: Float64Array) => number>(f: F, step: string, on: LaplaceOptions['onEvaluation']): (x: Float64Array) => number {
  const report = reporter(step, on);
  if (!report) return f;
  return (x) => {
    const v = f(x);
    report(v);
    return v;
  };
}

/** Largest number of rows for which profile intervals are computed by default. */
export const PROFILE_MAX_N = 50_000;

/** Fits the model by maximum likelihood under the Laplace (or AGQ) approximation. */
export function fitLaplace(design: Design, opts: LaplaceOptions): LaplaceFit {
  const t0 = performance.now();
  const family = getFamily(opts.family);
  const linkName = opts.link ?? family.defaultLink;
  if (!family.links.includes(linkName)) {
    throw new GlmmInputError(`link '${linkName}' is not available for family ${family.name}; use one of ${family.links.join(', ')}`);
  }
  const fl = familyFor(opts.family, linkName);
  const nAGQ = opts.nAGQ ?? 1;
  if (zeroFormulaWithTerms(design)) return fitWithZeroTerms(design, opts, fl.family, fl.link, nAGQ);
  if (design.random.length === 0) {
    throw new GlmmInputError(`formula '${design.formula}' has no random-effect term such as (1 | group); the Laplace fit needs one`);
  }
  const prob = makeProblem(design, fl.family, fl.link);
  checkAgq(prob, nAGQ);
  const s = prob.structure;
  const nt = s.nTheta;
  const p = design.fixed.p;
  const warnings: string[] = [];
  let evals = 0;

  // the family parameters' start on their natural scale (glmmTMB starts log-shape at 0; sigma from sd(y))
  const a0 = opts.start?.family ? Float64Array.from(opts.start.family) : familyStart(prob.fam, design.response.y);
  const beta0 = opts.start?.beta ? Float64Array.from(opts.start.beta) : glmStart(prob.model, a0);
  const theta0 = opts.start?.theta ? Float64Array.from(opts.start.theta) : s.theta0;
  const la = Array.from(unconstrainFamily(prob.fam, a0, 0, new Float64Array(prob.fam.dim)));

  if (nAGQ <= 1 && hasLaplaceGradient(prob)) {
    return finish(design, opts, prob, gradientStages(prob, nAGQ, beta0, theta0, opts.onEvaluation), t0);
  }
  // stage 1: θ (and the family coordinates) with β in PIRLS (lme4's nAGQ = 0 stage)
  const f1 = stageObjective(prob, 'theta', beta0);
  const lo1 = [...s.lower, ...la.map(() => -Infinity)];
  const up1 = lo1.map(() => Infinity);
  const diagIdx = s.isDiag.flatMap((v, i) => (v ? [i] : []));
  // stage 1 only supplies starting values for stage 2: a looser tolerance (predicted decrease 1e-3)
  const r1 = minimizeWithProbes(reporting(f1, 'nAGQ = 0 stage', opts.onEvaluation), [...theta0, ...la], lo1, up1, diagIdx, { evalOutside: true, ftol: nAGQ === 0 ? 1e-10 : 1e-3 });
  evals += r1.evals;
  f1(r1.x);
  const tStage1 = performance.now();
  const beta1 = Float64Array.from(f1.last()?.beta ?? beta0);
  let x: Float64Array;
  let dev: number;
  let conv = r1.converged;
  if (nAGQ === 0) {
    x = Float64Array.from([...r1.x.subarray(0, nt), ...beta1, ...r1.x.subarray(nt)]);
    dev = r1.f;
    if (!r1.converged) warnings.push(`the optimizer stopped before converging (${r1.message}); estimates may be inaccurate`);
  } else {
    const f2 = stageObjective(prob, 'full', beta1, nAGQ);
    const x2 = [...r1.x.subarray(0, nt), ...beta1, ...r1.x.subarray(nt)];
    const lo2 = [...s.lower, ...Array.from({ length: p + la.length }, () => -Infinity)];
    const r2 = minimizeWithProbes(reporting(f2, nAGQ > 1 ? `AGQ (${nAGQ} nodes)` : 'Laplace', opts.onEvaluation), x2, lo2, lo2.map(() => Infinity), diagIdx, { evalOutside: true });
    evals += r2.evals;
    x = r2.x;
    dev = r2.f;
    conv = r2.converged;
    if (!r2.converged) warnings.push(`the optimizer stopped before converging (${r2.message}); estimates may be inaccurate`);
  }
  const tStage2 = performance.now();
  // Hessian of the deviance in (θ, β, u) (lme4 deriv12, delta 1e-4) for vcov and the checks
  const fH = nAGQ === 0 ? fullObjective(prob, 1, x) : fullObjective(prob, nAGQ, x);
  const { gradient, hessian } = deriv12(reporting(fH, 'Hessian', opts.onEvaluation), x, 1e-4, fH(x));
  evals += 2 * x.length * x.length + 1;
  const stages: Stages = { x, deviance: dev, converged: conv, evals, warnings, gradient, hessian, stageTimes: [tStage1, tStage2, performance.now()] };
  return finish(design, opts, prob, stages, t0);
}

/**
 * A zero formula with random terms (glmmTMB's `ziformula = ~ x + (1|g)`): the joint Laplace fit
 * (joint-fit.ts), also started from the fit without the zero part's terms when the count part has
 * random terms of its own; Laplace only (TMB has no AGQ either).
 */
function fitWithZeroTerms(design: Design, opts: LaplaceOptions, family: Family, link: Link, nAGQ: number): LaplaceFit {
  if (nAGQ !== 1) throw new GlmmInputError(`nAGQ = ${nAGQ} is not available when the zero formula has random effects (the joint Laplace fit, as glmmTMB's); use nAGQ = 1`);
  const plain = { ...design, paramFormulas: (design.paramFormulas ?? []).map((f) => ({ ...f, random: [] })) };
  const base = design.random.length > 0 ? fitLaplace(plain, { ...opts, profile: false, onEvaluation: undefined }) : null;
  const wanted = opts.profile ?? design.nobs <= PROFILE_MAX_N;
  return fitJoint(design, family, link, base, wanted, opts.level ?? 0.95, reporter('Laplace (joint)', opts.onEvaluation));
}

/** What the optimization stages and the Hessian leave for the summary. */
interface Stages {
  readonly x: Float64Array;
  readonly deviance: number;
  readonly converged: boolean;
  readonly evals: number;
  readonly warnings: string[];
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  /** performance.now() at the end of stage 1, stage 2 and the Hessian. */
  readonly stageTimes: readonly [number, number, number];
}

/**
 * Both stages on the analytic gradient (gradient-fit.ts): bounded BFGS over θ with β in PIRLS, then over
 * (θ, β); the Hessian by differences of the gradient.
 */
function gradientStages(prob: LaplaceProblem, nAGQ: number, beta0: Float64Array, theta0: Float64Array, on: LaplaceOptions['onEvaluation']): Stages {
  const s = prob.structure, p = prob.design.fixed.p;
  const warnings: string[] = [];
  const fg1 = stageValueGradient(prob, 'theta', beta0, reporter('nAGQ = 0 stage', on));
  // stage 1 only supplies starting values for stage 2: a looser tolerance
  const r1 = quasiNewton(fg1, theta0, { lower: s.lower, gtol: nAGQ === 0 ? 1e-10 : 1e-7 });
  let evals = r1.evaluations + 1;
  fg1(r1.x);
  const beta1 = Float64Array.from(fg1.last()?.beta ?? beta0);
  const tStage1 = performance.now();
  let x: Float64Array = Float64Array.from([...r1.x, ...beta1]);
  let dev = r1.value, conv = r1.converged;
  if (nAGQ === 1) {
    const fg2 = stageValueGradient(prob, 'full', beta1, reporter('Laplace', on));
    const lo2 = [...s.lower, ...Array.from({ length: p }, () => -Infinity)];
    const r2 = quasiNewton(fg2, x, { lower: lo2 });
    evals += r2.evaluations;
    x = r2.x; dev = r2.value; conv = r2.converged;
  }
  if (!conv) warnings.push('the optimizer stopped before converging; estimates may be inaccurate');
  const tStage2 = performance.now();
  const report = reporter('Hessian', on);
  const fH = fullValueGradient(prob, x);
  const h = gradientHessian(report ? (xx, g) => { const v = fH(xx, g); report(v); return v; } : fH, x, 1e-4);
  evals += h.evals;
  return { x, deviance: dev, converged: conv, evals, warnings, gradient: h.gradient, hessian: h.hessian, stageTimes: [tStage1, tStage2, performance.now()] };
}

/** The convergence checks, vcov, the profile and the summary from the stages' answer. */
function finish(design: Design, opts: LaplaceOptions, prob: LaplaceProblem, st: Stages, t0: number): LaplaceFit {
  const nAGQ = opts.nAGQ ?? 1;
  const s = prob.structure, nt = s.nTheta;
  const { x, gradient, hessian } = st;
  const warnings = [...st.warnings];
  const conv = st.converged;
  const evals = st.evals;
  const [tStage1, tStage2, tHess] = st.stageTimes;
  // Λ's columns may come out with either sign where the bound is −∞: lme4 keeps the diagonal ≥ 0 (bounds), so do we.
  const opt: Optimum = { prob, x, deviance: st.deviance, nAGQ };
  const dH = x.length;
  const free: number[] = [];
  for (let i = 0; i < dH; i++) if (!(i < nt && s.isDiag[i] && x[i] < 1e-4)) free.push(i);
  const gF = Float64Array.from(free, (i) => gradient[i]);
  const HF = new Float64Array(free.length * free.length);
  free.forEach((i, a) => free.forEach((j, b) => (HF[a * free.length + b] = hessian[i * dH + j])));
  // nAGQ = 0 as lme4: no derivative check (its optinfo$derivs is NULL); the verdict is the optimizer's own
  const chk = nAGQ === 0 ? null : checkConvergence(gF, HF, free.length);
  warnings.push(...(chk?.warnings ?? []));
  const Hinv = invertSym(hessian, dH);
  const cov = Hinv ? Hinv.map((v) => 2 * v) : null;
  if (!cov) warnings.push('the Hessian of the deviance is singular: standard errors are not available');

  const wanted = opts.profile ?? design.nobs <= PROFILE_MAX_N;
  if (opts.profile === undefined && !wanted) {
    warnings.push(`profile-likelihood intervals skipped for ${design.nobs} rows (over ${PROFILE_MAX_N}); pass profile: true to compute them`);
  }
  // a profile measures the deviance's rise from its minimum: from a point that is not one (the Hessian
  // not positive definite) its ζ means nothing, and the search crawls over the flat directions
  const atMinimum = !chk || chk.positiveDefinite;
  const doProfile = wanted && atMinimum;
  if (wanted && !atMinimum) warnings.push('profile-likelihood intervals skipped: the deviance has no proper minimum here (see the Hessian warning)');
  const sum = summarizeFit(opt, cov, warnings);
  const profiled = doProfile ? withProfile({ ...opt, hessian }, sum.varpars, opts.level) : null;
  return {
    ...sum,
    ...(profiled?.warning ? { warnings: [...sum.warnings, profiled.warning] } : {}),
    method: nAGQ === 0 ? 'nAGQ=0' : nAGQ === 1 ? 'Laplace' : `AGQ(${nAGQ})`,
    converged: chk ? conv && chk.maxScaledGradient <= 0.002 && chk.positiveDefinite : conv,
    optimizer: {
      evals,
      maxScaledGradient: chk ? chk.maxScaledGradient : null,
      seconds: (performance.now() - t0) / 1000,
      stageSeconds: [tStage1 - t0, tStage2 - tStage1, tHess - tStage2].map((v) => v / 1000),
    },
    ...(profiled ? { varpars: profiled.varpars } : {}),
  };
}

/** The deviance as a function of x = [θ, β, u_family] with the effects in PIRLS (warm-started). */
export function fullObjective(prob: LaplaceProblem, nAGQ: number, xStart: Float64Array): (x: Float64Array) => number {
  const sp = splitX(prob, xStart, true);
  const u0 = evalDeviance(prob, sp.theta, sp.beta, sp.aux, new Float64Array(prob.structure.q), nAGQ).res.u;
  return (x) => {
    const v = splitX(prob, x, true);
    return evalDeviance(prob, v.theta, v.beta, v.aux, u0, nAGQ).deviance;
  };
}

/** The varpars with their profile-likelihood intervals at `level` (lme4's confint(method = 'profile')), and the warning for limits given up. */
function withProfile(opt: Optimum, varpars: LaplaceFit['varpars'], level = 0.95): { varpars: LaplaceFit['varpars']; warning: string | null } {
  const ci = level === 0.95 ? profileIntervals(opt) : profileIntervals(opt, qnorm((1 + level) / 2) ** 2);
  return { varpars: varpars.map((v) => (ci[v.name] ? { ...v, lower: ci[v.name][0], upper: ci[v.name][1] } : v)), warning: profileWarning(ci) };
}
