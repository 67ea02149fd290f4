/**
 * Kenward–Roger adjusted covariance and denominator df (Kenward & Roger 1997, Biometrics 53:983;
 * pbkrtest 0.5.2's `vcovAdj16_internal`, `.KR_adjust` and `Lb_ddf`, with their notation P, Q, W,
 * A1, A2, B, g, c1–c3, ρ). Covariance parameters are the variances and covariances of the random
 * terms plus the residual variance (V is linear in them, so pbkrtest's R_ij = 0); W = 2·IE2⁻¹ is the
 * inverse expected REML information; Φ_A = Φ + 2Φ(Σ W_ij (Q_ij − P_i Φ P_j))Φ. REML fits only.
 */
import type { LmmFit } from './lmm.js';
import { GlmmInputError } from '../../base/errors.js';
import { templatesLinear } from '../design/theta.js';
import { varDeriv, type VarDeriv } from './varderiv.js';
import { invGeneral, matMul, qform, symEigen } from '../linalg/dense.js';
import { pfUpper } from '../../base/distributions.js';
import type { ContrastTest, FTest } from './satterthwaite.js';

/** The adjusted covariance Φ_A with pbkrtest's attributes P and W. */
export interface KrAdjusted {
  /** Φ_A, p × p. */
  readonly PhiA: Float64Array;
  /** Unadjusted Φ = vcov(β). */
  readonly Phi: Float64Array;
  readonly P: readonly Float64Array[];
  /** W = 2 IE2⁻¹ (m × m). */
  readonly W: Float64Array;
  readonly m: number;
  readonly p: number;
}

/** pbkrtest's vcovAdj: the Kenward–Roger adjusted covariance of β̂. */
/**
 * The df method of an lmer fit when none is asked: Kenward–Roger for REML, Satterthwaite for ML, and
 * Satterthwaite for a structure whose template is not linear in θ (cs, ar1, toep: pbkrtest's KR takes
 * Σ's entries as the variance parameters, which such a structure constrains).
 */
export function defaultDdf(fit: Pick<LmmFit, 'reml' | 'layout'>): 'kenward-roger' | 'satterthwaite' {
  return fit.reml && templatesLinear(fit.layout) ? 'kenward-roger' : 'satterthwaite';
}

export function vcovAdj(fit: LmmFit, vd: VarDeriv = varDeriv(fit)): KrAdjusted {
  if (!fit.reml) throw new GlmmInputError('Kenward–Roger df need a REML fit; refit with reml: true (or use Satterthwaite)');
  if (!templatesLinear(fit.layout)) throw new GlmmInputError('--ddf kenward-roger: a model with cs(), ar1() or toep() terms has Satterthwaite df only (Kenward–Roger as pbkrtest takes the covariance entries as parameters); use --ddf satterthwaite');
  const m = vd.params.length, p = vd.p, Phi = vd.Phi;
  // pbkrtest inverts IE2 when its smallest |eigenvalue| > 1e-10, else uses a generalized inverse.
  const ev = symEigen(vd.IE2, m).values;
  const condi = Math.min(...Array.from(ev, Math.abs));
  const W = condi > 1e-10 ? invGeneral(vd.IE2, m) : pinv(vd.IE2, m);
  for (let i = 0; i < m * m; i++) W[i] *= 2;
  const UU = new Float64Array(p * p);
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) {
    const w = W[i * m + j] * (i === j ? 1 : 2);
    const Qij = vd.Q[i * m + j], Qji = vd.Q[j * m + i];
    const PPhiP = matMul(matMul(vd.Pr[i], p, p, Phi, p), p, p, vd.Pr[j], p);
    const PPhiPt = matMul(matMul(vd.Pr[j], p, p, Phi, p), p, p, vd.Pr[i], p);
    // off-diagonal pairs enter as U + Uᵀ in pbkrtest; symmetrize each pair accordingly
    for (let a = 0; a < p * p; a++) UU[a] += i === j ? w * (Qij[a] - PPhiP[a]) : (w / 2) * (Qij[a] - PPhiP[a] + Qji[a] - PPhiPt[a]);
  }
  const G = matMul(matMul(Phi, p, p, UU, p), p, p, Phi, p);
  const PhiA = new Float64Array(p * p);
  for (let a = 0; a < p * p; a++) PhiA[a] = Phi[a] + 2 * G[a];
  return { PhiA, Phi, P: vd.Pr, W, m, p };
}

