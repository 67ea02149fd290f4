/**
 * Satterthwaite denominator df for linear functions of β in a linear mixed model, as lmerTest 3.1
 * computes them (Kuznetsova, Brockhoff & Christensen 2017, JSS 82(13) §3; lmerTest's
 * `calcSatterth`, `contestMD`): the variance parameters are lme4's (θ, σ); A = 2 H⁻¹ with H the
 * Hessian of the −2·(RE)ML criterion in (θ, σ), J_a = ∂vcov(β)/∂(θ,σ)_a; for a contrast ℓ,
 * ν = 2 (ℓᵀΦℓ)² / (gᵀ A g), g_a = ℓᵀ J_a ℓ. lmerTest differentiates numerically; here H and J
 * are analytic: the γ-derivatives of varderiv.ts chained through γ(θ, σ) = σ² T Tᵀ (and σ²),
 * with the gradient term Σ_r ∂crit/∂γ_r · ∂²γ_r that a numerical Hessian also sees off the optimum.
 */
import type { LmmFit } from './lmm.js';
import { thetaTemplateDerivatives, thetaTemplates } from '../design/theta.js';
import { varDeriv, type VarDeriv } from './varderiv.js';
import { invGeneral, qform, symEigen } from '../linalg/dense.js';
import { pfUpper } from '../../base/distributions.js';

/** Asymptotic covariance of (θ, σ) and the Jacobian of vcov(β) with respect to them. */
export interface SatterthwaiteCore {
  /** A = 2 H⁻¹ (d × d), d = length(θ) + 1. */
  readonly A: Float64Array;
  /** ∂Φ/∂(θ,σ)_a, p × p each. */
  readonly jac: readonly Float64Array[];
  readonly Phi: Float64Array;
  readonly p: number;
}

/** Builds A and the Jacobians for a fit (lmerTest's `vcov_varpar` and `Jac_list`). */
export function satterthwaiteCore(fit: LmmFit, vd: VarDeriv = varDeriv(fit)): SatterthwaiteCore {
  const { params, p } = vd, m = params.length, nt = fit.layout.nTheta, d = nt + 1;
  const sigma = fit.sigma, s2 = sigma * sigma;
  const Ts = thetaTemplates(fit.layout, fit.theta);
  const dT = thetaTemplateDerivatives(fit.layout, fit.theta);
  const termOf = fit.layout.entries.map((e) => e.term), localOf = fit.layout.entries.map((e) => e.index);
  // J[r][a] = ∂γ_r/∂vp_a and K[r][a][b] = ∂²γ_r/∂vp_a∂vp_b, γ_r = σ²(T Tᵀ)_ab
  const J = params.map(() => new Float64Array(d));
  const K = params.map(() => new Float64Array(d * d));
  params.forEach((r, ri) => {
    if (r.term < 0) { J[ri][nt] = 2 * sigma; K[ri][nt * d + nt] = 2; return; }
    const k = fit.design.random[r.term].k, T = Ts[r.term], D = dT[r.term], mt = fit.layout.terms[r.term].nTheta;
    // (A Bᵀ)_ab + (B Aᵀ)_ab for k × k A, B
    const sym = (A: Float64Array, B: Float64Array): number => {
      let v = 0;
      for (let c = 0; c < k; c++) v += A[r.a * k + c] * B[r.b * k + c] + B[r.a * k + c] * A[r.b * k + c];
      return v;
    };
    const tt = sym(T, T) / 2;
    J[ri][nt] = 2 * sigma * tt;
    K[ri][nt * d + nt] = 2 * tt;
    for (let i = 0; i < nt; i++) {
      if (termOf[i] !== r.term) continue;
      // ∂(TTᵀ)_ab/∂θ_i = (Ṫ_i Tᵀ + T Ṫ_iᵀ)_ab
      const dtt = sym(D.d1[localOf[i]], T);
      J[ri][i] = s2 * dtt;
      K[ri][i * d + nt] = K[ri][nt * d + i] = 2 * sigma * dtt;
      for (let j = 0; j < nt; j++) {
        if (termOf[j] !== r.term) continue;
        // ∂²(TTᵀ)/∂θ_i∂θ_j = T̈_ij Tᵀ + T T̈_ijᵀ + Ṫ_i Ṫ_jᵀ + Ṫ_j Ṫ_iᵀ
        K[ri][i * d + j] = s2 * (sym(D.d2[localOf[i] * mt + localOf[j]], T) + sym(D.d1[localOf[i]], D.d1[localOf[j]]));
      }
    }
  });
  const H = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
    let h = 0;
    for (let r = 0; r < m; r++) {
      h += vd.grad[r] * K[r][a * d + b];
      for (let s = 0; s < m; s++) h += J[r][a] * vd.hess[r * m + s] * J[s][b];
    }
    H[a * d + b] = h;
  }
  const A = invGeneral(H, d);
  for (let i = 0; i < d * d; i++) A[i] *= 2;
  const jac: Float64Array[] = [];
  for (let a = 0; a < d; a++) {
    const Ja = new Float64Array(p * p);
    for (let r = 0; r < m; r++) { const w = J[r][a]; if (w !== 0) for (let i = 0; i < p * p; i++) Ja[i] += w * vd.dPhi[r][i]; }
    jac.push(Ja);
  }
  return { A, jac, Phi: vd.Phi, p };
}

