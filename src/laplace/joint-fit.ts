/**
 * The Laplace ML fit of a GLMM whose zero formula has random effects, as glmmTMB (nlminb over every
 * fixed parameter of TMB's Laplace deviance, Brooks et al. 2017, R Journal 9(2)): the outer parameters
 * x = [θ_c, θ_z, β, family block] (the block: the count parameters on their unconstrained scale, then the
 * zero formula's coefficients b_zi_*), the inner problem joint.ts's. Bounded quasi-Newton
 * (src/linalg/quasi-newton.ts) on the gradient of joint-gradient.ts (analytic in both predictors'
 * coefficients, differences in θ and the family's own coordinates) from the fit without the zero part's
 * random terms; the Hessian of the deviance by central differences of that gradient (glmmTMB's sdreport:
 * optimHess on TMB's gradient) for vcov = 2 H⁻¹; the summary in joint-summary.ts.
 */
import type { Design } from '../design/types.js';
import type { Family, Link } from '../../models/families/types.js';
import { familyStart, unconstrainFamily } from '../../models/families/layout.js';
import { quasiNewton, type ValueGradient } from '../linalg/quasi-newton.js';
import { jointMode, type JointMode } from './joint.js';
import { jointModel, splitJoint, type JointModel } from './joint-model.js';
import { checkConvergence, type ConvergenceCheck } from './hessian.js';
import { gradientHessian } from './gradient-fit.js';
import { jointGradient } from './joint-gradient.js';
import { invertSym } from '../linalg/dense.js';
import { summarizeJoint, type JointOptimum } from './joint-summary.js';
import type { LaplaceFit } from './types.js';

/** The deviance as a function of x with the inner mode warm-started from the last finite one. */
export interface JointDeviance {
  (x: Float64Array): number;
  /** The inner mode at x from the last mode (not stored). */
  modeAt(x: Float64Array): JointMode;
  /** The mode of the last evaluation (null before the first or after a non-finite one). */
  last(): JointMode | null;
}

/** The Laplace deviance −2 log L(x) (joint.ts), +∞ where H is not positive definite. */
export function jointDeviance(m: JointModel): JointDeviance {
  let u: Float64Array = new Float64Array(m.q);
  let last: JointMode | null = null;
  const modeAt = (x: Float64Array): JointMode => jointMode(m, splitJoint(m, x), u);
  const f = ((x: Float64Array): number => {
    last = null;
    if (!x.every(Number.isFinite)) return Infinity;
    const md = modeAt(x);
    if (Number.isFinite(md.deviance)) { u = md.u; last = md; }
    return md.deviance;
  }) as JointDeviance;
  f.modeAt = modeAt;
  f.last = () => last;
  return f;
}

/** D(x) and its gradient on demand (joint-gradient.ts, from x's mode); every call of f0 counted by `count`. */
export function jointValueGradient(m: JointModel, f0: JointDeviance, lower: ArrayLike<number>, count: (v: number) => void = () => {}): ValueGradient {
  const f = (x: Float64Array): number => {
    const v = f0(x);
    count(v);
    return v;
  };
  return (x0) => {
    const x = Float64Array.from(x0);
    const value = f(x);
    const mode = f0.last();
    return { value, gradient: (g) => (mode ? jointGradient(m, x, mode, f, lower, value, g) : g.fill(NaN)) };
  };
}

/** glmmTMB's start: β = 0, the family block at its start (log shape 0, the zero coefficients 0), θ at the structures' start (sds 1). */
export function glmmTmbStart(m: JointModel): Float64Array {
  const a0 = familyStart(m.fl.block, m.design.response.y);
  const block = unconstrainFamily(m.fl.block, a0, 0, new Float64Array(m.fl.block.dim));
  return Float64Array.from([...m.count.theta0, ...m.zero.theta0, ...new Array(m.design.fixed.p).fill(0), ...block]);
}

/** The start from the fit without the zero part's random terms (θ_c, β, block) and the zero part's θ start. */
export function jointStart(m: JointModel, base: LaplaceFit): Float64Array {
  const block = unconstrainFamily(m.fl.block, base.mode.aux, 0, new Float64Array(m.fl.block.dim));
  return Float64Array.from([...base.theta, ...m.zero.theta0, ...base.beta, ...block]);
}