function pinv(A: Float64Array, n: number): Float64Array {
  const { values, vectors } = symEigen(A, n);
  const tol = Math.max(n * Math.abs(values[0]) * 2.220446049250313e-16, 0);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    if (Math.abs(values[k]) <= tol) continue;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += (vectors[i * n + k] * vectors[j * n + k]) / values[k];
  }
  return out;
}

/** A1, A2 and the KR ddf and F scaling for the hypothesis rows L (pbkrtest's .KR_adjust / Lb_ddf). */
function krTerms(kr: KrAdjusted, L: readonly ArrayLike<number>[]): { q: number; df2: number; Fscale: number } {
  const p = kr.p, m = kr.m, q = L.length;
  // Θ = Lᵀ (L Φ Lᵀ)⁻¹ L
  const LPL = new Float64Array(q * q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) LPL[i * q + j] = qform(L[i], kr.Phi, L[j], p);
  const inv = invGeneral(LPL, q);
  const Theta = new Float64Array(p * p);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) {
    const w = inv[i * q + j];
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) Theta[a * p + b] += L[i][a] * w * L[j][b];
  }
  const ThetaPhi = matMul(Theta, p, p, kr.Phi, p);
  const U = kr.P.map((P) => matMul(matMul(ThetaPhi, p, p, P, p), p, p, kr.Phi, p));
  const tr = (M: Float64Array): number => { let s = 0; for (let i = 0; i < p; i++) s += M[i * p + i]; return s; };
  let A1 = 0, A2 = 0;
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) {
    const e = i === j ? 1 : 2, w = kr.W[i * m + j];
    A1 += e * w * tr(U[i]) * tr(U[j]);
    let s = 0;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) s += U[i][a * p + b] * U[j][b * p + a];
    A2 += e * w * s;
  }
  const B = (A1 + 6 * A2) / (2 * q);
  const g = ((q + 1) * A1 - (q + 4) * A2) / ((q + 2) * A2);
  const den = 3 * q + 2 * (1 - g);
  const c1 = g / den, c2 = (q - g) / den, c3 = (q + 2 - g) / den;
  let V0 = 1 + c1 * B;
  const V1 = 1 - c2 * B, V2 = 1 - c3 * B;
  if (Math.abs(V0) < 1e-10) V0 = 0;
  const ratio = V1 === 0 ? 0 : (1 - A2 / q) / V1; // pbkrtest's .divZero
  const rho = (1 / q) * ratio * ratio * V0 / V2;
  const df2 = 4 + (q + 2) / (q * rho - 1);
  const Fscale = Math.abs(df2 - 2) < 1e-2 ? 1 : (df2 * (1 - A2 / q)) / (df2 - 2);
  return { q, df2, Fscale };
}

/** Kenward–Roger test of one linear combination ℓᵀβ: SE from Φ_A, df as pbkrtest's Lb_ddf (emmeans' lmer.df = "kenward-roger"). */
export function krContrast(fit: LmmFit, ell: ArrayLike<number>, kr: KrAdjusted = vcovAdj(fit)): ContrastTest {
  const p = kr.p;
  let est = 0;
  for (let j = 0; j < p; j++) est += ell[j] * fit.beta[j];
  return { estimate: est, se: Math.sqrt(qform(ell, kr.PhiA, ell, p)), df: krTerms(kr, [ell]).df2 };
}

/** Kenward–Roger F test of Lβ = 0 (pbkrtest's KRmodcomp / lmerTest's ddf = "Kenward-Roger"): F = scaling · Wald(Φ_A)/q on q and df2 df. */
export function krF(fit: LmmFit, L: readonly ArrayLike<number>[], kr: KrAdjusted = vcovAdj(fit)): FTest {
  const p = kr.p, q = L.length;
  const { df2, Fscale } = krTerms(kr, L);
  const LPL = new Float64Array(q * q), Lb = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) LPL[i * q + j] = qform(L[i], kr.PhiA, L[j], p);
    for (let j = 0; j < p; j++) Lb[i] += L[i][j] * fit.beta[j];
  }
  const wald = qform(Lb, invGeneral(LPL, q), Lb, q);
  const F = (Fscale * wald) / q;
  return { F, numDf: q, denDf: df2, p: pfUpper(F, q, df2) };
}
