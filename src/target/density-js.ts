/**
 * The batched log density and its hand-derived gradient in plain float64 JS, for models whose
 * random-effect terms are uncorrelated (centred or non-centred) or correlated and non-centred: the same density as the tfjs one
 * (compile.ts; the reference is logDensity64), without tfjs's fixed cost per op. On small data that
 * cost is all there is: the RCBD model (16 rows, 28 coordinates) takes ~0.5 ms per batched call of 256
 * chains on tfjs-wasm (33 kernels, autograd) and ~0.3 ms here (bench/RESULTS.md logdensity), and not
 * loading tfjs saves ~1 s at start: cbpp, where wasm is faster per call at 256 chains, still answers
 * sooner here (`glmm fit` 1.3 s against 2.1 s with `--backend wasm`, same minutes, 2026-12-03).
 * Larger data go to tfjs (useJsDensity). test/target/density-js-autograd.test.ts holds it equal to the
 * autograd density, value and gradient.
 *
 * Per chain, with v = effects (r = sd·z for a non-centred term, r = q for a centred one, r_j = diag(sd)·L·z_j
 * for a correlated one, L the Cholesky factor of its correlation from Stan's cholesky_corr transform):
 *   η_i = X_i β + offset_i + Σ_t Z_{i,t}·r_{t, index_t(i)}
 *   log p = Σ_i ℓ(y_i | η_i, aux) + auxOnly(log aux) + log priors(β) + Σ_{sd, aux} [log prior(e^u) + u]
 *         + Σ_t (non-centred: −½ Σ z²; centred: −½ Σ r²/sd² − J·log sd) + Σ_corr (log|J| + LKJ kernel of L) + constant
 * and the gradient by the chain rule through G_{t,j} = Σ_{i: index(i)=j} g_i Z_{i,t}, g_i = ∂ℓ_i/∂η_i
 * (a correlated term: ∂/∂z_j = (diag(sd)·L)ᵀ G_j − z_j, ∂/∂log sd_a = Σ_j G_ja r_ja, ∂/∂L_am = sd_a Σ_j G_ja z_jm,
 * then choleskyCorrBackward through the transform and the LKJ prior).
 * The constant (lgamma(y+1), prior normalisers, log √2π) is fixed once so that the value equals
 * logDensity64 at a reference point.
 */
import { LARGE_DATA_WORK } from '../sampler/adaptation/chees-chains.js';
import type { Target } from '../sampler/target.js';
import { evaluateChains, jsDensityData, jsKernel, type JsKernel } from './density-js-kernel.js';
import { logDensity64 } from './logDensity64.js';
import type { ModelSpec } from './parameters.js';

/** Throws unless jsDensityCovers(spec). */
export function checkJsDensity(spec: ModelSpec): void {
  if (!spec.terms.every((t) => !t.correlated || !t.centered)) throw new Error('compileJsDensity: a centred correlated term needs the tfjs density');
  if (spec.user || spec.extras.length > 0) throw new Error('compileJsDensity: user terms, extra parameters and custom families need the tfjs density');
}

/** Whether the plain-JS density can evaluate `spec`: built-in families, no user terms, correlated terms non-centred. */
export function jsDensityCovers(spec: ModelSpec): boolean {
  return spec.terms.every((t) => !t.correlated || !t.centered) && !spec.user && spec.extras.length === 0;
}

/** Work of one chain's gradient in the plain-JS density: rows × (1 + p + Σk) + dim. */
export function perChainWork(spec: ModelSpec): number {
  return spec.design.nobs * (1 + spec.p + spec.terms.reduce((s, t) => s + t.k, 0)) + spec.dim;
}

/**
 * Whether the plain-JS density applies (jsDensityCovers) and pays: its work per call, chains ×
 * perChainWork, at most `maxWork` (1e6), or large data (perChainWork ≥ LARGE_DATA_WORK, where ChEES
 * runs few chains). Measured per batched call against tfjs-wasm (same minutes): RCBD (108 per chain) ×
 * 256 chains ~3× faster in JS, cbpp (356 × 256 = 91k) even; a whole ChEES run on brms's epilepsy
 * (2.2k × 256 = 563k) took 18.8 CPU-s in JS against 32.4 on tfjs-wasm; Salamanders (7.1k × 256 = 1.8M)
 * is ~3× faster per call on tfjs-wasm. The correlated (amount|lot) term of lots_visible (48 rows, 69
 * coordinates; 256 × 309 = 79k) cost 7.9 ms per call of 256 chains on tfjs-wasm (its correlated path is
 * ~70 kernels) and ~0.3 ms here. lme4's VerbAgg (68.6k per chain, dim 348) × 32 chains: 21 CPU-ms per
 * call in JS against 33 on tfjs-wasm's gather path and 38 on its dense one (the one-hot matMul costs
 * dim × rows per chain).
 */
export function useJsDensity(spec: ModelSpec, chains: number, maxWork = 1e6): boolean {
  if (!jsDensityCovers(spec)) return false;
  const work = perChainWork(spec);
  return work * chains <= maxWork || work >= LARGE_DATA_WORK;
}

/** Compiles the plain-JS batched density of `spec` on this thread (see jsDensityCovers, useJsDensity; density-js-threads.ts for several). */
export function compileJsDensity(spec: ModelSpec): Target {
  checkJsDensity(spec);
  const { dim } = spec;
  const one = jsKernel(jsDensityData(spec));
  const constant = calibrate(spec, one);
  const logDensityInto = (q: Float64Array, nChains: number, logp: Float64Array, grad: Float64Array) => evaluateChains(one, constant, dim, q, logp, grad, 0, nChains);
  const logDensity = (q: Float64Array, nChains: number) => {
    const logp = new Float64Array(nChains);
    const grad = new Float64Array(nChains * dim);
    evaluateChains(one, constant, dim, q, logp, grad, 0, nChains);
    return { logp, grad };
  };
  return { dim, logDensity, logDensityInto, names: spec.names };
}

/**
 * The constant c with one(q) + c = logDensity64(q), found at the first reference point where both are
 * finite: q = 0, then q = 0 with the first coefficient at mean(y), 1/mean(y) or 1 (identity and inverse
 * links are undefined at η = 0).
 */
export function calibrate(spec: ModelSpec, one: JsKernel): number {
  const y = spec.design.response.y;
  let my = 0;
  for (const v of y) my += v;
  my = Math.max(1e-3, Math.abs(my / Math.max(1, y.length)));
  const grad = new Float64Array(spec.dim);
  for (const b0 of [0, my, 1 / my, 1]) {
    const q = new Float64Array(spec.dim);
    if (spec.p > 0) q[0] = b0;
    const c = logDensity64(spec, q) - one(q, 0, grad);
    if (Number.isFinite(c)) return c;
  }
  throw new Error('compileJsDensity: no reference point where the log density is finite');
}