/** Minimizes the deviance from x0 and takes its Hessian there (module comment). */
export function optimizeJoint(m: JointModel, x0: Float64Array, onValue?: (v: number) => void): JointOptimum {
  let evals = 0;
  const count = (v: number): void => { evals++; onValue?.(v); };
  const lower = Float64Array.from([...m.count.lower, ...m.zero.lower, ...new Array(x0.length - m.nTheta).fill(-Infinity)]);
  const r = quasiNewton(jointValueGradient(m, jointDeviance(m), lower, count), x0, { lower, gtol: 1e-9, maxEval: 2000 });
  const x = r.x;
  // the Hessian by central differences of the gradient (as glmmTMB's sdreport: optimHess on TMB's gradient), warm-started at x's mode
  const fH = jointDeviance(m);
  const dev = fH(x);
  const mode = fH.last() ?? fH.modeAt(x);
  const vg = jointValueGradient(m, fH, lower, count);
  const h = gradientHessian((xx, g) => { const r = vg(xx); r.gradient(g); return r.value; }, x, 1e-4);
  return { model: m, x, deviance: dev, mode, gradient: h.gradient, hessian: h.hessian, converged: r.converged, evals: evals + r.evaluations };
}

/** One optimum with lme4's checks of its gradient and Hessian over the free parameters (sds off their bound). */
function checked(opt: JointOptimum): { readonly opt: JointOptimum; readonly chk: ConvergenceCheck } {
  const m = opt.model, d = opt.x.length;
  const free: number[] = [];
  for (let i = 0; i < d; i++) if (!(i < m.nTheta && opt.x[i] < 1e-4)) free.push(i);
  const g = Float64Array.from(free, (i) => opt.gradient[i]);
  const H = Float64Array.from(free.flatMap((i) => free.map((j) => opt.hessian[i * d + j])));
  return { opt, chk: checkConvergence(g, H, free.length) };
}

/**
 * The lowest deviance among the optima with a positive definite Hessian (any, if none has one), and a
 * warning when a lower one was passed over: the zero-inflated NB on the Salamanders data with
 * ziformula = ~ (1|site) reaches a deviance of 1726.2 from the fit without the zero part's terms, with a
 * Hessian that is not positive definite (the Laplace approximation failing: TMB's objective there is
 * 1726.6 from another inner mode), and glmmTMB's 1732.25 with a positive definite one from glmmTMB's start.
 */
function pickOptimum(runs: readonly { readonly opt: JointOptimum; readonly chk: ConvergenceCheck }[], warnings: string[]) {
  const byDev = [...runs].sort((a, b) => a.opt.deviance - b.opt.deviance);
  const best = byDev.find((r) => r.chk.positiveDefinite) ?? byDev[0];
  const lower = byDev[0];
  if (lower !== best && lower.opt.deviance < best.opt.deviance - 1e-3) {
    warnings.push(`another start reached a lower deviance (${lower.opt.deviance.toFixed(3)} against ${best.opt.deviance.toFixed(3)}) where the Hessian is not positive definite (the Laplace approximation is unreliable there); the fit reports the optimum with a positive definite Hessian`);
  }
  return best;
}

/**
 * The joint fit (fitLaplace dispatches here when the zero formula has random terms) from two starts:
 * `base` (the fit without the zero part's random terms; null when the count part has none), then, when
 * that optimum is not converged with a positive definite Hessian, glmmTMB's; see {@link pickOptimum}.
 */
export function fitJoint(design: Design, family: Family, link: Link, base: LaplaceFit | null, wantIntervals: boolean, level: number, onValue?: (v: number) => void): LaplaceFit {
  const t0 = performance.now();
  const m = jointModel(design, family, link);
  const warnings: string[] = [];
  const runs = [checked(optimizeJoint(m, base ? jointStart(m, base) : glmmTmbStart(m), onValue))];
  // glmmTMB's start too when the first optimum is not a converged one with a positive definite Hessian
  if (base && !(runs[0].opt.converged && runs[0].chk.positiveDefinite)) runs.push(checked(optimizeJoint(m, glmmTmbStart(m), onValue)));
  const { opt, chk } = pickOptimum(runs, warnings);
  const tOpt = performance.now();
  const baseSeconds = base?.optimizer.seconds ?? 0;
  if (!opt.converged) warnings.push('the optimizer stopped before converging; estimates may be inaccurate');
  warnings.push(...chk.warnings);
  const d = opt.x.length;
  const Hinv = invertSym(opt.hessian, d);
  const cov = Hinv ? Hinv.map((v) => 2 * v) : null;
  if (!cov) warnings.push('the Hessian of the deviance is singular: standard errors are not available');
  const sum = summarizeJoint(opt, cov, warnings, wantIntervals ? level : null);
  return {
    ...sum,
    method: 'Laplace',
    converged: opt.converged && chk.maxScaledGradient <= 0.002 && chk.positiveDefinite,
    optimizer: {
      evals: runs.reduce((s, r) => s + r.opt.evals, 0) + (base?.optimizer.evals ?? 0),
      maxScaledGradient: chk.maxScaledGradient,
      seconds: (performance.now() - t0) / 1000 + baseSeconds,
      stageSeconds: [baseSeconds, (tOpt - t0) / 1000, (performance.now() - tOpt) / 1000],
    },
  };
}
