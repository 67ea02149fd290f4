/**
 * The inner problem of the Laplace fit of a GLMM with two linear predictors that both carry random
 * effects (a zero-inflated / hurdle family whose zero formula has terms, glmmTMB's
 * `ziformula = ~ x + (1|g)`), as TMB computes it (Kristensen et al. 2016, JSS 70(5), eq. 2–4):
 *   η = Xβ + offset + Z_c Λ_c u_c,   ζ = X_z β_z + Z_z Λ_z u_z   (ζ = logit zi or logit hu),
 *   û = argmax_u f(u),  f(u) = Σ_i ℓ_i(η_i, ζ_i) − ½‖u‖²,  u = (u_c, u_z) spherical,
 *   −2 log L ≈ −2 Σ_i ℓ_i(η̂_i, ζ̂_i) + ‖û‖² + log det H,  H = I + Λᵀ Zᵀ W Z Λ,
 * with W_i the 2 × 2 negative Hessian of ℓ_i in (η_i, ζ_i) (exact, as TMB's: the observed, not the
 * expected, information). One predictor's PIRLS weights cannot give the cross term W_ηζ, so the mode is
 * found by damped Newton on the dense H (the rows' ℓ, gradient and W: joint-model.ts). Dense float64:
 * fine for the sizes glmmTMB users fit (up to JOINT_MAX_Q = 3000 random effects, joint-model.ts).
 */
import { choleskyInPlace, solveLower, solveLowerT } from '../linalg/cholesky.js';
import { fixedParts, predictors, rowAt, rowDerivatives, scratch, zLambda, type FixedParts, type JointModel, type JointPoint, type RowScratch, type ZLambda } from './joint-model.js';

/** The conditional mode at one outer point. */
export interface JointMode {
  readonly u: Float64Array;
  /** Σ ℓ_i with every constant. */
  readonly sumLogLik: number;
  /** Lower Cholesky factor of H at û (q × q), null when H is not positive definite. */
  readonly L: Float64Array | null;
  readonly logDetH: number;
  /** −2 Σ ℓ + ‖û‖² + log det H; +∞ when H is not positive definite or the rows are invalid. */
  readonly deviance: number;
  readonly converged: boolean;
  readonly iterations: number;
}


/** f(u) = Σ ℓ_i − ½‖u‖² (with the rows' constants); −∞ when a row is not finite. */
export function jointObjective(m: JointModel, fp: FixedParts, zl: ZLambda, u: Float64Array, sc: RowScratch = scratch(m)): number {
  let s = 0;
  for (let i = 0; i < m.design.nobs; i++) {
    predictors(m, fp, zl, u, i, sc.ez);
    s += rowAt(m, fp, i, sc.ez[0], sc.ez[1], sc) + m.rowConst[i];
  }
  let uu = 0;
  for (let j = 0; j < u.length; j++) uu += u[j] * u[j];
  const f = s - uu / 2;
  return Number.isFinite(f) ? f : -Infinity;
}

/** The gradient ∇f = (ZΛ)ᵀ(ℓ_η, ℓ_ζ) − u and H = I + (ZΛ)ᵀ W (ZΛ) (dense q × q) at u. */
export function jointGradientHessian(m: JointModel, fp: FixedParts, zl: ZLambda, u: Float64Array): { grad: Float64Array; H: Float64Array; value: number } {
  const q = m.q, K = zl.K, sc = scratch(m);
  const grad = Float64Array.from(u, (v) => -v);
  const H = new Float64Array(q * q);
  for (let j = 0; j < q; j++) H[j * q + j] = 1;
  const g = new Float64Array(2), w = new Float64Array(3);
  let s = 0;
  for (let i = 0; i < m.design.nobs; i++) {
    predictors(m, fp, zl, u, i, sc.ez);
    s += rowDerivatives(m, fp, i, sc.ez[0], sc.ez[1], g, w, sc) + m.rowConst[i];
    for (let a = i * K; a < (i + 1) * K; a++) {
      const ca = zl.cols[a], va = zl.vals[a], pa = zl.part[a];
      grad[ca] += va * g[pa];
      for (let b = i * K; b < (i + 1) * K; b++) {
        const wab = w[zl.part[b] + pa];
        H[ca * q + zl.cols[b]] += va * zl.vals[b] * wab;
      }
    }
  }
  let uu = 0;
  for (let j = 0; j < q; j++) uu += u[j] * u[j];
  return { grad, H, value: s - uu / 2 };
}

