/**
 * ChEES-HMC (Hoffman, Radul & Sountsov 2021, "An Adaptive MCMC Scheme for Setting Trajectory Lengths in
 * Hamiltonian Monte Carlo", AISTATS) over the batched log density: many chains in lockstep, one batched
 * call per leapfrog step, as BlackJAX's `chees_adaptation` (shared/reference/many-chain.md §1.7) with:
 * - step size: dual averaging on the HARMONIC mean acceptance across chains (adaptation/chees-stepsize.ts);
 * - trajectory length: Adam ascent on the ChEES criterion in log T, Halton jitter shared by all chains
 *   (adaptation/chees-criterion.ts, chees-trajectory.ts, halton.ts), unflipped end momentum;
 * - diagonal metric: TFP SNAPER's cross-chain variance EMA (adaptation/chees-metric.ts);
 * - starts: one point per superchain (adaptation/chees-init.ts); warmup stops when nested R-hat over a
 *   recent window says the chains have mixed (adaptation/chees-warmup.ts), at most `warmup` iterations;
 * - initial metric: the variances of `init` (the Laplace curvature) when given, as the mean and variance
 *   the cross-chain estimator starts from (else 0 and 1, TFP's defaults);
 * - sampling: a fixed number of draws, or blocks until a stopping rule holds (chees-draws.ts).
 * The run is four named steps: checked options → started chains → warmup (chees-warmup-loop.ts) →
 * sampling (chees-draws.ts).
 */
import { SAMPLER_DEFAULTS } from './defaults.js';
import type { Draws } from '../../diagnostics/draws.js';
import { rhatNestedDraws, superchainsOf } from '../../diagnostics/nested-rhat.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Target } from './target.js';
import { chooseSuperchains } from './adaptation/chees-chains.js';
import { superchainStarts, type CheesInit } from './adaptation/chees-init.js';
import { buildLockstepKernel, type ChainsState } from './adaptation/chees-kernel.js';
import { harmonicMeanAccept } from './adaptation/chees-stepsize.js';
import { searchStepSize, type StepSizeSearch } from './adaptation/chees-stepsize-init.js';
import { warmupMonitor } from './adaptation/chees-warmup.js';
import { haltonBits } from './adaptation/halton.js';
import { SAMPLER_COLUMNS as SAMPLER_COLUMN_NAMES, sampleDraws, type SamplingStopRule, type StopCheck } from './chees-draws.js';
import { runWarmup } from './chees-warmup-loop.js';
import { makeMetric, type Metric } from './metric.js';
import { makeRng, type Rng } from './rng.js';

export type { CheesInit } from './adaptation/chees-init.js';
export type { SamplingStopRule, StopCheck } from './chees-draws.js';

/** Progress report, once per iteration. */
export interface CheesProgress {
  readonly phase: 'warmup' | 'sampling';
  readonly iteration: number;
  /**
   * Warmup: the iteration of the next nested R-hat check (where warmup may stop; the expected length,
   * not the cap). Sampling: draws per chain (fixed length) or the cap (with a stopping rule).
   */
  readonly total: number;
  /** Maximum warmup iterations. */
  readonly maxWarmup: number;
  readonly stepSize: number;
  readonly nLeapfrog: number;
  /** Max nested R-hat over coordinates at the last warmup check (NaN before the first), and its threshold. */
  readonly nestedRhat: number;
  readonly threshold: number;
  /** Sampling with a stopping rule: the last check (lowest ESS and its parameter; NaN and '' before the first, at `firstCheck` draws), and the ESS target. */
  readonly ess?: { readonly min: number; readonly parameter: string; readonly target: number; readonly firstCheck: number };
  /** Current unconstrained positions of every chain, chain-major (C × D); valid during the callback only. */
  readonly positions: Float64Array;
}

