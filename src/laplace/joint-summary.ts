/**
 * The named estimates of the joint fit (joint-fit.ts) in the Laplace fit's result type: β with Wald
 * SEs from vcov = 2 H⁻¹ of the deviance (glmmTMB's sdreport), both parts' sds with the delta-method SE
 * (on the log scale: glmmTMB's theta), the family block (shape, b_zi_*), the conditional modes of both
 * parts with their conditional sds, and the fit statistics. The conditional covariance of b = Λû is
 * glmmTMB's (`ranef(condVar = TRUE)` reads TMB's sdreport `diag.cov.random`, which by default adds the
 * estimates' uncertainty): Λ H⁻¹ Λᵀ + (∂b̂/∂x) V (∂b̂/∂x)ᵀ, V = vcov of the outer parameters x and
 * ∂b̂/∂x by central differences of the mode (lme4's condVar, for one predictor, is the first term only).
 * On the Salamanders ZIP the second term raises the zero part's conditional sds by about 6%. The zero part's names are brms's: sd_site__zi_Intercept, r_site__zi[R-1,Intercept].
 */
import { pnorm, qnorm } from '../../base/normal.js';
import { familyCoordNames, pearsonChisq, slotValueNames } from '../../models/families/index.js';
import { constrainFamily } from '../../models/families/layout.js';
import { solveLower, solveLowerT } from '../linalg/cholesky.js';
import { SINGULAR_TOL, thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { natLayout, sdCor, thetaToNat } from './structure.js';
import { correlationCholesky, fitCriteria } from './summarize.js';
import { jointMode, type JointMode } from './joint.js';
import { fixedParts, splitJoint, zLambda, type JointModel } from './joint-model.js';
import type { LaplaceFit, LaplaceFixef, LaplaceRanef, LaplaceVarPar } from './types.js';

/** What the optimizer and the Hessian leave. */
export interface JointOptimum {
  readonly model: JointModel;
  readonly x: Float64Array;
  readonly deviance: number;
  readonly mode: JointMode;
  readonly gradient: Float64Array;
  readonly hessian: Float64Array;
  readonly converged: boolean;
  readonly evals: number;
}

type Cov = (i: number, j: number) => number;

/** One part's θ layout with where its θ and u start in the joint layout, and how its names read. */
interface Part {
  readonly s: ThetaLayout;
  readonly thetaOffset: number;
  readonly uOffset: number;
  /** '' for the count part, the dpar (zi, hu) for the zero part. */
  readonly dpar: string;
}

/** Everything of LaplaceFit except method/converged/optimizer. */
export function summarizeJoint(opt: JointOptimum, cov: Float64Array | null, warnings: string[], level: number | null): Omit<LaplaceFit, 'method' | 'converged' | 'optimizer'> {
  const m = opt.model, d = m.design, p = d.fixed.p, nt = m.nTheta;
  const pt = splitJoint(m, opt.x);
  const V: Cov = (i, j) => (cov ? cov[i * opt.x.length + j] : NaN);
  const parts: Part[] = [
    { s: m.count, thetaOffset: 0, uOffset: 0, dpar: '' },
    { s: m.zero, thetaOffset: m.count.nTheta, uOffset: m.count.q, dpar: m.dpar },
  ];
  const fixef = d.fixed.names.map((name, j): LaplaceFixef => {
    const se = Math.sqrt(V(nt + j, nt + j)), z = pt.beta[j] / se;
    return { name, estimate: pt.beta[j], se, z, p: 2 * pnorm(-Math.abs(z)) };
  });
  const vcov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) vcov[a * p + b] = V(nt + a, nt + b);
  const sds = parts.flatMap((pa) => covarianceParameters(pa, pt.theta, V));
  const singular = sds.some((v) => (v.class === 'sd' ? v.estimate < SINGULAR_TOL : Number.isNaN(v.se)));
  if (singular) warnings.push(`boundary (singular) fit: ${sds.filter((v) => v.estimate < SINGULAR_TOL).map((v) => v.name).join(', ')} at the boundary; the random-effects structure may be too complex for the data`);
  const withCi = level === null ? sds : waldLogIntervals(sds, level, warnings);
  const aux = constrainFamily(m.fl.block, pt.block, 0, new Float64Array(m.fl.block.dim));
  const varpars = [...withCi, ...familyParameters(opt, aux, V)];
  const modes = conditionalModes(opt, parts, pt.theta, cov ? estimateVariance(opt, cov) : null);
  const df = p + nt + m.fl.block.dim;
  const dev = opt.deviance;
  return {
    family: m.family.name,
    link: m.link.name,
    nAGQ: 1,
    nobs: d.nobs,
    fixef,
    varpars,
    ranef: modes.ranef,
    ...fitCriteria(dev, df, d.nobs),
    pearsonChisqDf: pearson(opt) / (d.nobs - df),
    theta: pt.theta,
    beta: pt.beta,
    vcov,
    singular,
    warnings,
    mode: {
      beta: pt.beta, logSd: modes.logSd, corChol: modes.corChol, aux, b: modes.b, bCondCov: modes.bCondCov, cov,
      covNames: [...Array.from({ length: nt }, (_, i) => `theta[${i + 1}]`), ...d.fixed.names, ...familyCoordNames(m.fl.block)],
    },
  };
}

