/**
 * The analytic gradient of the Laplace deviance D = −2 log p(y | η̂) + ‖û‖² + log|M| (deviance.ts) at the
 * PIRLS mode, when every random-effect term is scalar (Λ = ⊕_k θ_k I) and the family has no parameters and
 * its canonical link (observed = Fisher weights, w = c·dμ/dη, so ∂w/∂η = w·μ''/μ'). With z_k = Z_k u_k
 * (term k's part of η), s = ∂ log p/∂η, a_i = ∂ log|M|/∂η_i = ∂w_i/∂η_i · z̃_iᵀ M_uu⁻¹ z̃_i (z̃_i row i of
 * ZΛ; the leverages of blocked-selinv.ts), c = M⁻¹Jᵀa and e = Jc (J = ZΛ, or [ZΛ X] when β is in PIRLS):
 *   ∂D/∂θ_k = (2/θ_k)(q_k − tr (M_uu⁻¹)_kk) + Σ_i z_k,i (a_i − 2 s_i − w_i e_i) + Σ_i s_i Z_k,i c_k[level_i],
 *   ∂D/∂β   = Xᵀ(a − 2 s − w ∘ e)   (β fixed in PIRLS: the nAGQ = 1 stage),
 * from the envelope theorem on the penalized deviance (its u-gradient ΛᵀZᵀs − u is 0 at the mode), the
 * implicit derivative of the mode (M dû/dθ_k = E_kᵀZᵀs − ΛᵀZᵀW z_k, M dû/dβ = −ΛᵀZᵀWX; joint: the same with
 * [ZΛ X]) and Jacobi's formula on M's direct θ-dependence (as src/lmm/reml-gradient.ts). The stage with β
 * in PIRLS (lme4's nAGQ = 0) has the θ part only. Cost: one selected inversion (the factorisation's order)
 * and one solve. Bates et al. 2015 JSS §5 for the deviance.
 */
import type { FamilyValues } from '../../models/families/types.js';
import type { PenalizedSystem } from './system.js';
import type { PirlsResult } from './pirls.js';
import { rowTerms } from './pirls.js';
import type { LaplaceProblem } from './problem.js';

/** Whether the analytic gradient applies: scalar terms, a family without parameters on its canonical link. */
export function hasLaplaceGradient(prob: LaplaceProblem): boolean {
  const m = prob.model;
  return prob.fam.dim === 0 && m.family.canonicalLink === m.link.name && prob.design.random.length > 0 && prob.structure.terms.every((t) => t.k === 1 && t.nTheta === 1);
}

/** Scratch space of {@link laplaceGradient} for one system (the selected inverse needs ru² numbers). */
export function gradientWork(sys: PenalizedSystem): Float64Array {
  return new Float64Array(sys.ru * sys.ru);
}

/**
 * The deviance's gradient at the mode `res` (PIRLS on `sys` at θ with templates T) into g: the θ part, then
 * the β part when `sys` is the u-only system (g of length nθ + p) — see the file comment.
 */
export function laplaceGradient(prob: LaplaceProblem, sys: PenalizedSystem, T: readonly Float64Array[], theta: ArrayLike<number>,
  res: PirlsResult, work: Float64Array, g: Float64Array): void {
  const { design, model, structure } = prob;
  const n = design.nobs, p = design.fixed.p, X = design.fixed.X, q = structure.q;
  const joint = sys.dim > q;
  const { s, w, dw } = scoreWeights(model, res.eta);
  const sel = res.factor.leverages(T, work);
  const a = Float64Array.from(sel.leverages, (v, i) => v * dw[i]);
  const c = new Float64Array(sys.dim);
  sys.crossprod(T, a, c);
  res.factor.solve(c);
  const e = new Float64Array(n);
  sys.addZLu(T, c.subarray(0, q), e);
  if (joint) for (let i = 0; i < n; i++) { let v = 0; for (let j = 0; j < p; j++) v += X[i * p + j] * c[q + j]; e[i] += v; }
  const r = Float64Array.from(a, (ai, i) => ai - 2 * s[i] - w[i] * e[i]); // ∂D/∂η along the mode's path
  structure.terms.forEach((tl, k) => {
    const j = tl.thetaOffset, th = theta[j], Z = tl.term.Z, idx = tl.term.index, off = tl.uOffset;
    let v = th === 0 ? 0 : (2 / th) * (tl.nLevels - sel.traces[k]);
    for (let i = 0; i < n; i++) v += Z[i] * (res.u[off + idx[i]] * r[i] + s[i] * c[off + idx[i]]);
    g[j] = v;
  });
  if (joint) return;
  const nt = structure.nTheta;
  for (let jb = 0; jb < p; jb++) {
    let v = 0;
    for (let i = 0; i < n; i++) v += X[i * p + jb] * r[i];
    g[nt + jb] = v;
  }
}

const NONE: FamilyValues = new Float64Array(0);

/** s = ∂ log p/∂η, the weights w and ∂w/∂η at η (canonical link: w = c·μ'(η), so ∂w/∂η = w·μ''/μ'). */
function scoreWeights(m: LaplaceProblem['model'], eta: Float64Array): { s: Float64Array; w: Float64Array; dw: Float64Array } {
  const n = eta.length;
  const s = new Float64Array(n), w = new Float64Array(n), mu = new Float64Array(n), dw = new Float64Array(n);
  rowTerms(m, NONE, eta, mu, s, w, 'expected');
  for (let i = 0; i < n; i++) {
    const me = m.link.muEta(eta[i]);
    dw[i] = me > 0 ? (w[i] * m.link.muEta2(eta[i])) / me : 0;
  }
  return { s, w, dw };
}