/** Options of {@link sampleChees}. */
export interface CheesOptions {
  /** Number of chains (default 256; see chooseChains for a size-based choice). Divisible by `superchains`. */
  readonly chains?: number;
  /** Number of superchains (groups of chains sharing a start; default chooseSuperchains(chains)). */
  readonly superchains?: number;
  /** Maximum warmup iterations (default 1000); warmup stops earlier when nested R-hat passes. */
  readonly warmup?: number;
  /** Minimum warmup iterations before the nested R-hat check (default min(100, warmup)). */
  readonly minWarmup?: number;
  /** Iterations between nested R-hat checks in warmup (default 5). */
  readonly checkEvery?: number;
  /** Draws kept per chain; with `stopRule`, the most kept. */
  readonly draws: number;
  /** Sample in blocks until this rule holds (at most `draws` per chain). */
  readonly stopRule?: SamplingStopRule;
  readonly seed: number;
  /**
   * Mode and sd (sqrt of the diagonal of its covariance, e.g. the Laplace fit's) to spread superchain
   * starts from (a bare Float64Array is a mode with sd 1); default uniform(−2, 2) per superchain.
   * The sd² also seed the diagonal metric.
   */
  readonly init?: CheesInit | Float64Array;
  /** Multiplier of the sd for the starts (default 2, overdispersed). */
  readonly initScale?: number;
  /** Draws per superchain of which the start is the best (default 16; 1 keeps one overdispersed draw). */
  readonly initCandidates?: number;
  /** Target of the harmonic-mean acceptance (default 0.651, BlackJAX). */
  readonly targetAccept?: number;
  /** Initial step size (default: Stan's init_stepsize over the chains, adaptation/chees-stepsize-init.ts: doubling/halving until one leapfrog step accepts ~0.8). */
  readonly stepSize?: number;
  /** Cap on leapfrog steps per transition (default 1000, BlackJAX). */
  readonly maxLeapfrog?: number;
  readonly onProgress?: (p: CheesProgress) => void;
  /** Polled every iteration; true stops the run (draws so far are returned). */
  readonly shouldStop?: () => boolean;
}

/** Nested R-hat figures of a run (Margossian et al. 2024). */
export interface CheesNestedRhat {
  /** Threshold sqrt(1 + 1/M + 1e-4). */
  readonly threshold: number;
  /** Max over coordinates over the last warmup window at the final check (NaN if never checked). */
  readonly warmup: number;
  /** True when warmup stopped because nested R-hat passed (false: it ran to the maximum). */
  readonly converged: boolean;
  /** Per coordinate, over the kept draws. */
  readonly draws: Float64Array;
  /** Superchain id of every chain. */
  readonly superchainIds: Int32Array;
}

/** Result of {@link sampleChees}, shaped like the NUTS result. */
export interface CheesResult {
  /** Unconstrained draws, chain-major. */
  readonly draws: Draws;
  /** Columns lp__, accept_stat__, stepsize__, n_leapfrog__, divergent__, energy__. */
  readonly sampler: Draws;
  readonly seconds: { readonly warmup: number; readonly sampling: number };
  /** Divergent transitions among the kept draws (all chains). */
  readonly divergences: number;
  readonly stepSize: number;
  readonly invMetric: Float64Array;
  /** Leapfrog steps summed over chains (= batched calls × chains), warmup included. */
  readonly gradientEvaluations: number;
  /** Batched log-density calls, warmup and step-size search included. */
  readonly batchedCalls: number;
  readonly warmupIterations: number;
  /** Leapfrog steps per transition after warmup, before jitter (n* = T/ε). */
  readonly nLeapfrogMean: number;
  readonly nestedRhat: CheesNestedRhat;
  /** The stopping rule's last check (null without a rule); `done` false means the cap was reached. */
  readonly stopCheck: StopCheck | null;
  /** True if `shouldStop` ended the run early. */
  readonly stopped: boolean;
  /** What the sampler itself has to say (the initial step-size search giving up). */
  readonly warnings: readonly string[];
}

/** Options checked and defaulted. */
interface CheesConfig {
  readonly C: number;
  readonly K: number;
  readonly M: number;
  readonly D: number;
  readonly maxWarmup: number;
  readonly minWarmup: number;
  readonly checkEvery: number;
  readonly N: number;
  readonly maxL: number;
  readonly init: CheesInit | undefined;
  readonly names: readonly string[];
}