/** A part's sds and correlations with delta-method SEs from θ's covariance (central-difference Jacobian ∂nat/∂θ). */
function covarianceParameters(pa: Part, theta: Float64Array, V: Cov): LaplaceVarPar[] {
  const s = pa.s, nt = s.nTheta, th = theta.subarray(pa.thetaOffset, pa.thetaOffset + nt);
  // the design labels a zero part's terms zi_Intercept already (src/design/param-formula.ts); a bare label gets the prefix
  const relabel = (ts: readonly string[]): string[] => ts.map((t) => (pa.dpar && !t.startsWith(`${pa.dpar}_`) ? `${pa.dpar}_${t}` : t));
  const names = s.terms.flatMap((t) => t.term.cov.natural(t.term.group, relabel(t.term.terms)).map((np) => ({ np, t })));
  const plain = natLayout(s);
  const nat = thetaToNat(s, th);
  const J = new Float64Array(plain.size * nt);
  for (let c = 0; c < nt; c++) {
    const h = 1e-7 * Math.max(1, Math.abs(th[c]));
    const tp = Float64Array.from(th), tm = Float64Array.from(th);
    tp[c] += h; tm[c] -= h;
    const np = thetaToNat(s, tp), nm = thetaToNat(s, tm);
    for (let r = 0; r < plain.size; r++) J[r * nt + c] = (np[r] - nm[r]) / (2 * h);
  }
  return names.map(({ np, t }, r): LaplaceVarPar => {
    let v = 0;
    for (let a = 0; a < nt; a++) for (let b = 0; b < nt; b++) v += J[r * nt + a] * V(pa.thetaOffset + a, pa.thetaOffset + b) * J[r * nt + b];
    const est = nat[r], isSd = np.kind === 'sd';
    const atBound = isSd ? est < SINGULAR_TOL : Math.abs(est) > 1 - 1e-6 || Number.isNaN(est);
    const se = atBound ? NaN : Math.sqrt(v);
    const strip = (x: string | null): string | null => (x && pa.dpar ? x.replace(new RegExp(`^${pa.dpar}_`), '') : x);
    return {
      name: np.name, class: np.kind, group: pa.dpar ? `${t.term.group}__${pa.dpar}` : t.term.group, term: strip(np.term), term2: strip(np.term2),
      estimate: est, variance: isSd ? est * est : NaN, seLog: isSd ? se / est : se, se, lower: NaN, upper: NaN,
    };
  });
}

/** Wald intervals of the sds on the log scale (exp(log sd ± z·seLog)): no profile for this fit (module comment of joint-fit.ts). */
function waldLogIntervals(vs: LaplaceVarPar[], level: number, warnings: string[]): LaplaceVarPar[] {
  const z = qnorm((1 + level) / 2);
  if (vs.length) warnings.push('the sds\' intervals are Wald intervals on the log scale (the profile is not available when the zero formula has random effects)');
  return vs.map((v) => (v.class === 'sd' ? { ...v, lower: v.estimate * Math.exp(-z * v.seLog), upper: v.estimate * Math.exp(z * v.seLog) } : v));
}

