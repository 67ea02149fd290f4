/**
 * A linear change of variables that decorrelates the fixed effects from each other and from the random
 * effects, fixed from the Laplace fit before sampling, so that ChEES's diagonal metric sees nearly
 * independent coordinates:
 *   β = L·u              L the lower Cholesky factor of the Laplace vcov(β) (lme4's, marginal over b);
 *   b_j = ũ_j − K_j·(β − β̂)   per level j of each scalar uncorrelated term (b = z non-centred, r centred),
 * where K is the regression of b on β in the Gaussian approximation at the mode, for one term K_j = H_jβ / H_jj
 * (H the negative Hessian of the log density: H_jj = Σ_{i∈j} w_i Z_i² s² + prior precision,
 * H_jβ = Σ_{i∈j} w_i Z_i s X_i, w_i = −∂²ℓ_i/∂η_i², s = sd for z, 1 for r), jointly over the scalar
 * terms when there are several (K = H_uu⁻¹ H_uβ with the crossing's H_tt' blocks, by Gauss–Seidel:
 * jointK). That is partial hierarchical centring (Gelfand, Sahu & Carlin 1995; Papaspiliopoulos,
 * Roberts & Sköld 2007): a level absorbs the part of β its data pin down. It matters where a predictor
 * is constant within a group: VerbAgg's btype and situ are attributes of the item, Anger and Gender of
 * the subject, so β_btype trades off against the mean of its items' effects, and an intercept beside
 * Anger (mean 20) against b_Anger. The map is affine with unit-determinant or constant Jacobian, so the
 * density changes by a constant; the gradient is ∇ũ = ∇b, ∇u = Lᵀ(∇β − Σ_j K_jᵀ ∇b_j). The draws are
 * mapped back before anything reads them, and the ESS stopping rule sees the model's coordinates.
 *
 * Measured on VerbAgg (32 chains × 100 draws, plain-JS density; sample.ts notes the figures).
 */
import type { Draws } from '../../diagnostics/draws.js';
import { familyFor } from '../../models/families/getFamily.js';
import { cholesky } from '../linalg/cholesky.js';
import { familyValues, linearPredictor64 } from '../target/logDensity64.js';
import { rowValues } from '../../models/families/formula-layout.js';
import type { ModelSpec } from '../target/parameters.js';
import type { Target } from '../sampler/target.js';

/** The random effects of one scalar term, with their regression on β (nLevels × p). */
interface LevelBlock {
  readonly offset: number;
  readonly nLevels: number;
  readonly K: Float64Array;
}

/** The change of variables (see the module comment). */
export interface Preconditioner {
  readonly p: number;
  readonly dim: number;
  /** p × p lower triangular, row-major. */
  readonly L: Float64Array;
  /** β̂, the Laplace mode of β. */
  readonly center: Float64Array;
  readonly blocks: readonly LevelBlock[];
}

/** −∂²ℓ_i/∂η² at the mode, floored at 0 (observed information of each row). */
function rowWeights(spec: ModelSpec, mode: Float64Array): Float64Array {
  const n = spec.design.nobs;
  const { family: fam, link } = familyFor(spec.family, spec.link);
  const at = rowValues(spec.familyBlock.formulas, familyValues(spec, mode));
  const eta = linearPredictor64(spec, mode);
  const w = new Float64Array(n);
  const { y, trials } = spec.design.response;
  for (let i = 0; i < n; i++) {
    const mu = link.linkinv(eta[i]);
    const m1 = link.muEta(eta[i]);
    const nT = trials ? trials[i] : 1;
    const aux = at(i);
    const info = -(fam.d2LogLikDmu2(y[i], mu, aux, nT) * m1 * m1 + fam.dLogLikDmu(y[i], mu, aux, nT) * link.muEta2(eta[i]));
    w[i] = Number.isFinite(info) && info > 0 ? info : 0;
  }
  return w;
}

