/**
 * One lockstep HMC transition for all chains: the same step size ε and number of leapfrog steps L
 * for every chain, one batched log-density call per leapfrog step (integrator.ts `leapfrogBatch`),
 * then a Metropolis accept per chain.
 *
 * Hamiltonian H(q, p) = −log π(q) + ½ pᵀ M⁻¹ p with diagonal M⁻¹ (metric.ts; Neal 2011, "MCMC using
 * Hamiltonian dynamics" §5.3.2-5.3.3). Energy error ΔE = H₀ − H′ (NaN → −∞), acceptance
 * a = min(1, e^ΔE), divergent when H′ − H₀ > 1000 (Stan / BlackJAX threshold).
 * Returns the proposal and its END momentum (unflipped) for the ChEES criterion (chees-criterion.ts).
 */
import type { Target } from '../target.js';
import { leapfrogBatch } from '../integrator.js';
import type { Metric } from '../metric.js';
import type { Rng } from '../rng.js';

/** Position, log density and gradient of every chain (chain-major). */
export interface ChainsState {
  readonly q: Float64Array;
  readonly logp: Float64Array;
  readonly grad: Float64Array;
}

/** What one lockstep transition produced. */
export interface TransitionInfo {
  readonly qProposal: Float64Array;
  readonly pProposal: Float64Array;
  readonly accept: Float64Array;
  readonly divergent: Uint8Array;
  /** H at the state each chain keeps (Stan's energy__). */
  readonly energy: Float64Array;
}

/**
 * Builds the lockstep transition for `target` and `nChains` chains. `rngs[c]` is chain c's stream
 * (momentum, then the accept uniform), so a chain's randomness does not depend on the others.
 */
export function buildLockstepKernel(target: Target, nChains: number) {
  const D = target.dim;
  const C = nChains;
  return (rngs: readonly Rng[], s: ChainsState, stepSize: number, nSteps: number, metric: Metric): [ChainsState, TransitionInfo] => {
    const p0 = new Float64Array(C * D);
    const h0 = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const pc = p0.subarray(c * D, (c + 1) * D);
      metric.sampleMomentum(rngs[c], pc);
      h0[c] = -s.logp[c] + metric.kinetic(pc);
    }
    const end = leapfrogBatch(target.logDensity, metric, { q: s.q, p: p0, logp: s.logp, grad: s.grad }, stepSize, nSteps, target.logDensityInto);
    const accept = new Float64Array(C);
    const divergent = new Uint8Array(C);
    const energy = new Float64Array(C);
    const q = s.q.slice();
    const logp = s.logp.slice();
    const grad = s.grad.slice();
    const a = metric.invMetric;
    const ep = end.p;
    for (let c = 0; c < C; c++) {
      const off = c * D;
      let k = 0;
      for (let i = 0; i < D; i++) k += a[i] * ep[off + i] * ep[off + i];
      const h1 = -end.logp[c] + 0.5 * k;
      let dE = h0[c] - h1;
      if (Number.isNaN(dE)) dE = -Infinity;
      const acc = Math.min(1, Math.exp(dE));
      accept[c] = acc;
      divergent[c] = -dE > 1000 ? 1 : 0;
      if (rngs[c].uniform() < acc) {
        for (let i = off; i < off + D; i++) {
          q[i] = end.q[i];
          grad[i] = end.grad[i];
        }
        logp[c] = end.logp[c];
        energy[c] = h1;
      } else {
        energy[c] = h0[c];
      }
    }
    return [{ q, logp, grad }, { qProposal: end.q, pProposal: end.p, accept, divergent, energy }];
  };
}
