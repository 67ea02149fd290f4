/**
 * The machinery of one profile (profile.ts): the deviance in the natural coordinates
 * y = [sds and cors, β, log aux] with PIRLS warm-started from the last mode, the Hessian in y from
 * the fit's Hessian in x = [θ, β, log aux] (H_y = Jᵀ H_x J, J = ∂x/∂y: exact at the optimum, where the
 * gradient vanishes), and the constrained refit at ψ_j = v that gives one point of the profile.
 */
import { constrainFamily } from '../../models/families/layout.js';
import type { Optimum } from './problem.js';
import { evalDeviance, splitX } from './deviance.js';
import { invertSym } from '../linalg/dense.js';
import { minimizeBounded } from './optimize.js';
import { natLayout, natToTheta, thetaToNat } from './structure.js';

/** One evaluated point of a profile: ψ_j = v, its search coordinate t, ζ and the others' optimum. */
export interface PathPoint {
  readonly v: number;
  readonly t: number;
  readonly zeta: number;
  readonly others: Float64Array;
}

/** What profile.ts needs of the fit. */
export interface ProfileSetup {
  /** The optimum in y. */
  readonly y0: Float64Array;
  /** Kind of each covariance parameter (the first entries of y). */
  readonly kind: readonly ('sd' | 'cor')[];
  /** Wald SE of y_j from the Hessian (NaN without one). */
  readonly waldSe: (j: number) => number;
  /** The others (y without entry j) at the optimum. */
  readonly others0: (j: number) => Float64Array;
  /** The profile at ψ_j = v: min over the others, warm-started from the path; ζ = sign(v − ψ̂)·√(d − d̂). */
  readonly profilePoint: (j: number, v: number, path: readonly Pick<PathPoint, 'v' | 'others'>[]) => Omit<PathPoint, 't'>;
  /** Work done so far: deviance evaluations, each weighted by its PIRLS iterations where it has them. */
  readonly work: () => number;
}

/** H_y = Jᵀ H_x J with J = ∂x/∂y (central differences of natToTheta; identity for β and log aux), or null. */
function hessianInY(opt: Optimum, nat0: Float64Array, dy: number): Float64Array | null {
  const H = opt.hessian;
  if (!H) return null;
  const s = opt.prob.structure;
  const nt = s.nTheta, m = nat0.length;
  const J = new Float64Array(dy * dy); // dx = dy
  for (let i = m; i < dy; i++) J[i * dy + i] = 1;
  for (let c = 0; c < m; c++) {
    const h = 1e-6 * Math.max(1, Math.abs(nat0[c]));
    const up = Float64Array.from(nat0), dn = Float64Array.from(nat0);
    up[c] += h;
    dn[c] -= h;
    const tu = natToTheta(s, up), td = natToTheta(s, dn);
    for (let r = 0; r < nt; r++) J[r * dy + c] = (tu[r] - td[r]) / (2 * h);
  }
  if (!J.every(Number.isFinite)) return null;
  const HJ = new Float64Array(dy * dy), out = new Float64Array(dy * dy);
  for (let i = 0; i < dy; i++) for (let j = 0; j < dy; j++) {
    let v = 0;
    for (let k = 0; k < dy; k++) v += H[i * dy + k] * J[k * dy + j];
    HJ[i * dy + j] = v;
  }
  for (let i = 0; i < dy; i++) for (let j = 0; j < dy; j++) {
    let v = 0;
    for (let k = 0; k < dy; k++) v += J[k * dy + i] * HJ[k * dy + j];
    out[i * dy + j] = v;
  }
  return out;
}

/** Per parameter j: H_oo⁻¹ (quasi-Newton start), the conditional slope −H_oo⁻¹H_oj and the Wald SE. */
function conditional(Hy: Float64Array | null, dy: number, j: number): { HooInv: Float64Array | null; slope: Float64Array | null; se: number } {
  if (!Hy) return { HooInv: null, slope: null, se: NaN };
  const o = Array.from({ length: dy }, (_, i) => i).filter((i) => i !== j);
  const d = o.length;
  const Hoo = new Float64Array(d * d);
  o.forEach((a, r) => o.forEach((b, c) => (Hoo[r * d + c] = Hy[a * dy + b])));
  const HooInv = invertSym(Hoo, d);
  if (!HooInv || o.some((_, r) => !(HooInv[r * d + r] > 0))) return { HooInv: null, slope: null, se: NaN };
  const slope = new Float64Array(d);
  let schur = Hy[j * dy + j];
  for (let r = 0; r < d; r++) {
    let v = 0;
    for (let c = 0; c < d; c++) v += HooInv[r * d + c] * Hy[o[c] * dy + j];
    slope[r] = -v;
    schur += Hy[o[r] * dy + j] * slope[r];
  }
  // deviance = −2 logLik: var(ψ_j) = 2 / (H_jj − H_joH_oo⁻¹H_oj)
  return { HooInv, slope, se: schur > 0 ? Math.sqrt(2 / schur) : NaN };
}

