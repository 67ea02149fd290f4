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
import type { PriorDist } from '../../models/priors.js';
import { logPriorForm } from '../../models/priors.js';
import { LARGE_DATA_WORK } from '../sampler/adaptation/chees-chains.js';
import type { Target } from '../sampler/target.js';
import { correlatedBackward, correlatedEffects, type JsTerm } from './density-js-terms.js';
import { jsLikelihood } from './likelihood-js.js';
import { logDensity64 } from './logDensity64.js';
import type { ModelSpec } from './parameters.js';

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

/** A prior in the form c + A·log1p(B(x−m)²) + Q(x−m)² + D·x + E·log x: value without c into out[0], ∂/∂x into out[1]. */
function priorTerm(d: PriorDist, half: boolean): (x: number, out: Float64Array) => void {
  const { m, A, B, Q, D, E } = logPriorForm(d, half);
  return (x, out) => {
    const r = x - m;
    const b = B * r * r;
    out[0] = (A ? A * Math.log1p(b) : 0) + Q * r * r + D * x + (E ? E * Math.log(x) : 0);
    out[1] = (A ? (2 * A * B * r) / (1 + b) : 0) + 2 * Q * r + D + (E ? E / x : 0);
  };
}

/** Compiles the plain-JS batched density of `spec` (see jsDensityCovers, useJsDensity). */
export function compileJsDensity(spec: ModelSpec): Target {
  if (!spec.terms.every((t) => !t.correlated || !t.centered)) throw new Error('compileJsDensity: a centred correlated term needs the tfjs density');
  if (spec.user || spec.extras.length > 0) throw new Error('compileJsDensity: user terms, extra parameters and custom families need the tfjs density');
  const { dim, p, design } = spec;
  const n = design.nobs;
  const X = design.fixed.X;
  const offset = design.offset;
  const lik = jsLikelihood(spec.family, spec.link, design.response.y, design.response.trials);
  const row = lik.row;
  const bPrior = spec.bPriors.map((d) => priorTerm(d, false));
  const terms: JsTerm[] = spec.terms.map((t) => ({
    k: t.k, nLevels: t.nLevels, centered: t.centered, sdOffset: t.sdOffset, zOffset: t.zOffset, index: t.index, Z: t.Z,
    prior: t.sdPriors.map((d) => priorTerm(d, true)), sd: new Float64Array(t.k),
    cov: t.cov, corOffset: t.correlated ? t.corOffset : -1, lkjEta: t.lkjEta,
    L: new Float64Array(t.k * t.k), dL: new Float64Array(t.k * t.k), r: new Float64Array(t.correlated ? t.nLevels * t.k : 0),
  }));
  const auxPrior = spec.aux ? priorTerm(spec.aux.prior, true) : null;
  const aOff = spec.aux ? spec.aux.offset : -1;
  const eta = new Float64Array(n);
  const g = new Float64Array(n);
  const out = new Float64Array(3);

  /** Priors on β, sd and aux (with the log-sd Jacobians): value, gradient written into grad[o..]. */
  const priors = (q: Float64Array, o: number, grad: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < p; j++) {
      bPrior[j](q[o + j], out);
      s += out[0];
      grad[o + j] = out[1];
    }
    for (const t of terms) {
      for (let a = 0; a < t.prior.length; a++) {
        const u = q[o + t.sdOffset + a];
        const x = Math.exp(u);
        t.prior[a](x, out);
        s += out[0] + u;
        grad[o + t.sdOffset + a] = out[1] * x + 1;
      }
      for (let a = 0; a < t.k; a++) t.sd[a] = Math.exp(q[o + t.sdOffset + t.cov.sdIndex(a)]);
      if (t.corOffset >= 0) {
        t.cov.factor(q, o + t.corOffset, t.L);
        grad.fill(0, o + t.corOffset, o + t.corOffset + t.cov.nReal);
      }
    }
    if (auxPrior) {
      const la = q[o + aOff];
      const x = Math.exp(la);
      auxPrior(x, out);
      s += out[0] + la;
      grad[o + aOff] = out[1] * x + 1;
      if (lik.auxOnly) {
        const [va, da] = lik.auxOnly(la);
        s += va;
        grad[o + aOff] += da;
      }
    }
    return s;
  };

  // the hot loops below run row-major over X and special-case scalar terms with Z = 1 (intercepts):
  // 4.5 → 2.9 ms per call of 256 chains on brms's epilepsy (236 rows, p = 6, same minutes)
  const offset0 = offset ?? new Float64Array(n);
  const beta = new Float64Array(p);
  const unitZ = terms.map((t) => t.k === 1 && t.Z.every((v) => v === 1));

  /** η at q[o..] into `eta`. */
  const linearPredictor = (q: Float64Array, o: number): void => {
    for (let j = 0; j < p; j++) beta[j] = q[o + j];
    for (let i = 0, r = 0; i < n; i++, r += p) {
      let e = offset0[i];
      for (let j = 0; j < p; j++) e += X[r + j] * beta[j];
      eta[i] = e;
    }
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti];
      const base = o + t.zOffset;
      const { k, index, Z, sd, centered } = t;
      if (t.corOffset >= 0) {
        correlatedEffects(t, q, base);
        for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) eta[i] += Z[i * k + a] * t.r[index[i] * k + a];
        continue;
      }
      if (unitZ[ti]) {
        const f = centered ? 1 : sd[0];
        for (let i = 0; i < n; i++) eta[i] += f * q[base + index[i]];
        continue;
      }
      for (let i = 0; i < n; i++) {
        const lv = base + index[i] * k;
        for (let a = 0; a < k; a++) eta[i] += Z[i * k + a] * (centered ? q[lv + a] : sd[a] * q[lv + a]);
      }
    }
  };

  /** The random effects' prior and the chain rule from G (already in grad) to z or r and log sd. */
  const effects = (t: JsTerm, q: Float64Array, o: number, grad: Float64Array): number => {
    if (t.corOffset >= 0) return correlatedBackward(t, q, o, grad);
    const base = o + t.zOffset;
    let s = 0;
    for (let a = 0; a < t.k; a++) {
      const x = t.sd[a];
      let sum = 0;
      if (t.centered) {
        const prec = 1 / (x * x);
        for (let j = 0; j < t.nLevels; j++) {
          const r = q[base + j * t.k + a];
          sum += r * r;
          grad[base + j * t.k + a] -= r * prec;
        }
        s += -0.5 * sum * prec - t.nLevels * Math.log(x);
        grad[o + t.sdOffset + a] += sum * prec - t.nLevels;
      } else {
        let dsd = 0;
        for (let j = 0; j < t.nLevels; j++) {
          const m = base + j * t.k + a;
          const z = q[m];
          sum += z * z;
          dsd += grad[m] * z; // G·z, before scaling G by sd
          grad[m] = grad[m] * x - z;
        }
        s += -0.5 * sum;
        grad[o + t.sdOffset + a] += dsd * x;
      }
    }
    return s;
  };

  /** log p without the constant at point q[o..o+dim), gradient into grad[o..]. */
  const one = (q: Float64Array, o: number, grad: Float64Array): number => {
    let s = priors(q, o, grad);
    linearPredictor(q, o);
    const la = aOff >= 0 ? q[o + aOff] : 0;
    let gAux = 0;
    for (let i = 0; i < n; i++) {
      row(i, eta[i], la, out);
      s += out[0];
      g[i] = out[1];
      gAux += out[2];
    }
    if (aOff >= 0) grad[o + aOff] += gAux;
    beta.fill(0); // reused: Xᵀg
    for (let i = 0, r = 0; i < n; i++, r += p) {
      const gi = g[i];
      for (let j = 0; j < p; j++) beta[j] += gi * X[r + j];
    }
    for (let j = 0; j < p; j++) grad[o + j] += beta[j];
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti];
      const base = o + t.zOffset;
      const { k, index, Z } = t;
      grad.fill(0, base, base + t.nLevels * k);
      if (unitZ[ti]) for (let i = 0; i < n; i++) grad[base + index[i]] += g[i];
      else {
        for (let i = 0; i < n; i++) {
          const lv = base + index[i] * k;
          for (let a = 0; a < k; a++) grad[lv + a] += g[i] * Z[i * k + a];
        }
      }
      s += effects(t, q, o, grad);
    }
    return s;
  };

  const constant = calibrate(spec, one);
  const logDensity = (q: Float64Array, nChains: number) => {
    const logp = new Float64Array(nChains);
    const grad = new Float64Array(nChains * dim);
    for (let c = 0; c < nChains; c++) {
      const v = one(q, c * dim, grad) + constant;
      let ok = Number.isFinite(v);
      for (let i = 0; ok && i < dim; i++) ok = Number.isFinite(grad[c * dim + i]);
      logp[c] = ok ? v : -Infinity;
      if (!ok) grad.fill(0, c * dim, (c + 1) * dim);
    }
    return { logp, grad };
  };
  return { dim, logDensity, names: spec.names };
}

/**
 * The constant c with one(q) + c = logDensity64(q), found at the first reference point where both are
 * finite: q = 0, then q = 0 with the first coefficient at mean(y), 1/mean(y) or 1 (identity and inverse
 * links are undefined at η = 0).
 */
function calibrate(spec: ModelSpec, one: (q: Float64Array, o: number, grad: Float64Array) => number): number {
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
