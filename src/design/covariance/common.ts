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

/** ∂T/∂θ_i and ∂²T/∂θ_i∂θ_j of a structure's template at θ[off…] (k × k each; d2 indexed i·nTheta + j). */
export interface TemplateDerivatives {
  readonly d1: readonly Float64Array[];
  readonly d2: readonly Float64Array[];
}

/**
 * The template's first and second derivatives in θ: exact for a template linear in θ (`linearPos`:
 * ∂T/∂θ_i is the unit matrix at its position, ∂²T = 0), else central differences of `template`
 * (step 1e-4·max(1, |θ_i|): truncation and rounding errors both ~1e-8 relative for the second derivatives).
 */
export function templateDerivatives(
  cov: { readonly k: number; readonly nTheta: number; readonly linearPos: readonly (readonly [number, number])[] | null; template(theta: ArrayLike<number>, off: number, T: Float64Array): void },
  theta: ArrayLike<number>, off: number,
): TemplateDerivatives {
  const { k, nTheta: m, linearPos } = cov;
  const kk = k * k;
  if (linearPos) {
    const d1 = linearPos.map(([r, c]) => { const D = new Float64Array(kk); D[r * k + c] = 1; return D; });
    return { d1, d2: Array.from({ length: m * m }, () => new Float64Array(kk)) };
  }
  const th = Float64Array.from({ length: m }, (_, i) => theta[off + i]);
  const h = Array.from(th, (v) => 1e-4 * Math.max(1, Math.abs(v)));
  const T = (shift: readonly [number, number][]): Float64Array => {
    const x = Float64Array.from(th);
    for (const [i, s] of shift) x[i] += s * h[i];
    const out = new Float64Array(kk);
    cov.template(x, 0, out);
    return out;
  };
  const T0 = T([]);
  const plus = Array.from({ length: m }, (_, i) => T([[i, 1]]));
  const minus = Array.from({ length: m }, (_, i) => T([[i, -1]]));
  const d1 = plus.map((P, i) => Float64Array.from(P, (v, e) => (v - minus[i][e]) / (2 * h[i])));
  const d2: Float64Array[] = new Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) {
    const D = i === j
      ? Float64Array.from(T0, (v, e) => (plus[i][e] - 2 * v + minus[i][e]) / (h[i] * h[i]))
      : (() => {
        const pp = T([[i, 1], [j, 1]]), pm = T([[i, 1], [j, -1]]), mp = T([[i, -1], [j, 1]]), mm = T([[i, -1], [j, -1]]);
        return Float64Array.from(pp, (v, e) => (v - pm[e] - mp[e] + mm[e]) / (4 * h[i] * h[j]));
      })();
    d2[i * m + j] = D;
    d2[j * m + i] = D;
  }
  return { d1, d2 };
}
