/**
 * ChEES-HMC (Hoffman, Radul & Sountsov 2021, "An Adaptive MCMC Scheme for Setting Trajectory Lengths in
 * Hamiltonian Monte Carlo", AISTATS) over the batched log density: many chains in lockstep, one batched
 * call per leapfrog step, as BlackJAX's `chees_adaptation` (shared/reference/many-chain.md §1.7) with:
 * - step size: dual averaging on the HARMONIC mean acceptance across chains (adaptation/chees-stepsize.ts);
 * - trajectory length: Adam ascent on the ChEES criterion in log T, Halton jitter shared by all chains
 *   (adaptation/chees-criterion.ts, chees-trajectory.ts, halton.ts), unflipped end momentum;
 * - diagonal metric: TFP SNAPER's cross-chain variance EMA (adaptation/chees-metric.ts);
 * - starts: one point per superchain (adaptation/chees-init.ts); warmup stops when nested R-hat over a
 *   recent window says the chains have mixed (adaptation/chees-warmup.ts), at most `warmup` iterations.
 */
import { SAMPLER_DEFAULTS } from './defaults.js';
import type { Draws } from '../../diagnostics/draws.js';
import { rhatNestedDraws, superchainsOf } from '../../diagnostics/nested-rhat.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Target } from './target.js';
import { cheesGradient } from './adaptation/chees-criterion.js';
import { chooseSuperchains } from './adaptation/chees-chains.js';
import { superchainStarts, type CheesInit } from './adaptation/chees-init.js';
import { buildLockstepKernel, type ChainsState } from './adaptation/chees-kernel.js';
import { crossChainVariance } from './adaptation/chees-metric.js';
import { harmonicMeanAccept, stepSizeAdaptation } from './adaptation/chees-stepsize.js';
import { trajectoryAdaptation } from './adaptation/chees-trajectory.js';
import { warmupMonitor } from './adaptation/chees-warmup.js';
import { haltonBits, haltonJitter } from './adaptation/halton.js';
import { makeMetric, type Metric } from './metric.js';
import { makeRng } from './rng.js';

export type { CheesInit } from './adaptation/chees-init.js';

/** Progress report, once per iteration. */
export interface CheesProgress {
  readonly phase: 'warmup' | 'sampling';
  readonly iteration: number;
  /** Maximum warmup iterations (warmup) or draws per chain (sampling). */
  readonly total: number;
  readonly stepSize: number;
  readonly nLeapfrog: number;
  /** Max nested R-hat over coordinates at the last warmup check (NaN before the first). */
  readonly nestedRhat: number;
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
  /** Draws kept per chain. */
  readonly draws: number;
  readonly seed: number;
  /**
   * Mode and sd (sqrt of the diagonal of its covariance, e.g. the Laplace fit's) to spread superchain
   * starts from (a bare Float64Array is a mode with sd 1); default uniform(−2, 2) per superchain.
   */
  readonly init?: CheesInit | Float64Array;
  /** Multiplier of the sd for the starts (default 2, overdispersed). */
  readonly initScale?: number;
  /** Draws per superchain of which the start is the best (default 16; 1 keeps one overdispersed draw). */
  readonly initCandidates?: number;
  /** Target of the harmonic-mean acceptance (default 0.651, BlackJAX). */
  readonly targetAccept?: number;
  /** Initial step size (default: found by doubling/halving until one leapfrog step accepts ~0.5). */
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
  /** True if `shouldStop` ended the run early. */
  readonly stopped: boolean;
}

const SAMPLER_COLUMNS = ['lp__', 'accept_stat__', 'stepsize__', 'n_leapfrog__', 'divergent__', 'energy__'];

