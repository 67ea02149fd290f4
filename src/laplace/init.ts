/**
 * Starting point and metric guess for the samplers from the Laplace fit (issue item 9; the same
 * idea as Stan's `init` from an optimum plus a diagonal inverse metric from the curvature there).
 *
 * Point (names as DESIGN.md): b_* (β̂), sd_* (σ̂; a zero sd of a singular fit is clamped, see
 * below), cor_*, shape/sigma, r_group[level,term] (conditional modes b̃) and z_group[level,term] (the
 * non-centred standard normals: z = C⁻¹ diag(sd)⁻¹ b per level, C the correlation's Cholesky factor).
 *
 * Inverse metric (variances on the unconstrained scale the samplers use): b_* from vcov(β);
 * sd_* on the log scale (Wald seLog²); cor_* on the atanh scale (the k = 2 LKJ-Cholesky unconstrained
 * parameter; 1 for larger k); shape/sigma log scale; z_* conditional variance of b / sd²; r_* the
 * conditional variance of b; for a clamped sd (below) z_* 1 and r_* the clamped sd², the prior's
 * scales, since the fit's conditional sd of b is then ~0 too (cbpp's beta-binomial: sd(herd) 6e-9, which
 * as a metric held every z within 1e-7 of 0, so the posterior of sd(herd) came out as its prior).
 * Anything not finite becomes 1 (the samplers' default unit metric).
 *
 * Clamping: an sd below 1e-4 (lme4's singular tolerance) becomes 10% of its profile upper limit
 * when that is finite, else 10% of the largest non-zero sd of the fit, else 0.1, so the log-sd
 * starts finite and the non-centred z are not divided by zero.
 */
import type { LaplaceFit } from './types.js';
import { SINGULAR_TOL } from '../design/theta.js';

/** The samplers' start. */
export interface LaplaceInit {
  /** Named values on the constrained (natural) scale. */
  readonly point: Record<string, number>;
  /** Named variances on the unconstrained scale (see the module comment). */
  readonly invMetric: Record<string, number>;
  /** Names of the sds that were clamped away from 0. */
  readonly clamped: readonly string[];
}

/** Fraction of the profile upper limit (or of the largest sd) used for a zero sd. */
export const CLAMP_FRACTION = 0.1;

/** Builds the samplers' starting point and diagonal inverse-metric guess from a Laplace fit. */
export function laplaceInit(fit: LaplaceFit): LaplaceInit {
  const point: Record<string, number> = {};
  const inv: Record<string, number> = {};
  const clamped: string[] = [];
  const fin = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 1);
  fit.fixef.forEach((f) => {
    point[f.name] = f.estimate;
    inv[f.name] = fin(f.se * f.se);
  });
  const maxSd = Math.max(0, ...fit.varpars.filter((v) => v.class === 'sd' && v.estimate >= SINGULAR_TOL).map((v) => v.estimate));
  const sdOf = new Map<string, number>();
  const clampedTerms = new Set<string>();
  for (const v of fit.varpars) {
    let est = v.estimate;
    if (v.class === 'sd' && !(est >= SINGULAR_TOL)) {
      est = Number.isFinite(v.upper) && v.upper > 0 ? CLAMP_FRACTION * v.upper : maxSd > 0 ? CLAMP_FRACTION * maxSd : 0.1;
      clamped.push(v.name);
      clampedTerms.add(`${v.group}__${v.term}`);
    }
    if (v.class === 'cor') est = Number.isFinite(est) ? Math.max(-0.99, Math.min(0.99, est)) : 0;
    point[v.name] = est;
    if (v.class === 'sd') sdOf.set(`${v.group}__${v.term}`, est);
    if (v.class === 'cor') inv[v.name] = fin((v.se / (1 - est * est)) ** 2);
    else inv[v.name] = fin(v.seLog * v.seLog);
  }
  // random effects: r = b̃ and z = C⁻¹ diag(sd)⁻¹ b̃ per level (C from the mode's correlation factor)
  const byGroupLevel = new Map<string, { term: string; est: number; condSd: number; name: string }[]>();
  for (const r of fit.ranef) {
    point[r.name] = r.estimate;
    inv[r.name] = fin(r.condSd * r.condSd);
    const key = `${r.group}\u0000${r.level}`;
    const list = byGroupLevel.get(key) ?? [];
    list.push({ term: r.term, est: r.estimate, condSd: r.condSd, name: r.name });
    byGroupLevel.set(key, list);
  }
  const corByGroup = new Map<string, Float64Array>();
  fit.mode.corChol.forEach((C, ti) => {
    const grp = fit.ranef.length ? termGroup(fit, ti) : '';
    corByGroup.set(grp, C);
  });
  for (const [key, list] of byGroupLevel) {
    const group = key.split('\u0000')[0];
    const k = list.length;
    const Cg = corByGroup.get(group);
    const C = Cg && Cg.length === k * k ? Cg : identity(k);
    const y = list.map((e) => e.est / (sdOf.get(`${group}__${e.term}`) ?? 1));
    // forward solve C z = y
    const z = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let v = y[i];
      for (let j = 0; j < i; j++) v -= C[i * k + j] * z[j];
      z[i] = v / (C[i * k + i] || 1);
    }
    list.forEach((e, i) => {
      const zn = e.name.replace(/^r_/, 'z_');
      point[zn] = z[i];
      const sd = sdOf.get(`${group}__${e.term}`) ?? 1;
      if (clampedTerms.has(`${group}__${e.term}`)) {
        // a zero sd: the fit's conditional sd of b is ~0 too, not a scale of the posterior; the prior's
        // (z ~ N(0, 1), b = sd·z at the clamped sd) is
        inv[zn] = 1;
        inv[e.name] = sd * sd;
      } else inv[zn] = fin((e.condSd / sd) ** 2);
    });
  }
  return { point, invMetric: inv, clamped };
}

function identity(k: number): Float64Array {
  const I = new Float64Array(k * k);
  for (let i = 0; i < k; i++) I[i * k + i] = 1;
  return I;
}

/** Group name of the ti-th random term (from the sd names, which come in term order). */
function termGroup(fit: LaplaceFit, ti: number): string {
  const groups: string[] = [];
  for (const v of fit.varpars) if (v.class === 'sd' && v.group !== null && groups[groups.length - 1] !== v.group) groups.push(v.group);
  return groups[ti] ?? '';
}
