/**
 * The float64 reference log density of a ModelSpec at one unconstrained point, independent of tfjs:
 * log p(y | θ) (family.logLik, all constants) + log priors (normalised, half priors renormalised)
 * + LKJ on the Cholesky factor (with its constant) + log N(z | 0, I) or the centred MVN
 * + every log-Jacobian (log sd, log aux, cholesky_corr). It is the oracle of the tfjs density's
 * tests and the exact energy for samplers on big data.
 */
import { getFamily } from '../../models/families/getFamily.js';
import { getLink } from '../../models/links.js';
import { lkjCholeskyLogDensity, logPrior } from '../../models/priors.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import type { ModelSpec } from './parameters.js';
import { termCholesky, termEffects } from './constrain.js';

/** log p(y | η) summed over rows, for linear predictor η (float64; -Infinity outside the support). */
export function logLikEta64(spec: ModelSpec, eta: Float64Array, aux: number): number {
  const family = getFamily(spec.family);
  const link = getLink(spec.link);
  const { y, trials } = spec.design.response;
  let s = 0;
  for (let i = 0; i < eta.length; i++) {
    if (!link.validEta(eta[i])) return -Infinity;
    s += family.logLik(y[i], link.linkinv(eta[i]), aux, trials ? trials[i] : 1);
  }
  return Number.isNaN(s) ? -Infinity : s;
}

/** The linear predictor η = Xβ + offset + Σ_t Z_t r_t[index] at unconstrained q (length n). */
export function linearPredictor64(spec: ModelSpec, q: Float64Array): Float64Array {
  const { design, p } = spec;
  const n = design.nobs;
  const X = design.fixed.X;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = design.offset ? design.offset[i] : 0;
    for (let j = 0; j < p; j++) s += X[i * p + j] * q[j];
    eta[i] = s;
  }
  for (const t of spec.terms) {
    const { k } = t;
    const L = new Float64Array(k * k);
    termCholesky(t, q, 0, L);
    const sd = new Float64Array(k);
    for (let a = 0; a < k; a++) sd[a] = Math.exp(q[t.sdOffset + a]);
    const r = new Float64Array(t.nLevels * k);
    termEffects(t, q, 0, sd, L, r, 0);
    for (let i = 0; i < n; i++) {
      const j = t.index[i];
      for (let a = 0; a < k; a++) eta[i] += t.Z[i * k + a] * r[j * k + a];
    }
  }
  return eta;
}

/** The log prior + log-Jacobian part of the density at q (everything but the likelihood). */
export function logPriorJacobian64(spec: ModelSpec, q: Float64Array): number {
  let lp = 0;
  for (let j = 0; j < spec.p; j++) lp += logPrior(spec.bPriors[j], q[j], false);
  for (const t of spec.terms) {
    const { k } = t;
    const L = new Float64Array(k * k);
    lp += termCholesky(t, q, 0, L);
    if (t.corOffset >= 0) lp += lkjCholeskyLogDensity(L, k, t.lkjEta);
    let logDetSd = 0;
    for (let a = 0; a < k; a++) {
      const u = q[t.sdOffset + a];
      lp += logPrior(t.sdPriors[a], Math.exp(u), true) + u;
      logDetSd += u;
    }
    let logDetL = 0;
    for (let a = 0; a < k; a++) logDetL += Math.log(L[a * k + a]);
    const m = t.nLevels * k;
    let ss = 0;
    if (t.centered) {
      // r_j ~ N(0, D L Lᵀ D): w = L⁻¹ D⁻¹ r_j, log p = −k/2 log 2π − log|D| − log|L| − ½|w|²
      const w = new Float64Array(k);
      for (let j = 0; j < t.nLevels; j++) {
        for (let a = 0; a < k; a++) {
          let s = q[t.zOffset + j * k + a] / Math.exp(q[t.sdOffset + a]);
          for (let b = 0; b < a; b++) s -= L[a * k + b] * w[b];
          w[a] = s / L[a * k + a];
          ss += w[a] * w[a];
        }
      }
      lp -= t.nLevels * (logDetSd + logDetL);
    } else {
      for (let i = 0; i < m; i++) ss += q[t.zOffset + i] * q[t.zOffset + i];
    }
    lp += -m * LOG_SQRT_2PI - 0.5 * ss;
  }
  if (spec.aux) {
    const u = q[spec.aux.offset];
    lp += logPrior(spec.aux.prior, Math.exp(u), true) + u;
  }
  return lp;
}

/** The full log density at one unconstrained point q (float64); -Infinity where undefined. */
export function logDensity64(spec: ModelSpec, q: Float64Array): number {
  const prior = logPriorJacobian64(spec, q);
  if (!Number.isFinite(prior)) return -Infinity;
  const aux = spec.aux ? Math.exp(q[spec.aux.offset]) : NaN;
  const v = prior + logLikEta64(spec, linearPredictor64(spec, q), aux);
  return Number.isNaN(v) ? -Infinity : v;
}