/** Runs ChEES-HMC on `target` (see the module comment). */
export async function sampleChees(target: Target, opts: CheesOptions): Promise<CheesResult> {
  const D = target.dim;
  const C = opts.chains ?? SAMPLER_DEFAULTS.chees.chains;
  const K = opts.superchains ?? chooseSuperchains(C);
  const maxWarmup = opts.warmup ?? SAMPLER_DEFAULTS.chees.warmup;
  const minWarmup = Math.min(opts.minWarmup ?? 100, maxWarmup);
  const N = opts.draws;
  const maxL = opts.maxLeapfrog ?? 1000;
  if (!Number.isInteger(C) || C < 4) throw new GlmmInputError(`chains must be an integer ≥ 4 for ChEES; got ${C}`);
  if (!Number.isInteger(K) || K < 2 || C % K !== 0) throw new GlmmInputError(`${C} chains do not split into ${K} equal superchains; pick superchains ≥ 2 dividing chains`);
  if (!Number.isInteger(N) || N < 1) throw new GlmmInputError(`draws must be an integer ≥ 1; got ${N}`);
  if (!Number.isInteger(maxWarmup) || maxWarmup < 1) throw new GlmmInputError(`warmup must be an integer ≥ 1 for ChEES; got ${maxWarmup}`);
  const init = opts.init instanceof Float64Array ? { mode: opts.init } : opts.init;
  if (init && (init.mode.length !== D || (init.sd && init.sd.length !== D))) throw new GlmmInputError(`init has ${init.mode.length} values; the model has ${D} unconstrained parameters`);
  const M = C / K;
  const names = target.names ? [...target.names] : Array.from({ length: D }, (_, i) => `q[${i + 1}]`);

  const t0 = performance.now();
  const rngs = Array.from({ length: C }, (_, c) => makeRng(opts.seed, c + 1));
  const initRng = makeRng(opts.seed, 0);
  let startCalls = 0;
  const counted: Target = { ...target, logDensity: (q, n) => { startCalls++; return target.logDensity(q, n); } };
  const starts = superchainStarts(counted, K, initRng, init, opts.initScale ?? 2, opts.initCandidates ?? 16);
  const q0 = new Float64Array(C * D);
  for (let c = 0; c < C; c++) q0.set(starts.subarray(Math.floor(c / M) * D, (Math.floor(c / M) + 1) * D), c * D);
  const ev0 = target.logDensity(q0, C);
  let state: ChainsState = { q: q0, logp: Float64Array.from(ev0.logp), grad: Float64Array.from(ev0.grad) };
  let batchedCalls = startCalls + 1;
  const kernel = buildLockstepKernel(target, C);

  let metric: Metric = makeMetric('diag', new Float64Array(D).fill(1));
  let eps0 = opts.stepSize ?? 0;
  if (!(eps0 > 0)) {
    const found = initialStepSize(kernel, C, state, metric, opts.seed);
    eps0 = found.stepSize;
    batchedCalls += found.calls;
  }

  const ssAdapt = stepSizeAdaptation({ targetAccept: opts.targetAccept });
  const trAdapt = trajectoryAdaptation({ maxLeapfrog: maxL });
  const varEst = crossChainVariance(D);
  let ss = ssAdapt.init(eps0);
  let tr = trAdapt.init(eps0);
  let vs = varEst.init();
  const superchainIds = superchainsOf(C, M);
  const monitor = warmupMonitor(C, D, superchainIds, M, { minWarmup, maxWarmup, window: Math.min(20, maxWarmup), checkEvery: 10 });
  const bits = haltonBits(maxWarmup + N);
  let leapfrogs = 0;
  let k = 0;
  let converged = false;
  let stopped = false;
  for (let it = 0; it < maxWarmup; it++, k++) {
    const u = haltonJitter(k, bits);
    const L = Math.min(maxL, Math.max(1, Math.ceil((u * tr.T) / ss.stepSize)));
    const qStart = state.q;
    const [next, info] = kernel(rngs, state, ss.stepSize, L, metric);
    state = next;
    batchedCalls += L;
    leapfrogs += L;
    const T = tr.T;
    ss = ssAdapt.update(ss, harmonicMeanAccept(info.accept, info.divergent));
    const G = cheesGradient({ qStart, qProposal: info.qProposal, pProposal: info.pProposal, invMetric: metric.invMetric, accept: info.accept, divergent: info.divergent, jitter: u, trajectoryLength: T, nChains: C, dim: D });
    tr = trAdapt.update(tr, G, ss.stepSize);
    vs = varEst.update(vs, state.q, C);
    metric = makeMetric('diag', varEst.final(vs));
    opts.onProgress?.({ phase: 'warmup', iteration: it + 1, total: maxWarmup, stepSize: ss.stepSize, nLeapfrog: L, nestedRhat: monitor.lastNestedRhat });
    if (opts.shouldStop?.()) { stopped = true; k++; break; }
    if (monitor.push(state.q, it)) {
      converged = it + 1 < maxWarmup || monitor.lastNestedRhat < monitor.threshold;
      k++;
      break;
    }
    await yieldEvery(YIELD_MS);
  }
  const warmupIterations = k;
  const stepSize = ssAdapt.final(ss);
  const nStar = trAdapt.final(tr, ss.logStepSizeMa);
  const t1 = performance.now();

  const draws = new Float64Array(C * N * D);
  const stats = new Float64Array(C * N * SAMPLER_COLUMNS.length);
  let divergences = 0;
  let kept = 0;
  for (let d = 0; d < N && !stopped; d++, k++) {
    const L = Math.min(maxL, Math.max(1, Math.ceil(haltonJitter(k, bits) * nStar)));
    const [next, info] = kernel(rngs, state, stepSize, L, metric);
    state = next;
    batchedCalls += L;
    leapfrogs += L;
    for (let c = 0; c < C; c++) {
      draws.set(state.q.subarray(c * D, (c + 1) * D), (c * N + d) * D);
      const o = (c * N + d) * SAMPLER_COLUMNS.length;
      stats[o] = state.logp[c];
      stats[o + 1] = info.accept[c];
      stats[o + 2] = stepSize;
      stats[o + 3] = L;
      stats[o + 4] = info.divergent[c];
      stats[o + 5] = info.energy[c];
      divergences += info.divergent[c];
    }
    kept++;
    opts.onProgress?.({ phase: 'sampling', iteration: d + 1, total: N, stepSize, nLeapfrog: L, nestedRhat: monitor.lastNestedRhat });
    if (opts.shouldStop?.()) stopped = true;
    await yieldEvery(YIELD_MS);
  }
  const t2 = performance.now();
  const drawsOut = compact(draws, C, N, kept, D, names);
  const samplerOut = compact(stats, C, N, kept, SAMPLER_COLUMNS.length, SAMPLER_COLUMNS);
  return {
    draws: drawsOut,
    sampler: samplerOut,
    seconds: { warmup: (t1 - t0) / 1000, sampling: (t2 - t1) / 1000 },
    divergences,
    stepSize,
    invMetric: Float64Array.from(metric.invMetric),
    gradientEvaluations: leapfrogs * C,
    batchedCalls,
    warmupIterations,
    nLeapfrogMean: nStar,
    nestedRhat: {
      threshold: monitor.threshold,
      warmup: monitor.lastNestedRhat,
      converged,
      draws: kept >= 1 ? rhatNestedDraws(drawsOut, superchainIds) : new Float64Array(D).fill(NaN),
      superchainIds,
    },
    stopped,
  };
}

