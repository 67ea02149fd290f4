/**
 * `sampleNuts`: Stan's NUTS with its windowed warmup (reference/algorithms.md §1; stan-dev/stan
 * base_nuts.hpp, adapt_diag_e_nuts.hpp, windowed_adaptation.hpp), C chains in lockstep over one
 * batched log density (DESIGN.md §Contracts). Every chain is an independent stream of one seed
 * (rng.ts); the same seed gives the same draws. Chains synchronise at the leapfrog level: each driver
 * step makes one batched call with the positions of all chains still running, so a chain that finishes
 * its tree starts the next one at once rather than waiting for the slowest chain.
 */
import { SAMPLER_DEFAULTS } from './defaults.js';
import type { Draws } from '../../diagnostics/draws.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Target } from './target.js';
import { lockstep, runLockstep } from './chains.js';
import type { MetricKind } from './metric.js';
import { chainOutput, nutsChain, SAMPLER_COLUMNS, type NutsChainOutput, type NutsProgress } from './nuts-chain.js';
import { makeRng } from './rng.js';
import { windowSchedule, type WindowOptions } from './adaptation/windows.js';

export type { NutsProgress } from './nuts-chain.js';

/** Options of {@link sampleNuts}; defaults are CmdStan's. */
export interface NutsOptions {
  /** Number of chains (4). */
  readonly chains?: number;
  /** Warmup iterations per chain (1000). */
  readonly warmup?: number;
  /** Post-warmup draws per chain (1000). */
  readonly draws?: number;
  /** Seed of all random streams (chain c uses stream c). */
  readonly seed: number;
  /** Target accept_stat δ of dual averaging (0.8). */
  readonly adaptDelta?: number;
  /** Maximum tree depth (10). */
  readonly maxTreedepth?: number;
  /** 'diag' (default) or 'dense' inverse metric. */
  readonly metric?: MetricKind;
  /** Initial values on the unconstrained scale: chains×dim (one per chain) or dim (shared). Default uniform(−2, 2). */
  readonly init?: Float64Array;
  /** Starting inverse metric: diag (length dim) or, with metric 'dense', dim×dim row-major. Default identity. */
  readonly initInvMetric?: Float64Array;
  /** Starting step size (1); with warmup 0 it is used as is. */
  readonly stepSize?: number;
  /** Warmup buffers and base window (75 / 25 / 50). */
  readonly windows?: WindowOptions;
  /** Also return the warmup iterations (CmdStan's save_warmup; false). */
  readonly saveWarmup?: boolean;
  /** Called after every iteration of every chain. */
  readonly onProgress?: (p: NutsProgress) => void;
  /** Polled between batched calls; once true, every chain finishes its current iteration and stops. */
  readonly shouldStop?: () => boolean;
}

/** Result of {@link sampleNuts}. Draws are post-warmup, unconstrained; `draws.nDraws` is the number completed by every chain. */
export interface NutsResult {
  readonly draws: Draws;
  /** CmdStan's sampler columns lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__. */
  readonly sampler: Draws;
  /** With `saveWarmup`: the warmup iterations (draws and sampler columns, same layout), completed by every chain. */
  readonly warmup?: { readonly draws: Draws; readonly sampler: Draws };
  /** Adapted step size per chain. */
  readonly stepSize: Float64Array;
  /** Adapted inverse metric per chain (length dim, or dim×dim row-major for dense). */
  readonly invMetric: Float64Array[];
  /** Wall-clock seconds: warmup = until the last chain ended its warmup; sampling = the rest. */
  readonly seconds: { readonly warmup: number; readonly sampling: number };
  /** Divergent post-warmup transitions (all chains). */
  readonly divergences: number;
  /** Post-warmup transitions that hit the maximum tree depth (all chains). */
  readonly treedepthHits: number;
  /** Log-density evaluations per chain (initialisation, step-size search, leapfrog steps), warmup included. */
  readonly gradientEvaluations: Float64Array;
  /** Batched log-density calls made. */
  readonly batchedCalls: number;
  /** True if `shouldStop` ended the run early. */
  readonly stopped: boolean;
}

function positiveInt(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new GlmmInputError(`${name} must be an integer ≥ ${min}; got ${v}`);
  return v;
}

