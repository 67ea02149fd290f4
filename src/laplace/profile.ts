/**
 * Profile-likelihood intervals for the sds and correlations (lme4's confint(method = "profile"),
 * R/profile.R): for each parameter ψ, the profiled deviance d(ψ) = min over the others (sds, cors,
 * β, log aux) of the Laplace deviance; the 95% limits solve d(ψ) − d̂ = χ²₁(0.95) = 3.8415. lme4
 * interpolates a spline through a grid of ζ = sign·√(d − d̂); here each limit is root-found
 * (regula falsi on ζ, which is nearly linear in ψ). The lower limit of an sd is 0 when d(0) − d̂ is
 * below the cut-off; a correlation's limits are ±1 likewise.
 */
import type { Optimum } from './problem.js';
import { evalDeviance, splitX } from './deviance.js';
import { minimizeBounded } from './optimize.js';
import { natLayout, natToTheta, thetaToNat } from './structure.js';

/** χ²₁ 0.95 quantile. */
export const CHISQ1_95 = 3.841458820694124;

/** Profile 95% intervals keyed by parameter name (sd_*, cor_*). */
export function profileIntervals(opt: Optimum, crit = CHISQ1_95): Record<string, [number, number]> {
  const { prob, x } = opt;
  const s = prob.structure;
  const nt = s.nTheta;
  const nl = natLayout(s);
  const m = nl.size;
  const sp = splitX(prob, x, true);
  const nat0 = thetaToNat(s, sp.theta);
  const rest0 = Array.from(x.subarray(nt)); // β, log aux
  const y0 = Float64Array.from([...nat0, ...rest0]);
  const dy = y0.length;
  const lower = Float64Array.from({ length: dy }, (_, i) => (i < m ? (nl.kind[i] === 'sd' ? 0 : -1 + 1e-8) : -Infinity));
  const upper = Float64Array.from({ length: dy }, (_, i) => (i < m && nl.kind[i] === 'cor' ? 1 - 1e-8 : Infinity));
  const u = evalDeviance(prob, sp.theta, sp.beta, sp.aux, new Float64Array(s.q), opt.nAGQ).res.u;
  const dev = (y: Float64Array): number => {
    const theta = natToTheta(s, y.subarray(0, m));
    if (theta.some((v) => !Number.isFinite(v))) return Infinity;
    const beta = y.slice(m, m + prob.design.fixed.p);
    const aux = prob.hasAux ? Math.exp(y[dy - 1]) : NaN;
    const ev = evalDeviance(prob, theta, beta, aux, u, opt.nAGQ);
    return ev.deviance;
  };
  const d0 = dev(y0);
  const out: Record<string, [number, number]> = {};
  for (let j = 0; j < m; j++) {
    let warm = Float64Array.from(y0);
    const others = Array.from({ length: dy }, (_, i) => i).filter((i) => i !== j);
    /** Profiled deviance minus the minimum at ψ_j = v. */
    const prof = (v: number): number => {
      const f = (z: Float64Array): number => {
        const y = Float64Array.from(warm);
        y[j] = v;
        others.forEach((i, a) => (y[i] = z[a]));
        return dev(y);
      };
      const r = minimizeBounded(
        f,
        others.map((i) => warm[i]),
        others.map((i) => lower[i]),
        others.map((i) => upper[i]),
        { ftol: 1e-9 },
      );
      const y = Float64Array.from(warm);
      y[j] = v;
      others.forEach((i, a) => (y[i] = r.x[a]));
      warm = y;
      return r.f - d0;
    };
    const limit = (dir: 1 | -1): number => {
      warm = Float64Array.from(y0);
      const v0 = y0[j];
      const bound = dir > 0 ? upper[j] : lower[j];
      let step = Math.max(0.05, 0.25 * Math.abs(v0));
      let a = v0;
      let fa = -crit;
      let b = NaN;
      let fb = NaN;
      for (let e = 0; e < 40; e++) {
        let v = v0 + dir * step;
        if ((dir > 0 && v >= bound) || (dir < 0 && v <= bound)) v = bound;
        const fv = prof(v) - crit;
        if (fv >= 0) {
          b = v;
          fb = fv;
          break;
        }
        a = v;
        fa = fv;
        if (v === bound) return nl.kind[j] === 'cor' ? dir : bound;
        step *= 2;
      }
      if (Number.isNaN(b)) return dir > 0 ? Infinity : -Infinity;
      // regula falsi (Illinois) on ζ(v) = √(d − d̂) − √crit
      const z = (fv: number): number => Math.sqrt(Math.max(fv + crit, 0)) - Math.sqrt(crit);
      let za = z(fa);
      let zb = z(fb);
      let side = 0;
      for (let it = 0; it < 60; it++) {
        const c = (a * zb - b * za) / (zb - za);
        if (Math.abs(b - a) < 1e-7 * Math.max(1, Math.abs(c))) return c;
        const zc = z(prof(c) - crit);
        if (Math.abs(zc) < 1e-9) return c;
        if (zc < 0) {
          a = c;
          za = zc;
          if (side === -1) zb /= 2;
          side = -1;
        } else {
          b = c;
          zb = zc;
          if (side === 1) za /= 2;
          side = 1;
        }
      }
      return (a + b) / 2;
    };
    out[nl.names[j]] = [limit(-1), limit(1)];
  }
  return out;
}
