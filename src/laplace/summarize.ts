/**
 * Turns the optimum of the Laplace fit into named estimates (DESIGN's names): fixed effects with
 * lme4's Hessian vcov, sds/correlations with Wald SEs by the delta method (lme4 R/profile.R's
 * varianceProf uses the same sd/cor scale), conditional modes with lme4's condVar, fit statistics.
 */
import { pnorm } from '../../base/normal.js';
import { familyCoordNames, pearsonChisq, slotValueNames } from '../../models/families/index.js';
import type { Optimum } from './problem.js';
import type { LaplaceFit, LaplaceFixef, LaplaceRanef, LaplaceVarPar } from './types.js';
import { evalDeviance, splitX } from './deviance.js';
import { natLayout, sdCor, thetaToNat } from './structure.js';
import { SINGULAR_TOL, thetaTemplates } from '../design/theta.js';

/** Everything of LaplaceFit except method/converged/optimizer (set by fitLaplace). */
export function summarizeFit(
  opt: Optimum,
  cov: Float64Array | null,
  warnings: string[],
): Omit<LaplaceFit, 'method' | 'converged' | 'optimizer'> {
  const { prob, x } = opt;
  const d = prob.design;
  const nt = prob.structure.nTheta;
  const p = d.fixed.p;
  const { theta, beta, aux } = splitX(prob, x, true);
  const ev = evalDeviance(prob, theta, beta, aux, new Float64Array(prob.structure.q), 1);
  const dev = opt.nAGQ > 1 ? evalDeviance(prob, theta, beta, aux, ev.res.u, opt.nAGQ).deviance : opt.deviance;
  const V = (i: number, j: number): number => (cov ? cov[i * x.length + j] : NaN);

  const { fixef, vcov } = fixedEffects(opt, beta, V);
  const { varpars, singular } = covarianceParameters(opt, theta, V);
  if (singular) warnings.push(singularWarning(varpars));
  varpars.push(...familyParameters(opt, V));
  const modes = conditionalModes(opt, theta, ev.res.u, ev.res.factor.condVarBlocks());
  const fam = prob.model.family;
  const chisq = pearsonChisq(fam, d.response.y, ev.res.mu, prob.model.rowAux(aux), prob.model.trials);
  const nCov = nt + prob.fam.dim;
  const df = p + nCov;
  const covNames = [...Array.from({ length: nt }, (_, i) => `theta[${i + 1}]`), ...d.fixed.names, ...familyCoordNames(prob.fam)];
  return {
    family: fam.name,
    link: prob.model.link.name,
    nAGQ: opt.nAGQ,
    nobs: d.nobs,
    fixef,
    varpars,
    ranef: modes.ranef,
    ...fitCriteria(dev, df, d.nobs),
    pearsonChisqDf: chisq / (d.nobs - p - nCov),
    theta,
    beta,
    vcov,
    singular,
    warnings,
    mode: { beta, logSd: modes.logSd, corChol: modes.corChol, aux, b: modes.b, bCondCov: modes.bCondCov, cov, covNames },
  };
}

type Cov = (i: number, j: number) => number;

/** β with lme4's Hessian SEs and Wald z tests, and vcov(β) (x = [θ, β, log aux]). */
function fixedEffects(opt: Optimum, beta: Float64Array, V: Cov): { fixef: LaplaceFixef[]; vcov: Float64Array } {
  const d = opt.prob.design;
  const nt = opt.prob.structure.nTheta;
  const p = d.fixed.p;
  const fixef: LaplaceFixef[] = d.fixed.names.map((name, j) => {
    const se = Math.sqrt(V(nt + j, nt + j));
    const z = beta[j] / se;
    return { name, estimate: beta[j], se, z, p: 2 * pnorm(-Math.abs(z)) };
  });
  const vcov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) vcov[a * p + b] = V(nt + a, nt + b);
  return { fixef, vcov };
}

/** Central-difference Jacobian of the natural parameters (sds, cors) with respect to θ (rows × nθ). */
function natJacobian(opt: Optimum, theta: Float64Array, size: number): Float64Array {
  const s = opt.prob.structure;
  const nt = s.nTheta;
  const J = new Float64Array(size * nt);
  for (let c = 0; c < nt; c++) {
    const h = 1e-7 * Math.max(1, Math.abs(theta[c]));
    const tp = Float64Array.from(theta);
    const tm = Float64Array.from(theta);
    tp[c] += h;
    tm[c] -= h;
    const np = thetaToNat(s, tp);
    const nm = thetaToNat(s, tm);
    for (let r = 0; r < size; r++) J[r * nt + c] = (np[r] - nm[r]) / (2 * h);
  }
  return J;
}

