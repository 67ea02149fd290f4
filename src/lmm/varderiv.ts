/**
 * Derivatives of the LMM's marginal covariance V = Σ_r γ_r G_r with respect to its variance
 * parameters γ, the quantities Kenward–Roger and Satterthwaite share (Kenward & Roger 1997;
 * pbkrtest's `LMM_Sigma_G` and `vcovAdj16_internal`; lmerTest's `devfun_vp`).
 * γ lists, term by term, the variances and covariances of the random-effect columns
 * (G_r = Σ_levels z_a z_aᵀ, or z_a z_bᵀ + z_b z_aᵀ for a covariance), then the residual variance (G = I).
 * Dense n × n: V⁻¹ by Woodbury from the fit, so the cost is O(n² (q + p + #γ)).
 */
import type { LmmFit } from './lmm.js';
import { GlmmInputError } from '../../base/errors.js';
import { thetaTemplates } from '../design/theta.js';
import { crossprod, matMul, traceProd } from '../linalg/dense.js';
import { choleskyInPlaceSpd, invSpd } from '../linalg/cholesky.js';

/** Largest n for the dense n × n computations of the denominator df. */
export const MAX_DENSE_N = 4000;

/** One variance parameter γ_r: its place and how G_r acts on a vector. */
export interface VarParam {
  /** Term index, or -1 for the residual. */
  readonly term: number;
  readonly a: number;
  readonly b: number;
  /** Its value at the fit. */
  readonly value: number;
}

/** Everything about V, P and their derivatives that the df methods need. */
export interface VarDeriv {
  readonly n: number;
  readonly p: number;
  readonly params: readonly VarParam[];
  /** Φ = (Xᵀ V⁻¹ X)⁻¹, p × p. */
  readonly Phi: Float64Array;
  /** P_r = −Xᵀ W G_r W X (pbkrtest's P), p × p each. */
  readonly Pr: readonly Float64Array[];
  /** Q_rs = Xᵀ W G_r W G_s W X for r ≤ s, index r·m + s (both orders filled). */
  readonly Q: readonly Float64Array[];
  /** tr(W G_r W G_s) (m × m). */
  readonly Ktrace: Float64Array;
  /** tr(P G_r P G_s) with P = W − W X Φ Xᵀ W (m × m): twice the expected REML information. */
  readonly IE2: Float64Array;
  /** Gradient of the −2·(RE)ML criterion with respect to γ (zero at an interior optimum). */
  readonly grad: Float64Array;
  /** Hessian of the −2·(RE)ML criterion with respect to γ (observed; m × m). */
  readonly hess: Float64Array;
  /** ∂Φ/∂γ_r = −Φ P_r Φ. */
  readonly dPhi: readonly Float64Array[];
}

/** Applies G_r to the n × c matrix M (row-major) and returns G_r M. */
export function applyG(fit: LmmFit, r: VarParam, M: Float64Array, c: number): Float64Array {
  const n = fit.nobs;
  if (r.term < 0) return Float64Array.from(M);
  const t = fit.design.random[r.term], k = t.k, L = t.levels.length;
  const sa = new Float64Array(L * c), sb = new Float64Array(L * c);
  for (let i = 0; i < n; i++) {
    const l = t.index[i], za = t.Z[i * k + r.a], zb = t.Z[i * k + r.b];
    for (let j = 0; j < c; j++) { sa[l * c + j] += za * M[i * c + j]; sb[l * c + j] += zb * M[i * c + j]; }
  }
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const l = t.index[i], za = t.Z[i * k + r.a], zb = t.Z[i * k + r.b];
    for (let j = 0; j < c; j++) {
      out[i * c + j] = r.a === r.b ? za * sa[l * c + j] : za * sb[l * c + j] + zb * sa[l * c + j];
    }
  }
  return out;
}

/** The variance parameters γ of a fit, in pbkrtest's order (per term the lower triangle by columns, then the residual). */
export function varParams(fit: LmmFit): VarParam[] {
  const s2 = fit.sigma ** 2, Ts = thetaTemplates(fit.layout, fit.theta);
  const out: VarParam[] = [];
  fit.design.random.forEach((t, ti) => {
    const k = t.k, T = Ts[ti];
    for (let b = 0; b < k; b++) for (let a = b; a < k; a++) {
      if (a !== b && !t.cov.correlated) continue;
      let s = 0;
      for (let c = 0; c < k; c++) s += T[a * k + c] * T[b * k + c];
      out.push({ term: ti, a, b, value: s2 * s });
    }
  });
  out.push({ term: -1, a: 0, b: 0, value: s2 });
  return out;
}

