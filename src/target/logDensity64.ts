/**
 * The float64 reference log density of a ModelSpec at one unconstrained point, independent of tfjs:
 * log p(y | θ) (family.logLik, all constants) + log priors (normalised, half priors renormalised)
 * + LKJ on the Cholesky factor (with its constant) + log N(z | 0, I) or the centred MVN
 * + every log-Jacobian (log sd, the family parameters' transforms, cholesky_corr). It is the oracle of the tfjs density's
 * tests and the exact energy for samplers on big data.
 */
import { familyFor } from '../../models/families/getFamily.js';
import { rowValues, type FormulaExtra } from '../../models/families/formula-layout.js';
import { constrainFamily, familyLogJacobian, slotValueNames } from '../../models/families/layout.js';
import type { FamilyValues } from '../../models/families/types.js';
import { logPrior } from '../../models/priors.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import type { ModelSpec } from './parameters.js';
import { constrain, termCholesky, termEffects } from './constrain.js';
import { extraLogDensity64 } from './extras.js';

/**
 * log p(y | η) summed over rows, for linear predictor η (float64; -Infinity outside the support); aux
 * the family block's natural values (a parameter with a formula: its coefficients, row values by rowValues).
 */
export function logLikEta64(spec: ModelSpec, eta: Float64Array, aux: FamilyValues, extra?: FormulaExtra): number {
  const { family, link } = familyFor(spec.family, spec.link);
  const { y, trials } = spec.design.response;
  const at = rowValues(spec.familyBlock.formulas, aux, extra);
  let s = 0;
  for (let i = 0; i < eta.length; i++) {
    if (!link.validEta(eta[i])) return -Infinity;
    s += family.logLik(y[i], link.linkinv(eta[i]), at(i), trials ? trials[i] : 1);
  }
  return Number.isNaN(s) ? -Infinity : s;
}

/** The linear predictor η = Xβ + offset + Σ_t Z_t r_t[index] at unconstrained q (length n; η's terms, not a parameter formula's). */
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
  addEffects64(spec, q, (t) => !t.param, eta);
  return eta;
}

/**
 * The random terms' part of each parameter formula's row coordinate (FormulaExtra, fl.formulas order):
 * Σ_t Z_t r_t[index] over the terms of that formula (SpecTerm.param), null for a formula without them.
 */
export function formulaEffects64(spec: ModelSpec, q: Float64Array): FormulaExtra {
  const fl = spec.familyBlock.formulas;
  return fl.formulas.map((f) => {
    const param = f.slot.param.name;
    if (!spec.terms.some((t) => t.param === param)) return null;
    return addEffects64(spec, q, (t) => t.param === param, new Float64Array(spec.design.nobs));
  });
}

/** out[i] += Σ_t Z_t[i,·] r_t[index(i)] over the terms `which` selects; returns out. */
function addEffects64(spec: ModelSpec, q: Float64Array, which: (t: ModelSpec['terms'][number]) => boolean, out: Float64Array): Float64Array {
  const n = spec.design.nobs;
  const eta = out;
  for (const t of spec.terms) {
    if (!which(t)) continue;
    const { k } = t;
    const L = new Float64Array(k * k);
    termCholesky(t, q, 0, L);
    const sd = new Float64Array(k);
    for (let a = 0; a < k; a++) sd[a] = Math.exp(q[t.sdOffset + t.cov.sdIndex(a)]);
    const r = new Float64Array(t.nLevels * k);
    termEffects(t, q, 0, sd, L, r, 0);
    for (let i = 0; i < n; i++) {
      const j = t.index[i];
      for (let a = 0; a < k; a++) eta[i] += t.Z[i * k + a] * r[j * k + a];
    }
  }
  return out;
}

