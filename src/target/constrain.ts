/**
 * Unconstrained q ↔ constrained parameters in DESIGN's names (the layout of parameters.ts):
 * sd = exp(q), the family parameters by their constraints (models/families/constraints.ts), correlations Ω = L·Lᵀ with L from Stan's cholesky_corr transform,
 * random effects r_j = diag(sd)·L·z_j (non-centred) or r_j = q (centred).
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { ModelSpec, SpecTerm } from './parameters.js';
import { cholesky } from '../linalg/cholesky.js';
import { extraConstrain, extraUnconstrain } from './extras.js';
import { constrainFamily, unconstrainFamily } from '../../models/families/layout.js';

/** Smallest sd unconstrain() accepts (a Laplace estimate of 0 becomes this). */
export const MIN_SD = 1e-4;

/** The Cholesky factor of term t at q (identity when uncorrelated); returns log|J| of the transform. */
export function termCholesky(t: SpecTerm, q: ArrayLike<number>, qOffset: number, L: Float64Array): number {
  return t.cov.factor(q, qOffset + t.corOffset, L);
}

/**
 * For one chain's q (at qOffset): the term's Cholesky factor L into L[lOffset…] (float64) and
 * A = diag(sd)·L into A32[lOffset…] (float32, for the tfjs density).
 */
export function termCholeskyInto(t: SpecTerm, q: ArrayLike<number>, qOffset: number, L: Float64Array, lOffset: number, A32: Float32Array): void {
  const K = t.k;
  const Lt = L.subarray(lOffset, lOffset + K * K);
  termCholesky(t, q, qOffset, Lt);
  for (let a = 0; a < K; a++) {
    const sd = Math.exp(q[qOffset + t.sdOffset + t.cov.sdIndex(a)]);
    for (let m = 0; m < K; m++) A32[lOffset + a * K + m] = sd * Lt[a * K + m];
  }
}

/**
 * Random effects of term t at q (nLevels × k, level-major) into out[outOffset…]:
 * non-centred r_j = diag(sd)·L·z_j, centred r_j = q.
 */
export function termEffects(t: SpecTerm, q: ArrayLike<number>, qOffset: number, sd: Float64Array, L: Float64Array, out: Float64Array, outOffset: number): void {
  const { k, nLevels } = t;
  const base = qOffset + t.zOffset;
  for (let j = 0; j < nLevels; j++) {
    for (let a = 0; a < k; a++) {
      if (t.centered) {
        out[outOffset + j * k + a] = q[base + j * k + a];
        continue;
      }
      let s = 0;
      for (let m = 0; m <= a; m++) s += L[a * k + m] * q[base + j * k + m];
      out[outOffset + j * k + a] = sd[a] * s;
    }
  }
}

function constrainInto(spec: ModelSpec, q: ArrayLike<number>, qOffset: number, out: Float64Array, oOffset: number, effects = true): void {
  let o = oOffset;
  for (let j = 0; j < spec.p; j++) out[o++] = q[qOffset + j];
  for (const t of spec.terms) for (let a = 0; a < t.cov.nSd; a++) out[o++] = Math.exp(q[qOffset + t.sdOffset + a]);
  for (const t of spec.terms) {
    if (t.corOffset < 0) continue;
    const L = new Float64Array(t.k * t.k);
    termCholesky(t, q, qOffset, L);
    for (const c of t.cov.correlationsOf(L)) out[o++] = c;
  }
  const fb = spec.familyBlock;
  constrainFamily(fb.layout, q, qOffset + fb.offset, out, o);
  o += fb.layout.dim;
  for (const e of spec.extras) out[o++] = extraConstrain(e, q[qOffset + e.offset]);
  if (!effects) return;
  for (const t of spec.terms) {
    const L = new Float64Array(t.k * t.k);
    termCholesky(t, q, qOffset, L);
    const sd = new Float64Array(t.k);
    for (let a = 0; a < t.k; a++) sd[a] = Math.exp(q[qOffset + t.sdOffset + t.cov.sdIndex(a)]);
    termEffects(t, q, qOffset, sd, L, out, o);
    o += t.nLevels * t.k;
  }
}