/** Runs NUTS on `target` (async: yields to the event loop about every 50 ms). */
export async function sampleNuts(target: Target, opts: NutsOptions): Promise<NutsResult> {
  const dim = target.dim;
  const d = SAMPLER_DEFAULTS.nuts;
  const C = positiveInt('chains', opts.chains ?? d.chains, 1);
  const W = positiveInt('warmup', opts.warmup ?? d.warmup, 0);
  const N = positiveInt('draws', opts.draws ?? d.draws, 0);
  const maxDepth = positiveInt('maxTreedepth', opts.maxTreedepth ?? d.maxTreedepth, 1);
  const adaptDelta = opts.adaptDelta ?? d.adaptDelta;
  if (!(adaptDelta > 0 && adaptDelta < 1)) throw new GlmmInputError(`adaptDelta must be in (0, 1); got ${adaptDelta}`);
  const kind: MetricKind = opts.metric ?? d.metric;
  if (kind !== 'diag' && kind !== 'dense') throw new GlmmInputError(`metric must be 'diag' or 'dense'; got ${String(kind)}`);
  if (!Number.isFinite(opts.seed)) throw new GlmmInputError(`seed must be a finite number; got ${opts.seed}`);
  if (opts.stepSize !== undefined && !(opts.stepSize > 0)) throw new GlmmInputError(`stepSize must be positive; got ${opts.stepSize}`);
  const init = opts.init;
  if (init && init.length !== dim && init.length !== C * dim) {
    throw new GlmmInputError(`init has ${init.length} values; give ${dim} (shared) or chains×dim = ${C * dim}`);
  }
  const metricLen = kind === 'diag' ? dim : dim * dim;
  if (opts.initInvMetric && opts.initInvMetric.length !== metricLen) {
    throw new GlmmInputError(`initInvMetric has ${opts.initInvMetric.length} values; a ${kind} metric needs ${metricLen}`);
  }
  const schedule = windowSchedule(W, opts.windows);
  let stopRequested = false;
  const outs: NutsChainOutput[] = [];
  const programs = [];
  for (let c = 0; c < C; c++) {
    const cfg = {
      chain: c,
      dim,
      numWarmup: W,
      numDraws: N,
      maxDepth,
      adaptDelta,
      metricKind: kind,
      schedule,
      rng: makeRng(opts.seed, c),
      init: init ? (init.length === dim ? init : init.subarray(c * dim, (c + 1) * dim)) : undefined,
      initInvMetric: opts.initInvMetric,
      stepSize: opts.stepSize,
      saveWarmup: opts.saveWarmup ?? false,
      onProgress: opts.onProgress,
      stopped: () => stopRequested,
    };
    const out = chainOutput(cfg);
    outs.push(out);
    programs.push(nutsChain(cfg, out));
  }
  const t0 = Date.now();
  const driver = lockstep(programs, target.logDensity, dim);
  await runLockstep(driver, opts.shouldStop, () => {
    stopRequested = true;
  });
  const t1 = Date.now();
  const warmupEnd = Math.min(t1, Math.max(t0, ...outs.map((o) => (Number.isFinite(o.warmupEndMs) ? o.warmupEndMs : t1))));
  const nDone = Math.min(...outs.map((o) => o.nDone));
  const names = target.names && target.names.length === dim ? [...target.names] : Array.from({ length: dim }, (_, i) => `q${i + 1}`);
  const K = SAMPLER_COLUMNS.length;
  const stack = (n: number, width: number, pick: (o: NutsChainOutput) => Float64Array): Float64Array => {
    const a = new Float64Array(C * n * width);
    for (let c = 0; c < C; c++) a.set(pick(outs[c]).subarray(0, n * width), c * n * width);
    return a;
  };
  const draws = stack(nDone, dim, (o) => o.draws);
  const sampler = stack(nDone, K, (o) => o.sampler);
  const nWarm = Math.min(...outs.map((o) => o.warmupDone));
  const warmup = opts.saveWarmup
    ? {
        draws: { nChains: C, nDraws: nWarm, names, data: stack(nWarm, dim, (o) => o.warmupDraws) },
        sampler: { nChains: C, nDraws: nWarm, names: [...SAMPLER_COLUMNS], data: stack(nWarm, K, (o) => o.warmupSampler) },
      }
    : undefined;
  let divergences = 0;
  let treedepthHits = 0;
  for (let c = 0; c < C; c++) {
    const o = outs[c];
    for (let d = 0; d < nDone; d++) {
      divergences += o.sampler[d * K + 5];
      if (o.sampler[d * K + 3] >= maxDepth) treedepthHits += 1;
    }
  }
  return {
    draws: { nChains: C, nDraws: nDone, names, data: draws },
    sampler: { nChains: C, nDraws: nDone, names: [...SAMPLER_COLUMNS], data: sampler },
    warmup,
    stepSize: Float64Array.from(outs.map((o) => o.stepSize)),
    invMetric: outs.map((o) => o.invMetric),
    seconds: { warmup: (warmupEnd - t0) / 1000, sampling: (t1 - warmupEnd) / 1000 },
    divergences,
    treedepthHits,
    gradientEvaluations: Float64Array.from(driver.evaluations),
    batchedCalls: driver.calls(),
    stopped: stopRequested,
  };
}
