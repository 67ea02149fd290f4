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
