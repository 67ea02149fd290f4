/**
 * Hand-written float64 log densities implementing the Target contract, for the sampler tests and
 * benchmarks (test doubles: the real model layer compiles tfjs densities).
 */
import { Matrix, inverse } from 'ml-matrix';
import type { Target } from '../../src/sampler/target.js';

/** Independent standard normals in `dim` dimensions. */
export function iidNormal(dim: number): Target {
  return {
    dim,
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * dim);
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = 0; i < dim; i++) {
          const x = q[c * dim + i];
          s += x * x;
          grad[c * dim + i] = -x;
        }
        logp[c] = -0.5 * s;
      }
      return { logp, grad };
    },
  };
}

/** A Gaussian N(mean, cov) given its mean and covariance (dim×dim row-major); also returns them. */
export function gaussian(mean: Float64Array, cov: Float64Array): Target & { mean: Float64Array; cov: Float64Array } {
  const dim = mean.length;
  const rows: number[][] = [];
  for (let i = 0; i < dim; i++) rows.push(Array.from(cov.subarray(i * dim, (i + 1) * dim)));
  const P = inverse(new Matrix(rows));
  const prec = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) prec[i * dim + j] = 0.5 * (P.get(i, j) + P.get(j, i));
  const r = new Float64Array(dim);
  return {
    dim,
    mean,
    cov,
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * dim);
      for (let c = 0; c < n; c++) {
        for (let i = 0; i < dim; i++) r[i] = q[c * dim + i] - mean[i];
        let s = 0;
        for (let i = 0; i < dim; i++) {
          let g = 0;
          for (let j = 0; j < dim; j++) g += prec[i * dim + j] * r[j];
          grad[c * dim + i] = -g;
          s += r[i] * g;
        }
        logp[c] = -0.5 * s;
      }
      return { logp, grad };
    },
  };
}

/** AR(1)-correlated covariance Σ_ij = s_i s_j ρ^|i−j| with s_i = exp(−1 + 2i/(dim−1)). */
export function ar1Covariance(dim: number, rho: number): Float64Array {
  const s = Array.from({ length: dim }, (_, i) => Math.exp(-1 + (2 * i) / (dim - 1)));
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) cov[i * dim + j] = s[i] * s[j] * Math.pow(rho, Math.abs(i - j));
  return cov;
}

/**
 * Neal's funnel (Neal 2003, "Slice sampling", Ann. Stat. §8): v ~ N(0, 3²), x_k | v ~ N(0, e^v),
 * k = 1..K. Centred: coordinates (v, x); non-centred: (v, z) with x = e^{v/2} z, z ~ N(0, 1).
 */
export function funnel(K: number, centred: boolean): Target {
  const dim = K + 1;
  return {
    dim,
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * dim);
      for (let c = 0; c < n; c++) {
        const o = c * dim;
        const v = q[o];
        let lp = -(v * v) / 18;
        let gv = -v / 9;
        if (centred) {
          const ev = Math.exp(-v);
          for (let k = 1; k <= K; k++) {
            const x = q[o + k];
            lp += -0.5 * x * x * ev - 0.5 * v;
            gv += 0.5 * x * x * ev - 0.5;
            grad[o + k] = -x * ev;
          }
        } else {
          for (let k = 1; k <= K; k++) {
            const z = q[o + k];
            lp += -0.5 * z * z;
            grad[o + k] = -z;
          }
        }
        grad[o] = gv;
        logp[c] = lp;
      }
      return { logp, grad };
    },
  };
}
