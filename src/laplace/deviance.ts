/**
 * The Laplace deviance of a GLMM, exactly lme4's (glmResp::Laplace: ldL2 + sqrL + aic()):
 *   −2 log L(θ, β) ≈ Σᵢ −2 log p(yᵢ | μᵢ) + ‖ũ‖² + log det(ΛᵀZᵀWZΛ + I),
 * with ũ the conditional mode from PIRLS and W the working weights at ũ (Bates et al. 2015 JSS;
 * lme4 src/respModule.cpp). With nAGQ > 1 the adaptive Gauss–Hermite form (agq.ts). The value is
 * −2·logLik with every constant (what lme4 reports as −2·logLik(fit), not its deviance()).
 */
import { constrainFamily } from '../../models/families/layout.js';
import type { FamilyValues } from '../../models/families/types.js';
import { thetaTemplates } from '../design/theta.js';
import { pirls, type PirlsResult } from './pirls.js';
import type { LaplaceProblem } from './problem.js';
import { agqCorrection } from './agq.js';

/** One deviance evaluation with its PIRLS result. */
export interface DevianceEval {
  readonly deviance: number;
  readonly res: PirlsResult;
}

/**
 * The deviance at (θ, β, aux) with β fixed (PIRLS over u from uStart, the nAGQ ≥ 1 objective).
 * Returns +∞ deviance when PIRLS cannot find a valid mode.
 */
export function evalDeviance(
  prob: LaplaceProblem,
  theta: ArrayLike<number>,
  beta: Float64Array,
  aux: FamilyValues,
  uStart: Float64Array,
  nAGQ = 1,
): DevianceEval {
  const T = thetaTemplates(prob.structure, theta);
  let res = pirls(prob.model, prob.sysU, T, aux, uStart, beta, false);
  if (!res.converged) res = pirls(prob.model, prob.sysU, T, aux, new Float64Array(prob.structure.q), beta, false, 200);
  let dev = -2 * res.sumLogLik + res.sqrL + res.factor.logDetU;
  if (nAGQ > 1 && Number.isFinite(dev)) dev += agqCorrection(prob, T, aux, res, nAGQ);
  return { deviance: Number.isFinite(dev) ? dev : Infinity, res };
}

/** The objective of one optimization stage: x = [θ, β (stage 'full' only), u (the family coordinates)]. */
export interface StageObjective {
  (x: Float64Array): number;
  /** The PIRLS result of the last finite evaluation. */
  last(): PirlsResult | null;
}

/** Splits x into (θ, β, the family parameters' natural values) for the given stage. */
export function splitX(prob: LaplaceProblem, x: ArrayLike<number>, full: boolean, betaFixed?: Float64Array): { theta: Float64Array; beta: Float64Array; aux: Float64Array } {
  const nt = prob.structure.nTheta;
  const p = prob.design.fixed.p;
  const theta = Float64Array.from({ length: nt }, (_, i) => x[i]);
  const beta = full ? Float64Array.from({ length: p }, (_, i) => x[nt + i]) : Float64Array.from(betaFixed ?? new Float64Array(p));
  const aux = constrainFamily(prob.fam, x, nt + (full ? p : 0), new Float64Array(prob.fam.dim));
  return { theta, beta, aux };
}

/**
 * lme4's two objectives. Stage 'theta' (nAGQ = 0): x = [θ, u], PIRLS over (u, β) jointly,
 * deviance ldL2 + ‖u‖² + Σ −2 log p. Stage 'full' (nAGQ ≥ 1): x = [θ, β, u], PIRLS over the effects.
 * Both warm-start PIRLS from the previous mode.
 */
export function stageObjective(prob: LaplaceProblem, stage: 'theta' | 'full', beta0: Float64Array, nAGQ = 1): StageObjective {
  let u = new Float64Array(prob.structure.q);
  let beta = Float64Array.from(beta0);
  let last: PirlsResult | null = null;
  const full = stage === 'full';
  const f = ((x: Float64Array): number => {
    const sp = splitX(prob, x, full, beta);
    if (sp.theta.some((v) => !Number.isFinite(v))) return Infinity;
    if (full) {
      const ev = evalDeviance(prob, sp.theta, sp.beta, sp.aux, u, nAGQ);
      if (Number.isFinite(ev.deviance)) {
        u = Float64Array.from(ev.res.u);
        last = ev.res;
      }
      return ev.deviance;
    }
    const T = thetaTemplates(prob.structure, sp.theta);
    const sys = prob.sysJ();
    let res = pirls(prob.model, sys, T, sp.aux, u, beta, true);
    if (!res.converged) res = pirls(prob.model, sys, T, sp.aux, new Float64Array(prob.structure.q), beta0, true, 200);
    const dev = -2 * res.sumLogLik + res.sqrL + res.factor.logDetU;
    if (!Number.isFinite(dev)) return Infinity;
    u = Float64Array.from(res.u);
    beta = Float64Array.from(res.beta);
    last = res;
    return dev;
  }) as StageObjective;
  f.last = () => last;
  return f;
}