/** One scalar term's normal equations at the mode: H_jj per level, H_jβ (nLevels × p), each row's Z·s. */
interface TermSystem {
  readonly t: ModelSpec['terms'][number];
  readonly hjj: Float64Array;
  readonly hjb: Float64Array;
  readonly zs: Float64Array;
}

function termSystem(spec: ModelSpec, t: ModelSpec['terms'][number], mode: Float64Array, w: Float64Array): TermSystem {
  const p = spec.p;
  const X = spec.design.fixed.X;
  const s = t.centered ? 1 : Math.exp(mode[t.sdOffset]);
  const prior = t.centered ? 1 / Math.exp(2 * mode[t.sdOffset]) : 1;
  const hjj = new Float64Array(t.nLevels).fill(prior);
  const hjb = new Float64Array(t.nLevels * p);
  const zs = new Float64Array(spec.design.nobs);
  for (let i = 0; i < spec.design.nobs; i++) {
    const j = t.index[i];
    zs[i] = t.Z[i] * s;
    hjj[j] += w[i] * zs[i] * zs[i];
    for (let c = 0; c < p; c++) hjb[j * p + c] += w[i] * zs[i] * X[i * p + c];
  }
  return { t, hjj, hjb, zs };
}

/** Gauss–Seidel sweeps at most, and the largest change of K (relative to its largest entry) that stops them. */
const SWEEPS = 200;
const SWEEP_TOL = 1e-6;

/**
 * K = H_uu⁻¹ H_uβ over every scalar term jointly, by block Gauss–Seidel over the terms (each term's
 * H_uu block is diagonal; H_uu is SPD, so the sweeps converge): K_t = H_tt⁻¹ (H_tβ − Σ_{t'≠t} H_tt' K_t'),
 * with H_tt' = Σ_i w_i zs_t,i zs_t',i at the rows' level pairs. One term alone is the first sweep, exact.
 * Crossed terms need it: InstEval's students, lecturers and departments each carry the intercept, and
 * each term's own regression (the crossing ignored) lets the three absorb it three times over.
 */
function jointK(spec: ModelSpec, sys: readonly TermSystem[], w: Float64Array): Float64Array[] {
  const p = spec.p, n = spec.design.nobs;
  const K = sys.map((a) => Float64Array.from(a.hjb, (v, k) => v / a.hjj[Math.floor(k / p)]));
  if (sys.length < 2) return K;
  const acc = sys.map((a) => new Float64Array(a.hjb.length));
  const r = new Float64Array(p);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let change = 0, size = 0;
    sys.forEach((a, b) => {
      const A = acc[b];
      A.set(a.hjb);
      for (let i = 0; i < n; i++) {
        r.fill(0);
        sys.forEach((o, b2) => {
          if (b2 === b) return;
          const base = o.t.index[i] * p, z = o.zs[i];
          for (let c = 0; c < p; c++) r[c] += z * K[b2][base + c];
        });
        const wz = w[i] * a.zs[i], base = a.t.index[i] * p;
        for (let c = 0; c < p; c++) A[base + c] -= wz * r[c];
      }
      for (let k = 0; k < A.length; k++) {
        const v = A[k] / a.hjj[Math.floor(k / p)];
        change = Math.max(change, Math.abs(v - K[b][k]));
        size = Math.max(size, Math.abs(v));
        K[b][k] = v;
      }
    });
    if (change <= SWEEP_TOL * Math.max(size, 1e-300)) break;
  }
  return K;
}

/**
 * The preconditioner of `spec` at the Laplace mode (unconstrained, as laplaceStart gives it) with
 * vcov(β); null when there is no usable vcov (p = 0, not positive definite).
 */
