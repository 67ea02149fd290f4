/**
 * The stages of the Laplace fit on the analytic gradient (gradient.ts; scalar terms, a parameter-free family
 * on its canonical link): each stage's objective as value + gradient for the bounded BFGS of
 * src/linalg/quasi-newton.ts (stage 1 over θ with β in PIRLS, stage 2 over (θ, β)), and the Hessian at the
 * optimum by central differences of the gradient (step 1e-4, lme4's deriv12 step; 2d gradients instead of
 * deriv12's 2d² + 1 deviances), symmetrized.
 */
import type { ValueGradient } from '../linalg/quasi-newton.js';
import { thetaTemplates } from '../design/theta.js';
import { evalDeviance, stageObjective, splitX } from './deviance.js';
import { gradientWork, laplaceGradient } from './gradient.js';
import type { LaplaceProblem } from './problem.js';
import type { PirlsResult } from './pirls.js';

/** A stage's objective with its gradient; `last()` the PIRLS result of the last finite evaluation. */
export interface StageValueGradient extends ValueGradient {
  last(): PirlsResult | null;
}

/** Stage 'theta' (x = θ, β in PIRLS: lme4's nAGQ = 0) or 'full' (x = [θ, β]), PIRLS warm-started from the last mode. */
export function stageValueGradient(prob: LaplaceProblem, stage: 'theta' | 'full', beta0: Float64Array, onEvaluation?: (value: number) => void): StageValueGradient {
  const f = stageObjective(prob, stage, beta0);
  const sys = stage === 'full' ? prob.sysU : prob.sysJ();
  const work = gradientWork(sys);
  const nt = prob.structure.nTheta;
  const fg = ((x: Float64Array) => {
    const value = f(x);
    onEvaluation?.(value);
    const res = f.last();
    const theta = Float64Array.from(x.subarray(0, nt));
    return {
      value,
      gradient: (g: Float64Array) => { if (res) laplaceGradient(prob, sys, thetaTemplates(prob.structure, theta), theta, res, work, g); else g.fill(NaN); },
    };
  }) as StageValueGradient;
  fg.last = () => f.last();
  return fg;
}

/** The deviance and its gradient in x = [θ, β] with PIRLS started from the mode at xStart each time (as the deviance Hessian's evaluations). */
export function fullValueGradient(prob: LaplaceProblem, xStart: Float64Array): (x: Float64Array, g: Float64Array) => number {
  const nt = prob.structure.nTheta;
  const sp = splitX(prob, xStart, true);
  const u0 = evalDeviance(prob, sp.theta, sp.beta, sp.aux, new Float64Array(prob.structure.q)).res.u;
  const work = gradientWork(prob.sysU);
  return (x, g) => {
    const v = splitX(prob, x, true);
    const ev = evalDeviance(prob, v.theta, v.beta, v.aux, u0);
    const theta = Float64Array.from(x.subarray(0, nt));
    if (Number.isFinite(ev.deviance)) laplaceGradient(prob, prob.sysU, thetaTemplates(prob.structure, theta), theta, ev.res, work, g);
    else g.fill(NaN);
    return ev.deviance;
  };
}

/** Gradient at x and the Hessian by central differences of the gradient (symmetrized); NaN where the deviance is not finite. */
export function gradientHessian(fg: (x: Float64Array, g: Float64Array) => number, x: ArrayLike<number>, delta = 1e-4): { value: number; gradient: Float64Array; hessian: Float64Array; evals: number } {
  const d = x.length;
  const x0 = Float64Array.from(x);
  const gradient = new Float64Array(d);
  const value = fg(x0, gradient);
  const H = new Float64Array(d * d);
  const gp = new Float64Array(d), gm = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const xx = Float64Array.from(x0);
    xx[j] = x0[j] + delta;
    const fp = fg(xx, gp);
    xx[j] = x0[j] - delta;
    const fm = fg(xx, gm);
    for (let i = 0; i < d; i++) H[i * d + j] = Number.isFinite(fp) && Number.isFinite(fm) ? (gp[i] - gm[i]) / (2 * delta) : NaN;
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) { const v = (H[i * d + j] + H[j * d + i]) / 2; H[i * d + j] = v; H[j * d + i] = v; }
  return { value, gradient, hessian: H, evals: 2 * d + 1 };
}

