/**
 * The Euclidean metric of HMC: kinetic energy T = ½ pᵀ A p with A = M⁻¹ the inverse metric, as Stan
 * stores it (stan/mcmc/hmc/hamiltonians/diag_e_metric.hpp L20-50, dense_e_metric.hpp L21-54).
 * Diag: A is a vector; p_i = ξ_i / √A_ii. Dense: A = UᵀU (U upper Cholesky factor), p = U⁻¹ξ so that
 * Cov(p) = A⁻¹ = M. In both cases ξ ~ N(0, I) and the sharp momentum is p♯ = ∂T/∂p = A p.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Rng } from './rng.js';

/** 'diag' (inverse metric is a vector) or 'dense' (a D×D matrix, row-major). */
export type MetricKind = 'diag' | 'dense';

/** A Euclidean metric. Operations act on one point (length-`dim` arrays or subarrays). */
export interface Metric {
  readonly kind: MetricKind;
  readonly dim: number;
  /** Inverse metric A: length D (diag) or D×D row-major (dense). Do not mutate. */
  readonly invMetric: Float64Array;
  /** Writes p♯ = A p into `out` (Stan's `dtau_dp`). */
  sharp(p: Float64Array, out: Float64Array): void;
  /** T(p) = ½ pᵀ A p (Stan's `tau`). */
  kinetic(p: Float64Array): number;
  /** Fills `out` with a momentum p ~ N(0, A⁻¹) (Stan's `sample_p`). */
  sampleMomentum(rng: Rng, out: Float64Array): void;
}

/** The identity inverse metric of a kind: ones (diag) or I (dense), Stan's starting metric. */
export function identityInvMetric(kind: MetricKind, dim: number): Float64Array {
  if (kind === 'diag') return new Float64Array(dim).fill(1);
  const a = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) a[i * dim + i] = 1;
  return a;
}

/**
 * Builds the metric with inverse metric `invMetric` (copied). Throws if it is not finite and positive
 * (diag) or not symmetric positive definite (dense).
 */
export function makeMetric(kind: MetricKind, invMetric: Float64Array): Metric {
  return kind === 'diag' ? diagMetric(Float64Array.from(invMetric)) : denseMetric(Float64Array.from(invMetric));
}

function diagMetric(a: Float64Array): Metric {
  const dim = a.length;
  const sd = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    if (!(a[i] > 0) || !Number.isFinite(a[i])) throw new Error(`inverse metric element ${i} is ${a[i]}: it must be finite and positive`);
    sd[i] = 1 / Math.sqrt(a[i]);
  }
  return {
    kind: 'diag',
    dim,
    invMetric: a,
    sharp(p, out) {
      for (let i = 0; i < dim; i++) out[i] = a[i] * p[i];
    },
    kinetic(p) {
      let t = 0;
      for (let i = 0; i < dim; i++) t += a[i] * p[i] * p[i];
      return 0.5 * t;
    },
    sampleMomentum(rng, out) {
      for (let i = 0; i < dim; i++) out[i] = rng.normal() * sd[i];
    },
  };
}

function denseMetric(a: Float64Array): Metric {
  const dim = Math.round(Math.sqrt(a.length));
  if (dim * dim !== a.length) throw new Error(`dense inverse metric has ${a.length} elements, not a square number`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new Error(`dense inverse metric element ${i} is ${a[i]}: it must be finite`);
  }
  const rows: number[][] = [];
  for (let i = 0; i < dim; i++) rows.push(Array.from(a.subarray(i * dim, (i + 1) * dim)));
  const chol = new CholeskyDecomposition(new Matrix(rows));
  if (!chol.isPositiveDefinite()) throw new Error('dense inverse metric is not positive definite');
  // L lower with A = L Lᵀ, stored row-major; U = Lᵀ.
  const lm = chol.lowerTriangularMatrix;
  const l = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) l[i * dim + j] = lm.get(i, j);
  const sharp = (p: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      const row = i * dim;
      for (let j = 0; j < dim; j++) s += a[row + j] * p[j];
      out[i] = s;
    }
  };
  return {
    kind: 'dense',
    dim,
    invMetric: a,
    sharp,
    kinetic(p) {
      let t = 0;
      for (let i = 0; i < dim; i++) {
        let s = 0;
        const row = i * dim;
        for (let j = 0; j < dim; j++) s += a[row + j] * p[j];
        t += p[i] * s;
      }
      return 0.5 * t;
    },
    sampleMomentum(rng, out) {
      // Solve U p = ξ with U = Lᵀ upper triangular: back substitution.
      for (let i = 0; i < dim; i++) out[i] = rng.normal();
      for (let i = dim - 1; i >= 0; i--) {
        let s = out[i];
        for (let j = i + 1; j < dim; j++) s -= l[j * dim + i] * out[j];
        out[i] = s / l[i * dim + i];
      }
    },
  };
}