/** The family block's coordinates (shape; b_zi_*): SE on the unconstrained scale and, by the delta method, on the natural one. */
function familyParameters(opt: JointOptimum, aux: Float64Array, V: Cov): LaplaceVarPar[] {
  const m = opt.model, k0 = m.nTheta + m.design.fixed.p;
  return m.fl.block.slots.flatMap((sl) => {
    const o = k0 + sl.offset;
    const J = new Float64Array(sl.size * sl.size);
    sl.param.constraint.jacobian(opt.x, o, sl.size, J);
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

/** H⁻¹ of the inner problem at the mode from its factor (q × q; NaN when H was not positive definite). */
function inverseH(opt: JointOptimum): Float64Array {
  const q = opt.model.q, L = opt.mode.L;
  const X = new Float64Array(q * q).fill(NaN);
  if (!L) return X;
  X.fill(0);
  for (let i = 0; i < q; i++) X[i * q + i] = 1;
  solveLower(L, q, X, q);
  solveLowerT(L, q, X, q);
  return X;
}

/** b̂ = Λ(θ)û(x) of both parts (joint layout). */
function modeB(m: JointModel, x: Float64Array, u0: Float64Array): Float64Array {
  const pt = splitJoint(m, x);
  const u = jointMode(m, pt, u0).u;
  const b = new Float64Array(m.q);
  const parts = [{ s: m.count, th: pt.theta.subarray(0, m.count.nTheta), off: 0 }, { s: m.zero, th: pt.theta.subarray(m.count.nTheta), off: m.count.q }];
  for (const { s, th, off } of parts) {
    const T = thetaTemplates(s, th);
    s.terms.forEach((t, ti) => {
      for (let l = 0; l < t.nLevels; l++) {
        const base = off + t.uOffset + l * t.k;
        for (let i = 0; i < t.k; i++) {
          let v = 0;
          for (let j = 0; j <= i; j++) v += T[ti][i * t.k + j] * u[base + j];
          b[base + i] = v;
        }
      }
    });
  }
  return b;
}

/** (∂b̂/∂x) V (∂b̂/∂x)ᵀ (q × q): the estimates' share of b̂'s variance (central differences, step 1e-5). */
function estimateVariance(opt: JointOptimum, cov: Float64Array): Float64Array {
  const m = opt.model, q = m.q, d = opt.x.length;
  const J = new Float64Array(q * d);
  for (let c = 0; c < d; c++) {
    const h = 1e-5 * Math.max(1, Math.abs(opt.x[c]));
    const xp = Float64Array.from(opt.x), xm = Float64Array.from(opt.x);
    xp[c] += h; xm[c] -= h;
    const bp = modeB(m, xp, opt.mode.u), bm = modeB(m, xm, opt.mode.u);
    for (let r = 0; r < q; r++) J[r * d + c] = (bp[r] - bm[r]) / (2 * h);
  }
  const out = new Float64Array(q * q);
  for (let r = 0; r < q; r++) for (let s = 0; s < q; s++) {
    let v = 0;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) v += J[r * d + a] * cov[a * d + b] * J[s * d + b];
    out[r * q + s] = v;
  }
  return out;
}

/**
 * b = Λû of both parts, their conditional covariance Λ_t (H⁻¹)_ll Λ_tᵀ per level plus the estimates'
 * share `extra` (module comment; none when vcov is not available), per term log sds and the correlation factor.
 */
function conditionalModes(opt: JointOptimum, parts: readonly Part[], theta: Float64Array, extra: Float64Array | null) {
  const q = opt.model.q, u = opt.mode.u, Hi = inverseH(opt);
  const b = new Float64Array(q);
  const ranef: LaplaceRanef[] = [], bCondCov: Float64Array[] = [], logSd: Float64Array[] = [], corChol: Float64Array[] = [];
  for (const pa of parts) {
    // brms's r_site__zi[R-1,Intercept]: the term without the part's prefix
    const bare = (t: string): string => (pa.dpar && t.startsWith(`${pa.dpar}_`) ? t.slice(pa.dpar.length + 1) : t);
    const T = thetaTemplates(pa.s, theta.subarray(pa.thetaOffset, pa.thetaOffset + pa.s.nTheta));
    pa.s.terms.forEach((tl, ti) => {
      const k = tl.k, Tt = T[ti], cc = new Float64Array(tl.nLevels * k * k);
      const group = pa.dpar ? `${tl.term.group}__${pa.dpar}` : tl.term.group;
      for (let l = 0; l < tl.nLevels; l++) {
        const base = pa.uOffset + tl.uOffset + l * k;
        for (let i = 0; i < k; i++) {
          let v = 0;
          for (let j = 0; j <= i; j++) v += Tt[i * k + j] * u[base + j];
          b[base + i] = v;
        }
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
          let v = 0;
          for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) v += Tt[i * k + a] * Hi[(base + a) * q + base + c] * Tt[j * k + c];
          cc[l * k * k + i * k + j] = v + (extra ? extra[(base + i) * q + base + j] : 0);
        }
        for (let i = 0; i < k; i++) {
          ranef.push({
            name: `r_${group}[${tl.term.levels[l]},${bare(tl.term.terms[i])}]`, group, level: tl.term.levels[l], term: bare(tl.term.terms[i]),
            estimate: b[base + i], condSd: Math.sqrt(cc[l * k * k + i * k + i]),
          });
        }
      }
      bCondCov.push(cc);
      const { sd } = sdCor(Tt, k);
      logSd.push(Float64Array.from(sd, Math.log));
      corChol.push(correlationCholesky(Tt, sd, k));
    });
  }
  return { b, ranef, bCondCov, logSd, corChol };
}

/** Σ Pearson residual² at the mode (μ = e^η̂ and each row's zero probability from ζ̂). */
function pearson(opt: JointOptimum): number {
  const m = opt.model, d = m.design, n = d.nobs, pt = splitJoint(m, opt.x);
  const fp = fixedParts(m, pt), zl = zLambda(m, pt.theta), u = opt.mode.u;
  const mu = new Float64Array(n), rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    let eta = fp.eta0[i];
    const ur = Float64Array.from(fp.ur.subarray(i * fp.dim, (i + 1) * fp.dim));
    for (let e = i * zl.K; e < (i + 1) * zl.K; e++) {
      if (zl.part[e] === 0) eta += zl.vals[e] * u[zl.cols[e]];
      else ur[m.zeroRow] += zl.vals[e] * u[zl.cols[e]];
    }
    mu[i] = m.link.linkinv(eta);
    rows.push(constrainFamily(m.fl.row, ur, 0, new Float64Array(fp.dim)));
  }
  return pearsonChisq(m.family, d.response.y, mu, (i) => rows[i], d.response.trials);
}