/** δ = (H + λI)⁻¹ g with the smallest λ ∈ {0, 1e-6·…, ×10} that makes H + λI positive definite. */
function dampedStep(H: Float64Array, g: Float64Array, q: number): Float64Array {
  let lambda = 0;
  for (let t = 0; t < 30; t++) {
    const A = Float64Array.from(H);
    for (let j = 0; j < q; j++) A[j * q + j] += lambda;
    if (choleskyInPlace(A, q) !== null) return cholSolve(A, q, g);
    lambda = lambda === 0 ? 1e-6 : lambda * 10;
  }
  return Float64Array.from(g);
}

/** x = (L Lᵀ)⁻¹ b with L the lower factor (q × q). */
export function cholSolve(L: Float64Array, q: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  solveLower(L, q, x, 1);
  solveLowerT(L, q, x, 1);
  return x;
}

/**
 * The joint conditional mode by damped Newton from uStart (step halving on f; H + λI where H is not
 * positive definite), then the Laplace deviance there; +∞ when H at the mode is not positive definite.
 */
export function jointMode(m: JointModel, pt: JointPoint, uStart: Float64Array, maxIter = 100): JointMode {
  const fp = fixedParts(m, pt);
  const zl = zLambda(m, pt.theta);
  const q = m.q;
  let u = Float64Array.from(uStart);
  let f = jointObjective(m, fp, zl, u);
  if (!Number.isFinite(f)) { u = new Float64Array(q); f = jointObjective(m, fp, zl, u); }
  let converged = false, it = 0;
  let atU: ReturnType<typeof jointGradientHessian> | null = null;
  for (; it < maxIter && Number.isFinite(f); it++) {
    atU = jointGradientHessian(m, fp, zl, u);
    const { grad, H } = atU;
    const delta = dampedStep(H, grad, q);
    let dec = 0, step0 = 0;
    for (let j = 0; j < q; j++) { dec += grad[j] * delta[j]; step0 = Math.max(step0, Math.abs(delta[j])); }
    // the mode to ~1e-12 in u, not only f to its rounding: the deviance's log det H is not stationary
    // in u, and the outer fit differentiates the deviance by differences (steps 1e-5 and 1e-4)
    if (step0 < 1e-11 * Math.max(1, ...Array.from(u, Math.abs))) { converged = true; break; }
    // near the mode f's gain (dec/2) is at its rounding level: Newton's full step, quadratic there
    if (dec < 1e-10 * (1 + Math.abs(f))) {
      u = Float64Array.from(u, (v, j) => v + delta[j]);
      f = jointObjective(m, fp, zl, u);
      atU = null;
      continue;
    }
    let step = 1, accepted = false;
    for (let h = 0; h < 40; h++, step /= 2) {
      const un = Float64Array.from(u, (v, j) => v + step * delta[j]);
      const fn = jointObjective(m, fp, zl, un);
      if (fn >= f) { u = un; f = fn; accepted = true; atU = null; break; }
    }
    if (!accepted) { converged = true; break; }
  }
  return laplaceAtMode(m, atU ?? jointGradientHessian(m, fp, zl, u), u, converged, it);
}

/** The deviance −2 Σℓ + ‖u‖² + log det H at the mode u (`at`: f and H there). */
function laplaceAtMode(m: JointModel, at: { readonly H: Float64Array; readonly value: number }, u: Float64Array, converged: boolean, iterations: number): JointMode {
  const { H, value } = at;
  const L = Float64Array.from(H);
  const logDetH = choleskyInPlace(L, m.q);
  let uu = 0;
  for (let j = 0; j < m.q; j++) uu += u[j] * u[j];
  const sumLogLik = value + uu / 2;
  const ok = logDetH !== null && Number.isFinite(value);
  return {
    u, sumLogLik, L: ok ? L : null, logDetH: logDetH ?? NaN,
    deviance: ok ? -2 * sumLogLik + uu + (logDetH as number) : Infinity, converged, iterations,
  };
}
