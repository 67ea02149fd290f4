/**
 * Stan's cholesky_corr transform (math prim/constraint/cholesky_corr_constrain.hpp, _free.hpp;
 * reference/algorithms.md §4): K(K−1)/2 unconstrained reals ↔ the Cholesky factor L of a K × K
 * correlation matrix, with the log-Jacobian of the map.
 */

/** Number of unconstrained reals of a K × K correlation Cholesky factor. */
export function choleskyCorrSize(K: number): number {
  return (K * (K - 1)) / 2;
}

/** log(1 − tanh²(y)) = 2(log 2 − |y| − log1p(e^(−2|y|))), stable for large |y|. */
export function log1mTanh2(y: number): number {
  const a = Math.abs(y);
  return 2 * (Math.LN2 - a - Math.log1p(Math.exp(-2 * a)));
}

/**
 * y (row-major lower triangle (2,1), (3,1), (3,2), (4,1), …) → L (K × K row-major) and log|J|:
 * z = tanh y; L_i1 = z_i1; L_ij = z_ij·sqrt(1 − Σ_{j'<j} L_ij'²); L_ii = sqrt(1 − Σ_{j<i} L_ij²);
 * log|J| = Σ log(1 − z²) + Σ_{i≥3} Σ_{j=2}^{i−1} ½ log(1 − Σ_{j'<j} L_ij'²).
 */
export function choleskyCorrConstrain(y: ArrayLike<number>, offset: number, K: number, L: Float64Array): number {
  L.fill(0);
  L[0] = 1;
  let logJ = 0;
  let pos = offset;
  for (let i = 1; i < K; i++) {
    let ss = 0;
    for (let j = 0; j < i; j++) {
      const yy = y[pos++];
      const z = Math.tanh(yy);
      logJ += log1mTanh2(yy);
      if (j === 0) {
        L[i * K] = z;
      } else {
        logJ += 0.5 * Math.log1p(-ss);
        L[i * K + j] = z * Math.sqrt(1 - ss);
      }
      ss += L[i * K + j] * L[i * K + j];
    }
    L[i * K + i] = Math.sqrt(1 - ss);
  }
  return logJ;
}

/** The inverse (Stan cholesky_corr_free): z_ij = L_ij / sqrt(1 − Σ_{j'<j} L_ij'²), y = atanh z. */
export function choleskyCorrFree(L: ArrayLike<number>, K: number, out: Float64Array, offset: number): void {
  let pos = offset;
  for (let i = 1; i < K; i++) {
    let ss = 0;
    for (let j = 0; j < i; j++) {
      const l = L[i * K + j];
      const z = j === 0 ? l : l / Math.sqrt(1 - ss);
      out[pos++] = Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, z)));
      ss += l * l;
    }
  }
}

/**
 * Reverse pass of choleskyCorrConstrain together with its log-Jacobian and the LKJ(η) kernel:
 * given dL = ∂F/∂L (K × K row-major, lower part used) of some F(L), writes into dy[offset…] the
 * gradient with respect to y of F(L(y)) + log|J|(y) + Σ_{i≥2} (K − i + 2η − 2) log L_ii(y)
 * (hand-derived; tested against central differences). Returns the value of log|J| + LKJ kernel.
 */
export function choleskyCorrBackward(y: ArrayLike<number>, yOffset: number, K: number, eta: number, dL: ArrayLike<number>, dy: Float64Array, dyOffset: number): number {
  let value = 0;
  let rowStart = 0;
  const s = new Float64Array(K + 1);
  const z = new Float64Array(K);
  const Lrow = new Float64Array(K);
  for (let i = 1; i < K; i++) {
    s[0] = 1;
    for (let j = 0; j < i; j++) {
      const yy = y[yOffset + rowStart + j];
      z[j] = Math.tanh(yy);
      Lrow[j] = z[j] * Math.sqrt(s[j]);
      s[j + 1] = s[j] - Lrow[j] * Lrow[j];
      value += log1mTanh2(yy) + (j >= 1 ? 0.5 * Math.log(s[j]) : 0);
    }
    const c = K - (i + 1) + 2 * eta - 2;
    value += c * 0.5 * Math.log(s[i]);
    let as = dL[i * K + i] * 0.5 / Math.sqrt(s[i]) + (c * 0.5) / s[i];
    for (let j = i - 1; j >= 0; j--) {
      const aL = dL[i * K + j] - 2 * Lrow[j] * as;
      const rs = Math.sqrt(s[j]);
      let asj = as + (aL * z[j] * 0.5) / rs;
      if (j >= 1) asj += 0.5 / s[j];
      dy[dyOffset + rowStart + j] += aL * rs * (1 - z[j] * z[j]) - 2 * z[j];
      as = asj;
    }
    rowStart += i;
  }
  return value;
}
