/**
 * Hand-written batched test targets for the ChEES tests (plain JS, no tfjs): each evaluates all chains
 * of a chain-major q in one call, as the Target contract asks.
 */
import type { Target } from '../../src/sampler/target.js';

/** Independent normals with sds `scales` (mean 0). */
export function iidNormal(scales: Float64Array): Target {
  const D = scales.length;
  const prec = scales.map((s) => 1 / (s * s));
  return {
    dim: D,
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * D);
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = 0; i < D; i++) {
          const g = -q[c * D + i] * prec[i];
          grad[c * D + i] = g;
          s += g * q[c * D + i];
        }
        logp[c] = 0.5 * s;
      }
      return { logp, grad };
    },
  };
}

/** Zero-mean Gaussian with precision matrix `P` (row-major D × D). */
export function gaussianPrecision(P: Float64Array, D: number): Target {
  return {
    dim: D,
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * D);
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = 0; i < D; i++) {
          let g = 0;
          for (let j = 0; j < D; j++) g -= P[i * D + j] * q[c * D + j];
          grad[c * D + i] = g;
          s += g * q[c * D + i];
        }
        logp[c] = 0.5 * s;
      }
      return { logp, grad };
    },
  };
}

/** Eight schools, non-centred: the one density of validation/eight-schools.ts (mu, log_tau, theta_tilde[1..8]). */
export { eightSchoolsNoncentered as eightSchools } from '../../validation/eight-schools.js';

/** Equal mixture of N(−a, 1) and N(a, 1) in one dimension: chains cannot cross between the modes when a is large. */
export function bimodal(a: number): Target {
  return {
    dim: 1,
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        const x = q[c];
        const l1 = -0.5 * (x + a) ** 2;
        const l2 = -0.5 * (x - a) ** 2;
        const m = Math.max(l1, l2);
        const w1 = Math.exp(l1 - m);
        const w2 = Math.exp(l2 - m);
        logp[c] = m + Math.log(w1 + w2);
        grad[c] = (w1 * -(x + a) + w2 * -(x - a)) / (w1 + w2);
      }
      return { logp, grad };
    },
  };
}