export function buildPreconditioner(spec: ModelSpec, mode: Float64Array, vcov: Float64Array | null): Preconditioner | null {
  const p = spec.p;
  if (!vcov || p < 1 || vcov.length !== p * p || !vcov.every(Number.isFinite)) return null;
  const L = cholesky(vcov, p);
  if (!L) return null;
  const w = rowWeights(spec, mode);
  // (a zero part's random terms are not η's: no block)
  const sys = spec.terms.filter((t) => t.k === 1 && !t.correlated && !t.param).map((t) => termSystem(spec, t, mode, w));
  const K = jointK(spec, sys, w);
  const blocks = sys.map((a, b): LevelBlock => ({ offset: a.t.zOffset, nLevels: a.t.nLevels, K: K[b] }));
  if (!blocks.every((b) => b.K.every(Number.isFinite))) return null;
  return { p, dim: spec.dim, L, center: mode.slice(0, p), blocks };
}

/** Points (nPoints × stride, chain-major) from the sampler's coordinates to the model's, in place. */
export function toModelSpace(pre: Preconditioner, x: Float64Array, nPoints: number, stride = pre.dim): void {
  const { p, L, center, blocks } = pre;
  const d = new Float64Array(p);
  for (let c = 0; c < nPoints; c++) {
    const o = c * stride;
    for (let i = p - 1; i >= 0; i--) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += L[i * p + j] * x[o + j];
      x[o + i] = s;
    }
    for (let j = 0; j < p; j++) d[j] = x[o + j] - center[j];
    for (const b of blocks) shiftLevels(b, x, o, d, p, -1);
  }
}

/** Points from the model's coordinates to the sampler's, in place. */
export function toSamplerSpace(pre: Preconditioner, x: Float64Array, nPoints: number, stride = pre.dim): void {
  const { p, L, center, blocks } = pre;
  const d = new Float64Array(p);
  for (let c = 0; c < nPoints; c++) {
    const o = c * stride;
    for (let j = 0; j < p; j++) d[j] = x[o + j] - center[j];
    for (const b of blocks) shiftLevels(b, x, o, d, p, 1);
    for (let i = 0; i < p; i++) {
      let s = x[o + i];
      for (let j = 0; j < i; j++) s -= L[i * p + j] * x[o + j];
      x[o + i] = s / L[i * p + i];
    }
  }
}

/** x_b += sign·K·d over one block's levels. */
function shiftLevels(b: LevelBlock, x: Float64Array, o: number, d: Float64Array, p: number, sign: number): void {
  for (let j = 0; j < b.nLevels; j++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += b.K[j * p + c] * d[c];
    x[o + b.offset + j] += sign * s;
  }
}

/** The target in the sampler's coordinates (module comment: value unchanged up to a constant, chain rule). */
export function preconditionTarget(target: Target, pre: Preconditioner): Target {
  const { p, L, dim, blocks } = pre;
  const gb = new Float64Array(p);
  const logDensity = (u: Float64Array, nChains: number) => {
    const q = Float64Array.from(u);
    toModelSpace(pre, q, nChains);
    const r = target.logDensity(q, nChains);
    const grad = r.grad;
    for (let c = 0; c < nChains; c++) {
      const o = c * dim;
      for (let j = 0; j < p; j++) gb[j] = grad[o + j];
      for (const b of blocks) {
        for (let l = 0; l < b.nLevels; l++) {
          const g = grad[o + b.offset + l];
          for (let k = 0; k < p; k++) gb[k] -= b.K[l * p + k] * g;
        }
      }
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let i = j; i < p; i++) s += L[i * p + j] * gb[i];
        grad[o + j] = s;
      }
    }
    return { logp: r.logp, grad };
  };
  return { dim, logDensity, names: target.names, dispose: target.dispose };
}

/** Draws in the sampler's coordinates mapped to the model's (a copy). */
export function drawsToModelSpace(pre: Preconditioner, draws: Draws): Draws {
  const data = Float64Array.from(draws.data);
  toModelSpace(pre, data, draws.nChains * draws.nDraws, draws.names.length);
  return { ...draws, data };
}
