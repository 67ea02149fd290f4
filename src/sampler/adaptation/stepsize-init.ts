/**
 * Stan's step-size initialisation heuristic (stan/mcmc/hmc/base_hmc.hpp L93-161 `init_stepsize`):
 * from q, draw a momentum and take one leapfrog step of ε; ΔH = H0 − h (NaN read as −∞);
 * direction = ΔH > log 0.8 ? +1 : −1. Then repeatedly, with a fresh momentum each time (the first pass
 * re-tests the same ε), step once and stop when the acceptance crosses 0.8, else double (+1) or halve
 * (−1) ε. Throws "posterior is improper" if ε > 1e7 and "no acceptably small step size" if ε = 0.
 * A generator: yields points to evaluate (see integrator.ts), returns the new ε.
 */
import { hamiltonian, leapfrog, type Evaluation, type PhasePoint } from '../integrator.js';
import type { Metric } from '../metric.js';
import type { Rng } from '../rng.js';

function* deltaH(z0: PhasePoint, eps: number, metric: Metric, rng: Rng): Generator<Float64Array, number, Evaluation> {
  const p = new Float64Array(metric.dim);
  metric.sampleMomentum(rng, p);
  const z = { q: z0.q, p, logp: z0.logp, grad: z0.grad };
  const h0 = hamiltonian(z, metric);
  const z1 = yield* leapfrog(z, eps, metric);
  return h0 - hamiltonian(z1, metric);
}

/** Runs the heuristic from point `z` (its momentum is ignored) with starting step size `eps`. */
export function* initStepSize(z: PhasePoint, eps: number, metric: Metric, rng: Rng): Generator<Float64Array, number, Evaluation> {
  if (metric.dim === 0) return NaN;
  if (eps === 0 || eps > 1e7 || Number.isNaN(eps)) return eps;
  const logTarget = Math.log(0.8);
  const d0 = yield* deltaH(z, eps, metric, rng);
  const direction = d0 > logTarget ? 1 : -1;
  for (;;) {
    const d = yield* deltaH(z, eps, metric, rng);
    if (direction === 1 && !(d > logTarget)) break;
    if (direction === -1 && !(d < logTarget)) break;
    eps = direction === 1 ? eps * 2 : eps * 0.5;
    if (eps > 1e7) throw new Error('step size search: the posterior is improper (step size > 1e7); check the model and priors');
    if (eps === 0) throw new Error('step size search: no acceptably small step size; the posterior may not be continuous');
  }
  return eps;
}
