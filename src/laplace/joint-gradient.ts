/**
 * The gradient of the joint Laplace deviance (joint.ts) D(x) = −2 f(û(x), x) + log det H(û(x), x) in
 * the coefficients of both linear predictors, analytic as TMB's (Kristensen et al. 2016, JSS 70(5) §2:
 * the envelope theorem for f, the implicit derivative dû/dx = H⁻¹ ∂g/∂x of the mode for log det H).
 * With A_i row i's ZΛ (2 × q), P = H⁻¹, M_i = A_i P A_iᵀ and a_i = (tr M_i ∂W_i/∂η, tr M_i ∂W_i/∂ζ),
 *   dD/dx_k = Σ_i r_i · ∂(η_i, ζ_i)/∂x_k,  r_i = −2 ∇ℓ_i + a_i − W_i A_i v,  v = P Σ_i A_iᵀ a_i,
 * for a coefficient of η (β: ∂η_i/∂β_j = X_ij) or of ζ (β_z: X_z,ij). ∂W/∂η and ∂W/∂ζ (the third
 * derivatives of ℓ) by central differences of W; the other coordinates (θ, NB's shape) by central
 * differences of D. P is the dense inverse (q ≤ 3000, joint-model.ts).
 */
import { solveLower, solveLowerT } from '../linalg/cholesky.js';
import { fixedParts, predictors, rowDerivatives, scratch, splitJoint, zLambda, type JointModel } from './joint-model.js';
import type { JointMode } from './joint.js';

/** Step of the central differences of W that give its derivatives in η and ζ. */
const W3_STEP = 1e-3;

/** Step of the central differences of D in the coordinates without an analytic derivative, relative to max(1, |x_i|). */
export const GRADIENT_STEP = 1e-5;

/** The x indices of the coefficients of η (β) and of ζ (the zero formula's β_z) with their design matrices. */
function predictorCoordinates(m: JointModel): { readonly beta: number; readonly zero: { readonly offset: number; readonly p: number; readonly X: Float64Array } } {
  const nt = m.nTheta, p = m.design.fixed.p;
  const f = m.fl.formulas.find((g) => g.rowOffset === m.zeroRow);
  if (!f) throw new Error('predictorCoordinates: no zero formula');
  return { beta: nt, zero: { offset: nt + p + f.blockOffset, p: f.p, X: f.X } };
}

/** Whether x[k] has the analytic derivative (a coefficient of η or ζ). */
export function analyticCoordinates(m: JointModel, d: number): boolean[] {
  const pc = predictorCoordinates(m), p = m.design.fixed.p;
  return Array.from({ length: d }, (_, k) => (k >= pc.beta && k < pc.beta + p) || (k >= pc.zero.offset && k < pc.zero.offset + pc.zero.p));
}

/** H⁻¹ from its lower factor L (q × q). */
function inverseFromFactor(L: Float64Array, q: number): Float64Array {
  const P = new Float64Array(q * q);
  for (let i = 0; i < q; i++) P[i * q + i] = 1;
  solveLower(L, q, P, q);
  solveLowerT(L, q, P, q);
  return P;
}

