/** Small pieces the covariance structures share. */

/** Writes the k × k identity into M. */
export function identityInto(M: Float64Array, k: number): void {
  M.fill(0);
  for (let i = 0; i < k; i++) M[i * k + i] = 1;
}

/**
 * Per-term sds and correlation matrix of b from its template: Σ = T Tᵀ (lme4's VarCorr).
 * Returns sd (length k), cor (k×k row-major; NaN where an sd is 0) and cov.
 */
export function sdCorOfTemplate(T: ArrayLike<number>, k: number): { sd: Float64Array; cor: Float64Array; cov: Float64Array } {
  const cov = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += T[i * k + m] * T[j * k + m];
      cov[i * k + j] = s;
    }
  }
  const sd = new Float64Array(k);
  for (let i = 0; i < k; i++) sd[i] = Math.sqrt(cov[i * k + i]);
  const cor = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cor[i * k + j] = i === j ? 1 : cov[i * k + j] / (sd[i] * sd[j]);
  return { sd, cor, cov };
}

/** X ← L⁻¹X for lower-triangular L (k × k) and X k × k. */
function solveLowerInto(L: Float64Array, X: Float64Array, k: number): void {
  for (let c = 0; c < k; c++) for (let i = 0; i < k; i++) {
    let s = X[i * k + c];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * X[m * k + c];
    X[i * k + c] = s / L[i * k + i];
  }
}

/**
 * ⟨dL, L̇⟩ (lower parts) for L = chol(R) moved in the direction Ṙ (symmetric, overwritten): the
 * Cholesky derivative L̇ = L·Φ(L⁻¹ṘL⁻ᵀ), Φ the lower triangle with half the diagonal (Murray 2016,
 * "Differentiation of the Cholesky decomposition", eq. 8).
 */
export function choleskyDirectional(L: Float64Array, Rdot: Float64Array, dL: ArrayLike<number>, k: number): number {
  // M = L⁻¹ Ṙ L⁻ᵀ (symmetric): X = L⁻¹Ṙ, then M = L⁻¹Xᵀ
  solveLowerInto(L, Rdot, k);
  const M = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) M[a * k + b] = Rdot[b * k + a];
  solveLowerInto(L, M, k);
  let g = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) {
    let v = 0;
    for (let m = b; m <= a; m++) v += L[a * k + m] * (m === b ? 0.5 * M[m * k + b] : M[m * k + b]);
    g += dL[a * k + b] * v;
  }
  return g;
}
