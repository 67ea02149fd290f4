/**
 * One chain of Stan's adaptive NUTS (services/sample/hmc_nuts_{diag,dense}_e_adapt.hpp,
 * util/run_adaptive_sampler.hpp, mcmc/hmc/nuts/adapt_diag_e_nuts.hpp) as a generator for the lockstep
 * driver (chains.ts):
 * 1. initial point (initialize.ts); step-size heuristic (stepsize-init.ts) with μ = log(10·ε₀) where
 *    ε₀ is the user's step size (1 by default, so μ = log 10 in the first phase);
 * 2. each warmup iteration: transition; dual-averaging update with accept_stat; then the windowed
 *    metric estimator (windows.ts, welford.ts); at a window end: new inverse metric, heuristic again,
 *    μ = log(10·ε), dual averaging restarted;
 * 3. end of warmup: ε = exp(x̄); sampling with ε and the metric fixed.
 * With no warmup the given step size and inverse metric are used as they are (Stan's non-adaptive run).
 */
import type { Evaluation, PhasePoint } from './integrator.js';
import { initialPoint } from './initialize.js';
import { identityInvMetric, makeMetric, type Metric, type MetricKind } from './metric.js';
import { nutsTransition, type TransitionInfo } from './nuts-transition.js';
import type { Rng } from './rng.js';
import { dualAveraging } from './adaptation/dual-averaging.js';
import { initStepSize } from './adaptation/stepsize-init.js';
import { welfordInvMetric } from './adaptation/welford.js';
import type { WindowSchedule } from './adaptation/windows.js';

/** CmdStan's sampler columns, in CmdStan's order. */
export const SAMPLER_COLUMNS = ['lp__', 'accept_stat__', 'stepsize__', 'treedepth__', 'n_leapfrog__', 'divergent__', 'energy__'] as const;

/** Progress report of one chain after an iteration (CmdStan's "Iteration: i / total [..] (Warmup)"). */
export interface NutsProgress {
  readonly chain: number;
  /** 1-based iteration over warmup + sampling. */
  readonly iteration: number;
  readonly totalIterations: number;
  readonly warmup: boolean;
  readonly stepSize: number;
  readonly divergent: boolean;
  readonly treedepth: number;
  /** This chain's position after the iteration (unconstrained; the chain's own array: copy what you keep), for live plots. */
  readonly position: Float64Array;
}

/** Settings of one chain. */
export interface NutsChainConfig {
  readonly chain: number;
  readonly dim: number;
  readonly numWarmup: number;
  readonly numDraws: number;
  readonly maxDepth: number;
  readonly adaptDelta: number;
  readonly metricKind: MetricKind;
  readonly schedule: WindowSchedule;
  readonly rng: Rng;
  readonly init?: Float64Array;
  readonly initInvMetric?: Float64Array;
  readonly stepSize?: number;
  /** Keep the warmup iterations too (CmdStan's save_warmup). */
  readonly saveWarmup?: boolean;
  readonly onProgress?: (p: NutsProgress) => void;
  /** Polled at the start of every iteration; true ends the run, keeping the draws made. */
  readonly stopped: () => boolean;
}

/** What a chain writes: its draws and sampler columns (filled up to `nDone`) and its adapted tuning. */
export interface NutsChainOutput {
  readonly draws: Float64Array; // numDraws × dim
  readonly sampler: Float64Array; // numDraws × 7
  readonly warmupDraws: Float64Array; // numWarmup × dim if saveWarmup, else empty
  readonly warmupSampler: Float64Array; // numWarmup × 7 if saveWarmup, else empty
  nDone: number;
  warmupDone: number;
  stepSize: number;
  invMetric: Float64Array;
  warmupEndMs: number;
}

