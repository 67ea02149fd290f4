/**
 * Profile-likelihood intervals for the sds and correlations (lme4's confint(method = "profile"),
 * R/profile.R): for each parameter ψ, the profiled deviance d(ψ) = min over the others (sds, cors,
 * β, log aux) of the Laplace deviance; the 95% limits solve ζ(ψ) = ±√χ²₁(0.95) with
 * ζ = sign(ψ − ψ̂)·√(d(ψ) − d̂). lme4 interpolates a spline through a grid of ζ; here each limit is
 * root-found on ζ, which is nearly linear in log sd (atanh cor), so 3–5 profile points suffice:
 * the first at the Wald limit from the fit's Hessian, then secant / Illinois steps. Each profile
 * point is a constrained refit over the others, warm-started on the path (linear prediction from the
 * last two points, the first from the Hessian's conditional slope −H_oo⁻¹H_oj) with H_oo⁻¹ as the
 * quasi-Newton start (profile-path.ts). The lower limit of an sd is 0 when d(0) − d̂ is below the
 * cut-off; a correlation's limits are ±1 likewise.
 */
import type { Optimum } from './problem.js';
import { natLayout } from './structure.js';
import { profileSetup, type ProfileSetup, type PathPoint } from './profile-path.js';

/** χ²₁ 0.95 quantile. */
export const CHISQ1_95 = 3.841458820694124;

/** Tolerance on ζ at a limit: the limit is then exact to ~1e-6 of its Wald SE. */
const ZETA_TOL = 1e-6;

/**
 * Work allowed for one limit (deviance evaluations weighted by their PIRLS iterations, ProfileSetup.work).
 * The heaviest limit of the test models (epilepsy, a 4 × 4 unstructured term: 14 others per refit)
 * takes ~1,800; a parameter the data do not identify makes the profile flat and each refit crawl
 * (16 rows, a cs term over block:trt: > 400 s before this budget), so its limit is given up as NaN.
 */
export const PROFILE_LIMIT_WORK = 10_000;

/** Thrown inside a limit search when it has used its budget. */
class ProfileBudgetExceeded extends Error {}

/** The search coordinate of ψ: log sd (an sd at its boundary 0: the sd itself), atanh cor. */
interface Coord {
  readonly to: (v: number) => number;
  readonly from: (t: number) => number;
  /** d t / d ψ at ψ̂ (for the Wald step). */
  readonly slope: number;
}

function coordOf(kind: 'sd' | 'cor', v0: number): Coord {
  if (kind === 'cor') {
    const c = Math.min(Math.abs(v0), 1 - 1e-8) * Math.sign(v0);
    return { to: (v) => Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, v))), from: Math.tanh, slope: 1 / (1 - c * c) };
  }
  if (v0 > 1e-4) return { to: Math.log, from: Math.exp, slope: 1 / v0 };
  return { to: (v) => v, from: (t) => t, slope: 1 };
}

/** One limit of parameter j in direction dir (−1 lower, +1 upper). */
function limit(ps: ProfileSetup, j: number, dir: 1 | -1, crit: number): number {
  const { y0, kind } = ps;
  const v0 = y0[j];
  const c = coordOf(kind[j], v0);
  const target = dir * Math.sqrt(crit);
  const t0 = c.to(v0);
  const se = ps.waldSe(j);
  // first step: the Wald limit on the search scale (or a quarter unit without a Hessian)
  let step = Number.isFinite(se) && se > 0 ? Math.min(Math.sqrt(crit) * se * c.slope, 3) : 0.25;
  if (!(step > 1e-8)) step = 0.25;
  const path: PathPoint[] = [{ t: t0, v: v0, zeta: 0, others: ps.others0(j) }];
  const bound = kind[j] === 'cor' ? dir : dir > 0 ? Infinity : 0;
  const start = ps.work();
  const point = (v: number): Omit<PathPoint, 't'> => {
    if (ps.work() - start > PROFILE_LIMIT_WORK) throw new ProfileBudgetExceeded();
    return ps.profilePoint(j, v, path);
  };
  const evalAt = (t: number): PathPoint => {
    let v = c.from(t);
    if (kind[j] === 'sd' && v < 1e-3 * Math.max(v0, 1e-3)) v = 0; // the boundary itself, not a log-scale crawl towards it
    if (kind[j] === 'cor' && Math.abs(v) > 1 - 1e-8) v = dir * (1 - 1e-8);
    const p = point(v);
    const pt = { ...p, t: c.to(v) };
    path.push(pt);
    return pt;
  };
  // bracket: walk outwards until ζ passes the target (secant extrapolation, steps growing at most 4×)
  let inner = path[0];
  let outer: PathPoint | null = null;
  let t = t0 + dir * step;
  for (let e = 0; e < 30 && !outer; e++) {
    const pt = evalAt(t);
    if (dir * (pt.zeta - target) >= 0) {
      outer = pt;
      break;
    }
    if ((kind[j] === 'sd' && dir < 0 && pt.v === 0) || (kind[j] === 'cor' && Math.abs(pt.v) >= 1 - 1e-8)) return bound;
    const slope = (pt.zeta - inner.zeta) / (pt.t - inner.t);
    const guess = slope * dir > 0 ? pt.t + (target - pt.zeta) / slope : NaN;
    const maxT = pt.t + dir * 4 * Math.abs(pt.t - inner.t);
    inner = pt;
    t = Number.isFinite(guess) && dir * (guess - pt.t) > 0 ? (dir * (guess - maxT) > 0 ? maxT : guess + dir * 1e-3 * Math.abs(pt.t - path[0].t)) : maxT;
  }
  if (!outer) return dir > 0 ? Infinity : kind[j] === 'cor' ? -1 : 0;
  if (Math.abs(outer.zeta - target) < ZETA_TOL) return outer.v;
  if (!Number.isFinite(outer.t)) {
    // outer is the boundary v = 0 (ζ(0) beyond the target): regula falsi on the sd itself between 0 and inner
    const onV: Search = { x: (p) => p.v, value: (v) => v, at: (v) => pushed(path, { ...point(v), t: Math.log(v) }) };
    return illinois(onV, inner, outer, target, dir);
  }
  return illinois({ x: (p) => p.t, value: c.from, at: evalAt }, inner, outer, target, dir);
}

