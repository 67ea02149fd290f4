/**
 * The profiled (RE)ML criterion of the linear mixed model, as lme4's `lmer` computes it
 * (Bates, Mächler, Bolker & Walker 2015, JSS 67(1), §3.4–3.6): for covariance parameters θ the
 * penalized least squares problem is solved in closed form for β and the spherical random effects u,
 * σ² is profiled out, and the criterion is
 *   ML:   −2ℓ(θ) = log|L_θ|² + n (1 + log(2π r²_θ / n))                      (eq. 34)
 *   REML: −2ℓ_R(θ) = log|L_θ|² + log|R_X|² + (n−p)(1 + log(2π r²_θ / (n−p)))   (eq. 41)
 * with L_θ L_θᵀ = Λ_θᵀ Zᵀ Z Λ_θ + I, R_Xᵀ R_X = Xᵀ X − R_ZXᵀ R_ZX and r²_θ the penalized residual sum of squares.
 * Λ_θ is block diagonal: term t contributes T_t ⊗ I_levels with T_t lower triangular, θ its lower
 * triangle in column-major order (lme4's order). Random effects are ordered term, level, column.
 */
import type { Design } from '../design/types.js';
import { thetaLayout, thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { choleskyInPlaceSpd, solveLower, solveLowerT } from '../linalg/cholesky.js';
import { crossprod } from '../linalg/dense.js';

/** The solution of the penalized least squares problem at θ. */
export interface PlsSolution {
  /** The criterion −2ℓ (ML) or −2ℓ_R (REML) with all constants. */
  readonly criterion: number;
  readonly beta: Float64Array;
  /** Penalized residual sum of squares r²_θ. */
  readonly pwrss: number;
  /** Profiled σ²: r²/(n−p) for REML, r²/n for ML. */
  readonly sigma2: number;
  /** Lower Cholesky factor L_θ (q × q) and R_X as a lower factor (p × p: R_Xᵀ). */
  readonly L: Float64Array;
  readonly RXt: Float64Array;
  /** Conditional modes b = Λ u (length q). */
  readonly b: Float64Array;
  readonly logdetL2: number;
  readonly logdetRX2: number;
}

/**
 * Builds the profiled criterion θ ↦ PLS solution for a gaussian design (lme4's `mkLmerDevfun`).
 * Cross-products of X, Z and y are formed once; each evaluation costs O(q³ + q²p + n(p + Σk)).
 */
export function buildProfiledCriterion(design: Design, reml: boolean): { layout: ThetaLayout; evaluate: (theta: ArrayLike<number>) => PlsSolution } {
  const n = design.nobs, p = design.fixed.p, X = design.fixed.X;
  const layout = thetaLayout(design);
  const q = layout.q;
  const y = Float64Array.from(design.response.y);
  if (design.offset) for (let i = 0; i < n; i++) y[i] -= design.offset[i];
  // Sparse rows of Z: for row i, (column index, value) pairs over all terms.
  const nzPerRow = design.random.reduce((s, t) => s + t.k, 0);
  const zCol = new Int32Array(n * nzPerRow), zVal = new Float64Array(n * nzPerRow);
  for (let i = 0; i < n; i++) {
    let m = 0;
    design.random.forEach((t, ti) => {
      for (let a = 0; a < t.k; a++) {
        zCol[i * nzPerRow + m] = layout.terms[ti].uOffset + t.index[i] * t.k + a;
        zVal[i * nzPerRow + m] = t.Z[i * t.k + a];
        m++;
      }
    });
  }
  const ZtZ = new Float64Array(q * q), ZtX = new Float64Array(q * p), Zty = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < nzPerRow; a++) {
      const ca = zCol[i * nzPerRow + a], va = zVal[i * nzPerRow + a];
      for (let c = 0; c < nzPerRow; c++) ZtZ[ca * q + zCol[i * nzPerRow + c]] += va * zVal[i * nzPerRow + c];
      for (let j = 0; j < p; j++) ZtX[ca * p + j] += va * X[i * p + j];
      Zty[ca] += va * y[i];
    }
  }
  const XtX = crossprod(X, n, p, X, p), Xty = crossprod(X, n, p, y, 1);

  /** M ← Λᵀ M for M with q rows and m columns (T_tᵀ applied to each level block). */
  const applyLambdaT = (Ts: Float64Array[], M: Float64Array, m: number): void => {
    design.random.forEach((t, ti) => {
      const k = t.k, T = Ts[ti], tmp = new Float64Array(k * m);
      for (let l = 0; l < t.levels.length; l++) {
        const o = layout.terms[ti].uOffset + l * k;
        tmp.fill(0);
        for (let a = 0; a < k; a++) for (let r = a; r < k; r++) {
          const v = T[r * k + a];
          if (v !== 0) for (let c = 0; c < m; c++) tmp[a * m + c] += v * M[(o + r) * m + c];
        }
        M.set(tmp, o * m);
      }
    });
  };

  const evaluate = (theta: ArrayLike<number>): PlsSolution => {
    const Ts = thetaTemplates(layout, theta);
    // A = Λᵀ ZᵀZ Λ + I: Λᵀ (ZᵀZ) then (Λᵀ (Λᵀ ZᵀZ)ᵀ)ᵀ by symmetry.
    const A = Float64Array.from(ZtZ);
    applyLambdaT(Ts, A, q);
    for (let i = 0; i < q; i++) for (let j = i + 1; j < q; j++) { const t = A[i * q + j]; A[i * q + j] = A[j * q + i]; A[j * q + i] = t; }
    applyLambdaT(Ts, A, q);
    for (let i = 0; i < q; i++) A[i * q + i] += 1;
    const logdetL2 = choleskyInPlaceSpd(A, q);
    const RZX = Float64Array.from(ZtX);
    applyLambdaT(Ts, RZX, p);
    solveLower(A, q, RZX, p);
    const cu = Float64Array.from(Zty);
    applyLambdaT(Ts, cu, 1);
    solveLower(A, q, cu, 1);
    const RXt = crossprod(RZX, q, p, RZX, p);
    for (let i = 0; i < p * p; i++) RXt[i] = XtX[i] - RXt[i];
    const logdetRX2 = choleskyInPlaceSpd(RXt, p);
    const rhs = crossprod(RZX, q, p, cu, 1);
    for (let j = 0; j < p; j++) rhs[j] = Xty[j] - rhs[j];
    solveLower(RXt, p, rhs, 1);
    solveLowerT(RXt, p, rhs, 1);
    const beta = rhs;
    // u = L⁻ᵀ (c_u − R_ZX β), b = Λ u
    const u = Float64Array.from(cu);
    for (let i = 0; i < q; i++) { let s = 0; for (let j = 0; j < p; j++) s += RZX[i * p + j] * beta[j]; u[i] -= s; }
    solveLowerT(A, q, u, 1);
    const b = new Float64Array(q);
    design.random.forEach((t, ti) => {
      const k = t.k, T = Ts[ti];
      for (let l = 0; l < t.levels.length; l++) {
        const o = layout.terms[ti].uOffset + l * k;
        for (let r = 0; r < k; r++) { let s = 0; for (let a = 0; a <= r; a++) s += T[r * k + a] * u[o + a]; b[o + r] = s; }
      }
    });
    let pwrss = 0;
    for (let i = 0; i < q; i++) pwrss += u[i] * u[i];
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < p; j++) f += X[i * p + j] * beta[j];
      for (let a = 0; a < nzPerRow; a++) f += zVal[i * nzPerRow + a] * b[zCol[i * nzPerRow + a]];
      pwrss += (y[i] - f) ** 2;
    }
    const nu = reml ? n - p : n;
    const criterion = logdetL2 + (reml ? logdetRX2 : 0) + nu * (1 + Math.log(2 * Math.PI * pwrss / nu));
    return { criterion, beta, pwrss, sigma2: pwrss / nu, L: A, RXt, b, logdetL2, logdetRX2 };
  };
  return { layout, evaluate };
}
