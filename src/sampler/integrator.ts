/**
 * The leapfrog integrator of Stan (stan/mcmc/hmc/integrators/base_leapfrog.hpp L17-22,
 * expl_leapfrog.hpp L16-32) on the log density: with V = −log p,
 *   p ← p − (ε/2)∇V(q);  q ← q + ε·A p;  (evaluate log p, ∇log p at q);  p ← p − (ε/2)∇V(q).
 * A negative ε integrates backwards (Stan's `sign * epsilon`). Phase points are immutable: every step
 * allocates a new point, so a NUTS tree can keep references to earlier points without copying.
 */
import type { LogDensity, LogDensityInto } from './target.js';
import type { Metric } from './metric.js';

/** A log density value and its gradient at one point (one chain's share of a batched call). */
export interface Evaluation {
  readonly logp: number;
  readonly grad: Float64Array;
}

/** A point of phase space with its log density and gradient (∇log p = −∇V). Never mutated. */
export interface PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly logp: number;
  readonly grad: Float64Array;
}

/** H(z) = V(q) + T(p) = −log p(q) + ½ pᵀ A p; NaN read as +∞ (base_nuts.hpp build_tree). */
export function hamiltonian(z: PhasePoint, metric: Metric): number {
  const h = -z.logp + metric.kinetic(z.p);
  return Number.isNaN(h) ? Infinity : h;
}

/**
 * First half of a leapfrog step of size ε from z: p½ = p + (ε/2)∇log p(q), q' = q + ε·A p½.
 * Returns the new position (to be evaluated) and the half-step momentum.
 */
export function leapfrogStart(z: PhasePoint, eps: number, metric: Metric): { q: Float64Array; pHalf: Float64Array } {
  const d = z.q.length;
  const pHalf = new Float64Array(d);
  const half = 0.5 * eps;
  for (let i = 0; i < d; i++) pHalf[i] = z.p[i] + half * z.grad[i];
  const q = new Float64Array(d);
  metric.sharp(pHalf, q);
  for (let i = 0; i < d; i++) q[i] = z.q[i] + eps * q[i];
  return { q, pHalf };
}

/** Second half: p' = p½ + (ε/2)∇log p(q'), given the evaluation at q'. `pHalf` is taken over. */
export function leapfrogFinish(q: Float64Array, pHalf: Float64Array, eps: number, ev: Evaluation): PhasePoint {
  const half = 0.5 * eps;
  const g = ev.grad;
  for (let i = 0; i < pHalf.length; i++) pHalf[i] += half * g[i];
  return { q, p: pHalf, logp: ev.logp, grad: g };
}

/**
 * One leapfrog step as a generator: yields the position that needs its log density and receives its
 * {@link Evaluation}; returns the new phase point. Lets a driver batch the evaluations of many chains.
 */
export function* leapfrog(z: PhasePoint, eps: number, metric: Metric): Generator<Float64Array, PhasePoint, Evaluation> {
  const { q, pHalf } = leapfrogStart(z, eps, metric);
  const ev = yield q;
  return leapfrogFinish(q, pHalf, eps, ev);
}

/**
 * Positions, momenta, log densities and gradients of `nChains` chains, chain-major (`q[c*dim + i]`).
 * Used by the batched integrator below.
 */
export interface BatchState {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly logp: Float64Array;
  readonly grad: Float64Array;
}

/**
 * `nSteps` leapfrog steps for every chain of a batch at once, one batched `logDensity` call per step
 * (for many-chain samplers: every chain takes the same number of steps). `eps` is one step size or one
 * per chain; `metric` is shared by all chains. Returns a new state; the input is not modified. With
 * `into` (Target.logDensityInto) every step writes into one pair of arrays, which the new state keeps.
 */
export function leapfrogBatch(
  logDensity: LogDensity,
  metric: Metric,
  state: BatchState,
  eps: number | Float64Array,
  nSteps: number,
  into?: LogDensityInto,
): BatchState {
  const dim = metric.dim;
  const nChains = state.logp.length;
  const q = Float64Array.from(state.q);
  const p = Float64Array.from(state.p);
  let grad = state.grad;
  let logp = state.logp;
  const tmp = new Float64Array(dim);
  const out = into && nSteps > 0 ? { logp: new Float64Array(nChains), grad: new Float64Array(nChains * dim) } : null;
  // a diagonal metric inline (no subarray per chain and step: small models spend their time here)
  const diag = metric.kind === 'diag' ? metric.invMetric : null;
  const stepOf = (c: number) => (typeof eps === 'number' ? eps : eps[c]);
  // with a diagonal metric, the closing half kick of step s, the opening half kick of step s + 1 (the
  // same gradient: (p + ½εg) + ½εg, the same arithmetic) and the drift of step s + 1 are one sweep
  if (diag && nSteps > 0) {
    for (let c = 0; c < nChains; c++) {
      const e = stepOf(c);
      for (let i = 0, o = c * dim; i < dim; i++, o++) {
        p[o] += 0.5 * e * grad[o];
        q[o] += e * (diag[i] * p[o]);
      }
    }
  }
  for (let s = 0; s < nSteps; s++) {
    if (!diag) {
      for (let c = 0; c < nChains; c++) {
        const e = stepOf(c);
        const o = c * dim;
        for (let i = 0; i < dim; i++) p[o + i] += 0.5 * e * grad[o + i];
        metric.sharp(p.subarray(o, o + dim), tmp);
        for (let i = 0; i < dim; i++) q[o + i] += e * tmp[i];
      }
    }
    if (out) {
      into!(q, nChains, out.logp, out.grad);
      logp = out.logp;
      grad = out.grad;
    } else {
      // the evaluation's arrays are new per call (the Target contract, target.ts) and only read here
      const ev = logDensity(q, nChains);
      logp = ev.logp;
      grad = ev.grad;
    }
    const twice = diag !== null && s < nSteps - 1;
    for (let c = 0; c < nChains; c++) {
      const e = stepOf(c);
      const h = 0.5 * e;
      const o = c * dim;
      if (twice) {
        for (let i = 0, k = o; i < dim; i++, k++) {
          p[k] = p[k] + h * grad[k] + h * grad[k];
          q[k] += e * (diag[i] * p[k]);
        }
      } else for (let i = 0; i < dim; i++) p[o + i] += h * grad[o + i];
    }
  }
  if (out) return { q, p, logp, grad };
  return { q, p, logp: Float64Array.from(logp), grad: Float64Array.from(grad) };
}