/** Allocates the output of a chain. */
export function chainOutput(cfg: NutsChainConfig): NutsChainOutput {
  return {
    draws: new Float64Array(cfg.numDraws * cfg.dim),
    sampler: new Float64Array(cfg.numDraws * SAMPLER_COLUMNS.length),
    warmupDraws: new Float64Array(cfg.saveWarmup ? cfg.numWarmup * cfg.dim : 0),
    warmupSampler: new Float64Array(cfg.saveWarmup ? cfg.numWarmup * SAMPLER_COLUMNS.length : 0),
    nDone: 0,
    warmupDone: 0,
    stepSize: NaN,
    invMetric: new Float64Array(0),
    warmupEndMs: NaN,
  };
}

/** Writes iteration `d`'s point and CmdStan sampler columns into the buffers. */
function record(draws: Float64Array, sampler: Float64Array, d: number, info: TransitionInfo, eps: number): void {
  const K = SAMPLER_COLUMNS.length;
  draws.set(info.z.q, d * info.z.q.length);
  const o = d * K;
  sampler[o] = info.z.logp;
  sampler[o + 1] = info.acceptStat;
  sampler[o + 2] = eps;
  sampler[o + 3] = info.treedepth;
  sampler[o + 4] = info.nLeapfrog;
  sampler[o + 5] = info.divergent ? 1 : 0;
  sampler[o + 6] = info.energy;
}

/** The chain's whole run (warmup then sampling) as a generator writing into `out`. */
export function* nutsChain(cfg: NutsChainConfig, out: NutsChainOutput): Generator<Float64Array, void, Evaluation> {
  const { dim, numWarmup: W, numDraws, maxDepth, rng, schedule } = cfg;
  const total = W + numDraws;
  let metric: Metric = makeMetric(cfg.metricKind, cfg.initInvMetric ?? identityInvMetric(cfg.metricKind, dim));
  let z: PhasePoint = yield* initialPoint(dim, rng, cfg.chain, cfg.init);
  let eps = cfg.stepSize ?? 1;
  out.invMetric = metric.invMetric;
  if (W > 0) {
    const da = dualAveraging({ delta: cfg.adaptDelta });
    let daState = da.init(Math.log(10 * eps));
    eps = yield* initStepSize(z, eps, metric, rng);
    const welford = welfordInvMetric(cfg.metricKind, dim);
    let wState = welford.init();
    const windows = schedule.windows;
    let w = 0; // current window index
    for (let c = 0; c < W; c++) {
      if (cfg.stopped()) break;
      const info = yield* nutsTransition(z, eps, metric, rng, maxDepth);
      z = info.z;
      if (cfg.saveWarmup) record(out.warmupDraws, out.warmupSampler, c, info, eps);
      daState = da.update(daState, info.acceptStat);
      eps = Math.exp(daState.x);
      if (w < windows.length && c >= windows[w][0] && c <= windows[w][1]) {
        wState = welford.update(wState, z.q);
        if (c === windows[w][1]) {
          metric = makeMetric(cfg.metricKind, welford.final(wState));
          wState = welford.init();
          w += 1;
          eps = yield* initStepSize(z, eps, metric, rng);
          daState = da.init(Math.log(10 * eps));
        }
      }
      out.warmupDone = c + 1;
      cfg.onProgress?.({ chain: cfg.chain, iteration: c + 1, totalIterations: total, warmup: true, stepSize: eps, divergent: info.divergent, treedepth: info.treedepth, position: z.q });
    }
    if (out.warmupDone === W) eps = da.final(daState);
  }
  out.stepSize = eps;
  out.invMetric = metric.invMetric;
  out.warmupEndMs = Date.now();
  if (out.warmupDone < W) return;
  for (let d = 0; d < numDraws; d++) {
    if (cfg.stopped()) break;
    const info = yield* nutsTransition(z, eps, metric, rng, maxDepth);
    z = info.z;
    record(out.draws, out.sampler, d, info, eps);
    out.nDone = d + 1;
    cfg.onProgress?.({ chain: cfg.chain, iteration: W + d + 1, totalIterations: total, warmup: false, stepSize: eps, divergent: info.divergent, treedepth: info.treedepth, position: z.q });
  }
}
