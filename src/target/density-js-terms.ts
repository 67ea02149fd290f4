/**
 * A random-effect term as the plain-JS density's loops see it (density-js.ts), and the forward and
 * reverse passes of a correlated term, sampled non-centred: r_j = diag(sd)·L·z_j with L the Cholesky
 * factor of its correlation (Stan's cholesky_corr transform, choleskyCorr.ts). Given G_j = ∂ℓ/∂r_j:
 * ∂/∂z_j = (diag(sd)·L)ᵀ G_j − z_j, ∂/∂log sd_a = Σ_j G_ja r_ja, ∂/∂L_am = sd_a Σ_j G_ja z_jm, then
 * choleskyCorrBackward through the transform, its log-Jacobian and the LKJ prior.
 */
import type { Covariance } from '../design/covariance/types.js';

/** A term as the loops see it. */
export interface JsTerm {
  readonly k: number;
  readonly nLevels: number;
  readonly centered: boolean;
  readonly sdOffset: number;
  readonly zOffset: number;
  readonly index: Int32Array;
  readonly Z: Float64Array;
  readonly prior: ((x: number, out: Float64Array) => void)[];
  readonly sd: Float64Array;
  /** Correlated terms: the structure, offset of its reals, LKJ shape, and scratch for L, ∂/∂L and the effects r. */
  readonly cov: Covariance;
  readonly corOffset: number;
  readonly lkjEta: number;
  readonly L: Float64Array;
  readonly dL: Float64Array;
  readonly r: Float64Array;
}

/** A correlated term's effects r_j = diag(sd)·L·z_j (sd and L already set by the priors) into t.r. */
export function correlatedEffects(t: JsTerm, q: Float64Array, base: number): void {
  const { k, sd, L, r } = t;
  for (let j = 0; j < t.nLevels; j++) {
    for (let a = 0; a < k; a++) {
      let v = 0;
      for (let m = 0; m <= a; m++) v += L[a * k + m] * q[base + j * k + m];
      r[j * k + a] = sd[a] * v;
    }
  }
}

/**
 * A correlated term's −½ Σ z², the chain rule from G (in grad at the z's) to z, log sd and L, and
 * through the cholesky_corr transform with its Jacobian and the LKJ prior (choleskyCorrBackward).
 */
export function correlatedBackward(t: JsTerm, q: Float64Array, o: number, grad: Float64Array): number {
  const { k, sd, L, dL, r } = t;
  const base = o + t.zOffset;
  dL.fill(0);
  let ss = 0;
  for (let j = 0; j < t.nLevels; j++) {
    const lv = base + j * k;
    for (let a = 0; a < k; a++) {
      const G = grad[lv + a];
      grad[o + t.sdOffset + t.cov.sdIndex(a)] += G * r[j * k + a];
      for (let m = 0; m <= a; m++) dL[a * k + m] += G * sd[a] * q[lv + m];
    }
    for (let m = 0; m < k; m++) {
      let d = 0;
      for (let a = m; a < k; a++) d += sd[a] * L[a * k + m] * grad[lv + a];
      ss += q[lv + m] * q[lv + m];
      r[j * k + m] = d - q[lv + m]; // r reused as scratch: ∂/∂z_jm
    }
    for (let m = 0; m < k; m++) grad[lv + m] = r[j * k + m];
  }
  return -0.5 * ss + t.cov.factorBackward(q, o + t.corOffset, t.lkjEta, dL, grad, o + t.corOffset);
}