/** sds and correlations with Wald SEs by the delta method from θ's covariance; singular when one is at its boundary. */
function covarianceParameters(opt: Optimum, theta: Float64Array, V: Cov): { varpars: LaplaceVarPar[]; singular: boolean } {
  const s = opt.prob.structure;
  const nt = s.nTheta;
  const nl = natLayout(s);
  const nat = thetaToNat(s, theta);
  const J = natJacobian(opt, theta, nl.size);
  let singular = false;
  const varpars: LaplaceVarPar[] = nl.names.map((name, r) => {
    let v = 0;
    for (let a = 0; a < nt; a++) for (let b = 0; b < nt; b++) v += J[r * nt + a] * V(a, b) * J[r * nt + b];
    const tl = s.terms[nl.termOf[r]];
    const est = nat[r];
    const isSd = nl.kind[r] === 'sd';
    const atBound = isSd ? est < SINGULAR_TOL : Math.abs(est) > 1 - 1e-6 || Number.isNaN(est);
    if (atBound) singular = true;
    const se = atBound ? NaN : Math.sqrt(v);
    const parts = name.split('__');
    return {
      name,
      class: nl.kind[r],
      group: tl.term.group,
      term: parts[1],
      term2: isSd ? null : parts[2] ?? null,
      estimate: est,
      variance: isSd ? est * est : NaN,
      seLog: isSd ? se / est : se,
      se,
      lower: NaN,
      upper: NaN,
    };
  });
  return { varpars, singular };
}

/** lme4's boundary (singular) fit message naming the parameters at the boundary. */
function singularWarning(varpars: readonly LaplaceVarPar[]): string {
  const which = varpars.filter((v) => (v.class === 'sd' ? v.estimate < SINGULAR_TOL : Number.isNaN(v.se))).map((v) => v.name);
  return `boundary (singular) fit: ${which.join(', ')} at the boundary (sd 0 or correlation ±1); the random-effects structure may be too complex for the data`;
}

/**
 * The family's parameters (shape, sigma, nu, ...), one entry per coordinate, with the SE on the
 * unconstrained scale and on the natural scale by the delta method (J V Jᵀ, J = ∂x/∂u of the constraint).
 */
function familyParameters(opt: Optimum, V: Cov): LaplaceVarPar[] {
  const { prob, x } = opt;
  const k0 = prob.structure.nTheta + prob.design.fixed.p;
  const aux = splitX(prob, x, true).aux;
  return prob.fam.slots.flatMap((sl) => {
    const o = k0 + sl.offset;
    const J = new Float64Array(sl.size * sl.size);
    sl.param.constraint.jacobian(x, o, sl.size, J);
    return slotValueNames(sl).map((name, a): LaplaceVarPar => {
      let v = 0;
      for (let b = 0; b < sl.size; b++) for (let c = 0; c < sl.size; c++) v += J[a * sl.size + b] * V(o + b, o + c) * J[a * sl.size + c];
      return {
        name, class: sl.param.name, group: null, term: null, term2: null, estimate: aux[sl.offset + a], variance: NaN,
        seLog: Math.sqrt(V(o + a, o + a)), se: Math.sqrt(v), lower: NaN, upper: NaN,
      };
    });
  });
}

/** Conditional modes b = Λũ, their conditional covariance Λ M⁻¹ Λᵀ (lme4 ranef(condVar = TRUE)), and per term log sds and the correlation's Cholesky factor. */
function conditionalModes(opt: Optimum, theta: Float64Array, u: Float64Array, blocks: Float64Array[]) {
  const s = opt.prob.structure;
  const T = thetaTemplates(s, theta);
  const b = new Float64Array(s.q);
  const ranef: LaplaceRanef[] = [];
  const bCondCov: Float64Array[] = [];
  const logSd: Float64Array[] = [];
  const corChol: Float64Array[] = [];
  s.terms.forEach((tl, ti) => {
    const k = tl.k;
    const Tt = T[ti];
    const cc = new Float64Array(tl.nLevels * k * k);
    for (let l = 0; l < tl.nLevels; l++) {
      const base = tl.uOffset + l * k;
      for (let i = 0; i < k; i++) {
        let v = 0;
        for (let j = 0; j <= i; j++) v += Tt[i * k + j] * u[base + j];
        b[base + i] = v;
      }
      const Mi = blocks[ti].subarray(l * k * k, (l + 1) * k * k);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let v = 0;
          for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) v += Tt[i * k + a] * Mi[a * k + c] * Tt[j * k + c];
          cc[l * k * k + i * k + j] = v;
        }
      }
      for (let i = 0; i < k; i++) {
        ranef.push({
          name: `r_${tl.term.group}[${tl.term.levels[l]},${tl.term.terms[i]}]`,
          group: tl.term.group,
          level: tl.term.levels[l],
          term: tl.term.terms[i],
          estimate: b[base + i],
          condSd: Math.sqrt(cc[l * k * k + i * k + i]),
        });
      }
    }
    bCondCov.push(cc);
    const { sd } = sdCor(Tt, k);
    logSd.push(Float64Array.from(sd, Math.log));
    corChol.push(correlationCholesky(Tt, sd, k));
  });
  return { b, ranef, bCondCov, logSd, corChol };
}

/** The likelihood criteria of a fit with deviance `dev` (−2 log L), `df` parameters and `n` rows, as lme4 reports them. */
export function fitCriteria(dev: number, df: number, n: number): Pick<LaplaceFit, 'logLik' | 'deviance' | 'aic' | 'bic' | 'df'> {
  return { logLik: -dev / 2, deviance: dev, aic: dev + 2 * df, bic: dev + Math.log(n) * df, df };
}

/** The Cholesky factor of a term's correlation matrix from its template: T's rows divided by the sds (identity rows for zero sds). */
export function correlationCholesky(Tt: Float64Array, sd: Float64Array, k: number): Float64Array {
  const C = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    if (sd[i] > 0) for (let j = 0; j <= i; j++) C[i * k + j] = Tt[i * k + j] / sd[i];
    else C[i * k + i] = 1;
  }
  return C;
}