/** W = V⁻¹ (n × n) by Woodbury: V = σ²(I + ZΛΛᵀZᵀ), V⁻¹ = σ⁻²(I − M Mᵀ), M = ZΛ L_θ⁻ᵀ with L_θ L_θᵀ = ΛᵀZᵀZΛ + I. */
export function vInverse(fit: LmmFit): Float64Array {
  const d = fit.design, n = fit.nobs, q = fit.layout.q, s2 = fit.sigma ** 2;
  const Ts = thetaTemplates(fit.layout, fit.theta);
  const ZL = new Float64Array(n * q);
  d.random.forEach((t, ti) => {
    const k = t.k, T = Ts[ti];
    for (let i = 0; i < n; i++) {
      const o = fit.layout.terms[ti].uOffset + t.index[i] * k;
      for (let c = 0; c < k; c++) { let s = 0; for (let a = c; a < k; a++) s += t.Z[i * k + a] * T[a * k + c]; ZL[i * q + o + c] = s; }
    }
  });
  const A = crossprod(ZL, n, q, ZL, q);
  for (let i = 0; i < q; i++) A[i * q + i] += 1;
  choleskyInPlaceSpd(A, q);
  // M = ZΛ L⁻ᵀ: solve L Mᵀ = (ZΛ)ᵀ.
  const Mt = new Float64Array(q * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) Mt[j * n + i] = ZL[i * q + j];
  for (let i = 0; i < q; i++) {
    for (let k2 = 0; k2 < i; k2++) { const l = A[i * q + k2]; if (l !== 0) for (let c = 0; c < n; c++) Mt[i * n + c] -= l * Mt[k2 * n + c]; }
    const dd = A[i * q + i];
    for (let c = 0; c < n; c++) Mt[i * n + c] /= dd;
  }
  const W = crossprod(Mt, q, n, Mt, n);
  for (let i = 0; i < n * n; i++) W[i] = -W[i] / s2;
  for (let i = 0; i < n; i++) W[i * n + i] += 1 / s2;
  return W;
}

/** Computes the variance-parameter derivatives of a fit (REML or ML criterion for grad and hess). */
export function varDeriv(fit: LmmFit): VarDeriv {
  const n = fit.nobs, p = fit.design.fixed.p, X = fit.design.fixed.X;
  if (n > MAX_DENSE_N) throw new GlmmInputError(`${n} rows: Kenward–Roger and Satterthwaite df use dense n × n matrices (at most ${MAX_DENSE_N} rows); use ddf 'asymptotic' (z and χ² tests) for data this large`);
  const params = varParams(fit), m = params.length;
  const W = vInverse(fit);
  const WX = matMul(W, n, n, X, p);
  const Phi = invSpd(crossprod(X, n, p, WX, p), p);
  const y = Float64Array.from(fit.design.response.y);
  if (fit.design.offset) for (let i = 0; i < n; i++) y[i] -= fit.design.offset[i];
  const res = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = y[i]; for (let j = 0; j < p; j++) s -= X[i * p + j] * fit.beta[j]; res[i] = s; }
  const e = matMul(W, n, n, res, 1); // P y = W (y − X β̂)
  const GW = params.map((r) => applyG(fit, r, W, n)); // G_r W
  const GWX = params.map((r) => applyG(fit, r, WX, p)); // G_r W X
  const Ge = params.map((r) => applyG(fit, r, e, 1)); // G_r P y
  const Pr = GWX.map((g) => { const v = crossprod(WX, n, p, g, p); for (let i = 0; i < v.length; i++) v[i] = -v[i]; return v; });
  const WGWX = GWX.map((g) => matMul(W, n, n, g, p)); // W G_r W X
  const Q: Float64Array[] = new Array(m * m);
  const Ktrace = new Float64Array(m * m), IE2 = new Float64Array(m * m), hess = new Float64Array(m * m);
  const PhiP = Pr.map((P) => matMul(Phi, p, p, P, p));
  // P G_s e = W G_s e − W X Φ Xᵀ W G_s e
  const PGe = Ge.map((g) => {
    const wg = matMul(W, n, n, g, 1), xt = crossprod(WX, n, p, g, 1), ph = matMul(Phi, p, p, xt, 1), corr = matMul(WX, n, p, ph, 1);
    for (let i = 0; i < n; i++) wg[i] -= corr[i];
    return wg;
  });
  for (let r = 0; r < m; r++) for (let s = r; s < m; s++) {
    const Qrs = crossprod(GWX[r], n, p, WGWX[s], p);
    Q[r * m + s] = Qrs;
    Q[s * m + r] = crossprod(GWX[s], n, p, WGWX[r], p);
    const kt = traceProd(GW[r], GW[s], n);
    Ktrace[r * m + s] = Ktrace[s * m + r] = kt;
    const ie = kt - 2 * traceProd(Phi, Qrs, p) + traceProd(PhiP[r], PhiP[s], p);
    IE2[r * m + s] = IE2[s * m + r] = ie;
    let quad = 0;
    for (let i = 0; i < n; i++) quad += Ge[r][i] * PGe[s][i];
    // −2ℓ_R: ∂²/∂γ_r∂γ_s = −tr(P G_r P G_s) + 2 eᵀ G_r P G_s e;  −2ℓ: −tr(W G_r W G_s) + 2 eᵀ G_r P G_s e
    const h = (fit.reml ? -ie : -kt) + 2 * quad;
    hess[r * m + s] = hess[s * m + r] = h;
  }
  const grad = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let trWG = 0;
    for (let i = 0; i < n; i++) trWG += GW[r][i * n + i];
    let eGe = 0;
    for (let i = 0; i < n; i++) eGe += e[i] * Ge[r][i];
    // tr(P G_r) = tr(W G_r) − tr(Φ Xᵀ W G_r W X) = tr(W G_r) + tr(Φ P_r)
    const trPG = trWG + (fit.reml ? traceProd(Phi, Pr[r], p) : 0);
    grad[r] = trPG - eGe;
  }
  const dPhi = Pr.map((P) => { const v = matMul(matMul(Phi, p, p, P, p), p, p, Phi, p); for (let i = 0; i < v.length; i++) v[i] = -v[i]; return v; });
  return { n, p, params, Phi, Pr, Q, Ktrace, IE2, grad, hess, dPhi };
}
