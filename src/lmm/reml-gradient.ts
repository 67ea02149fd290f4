/**
 * The analytic gradient of the profiled criterion of reml.ts in θ when every random-effect term is
 * scalar (Λ = ⊕_t θ_t I): with M the system of the determinant (the joint one for REML, whose
 * log|M| = log|L_θ|² + log|R_X|², the random-effect one for ML) and M − D = Λ̃GΛ̃ (D the identity on
 * the random effects), ∂M/∂θ_t = (E_t(M − D) + (M − D)E_t)/θ_t, so
 *   ∂ log|M| / ∂θ_t = (2/θ_t)(q_t − tr (M⁻¹)_tt)
 * (the selected inverse of blocked-selinv.ts; 0 at θ_t = 0, where the criterion is even), and by the
 * envelope theorem on the penalized least squares problem ∂r²/∂θ_t = −2 (y − ZΛu − Xβ)ᵀ Z_t u_t, so
 *   ∂/∂θ_t [ν log r²] = −2 ν/r² · residᵀ Z_t u_t.
 * Bates et al. 2015 §3.4–3.6 for the criterion; the trace identity is Jacobi's formula.
 */
import type { Design } from '../design/types.js';
import type { ThetaLayout } from '../design/theta.js';

/** Writes the gradient of the criterion at θ into grad (see the file comment); `scale` is ν/r². */
export function profiledGradient(design: Design, layout: ThetaLayout, theta: ArrayLike<number>, traces: Float64Array,
  u: Float64Array, resid: Float64Array, scale: number, grad: Float64Array): void {
  design.random.forEach((t, ti) => {
    const j = layout.terms[ti].thetaOffset, th = theta[j], qt = t.levels.length, off = layout.terms[ti].uOffset;
    const logdet = th === 0 ? 0 : (2 / th) * (qt - traces[ti]);
    let rz = 0;
    for (let i = 0; i < design.nobs; i++) rz += resid[i] * t.Z[i] * u[off + t.index[i]];
    grad[j] = logdet - 2 * scale * rz;
  });
}