/** The log prior + log-Jacobian part of the density at q (everything but the likelihood). */
export function logPriorJacobian64(spec: ModelSpec, q: Float64Array): number {
  let lp = 0;
  const builtIn = (name: string) => !spec.priorReplaced.has(name);
  for (let j = 0; j < spec.p; j++) if (builtIn(spec.params[j].name)) lp += logPrior(spec.bPriors[j], q[j], false);
  for (const t of spec.terms) {
    const { k } = t;
    const L = new Float64Array(k * k);
    lp += termCholesky(t, q, 0, L);
    if (t.corOffset >= 0) lp += t.cov.logPrior(L, t.lkjEta);
    t.cov.sdTerms(t.terms).forEach((term, a) => {
      const u = q[t.sdOffset + a];
      lp += (builtIn(`sd_${t.group}__${term}`) ? logPrior(t.sdPriors[a], Math.exp(u), true) : 0) + u;
    });
    let logDetSd = 0;
    for (let a = 0; a < k; a++) logDetSd += q[t.sdOffset + t.cov.sdIndex(a)];
    let logDetL = 0;
    for (let a = 0; a < k; a++) logDetL += Math.log(L[a * k + a]);
    const m = t.nLevels * k;
    let ss = 0;
    if (t.centered) {
      // r_j ~ N(0, D L Lᵀ D): w = L⁻¹ D⁻¹ r_j, log p = −k/2 log 2π − log|D| − log|L| − ½|w|²
      const w = new Float64Array(k);
      for (let j = 0; j < t.nLevels; j++) {
        for (let a = 0; a < k; a++) {
          let s = q[t.zOffset + j * k + a] / Math.exp(q[t.sdOffset + t.cov.sdIndex(a)]);
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
  const fb = spec.familyBlock;
  const x = familyValues(spec, q);
  for (const [i, sl] of fb.layout.slots.entries()) {
    const names = slotValueNames(sl);
    for (let k = 0; k < sl.size; k++) if (builtIn(names[k])) lp += logPrior(fb.priors[i], x[sl.offset + k], sl.param.constraint.halfPrior);
  }
  lp += familyLogJacobian(fb.layout, q, fb.offset);
  for (const e of spec.extras) lp += extraLogDensity64(e, q[e.offset]);
  return lp;
}

/** The family parameters' natural values at q (FamilyValues). */
export function familyValues(spec: ModelSpec, q: ArrayLike<number>, qOffset = 0): Float64Array {
  const fb = spec.familyBlock;
  return constrainFamily(fb.layout, q, qOffset + fb.offset, new Float64Array(fb.layout.dim));
}

/** The named constrained parameters at q (b_*, sd_*, cor_*, the family parameter, the extras). */
function namedValues(spec: ModelSpec, q: Float64Array): Record<string, number> {
  const values = constrain(spec, q);
  const out: Record<string, number> = {};
  spec.params.forEach((p, i) => {
    if (p.class !== 'r') out[p.name] = values[i];
  });
  return out;
}

/**
 * The user terms and custom family at q through their float64 twins (logDensity64, logLik64);
 * throws if one has no twin.
 */
function userPart64(spec: ModelSpec, q: Float64Array, eta: () => Float64Array): { terms: number; lik: number | null } {
  const user = spec.user;
  if (!user) return { terms: 0, lik: null };
  const p = namedValues(spec, q);
  let terms = 0;
  for (const t of user.terms) {
    if (!t.logDensity64) throw new Error(`term '${t.name}' has no float64 twin (logDensity64)`);
    terms += t.logDensity64(p);
  }
  if (!user.family) return { terms, lik: null };
  const f = user.family;
  if (!f.logLik64) throw new Error(`family '${f.name}' has no float64 twin (logLik64)`);
  const { y, trials } = spec.design.response;
  return { terms, lik: f.logLik64(eta(), p, { y, trials, X: spec.design.fixed.X, p: spec.p }) };
}

/**
 * The full log density at one unconstrained point q (float64); -Infinity where undefined. With user
 * terms or a custom family it needs their float64 twins.
 */
export function logDensity64(spec: ModelSpec, q: Float64Array): number {
  const prior = logPriorJacobian64(spec, q);
  if (!Number.isFinite(prior)) return -Infinity;
  const aux = familyValues(spec, q);
  const user = userPart64(spec, q, () => linearPredictor64(spec, q));
  const v = prior + user.terms + (user.lik ?? logLikEta64(spec, linearPredictor64(spec, q), aux, formulaEffects64(spec, q)));
  return Number.isNaN(v) ? -Infinity : v;
}
