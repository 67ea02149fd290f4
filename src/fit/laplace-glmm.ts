/** Adapter from the GLMM Laplace fit (src/laplace/laplace.ts) to {@link LaplaceRun}. */
import { fitLaplace, type LaplaceOptions } from '../laplace/laplace.js';
import { laplaceInit } from '../laplace/init.js';
import type { ModelSpec } from '../target/parameters.js';
import type { LaplaceInterval } from '../report/schema.js';
import type { LaplaceRun } from './laplace-run.js';

import { qnorm } from '../../base/normal.js';

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Fits `spec` by Laplace (nAGQ = 1) or adaptive Gauss–Hermite (nAGQ > 1) ML, as lme4's glmer / glmmTMB,
 * with Wald (b, r) and profile (sd, cor) intervals at `level`.
 */
export function glmmRun(spec: ModelSpec, nAGQ: number, level = 0.95, profile?: boolean, onEvaluation?: LaplaceOptions['onEvaluation']): LaplaceRun {
  const f = fitLaplace(spec.design, { family: spec.family, link: spec.link, nAGQ, level, profile, onEvaluation });
  const z = qnorm((1 + level) / 2);
  const estimates: Record<string, number> = {};
  const intervals = new Map<string, LaplaceInterval>();
  for (const b of f.fixef) {
    estimates[b.name] = b.estimate;
    intervals.set(b.name, { estimate: b.estimate, se: b.se, lower: b.estimate - z * b.se, upper: b.estimate + z * b.se });
  }
  for (const v of f.varpars) {
    estimates[v.name] = v.estimate;
    // sd/shape/sigma: the Wald SE on the log scale (DESIGN) with the profile interval; cor: its SE;
    // ordinal thresholds (class Intercept): intercepts, so Wald on their own scale as b
    // ordinal thresholds and a zero formula's coefficients b_zi_* (their own scale): Wald as b
    if (v.class === 'Intercept' || v.name.startsWith('b_')) intervals.set(v.name, { estimate: v.estimate, se: finite(v.se), lower: finite(v.estimate - z * v.se), upper: finite(v.estimate + z * v.se) });
    else intervals.set(v.name, { estimate: v.estimate, se: finite(v.class === 'cor' ? v.se : v.seLog), lower: finite(v.lower), upper: finite(v.upper) });
  }
  for (const r of f.ranef) {
    estimates[r.name] = r.estimate;
    intervals.set(r.name, { estimate: r.estimate, se: finite(r.condSd), lower: r.estimate - z * r.condSd, upper: r.estimate + z * r.condSd });
  }
  const init = laplaceInit(f);
  const scaleSe: Record<string, number> = {};
  for (const [k, v] of Object.entries(init.invMetric)) scaleSe[k] = Math.sqrt(v);
  return {
    method: f.method === 'Laplace' ? 'Laplace (lme4 glmer)' : f.method,
    error: null,
    estimates,
    intervals,
    scaleSe,
    start: init.point,
    vcov: f.vcov,
    glmm: f,
    stats: {
      logLik: f.logLik, deviance: f.deviance, aic: f.aic, bic: f.bic, converged: f.converged, singular: f.singular,
      method: f.method, pearson_chisq_df: f.pearsonChisqDf,
    },
    warnings: f.warnings,
  };
}