function checkOptions(target: Target, opts: CheesOptions): CheesConfig {
  const D = target.dim;
  const C = opts.chains ?? SAMPLER_DEFAULTS.chees.chains;
  const K = opts.superchains ?? chooseSuperchains(C);
  const maxWarmup = opts.warmup ?? SAMPLER_DEFAULTS.chees.warmup;
  const N = opts.draws;
  if (!Number.isInteger(C) || C < 4) throw new GlmmInputError(`chains must be an integer ≥ 4 for ChEES; got ${C}`);
  if (!Number.isInteger(K) || K < 2 || C % K !== 0) throw new GlmmInputError(`${C} chains do not split into ${K} equal superchains; pick superchains ≥ 2 dividing chains`);
  if (!Number.isInteger(N) || N < 1) throw new GlmmInputError(`draws must be an integer ≥ 1; got ${N}`);
  if (!Number.isInteger(maxWarmup) || maxWarmup < 1) throw new GlmmInputError(`warmup must be an integer ≥ 1 for ChEES; got ${maxWarmup}`);
  const init = opts.init instanceof Float64Array ? { mode: opts.init } : opts.init;
  if (init && (init.mode.length !== D || (init.sd && init.sd.length !== D))) throw new GlmmInputError(`init has ${init.mode.length} values; the model has ${D} unconstrained parameters`);
  return {
    C, K, M: C / K, D, maxWarmup, N,
    // first check at 100 and every 5 after (was 20: validation/RESULTS.md `calibration`, issue 23): from
    // Laplace starts the reference models pass the check at 25–70 iterations, but runs that short still
    // carry their start: on Beitler & Landis (stopped at 25–35) the two sds' mean z over 20 seeds were
    // +0.70 and −1.12 against a 4 × 50,000 rstan run; at a minimum of 50 that bias is gone but the
    // reported MCSE is still too small on seeds (sd(z) 1.23); at 100 both models meet the bounds
    minWarmup: Math.min(opts.minWarmup ?? 100, maxWarmup),
    checkEvery: Math.max(1, opts.checkEvery ?? 5),
    maxL: opts.maxLeapfrog ?? 1000,
    init,
    names: target.names ? [...target.names] : Array.from({ length: D }, (_, i) => `q[${i + 1}]`),
  };
}

/** The chains at their superchain starts, evaluated, with the kernel and the initial step size and metric. */
function startChains(target: Target, cfg: CheesConfig, opts: CheesOptions) {
  const { C, K, M, D, init } = cfg;
  const rngs: Rng[] = Array.from({ length: C }, (_, c) => makeRng(opts.seed, c + 1));
  // count the start search's actual batched calls (one, or more when a superchain needs redraws)
  let startCalls = 0;
  const counted: Target = { ...target, logDensity: (q, n) => { startCalls++; return target.logDensity(q, n); } };
  const starts = superchainStarts(counted, K, makeRng(opts.seed, 0), init, opts.initScale ?? 2, opts.initCandidates ?? 16);
  const q0 = new Float64Array(C * D);
  for (let c = 0; c < C; c++) q0.set(starts.subarray(Math.floor(c / M) * D, (Math.floor(c / M) + 1) * D), c * D);
  const ev0 = target.logDensity(q0, C);
  const state: ChainsState = { q: q0, logp: Float64Array.from(ev0.logp), grad: Float64Array.from(ev0.grad) };
  const kernel = buildLockstepKernel(target, C);
  // the Laplace variances (sd²) as the initial inverse metric, normalised as the cross-chain estimator does
  const invMetric = new Float64Array(D).fill(1);
  if (init?.sd) for (let i = 0; i < D; i++) if (init.sd[i] > 0 && Number.isFinite(init.sd[i])) invMetric[i] = init.sd[i] ** 2;
  const center = init ? Float64Array.from(init.mode) : new Float64Array(D);
  let maxVar = 0;
  for (const v of invMetric) maxVar = Math.max(maxVar, v);
  const metric = makeMetric('diag', invMetric.map((v) => v / maxVar));
  let stepSize = opts.stepSize ?? 0;
  let calls = startCalls + 1;
  const warnings: string[] = [];
  if (!(stepSize > 0)) {
    const found = initialStepSize(kernel, C, state, metric, opts.seed);
    stepSize = found.stepSize;
    calls += found.calls;
    if (found.warning) warnings.push(found.warning);
  }
  return { rngs, state, kernel, invMetric, center, stepSize, calls, warnings };
}

/** A pause between transitions: yields to the event loop every ~50 ms and polls `shouldStop` every time. */
function pauser(shouldStop: (() => boolean) | undefined): () => Promise<boolean> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last > 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
    return shouldStop?.() ?? false;
  };
}