/** A root search's view of the profile: the coordinate it moves along, ψ at a coordinate, a new path point. */
interface Search {
  readonly x: (p: PathPoint) => number;
  readonly value: (x: number) => number;
  readonly at: (x: number) => PathPoint;
}

function pushed(path: PathPoint[], p: PathPoint): PathPoint {
  path.push(p);
  return p;
}

/**
 * Illinois regula falsi on ζ − target along `s.x`, between `a` (ζ short of the target) and `b` (past it,
 * in direction `dir`): ψ at the root, to ZETA_TOL in ζ or 1e-10 relative in the coordinate.
 */
function illinois(s: Search, a: PathPoint, b: PathPoint, target: number, dir: 1 | -1): number {
  let za = a.zeta - target, zb = b.zeta - target, side = 0;
  for (let it = 0; it < 40; it++) {
    const xa = s.x(a), xb = s.x(b);
    const xc = (xa * zb - xb * za) / (zb - za);
    const pc = s.at(xc);
    const zc = pc.zeta - target;
    if (Math.abs(zc) < ZETA_TOL || Math.abs(xb - xa) < 1e-10 * Math.max(1, Math.abs(xc))) return pc.v;
    if (dir * zc < 0) {
      a = pc; za = zc;
      if (side === -1) zb /= 2;
      side = -1;
    } else {
      b = pc; zb = zc;
      if (side === 1) za /= 2;
      side = 1;
    }
  }
  return s.value((s.x(a) + s.x(b)) / 2);
}

/** A limit, or NaN when its search used up {@link PROFILE_LIMIT_WORK}. */
function limitOrNaN(ps: ProfileSetup, j: number, dir: 1 | -1, crit: number): number {
  try {
    return limit(ps, j, dir, crit);
  } catch (e) {
    if (e instanceof ProfileBudgetExceeded) return NaN;
    throw e;
  }
}

/** Both limits of each of the first `names.length` entries of y, keyed by name (NaN: given up, see profileWarning). */
export function profileLimits(ps: ProfileSetup, names: readonly string[], crit = CHISQ1_95): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  names.forEach((name, j) => (out[name] = [limitOrNaN(ps, j, -1, crit), limitOrNaN(ps, j, 1, crit)]));
  return out;
}

/** The warning for the limits given up (NaN), or null when every limit was found. */
export function profileWarning(ci: Record<string, [number, number]>): string | null {
  const lost = Object.entries(ci).filter(([, [lo, hi]]) => Number.isNaN(lo) || Number.isNaN(hi)).map(([name]) => name);
  if (lost.length === 0) return null;
  return `the profile of ${lost.join(', ')} is too flat to find its interval (the data barely identify ${lost.length === 1 ? 'it' : 'them'}: `
    + 'simplify the random-effect term or see the posterior); those limits are NA';
}

/** Profile 95% intervals of a GLMM fit keyed by parameter name (sd_*, cor_*). */
export function profileIntervals(opt: Optimum, crit = CHISQ1_95): Record<string, [number, number]> {
  return profileLimits(profileSetup(opt), natLayout(opt.prob.structure).names, crit);
}