/** Per row r_i (n × 2, module comment) at the mode of x. */
function rowResiduals(m: JointModel, x: Float64Array, mode: JointMode): Float64Array {
  const n = m.design.nobs, q = m.q, pt = splitJoint(m, x);
  const fp = fixedParts(m, pt), zl = zLambda(m, pt.theta), K = zl.K, u = mode.u, sc = scratch(m);
  const P = inverseFromFactor(mode.L as Float64Array, q);
  const g = new Float64Array(2), w = new Float64Array(3), wp = new Float64Array(3), wm = new Float64Array(3), gs = new Float64Array(2);
  const grads = new Float64Array(2 * n), ws = new Float64Array(3 * n), as = new Float64Array(2 * n);
  const s = new Float64Array(q);
  const h = W3_STEP;
  for (let i = 0; i < n; i++) {
    predictors(m, fp, zl, u, i, sc.ez);
    const eta = sc.ez[0], zeta = sc.ez[1];
    rowDerivatives(m, fp, i, eta, zeta, g, w, sc);
    // M_i = A_i P A_iᵀ (2 × 2 as [ηη, ηζ, ζζ])
    const M = [0, 0, 0];
    for (let a = i * K; a < (i + 1) * K; a++) for (let b = i * K; b < (i + 1) * K; b++) M[zl.part[a] + zl.part[b]] += zl.vals[a] * zl.vals[b] * P[zl.cols[a] * q + zl.cols[b]];
    M[1] /= 2; // the off-diagonal entry was summed from both (η, ζ) and (ζ, η)
    const trMdW = (): number => M[0] * (wp[0] - wm[0]) / (2 * h) + 2 * M[1] * (wp[1] - wm[1]) / (2 * h) + M[2] * (wp[2] - wm[2]) / (2 * h);
    rowDerivatives(m, fp, i, eta + h, zeta, gs, wp, sc);
    rowDerivatives(m, fp, i, eta - h, zeta, gs, wm, sc);
    const aE = trMdW();
    rowDerivatives(m, fp, i, eta, zeta + h, gs, wp, sc);
    rowDerivatives(m, fp, i, eta, zeta - h, gs, wm, sc);
    const aZ = trMdW();
    grads.set(g, 2 * i); ws.set(w, 3 * i); as[2 * i] = aE; as[2 * i + 1] = aZ;
    for (let a = i * K; a < (i + 1) * K; a++) s[zl.cols[a]] += zl.vals[a] * (zl.part[a] === 0 ? aE : aZ);
  }
  const v = Float64Array.from(s);
  solveLower(mode.L as Float64Array, q, v, 1);
  solveLowerT(mode.L as Float64Array, q, v, 1);
  const r = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let avE = 0, avZ = 0;
    for (let a = i * K; a < (i + 1) * K; a++) {
      if (zl.part[a] === 0) avE += zl.vals[a] * v[zl.cols[a]];
      else avZ += zl.vals[a] * v[zl.cols[a]];
    }
    const W = ws.subarray(3 * i, 3 * i + 3);
    r[2 * i] = -2 * grads[2 * i] + as[2 * i] - (W[0] * avE + W[1] * avZ);
    r[2 * i + 1] = -2 * grads[2 * i + 1] + as[2 * i + 1] - (W[1] * avE + W[2] * avZ);
  }
  return r;
}

/**
 * dD/dx into g: analytic in the coefficients of η and ζ (module comment), central differences of `f` in
 * the other coordinates (one-sided forward where x_i − h is below its bound). `mode` is the mode at x.
 */
export function jointGradient(m: JointModel, x: Float64Array, mode: JointMode, f: (x: Float64Array) => number, lower: ArrayLike<number>, fx: number, g: Float64Array): void {
  const pc = predictorCoordinates(m), n = m.design.nobs, { X, p } = m.design.fixed;
  const analytic = analyticCoordinates(m, x.length);
  if (mode.L) {
    const r = rowResiduals(m, x, mode);
    g.fill(0, pc.beta, pc.beta + p);
    g.fill(0, pc.zero.offset, pc.zero.offset + pc.zero.p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) g[pc.beta + j] += r[2 * i] * X[i * p + j];
      for (let j = 0; j < pc.zero.p; j++) g[pc.zero.offset + j] += r[2 * i + 1] * pc.zero.X[i * pc.zero.p + j];
    }
  }
  for (let k = 0; k < x.length; k++) {
    if (analytic[k] && mode.L) continue;
    const h = GRADIENT_STEP * Math.max(1, Math.abs(x[k]));
    const xp = Float64Array.from(x);
    xp[k] += h;
    const fp = f(xp);
    if (x[k] - h < lower[k]) { g[k] = (fp - fx) / h; continue; }
    const xm = Float64Array.from(x);
    xm[k] -= h;
    g[k] = (fp - f(xm)) / (2 * h);
  }
}