/**
 * Initial step size: from ε = 1, double while the harmonic-mean acceptance of one leapfrog step over all
 * chains exceeds 0.5, else halve until it does not fall below it (the batched analogue of Stan's
 * base_hmc.hpp init_stepsize, many-chain acceptance in place of one chain's). Uses stream 0 of the seed
 * offset so the chains' own streams are untouched; the chains do not move.
 */
function initialStepSize(kernel: ReturnType<typeof buildLockstepKernel>, C: number, state: ChainsState, metric: Metric, seed: number): { stepSize: number; calls: number } {
  const rngs = Array.from({ length: C }, (_, c) => makeRng(seed, -(c + 1)));
  let eps = 1;
  let calls = 0;
  const accept = (e: number): number => {
    calls++;
    const [, info] = kernel(rngs, state, e, 1, metric);
    return harmonicMeanAccept(info.accept, info.divergent);
  };
  const up = accept(eps) > 0.5;
  for (let i = 0; i < 60; i++) {
    const next = up ? eps * 2 : eps / 2;
    const a = accept(next);
    if (up ? a <= 0.5 : a > 0.5) return { stepSize: up ? eps : next, calls };
    eps = next;
  }
  return { stepSize: eps, calls };
}

function compact(buf: Float64Array, C: number, N: number, kept: number, P: number, names: readonly string[]): Draws {
  if (kept === N) return { nChains: C, nDraws: N, names, data: buf };
  const out = new Float64Array(C * kept * P);
  for (let c = 0; c < C; c++) out.set(buf.subarray(c * N * P, (c * N + kept) * P), c * kept * P);
  return { nChains: C, nDraws: kept, names, data: out };
}

/** Yield to the event loop at least this often (ms), so that SIGINT, a browser's stop button and the
 * progress bar are served within a fraction of a second whatever an iteration costs. */
const YIELD_MS = 100;
let lastYield = 0;

/** Yields to the event loop when `ms` have passed since the last yield (a no-op otherwise). */
function yieldEvery(ms: number): Promise<void> | void {
  const now = performance.now();
  if (now - lastYield < ms) return;
  lastYield = now;
  return new Promise((resolve) => setTimeout(resolve, 0));
}
