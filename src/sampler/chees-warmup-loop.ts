/**
 * The warmup phase of ChEES-HMC: per transition, dual averaging of the step size on the harmonic-mean
 * acceptance, Adam on the ChEES criterion for the trajectory length, the cross-chain variance for the
 * diagonal metric (adaptation/chees-*.ts), until nested R-hat over a recent window passes
 * (adaptation/chees-warmup.ts) or the maximum is reached.
 */
import { cheesGradient } from './adaptation/chees-criterion.js';
import type { ChainsState, buildLockstepKernel } from './adaptation/chees-kernel.js';
import { crossChainVariance, type CrossChainVarState } from './adaptation/chees-metric.js';
import { harmonicMeanAccept, stepSizeAdaptation } from './adaptation/chees-stepsize.js';
import { trajectoryAdaptation } from './adaptation/chees-trajectory.js';
import type { warmupMonitor } from './adaptation/chees-warmup.js';
import { haltonJitter } from './adaptation/halton.js';
import { makeMetric, type Metric } from './metric.js';
import type { Rng } from './rng.js';

/** What the warmup loop starts from. */
export interface WarmupSetup {
  readonly kernel: ReturnType<typeof buildLockstepKernel>;
  readonly rngs: Rng[];
  readonly nChains: number;
  readonly dim: number;
  readonly maxWarmup: number;
  readonly maxLeapfrog: number;
  readonly haltonBits: number;
  readonly targetAccept?: number;
  /** Initial step size and inverse-metric diagonal (unnormalised: e.g. the Laplace variances, or 1). */
  readonly stepSize: number;
  readonly invMetric: Float64Array;
  /** Where the chains start (mean of the metric estimator's prior). */
  readonly center: Float64Array;
  readonly monitor: ReturnType<typeof warmupMonitor>;
}

/** One warmup transition's figures, for progress. */
export interface WarmupTick {
  readonly iteration: number;
  readonly stepSize: number;
  readonly nLeapfrog: number;
  readonly positions: Float64Array;
}

/** The adapted kernel parameters and where the chains ended. */
export interface WarmupOutput {
  readonly state: ChainsState;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stepSize: number;
  /** Leapfrog steps per transition before jitter, n* = T/ε. */
  readonly nStar: number;
  readonly metric: Metric;
  readonly leapfrogs: number;
  readonly stopped: boolean;
}

/**
 * Runs warmup from `state0`. `tick` is called after every transition; `pause` yields to the event loop
 * and polls for a stop (true ends warmup at once, with `stopped`).
 */
export async function runWarmup(
  s: WarmupSetup,
  state0: ChainsState,
  tick: (t: WarmupTick) => void,
  pause: () => Promise<boolean>,
): Promise<WarmupOutput> {
  const { kernel, rngs, nChains: C, dim: D } = s;
  const ssAdapt = stepSizeAdaptation({ targetAccept: s.targetAccept });
  const trAdapt = trajectoryAdaptation({ maxLeapfrog: s.maxLeapfrog });
  const varEst = crossChainVariance(D);
  let ss = ssAdapt.init(s.stepSize);
  let tr = trAdapt.init(s.stepSize);
  let vs: CrossChainVarState = { ...varEst.init(), mean: Float64Array.from(s.center), variance: Float64Array.from(s.invMetric) };
  let metric = makeMetric('diag', varEst.final(vs));
  let state = state0;
  let leapfrogs = 0;
  let iterations = 0;
  let converged = false;
  let stopped = false;
  for (let it = 0; it < s.maxWarmup; it++) {
    const u = haltonJitter(it, s.haltonBits);
    const L = Math.min(s.maxLeapfrog, Math.max(1, Math.ceil((u * tr.T) / ss.stepSize)));
    const [next, info] = kernel(rngs, state, ss.stepSize, L, metric);
    const qStart = state.q;
    state = next;
    leapfrogs += L;
    iterations++;
    const T = tr.T;
    ss = ssAdapt.update(ss, harmonicMeanAccept(info.accept, info.divergent));
    const G = cheesGradient({ qStart, qProposal: info.qProposal, pProposal: info.pProposal, invMetric: metric.invMetric, accept: info.accept, divergent: info.divergent, jitter: u, trajectoryLength: T, nChains: C, dim: D });
    tr = trAdapt.update(tr, G, ss.stepSize);
    vs = varEst.update(vs, state.q, C);
    metric = makeMetric('diag', varEst.final(vs));
    tick({ iteration: it + 1, stepSize: ss.stepSize, nLeapfrog: L, positions: state.q });
    if (await pause()) {
      stopped = true;
      break;
    }
    if (s.monitor.push(state.q, it)) {
      converged = it + 1 < s.maxWarmup || s.monitor.lastNestedRhat < s.monitor.threshold;
      break;
    }
  }
  return {
    state, iterations, converged, stopped, leapfrogs, metric,
    stepSize: ssAdapt.final(ss), nStar: trAdapt.final(tr, ss.logStepSizeMa),
  };
}