/** A t test of one linear combination ℓᵀβ. */
export interface ContrastTest {
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
}

/** Satterthwaite df of ℓᵀβ (lmerTest's `contest1D`): ν = 2 (ℓᵀΦℓ)² / (gᵀ A g). */
export function satterthwaiteContrast(fit: LmmFit, ell: ArrayLike<number>, core: SatterthwaiteCore = satterthwaiteCore(fit)): ContrastTest {
  const p = core.p, v = qform(ell, core.Phi, ell, p);
  const g = core.jac.map((J) => qform(ell, J, ell, p));
  const df = (2 * v * v) / qform(g, core.A, g, g.length);
  let est = 0;
  for (let j = 0; j < p; j++) est += ell[j] * fit.beta[j];
  return { estimate: est, se: Math.sqrt(v), df };
}

/** An F test of the rows of L (Lβ = 0). */
export interface FTest {
  readonly F: number;
  readonly numDf: number;
  readonly denDf: number;
  readonly p: number;
}

/**
 * Satterthwaite F test of Lβ = 0 (lmerTest's `contestMD`): F from the eigen-decomposition of LΦLᵀ,
 * one t-df ν_m per eigen-direction, combined as 2E/(E − q), E = Σ ν_m/(ν_m − 2) (Fai & Cornelius 1996).
 */
export function satterthwaiteF(fit: LmmFit, L: readonly ArrayLike<number>[], core: SatterthwaiteCore = satterthwaiteCore(fit)): FTest {
  const p = core.p, r = L.length;
  const VL = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) VL[i * r + j] = qform(L[i], core.Phi, L[j], p);
  const { values, vectors } = symEigen(VL, r);
  const tol = Math.max(Math.sqrt(2.220446049250313e-16) * values[0], 0); // lmerTest: eps = sqrt(.Machine$double.eps)
  const nus: number[] = [];
  let t2sum = 0, q = 0;
  for (let m = 0; m < r; m++) {
    if (!(values[m] > tol)) continue;
    q++;
    const ell = new Float64Array(p);
    for (let i = 0; i < r; i++) for (let j = 0; j < p; j++) ell[j] += vectors[i * r + m] * L[i][j];
    let est = 0;
    for (let j = 0; j < p; j++) est += ell[j] * fit.beta[j];
    t2sum += (est * est) / values[m];
    const g = core.jac.map((J) => qform(ell, J, ell, p));
    nus.push((2 * values[m] * values[m]) / qform(g, core.A, g, g.length));
  }
  const F = t2sum / q;
  const denDf = fStatDdf(nus);
  return { F, numDf: q, denDf, p: pfUpper(F, q, denDf) };
}

/** lmerTest's `get_Fstat_ddf`: one ν as is, equal ν's as ν, else 2E/(E − q) (2 if some ν ≤ 2). */
export function fStatDdf(nu: readonly number[]): number {
  if (nu.length === 1) return nu[0];
  if (nu.every((v) => Math.abs(v - nu[0]) < 1e-8)) return nu[0];
  if (nu.some((v) => v <= 2)) return 2;
  const E = nu.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * E) / (E - nu.length);
}
