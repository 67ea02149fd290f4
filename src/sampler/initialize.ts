/**
 * Initial points as Stan's services/util/initialize.hpp: a given point, or uniform(−R, R) on the
 * unconstrained scale (CmdStan `init=2`), retried up to 100 times until the log density and its
 * gradient are finite. A generator (see integrator.ts) so the evaluations can be batched over chains.
 */
import type { Evaluation, PhasePoint } from './integrator.js';
import type { Rng } from './rng.js';

/** Stan's MAX_INIT_TRIES (initialize.hpp L88-89). */
export const MAX_INIT_TRIES = 100;

function finite(ev: Evaluation): boolean {
  if (!Number.isFinite(ev.logp)) return false;
  for (let i = 0; i < ev.grad.length; i++) if (!Number.isFinite(ev.grad[i])) return false;
  return true;
}

/**
 * The initial phase point (momentum zero) of chain `chain`: `given` if supplied (throws if its log
 * density or gradient is not finite), else uniform(−radius, radius) draws from `rng`.
 */
export function* initialPoint(
  dim: number,
  rng: Rng,
  chain: number,
  given?: Float64Array,
  radius = 2,
): Generator<Float64Array, PhasePoint, Evaluation> {
  if (given) {
    const q = Float64Array.from(given);
    const ev = yield q;
    if (!finite(ev)) {
      throw new Error(`chain ${chain + 1}: the given initial values have a non-finite log density or gradient (logp ${ev.logp}); supply other initial values`);
    }
    return { q, p: new Float64Array(dim), logp: ev.logp, grad: ev.grad };
  }
  for (let attempt = 0; attempt < MAX_INIT_TRIES; attempt++) {
    const q = new Float64Array(dim);
    for (let i = 0; i < dim; i++) q[i] = radius * (2 * rng.uniform() - 1);
    const ev = yield q;
    if (finite(ev)) return { q, p: new Float64Array(dim), logp: ev.logp, grad: ev.grad };
  }
  throw new Error(`chain ${chain + 1}: no initial point with a finite log density and gradient in ${MAX_INIT_TRIES} uniform(-${radius}, ${radius}) tries; check the model or give initial values`);
}