/** The Laplace deviance in y and its Hessian at the GLMM optimum (PIRLS warm-started from the last mode). */
export function profileSetup(opt: Optimum): ProfileSetup {
  const { prob, x } = opt;
  const s = prob.structure;
  const nl = natLayout(s);
  const m = nl.size;
  const sp = splitX(prob, x, true);
  const nat0 = thetaToNat(s, sp.theta);
  const y0 = Float64Array.from([...nat0, ...Array.from(x.subarray(s.nTheta))]);
  const dy = y0.length;
  let u = evalDeviance(prob, sp.theta, sp.beta, sp.aux, new Float64Array(s.q), opt.nAGQ).res.u;
  let work = 0;
  const dev = (y: Float64Array): number => {
    const theta = natToTheta(s, y.subarray(0, m));
    if (theta.some((v) => !Number.isFinite(v))) return Infinity;
    const beta = y.slice(m, m + prob.design.fixed.p);
    const aux = constrainFamily(prob.fam, y, dy - prob.fam.dim, new Float64Array(prob.fam.dim));
    const ev = evalDeviance(prob, theta, beta, aux, u, opt.nAGQ);
    work += 1 + ev.res.iterations;
    if (Number.isFinite(ev.deviance)) u = ev.res.u; // warm start the next PIRLS from this mode
    return ev.deviance;
  };
  return pathSetup({ y0, kind: nl.kind, dev, hessian: hessianInY(opt, nat0, dy), work: () => work });
}

/** What {@link pathSetup} needs: y0 (the m profiled covariance parameters first), their kinds, the deviance, its Hessian in y. */
export interface DevianceInY {
  readonly y0: Float64Array;
  /** Kinds of the first m entries of y ('sd' for any positive scale parameter, e.g. sigma). */
  readonly kind: readonly ('sd' | 'cor')[];
  readonly dev: (y: Float64Array) => number;
  readonly hessian: Float64Array | null;
  /** Work done so far (default: the number of deviance evaluations). */
  readonly work?: () => number;
}

/** The profile machinery over a deviance in y: bounds, Wald SEs, warm starts, constrained refits. */
export function pathSetup(D: DevianceInY): ProfileSetup {
  const { y0, kind } = D;
  let evals = 0;
  const dev = (y: Float64Array): number => {
    evals++;
    return D.dev(y);
  };
  const m = kind.length, dy = y0.length;
  const lower = Float64Array.from({ length: dy }, (_, i) => (i < m ? (kind[i] === 'sd' ? 0 : -1 + 1e-8) : -Infinity));
  const upper = Float64Array.from({ length: dy }, (_, i) => (i < m && kind[i] === 'cor' ? 1 - 1e-8 : Infinity));
  const d0 = dev(y0);
  const cond = Array.from({ length: m }, (_, j) => conditional(D.hessian, dy, j));
  const othersIdx = (j: number) => Array.from({ length: dy }, (_, i) => i).filter((i) => i !== j);
  const others0 = (j: number) => Float64Array.from(othersIdx(j), (i) => y0[i]);

  /** Warm start at v: linear in v through the two path points nearest v, else the Hessian's slope. */
  const warmStart = (j: number, v: number, path: readonly Pick<PathPoint, 'v' | 'others'>[]): Float64Array => {
    const o = othersIdx(j);
    const near = [...path].sort((a, b) => Math.abs(a.v - v) - Math.abs(b.v - v)).slice(0, 2);
    let w: Float64Array;
    if (near.length === 2 && Math.abs(near[0].v - near[1].v) > 1e-12) {
      const [a, b] = near;
      const r = (v - a.v) / (b.v - a.v);
      w = Float64Array.from(a.others, (av, k) => av + r * (b.others[k] - av));
    } else {
      const sl = cond[j].slope;
      w = Float64Array.from(others0(j), (ov, k) => ov + (sl ? sl[k] * (v - y0[j]) : 0));
    }
    return w.map((val, k) => Math.min(upper[o[k]], Math.max(lower[o[k]], val)));
  };

  const profilePoint = (j: number, v: number, path: readonly Pick<PathPoint, 'v' | 'others'>[]) => {
    const o = othersIdx(j);
    const f = (z: Float64Array): number => {
      const y = Float64Array.from(y0);
      y[j] = v;
      o.forEach((i, a) => (y[i] = z[a]));
      return dev(y);
    };
    let others: Float64Array = new Float64Array(0), fmin = d0;
    if (o.length > 0) {
      const r = minimizeBounded(f, warmStart(j, v, path), o.map((i) => lower[i]), o.map((i) => upper[i]),
        { ftol: 1e-9, ...(cond[j].HooInv ? { H0: cond[j].HooInv! } : {}) });
      others = r.x;
      fmin = r.f;
    } else {
      fmin = f(others);
    }
    return { v, zeta: Math.sign(v - y0[j]) * Math.sqrt(Math.max(fmin - d0, 0)), others };
  };
  return { y0, kind, waldSe: (j) => cond[j].se, others0, profilePoint, work: D.work ?? (() => evals) };
}
