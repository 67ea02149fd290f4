/**
 * Hand-written batched test targets for the ChEES tests (plain JS, no tfjs): each evaluates all chains
 * of a chain-major q in one call, as the Target contract asks.
 */
import type { Target } from '../../src/logdensity/contract.js';

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

/**
 * Eight schools, non-centred (posteriordb eight_schools_noncentered): q = (mu, log tau, θ̃₁…θ̃₈);
 * y_j ~ N(mu + tau θ̃_j, σ_j), θ̃ ~ N(0, 1), mu ~ N(0, 5), tau ~ half-Cauchy(0, 5), + log tau (Jacobian).
 */
export function eightSchools(): Target {
  const y = [28, 8, -3, 7, -1, 1, 18, 12];
  const sigma = [15, 10, 16, 11, 9, 11, 10, 18];
  const D = 10;
  return {
    dim: D,
    names: ['mu', 'log_tau', ...y.map((_, j) => `theta_tilde[${j + 1}]`)],
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * D);
      for (let c = 0; c < n; c++) {
        const o = c * D;
        const mu = q[o];
        const lt = q[o + 1];
        const tau = Math.exp(lt);
        let lp = -0.5 * (mu / 5) ** 2 - Math.log1p((tau / 5) ** 2) + lt;
        let gmu = -mu / 25;
        let glt = (-2 * (tau / 5) ** 2) / (1 + (tau / 5) ** 2) + 1;
        for (let j = 0; j < 8; j++) {
          const th = q[o + 2 + j];
          const r = (y[j] - mu - tau * th) / sigma[j];
          lp += -0.5 * th * th - 0.5 * r * r;
          const dr = r / sigma[j]; // ∂(−½r²)/∂(mu + tau θ̃)
          gmu += dr;
          glt += dr * tau * th;
          grad[o + 2 + j] = -th + dr * tau;
        }
        logp[c] = lp;
        grad[o] = gmu;
        grad[o + 1] = glt;
      }
      return { logp, grad };
    },
  };
}

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