/** Runs ChEES-HMC on `target` (see the module comment). */
export async function sampleChees(target: Target, opts: CheesOptions): Promise<CheesResult> {
  const cfg = checkOptions(target, opts);
  const t0 = performance.now();
  const start = startChains(target, cfg, opts);
  const superchainIds = superchainsOf(cfg.C, cfg.M);
  const monitor = warmupMonitor(cfg.C, cfg.D, superchainIds, cfg.M, { minWarmup: cfg.minWarmup, maxWarmup: cfg.maxWarmup, window: Math.min(20, cfg.maxWarmup), checkEvery: cfg.checkEvery });
  const bits = haltonBits(cfg.maxWarmup + cfg.N);
  const pause = pauser(opts.shouldStop);
  const report = opts.onProgress;
  const common = { maxWarmup: cfg.maxWarmup, threshold: monitor.threshold };
  const nextCheck = (it: number) => (it < cfg.minWarmup ? cfg.minWarmup : Math.min(cfg.maxWarmup, cfg.minWarmup + Math.ceil((it - cfg.minWarmup + 1) / cfg.checkEvery) * cfg.checkEvery));

  const warm = await runWarmup(
    { kernel: start.kernel, rngs: start.rngs, nChains: cfg.C, dim: cfg.D, maxWarmup: cfg.maxWarmup, maxLeapfrog: cfg.maxL, haltonBits: bits,
      targetAccept: opts.targetAccept, stepSize: start.stepSize, invMetric: start.invMetric, center: start.center, monitor },
    start.state,
    (t) => report?.({ phase: 'warmup', iteration: t.iteration, total: nextCheck(t.iteration), stepSize: t.stepSize, nLeapfrog: t.nLeapfrog, nestedRhat: monitor.lastNestedRhat, positions: t.positions, ...common }),
    pause,
  );
  const t1 = performance.now();

  const rule = opts.stopRule;
  const sampled = warm.stopped
    ? null
    : await sampleDraws(
      { kernel: start.kernel, rngs: start.rngs, metric: warm.metric, stepSize: warm.stepSize, nStar: warm.nStar, maxLeapfrog: cfg.maxL,
        haltonStart: warm.iterations, haltonBits: bits, names: cfg.names, superchainIds },
      warm.state, cfg.N, rule,
      (t) => report?.({ phase: 'sampling', iteration: t.iteration, total: t.total, stepSize: warm.stepSize, nLeapfrog: t.nLeapfrog, nestedRhat: monitor.lastNestedRhat, positions: t.positions,
        ess: rule ? { min: t.lastCheck?.minEss ?? NaN, parameter: t.lastCheck?.parameter ?? '', target: rule.target, firstCheck: rule.minDraws } : undefined, ...common }),
      pause,
    );
  const t2 = performance.now();
  const draws = sampled?.draws ?? { nChains: cfg.C, nDraws: 0, names: cfg.names, data: new Float64Array(0) };
  const leapfrogs = warm.leapfrogs + (sampled?.leapfrogs ?? 0);
  return {
    draws,
    sampler: sampled?.sampler ?? { nChains: cfg.C, nDraws: 0, names: SAMPLER_COLUMN_NAMES, data: new Float64Array(0) },
    seconds: { warmup: (t1 - t0) / 1000, sampling: (t2 - t1) / 1000 },
    divergences: sampled?.divergences ?? 0,
    stepSize: warm.stepSize,
    invMetric: Float64Array.from(warm.metric.invMetric),
    gradientEvaluations: leapfrogs * cfg.C,
    batchedCalls: start.calls + leapfrogs,
    warmupIterations: warm.iterations,
    nLeapfrogMean: warm.nStar,
    nestedRhat: {
      threshold: monitor.threshold, warmup: monitor.lastNestedRhat, converged: warm.converged, superchainIds,
      draws: draws.nDraws >= 1 ? rhatNestedDraws(draws, superchainIds) : new Float64Array(cfg.D).fill(NaN),
    },
    stopCheck: sampled?.lastCheck ?? null,
    stopped: warm.stopped || (sampled?.stopped ?? false),
    warnings: start.warnings,
  };
}

/**
 * The initial step size (adaptation/chees-stepsize-init.ts, Stan's init_stepsize over many chains): one
 * leapfrog step of every chain from its start, with streams −(c + 1) of the seed so the chains' own
 * streams are untouched; the chains do not move.
 */
function initialStepSize(kernel: ReturnType<typeof buildLockstepKernel>, C: number, state: ChainsState, metric: Metric, seed: number): StepSizeSearch {
  const rngs = Array.from({ length: C }, (_, c) => makeRng(seed, -(c + 1)));
  return searchStepSize((e) => {
    const [, info] = kernel(rngs, state, e, 1, metric);
    return harmonicMeanAccept(info.accept, info.divergent);
  });
}