/** One unconstrained point → constrained values in `spec.params` order. */
export function constrain(spec: ModelSpec, q: Float64Array): Float64Array {
  const out = new Float64Array(spec.params.length);
  constrainInto(spec, q, 0, out, 0);
  return out;
}

/**
 * Unconstrained draws (names = spec.names) → constrained draws named as DESIGN says. With
 * `withEffects` false, only the parameters before the random effects (β, sd, cor, family and extra
 * parameters: spec.params up to the first of class 'r'), e.g. for a stopping rule checked often.
 */
export function constrainDraws(spec: ModelSpec, draws: Draws, withEffects = true): Draws {
  const firstR = spec.params.findIndex((p) => p.class === 'r');
  const P = withEffects || firstR < 0 ? spec.params.length : firstR;
  const n = draws.nChains * draws.nDraws;
  if (draws.names.length !== spec.dim) throw new Error(`constrainDraws: draws have ${draws.names.length} columns, the model ${spec.dim}`);
  const data = new Float64Array(n * P);
  for (let i = 0; i < n; i++) constrainInto(spec, draws.data, i * spec.dim, data, i * P, withEffects);
  return { nChains: draws.nChains, nDraws: draws.nDraws, names: spec.params.slice(0, P).map((p) => p.name), data };
}

/**
 * Constrained values (spec.params order) → q, the inverse of constrain (for initial values from the
 * Laplace mode). An sd below MIN_SD is clamped to MIN_SD; a correlation matrix that is not positive
 * definite is shrunk towards the identity until it is.
 */
export function unconstrain(spec: ModelSpec, values: ArrayLike<number>): Float64Array {
  const q = new Float64Array(spec.dim);
  let o = 0;
  for (let j = 0; j < spec.p; j++) q[j] = values[o++];
  const sds: Float64Array[] = [];
  for (const t of spec.terms) {
    for (let a = 0; a < t.cov.nSd; a++) q[t.sdOffset + a] = Math.log(Math.max(MIN_SD, values[o++]));
    sds.push(Float64Array.from({ length: t.k }, (_, a) => Math.exp(q[t.sdOffset + t.cov.sdIndex(a)])));
  }
  const Ls: Float64Array[] = spec.terms.map((t) => {
    const L = new Float64Array(t.k * t.k);
    for (let i = 0; i < t.k; i++) L[i * t.k + i] = 1;
    return L;
  });
  spec.terms.forEach((t, ti) => {
    if (t.corOffset < 0) return;
    const nCor = t.cov.correlationParams(t.group, t.terms).length;
    const R = t.cov.correlationMatrix(Array.from({ length: nCor }, (_, i) => Math.max(-0.999999, Math.min(0.999999, values[o + i]))), 0);
    o += nCor;
    let L = cholesky(R, t.k);
    for (let shrink = 0.99; !L; shrink *= 0.99) {
      for (let a = 0; a < t.k; a++) for (let b = 0; b < t.k; b++) if (a !== b) R[a * t.k + b] *= shrink;
      L = cholesky(R, t.k);
    }
    Ls[ti] = L;
    t.cov.free(L, q, t.corOffset);
  });
  unconstrainFamily(spec.familyBlock.layout, values, o, q, spec.familyBlock.offset);
  o += spec.familyBlock.layout.dim;
  for (const e of spec.extras) q[e.offset] = extraUnconstrain(e, values[o++]);
  spec.terms.forEach((t, ti) => {
    const { k } = t;
    const L = Ls[ti];
    for (let j = 0; j < t.nLevels; j++) {
      const r = Array.from({ length: k }, (_, a) => values[o + j * k + a]);
      if (t.centered) {
        for (let a = 0; a < k; a++) q[t.zOffset + j * k + a] = r[a];
        continue;
      }
      // z = L⁻¹ (r / sd) by forward substitution
      for (let a = 0; a < k; a++) {
        let s = r[a] / sds[ti][a];
        for (let m = 0; m < a; m++) s -= L[a * k + m] * q[t.zOffset + j * k + m];
        q[t.zOffset + j * k + a] = s / L[a * k + a];
      }
    }
    o += t.nLevels * k;
  });
  return q;
}
