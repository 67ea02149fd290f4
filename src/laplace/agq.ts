/**
 * Adaptive Gauss–Hermite quadrature for one scalar random-effect term (lme4's nAGQ > 1,
 * src/external.cpp glmerAGQ; Pinheiro & Bates 1995 JCGS 4:12). Per group j, with mode ũⱼ and
 * conditional sd σⱼ = 1/√Mⱼⱼ,
 *   −2 log ∫ p(yⱼ|u) φ(u) du ≈ devcⱼ(ũⱼ) + log Mⱼⱼ − 2 log Σₖ wₖ exp(−½[devcⱼ(ũⱼ+σⱼzₖ) − devcⱼ(ũⱼ)] + zₖ²/2),
 * devcⱼ(u) = Σ_{i∈j} −2 log p(yᵢ|μᵢ(u)) + u², (zₖ, wₖ) the rule for ∫ f(z) φ(z) dz (lme4's GHrule).
 * The Laplace deviance is the one-node case; {@link agqCorrection} returns the difference.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { LaplaceProblem } from './problem.js';
import type { PirlsResult } from './pirls.js';
import type { FamilyValues } from '../../models/families/types.js';

/**
 * Nodes and weights of the n-point Gauss–Hermite rule for the standard normal density
 * (R's lme4::GHrule(n)): Newton iteration on the orthonormal Hermite recurrence (Press et al.,
 * Numerical Recipes §4.6 gauher), then z = √2·x, w = w_H/√π.
 */
export function ghRule(n: number): { z: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const wts = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  const PIM4 = 0.751125544464943; // π^(-1/4)
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    wts[i] = 2 / (pp * pp);
    wts[n - 1 - i] = wts[i];
  }
  const zs = new Float64Array(n);
  const ws = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    zs[i] = Math.SQRT2 * x[n - 1 - i];
    ws[i] = wts[n - 1 - i] / Math.sqrt(Math.PI);
  }
  if (n % 2 === 1) zs[(n - 1) / 2] = 0;
  return { z: zs, w: ws };
}

/** Throws unless the model has exactly one scalar random-effect term (lme4's rule for nAGQ > 1). */
export function checkAgq(prob: LaplaceProblem, nAGQ: number): void {
  const t = prob.structure.terms;
  if (!Number.isInteger(nAGQ) || nAGQ < 0 || nAGQ > 100) throw new GlmmInputError(`nAGQ ${nAGQ}: use an integer from 0 to 100`);
  if (nAGQ > 1 && (t.length !== 1 || t[0].k !== 1)) {
    throw new GlmmInputError(`nAGQ ${nAGQ}: adaptive quadrature needs exactly one scalar random-effect term such as (1 | group); use nAGQ = 1 (Laplace)`);
  }
}

/** AGQ deviance minus the Laplace deviance at the same mode. */
export function agqCorrection(prob: LaplaceProblem, T: readonly Float64Array[], aux: FamilyValues, res: PirlsResult, nAGQ: number): number {
  const tl = prob.structure.terms[0];
  const L = tl.nLevels;
  const idx = tl.term.index;
  const Z = tl.term.Z;
  const th = T[0][0];
  const m = prob.model;
  const y = m.design.response.y;
  const tr = m.trials;
  const f = m.family;
  const link = m.link;
  const cv = res.factor.condVarBlocks()[0];
  const sd = Float64Array.from(cv, (v) => Math.sqrt(v));
  const { z, w } = ghRule(nAGQ);
  const n = m.design.nobs;
  const at = m.rowAux(aux);
  const ll0 = new Float64Array(L);
  for (let i = 0; i < n; i++) ll0[idx[i]] += f.logLik(y[i], res.mu[i], at(i), tr[i]);
  const sum = new Float64Array(L);
  const llk = new Float64Array(L);
  for (let k = 0; k < z.length; k++) {
    if (z[k] === 0) {
      for (let j = 0; j < L; j++) sum[j] += w[k];
      continue;
    }
    llk.fill(0);
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      const eta = res.eta[i] + Z[i] * th * sd[j] * z[k];
      llk[j] += link.validEta(eta) ? f.logLik(y[i], link.linkinv(eta), at(i), tr[i]) : -Infinity;
    }
    for (let j = 0; j < L; j++) {
      const u0 = res.u[tl.uOffset + j];
      const u1 = u0 + sd[j] * z[k];
      const dDev = -2 * (llk[j] - ll0[j]) + u1 * u1 - u0 * u0;
      sum[j] += w[k] * Math.exp(-0.5 * dDev + (z[k] * z[k]) / 2);
    }
  }
  let corr = 0;
  for (let j = 0; j < L; j++) corr -= 2 * Math.log(sum[j]);
  return corr;
}
