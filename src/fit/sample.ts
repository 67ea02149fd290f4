/**
 * Runs the chosen sampler (NUTS or ChEES-HMC) on a compiled model and reports both in one shape.
 * Initial values: the Laplace mode with its curvature (DESIGN: "the Laplace mode and its curvature are
 * offered to the samplers"), jittered per chain by one standard error so that R-hat can still see
 * chains that disagree; Stan's uniform(−2, 2) when asked or when there is no Laplace fit. On large data
 * (perChainWork ≥ LARGE_DATA_WORK) ChEES runs LARGE_DATA_CHAINS chains in the Laplace-based coordinates
 * of precondition.ts; the draws, positions and the ESS rule are mapped back to the model's. Measured on
 * lme4's VerbAgg (32 chains, plain-JS density, load ~4 on 2 cores): without the change of variables
 * bulk-ESS ~0.03 per draw for the fixed effects (775 draws per chain in 10 minutes, not certified),
 * with β = L·u only ~0.05, with the random effects shifted too ~1 (certified after 25 warmup + 90
 * draws, 42 CPU-s for the whole run).
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { Target } from '../sampler/target.js';
import type { ModelSpec } from '../target/parameters.js';
import { sampleChees } from '../sampler/chees.js';
import { chooseChains, LARGE_DATA_WORK } from '../sampler/adaptation/chees-chains.js';
import { perChainWork } from '../target/density-js.js';
import { sampleNuts } from '../sampler/nuts.js';
import { makeRng } from '../sampler/rng.js';
import { drawCap, essStopRule, type HeldFigures } from './ess-target.js';
import type { SamplerRun } from './summary.js';
import type { LaplaceRun } from './laplace-run.js';
import { SAMPLER_DEFAULTS, type ResolvedSamplerOptions } from './options.js';
import { laplaceStart } from './laplace.js';
import { drawsToModelSpace, buildPreconditioner, preconditionTarget, toModelSpace, toSamplerSpace, type Preconditioner } from './precondition.js';

/** Progress of a fit, for a progress line: the phase, and where it stands against its expected length. */
export interface SamplingProgress {
  /** 'laplace' (the ML fit), 'warmup', 'sampling', 'summary' (diagnostics and summary at the end). */
  readonly phase: 'laplace' | 'warmup' | 'sampling' | 'summary';
  readonly warmup: boolean;
  /**
   * Iterations done and total, summed over chains for NUTS (per chain for ChEES, which runs them
   * together). ChEES warmup: total is the iteration of the next nested R-hat check (where warmup may
   * stop), not the cap; sampling with an ESS target: the cap on draws per chain.
   */
  readonly done: number;
  readonly total: number;
  /** ChEES warmup: the max nested R-hat at the last check (NaN before it) and the threshold. */
  readonly nestedRhat?: { readonly value: number; readonly threshold: number };
  /** ChEES sampling to a target: the lowest bulk/tail ESS at the last check and its parameter. */
  readonly ess?: { readonly min: number; readonly parameter: string; readonly target: number; readonly firstCheck: number };
  /**
   * ChEES: every chain's current unconstrained position, chain-major; NUTS: the position of the one chain
   * `chain` that just finished an iteration (valid during the callback only), for live plots.
   */
  readonly positions?: Float64Array;
  readonly chain?: number;
}

/** The resolved sampler options (fit/options.ts), the ESS target, and what the run needs besides. */
export interface SamplerChoice extends Omit<ResolvedSamplerOptions, 'draws'> {
  /** Draws per chain, fixed; undefined: NUTS its default, ChEES until `ess` is reached (at most drawCap). */
  readonly draws?: number;
  /** ChEES without `draws`: bulk/tail ESS every held parameter must reach (ess-target.ts). */
  readonly ess: number;
  /** What evaluates the log density, for summary.json's sampler.engine (e.g. "tfjs-wasm"). */
  readonly engine: string;
  readonly onProgress?: (p: SamplingProgress) => void;
  readonly shouldStop?: () => boolean;
}

export interface SamplerOutput {
  readonly unconstrained: Draws;
  readonly info: SamplerRun;
  readonly stopped: boolean;
  /** Each chain's superchain (ChEES; chains of a superchain share a start); absent for NUTS. */
  readonly superchains?: Int32Array;
}

/** Chain starts for NUTS: mode + sd·uniform(−1, 1) per chain. */
function jitteredStarts(mode: Float64Array, sd: Float64Array, chains: number, seed: number): Float64Array {
  const rng = makeRng(seed, 0x5eed);
  const D = mode.length;
  const out = new Float64Array(chains * D);
  for (let c = 0; c < chains; c++) for (let i = 0; i < D; i++) out[c * D + i] = mode[i] + sd[i] * (2 * rng.uniform() - 1);
  return out;
}

/**
 * Whether the Laplace fit can start the samplers: it ran and its deviance is finite. A fit whose optimizer
 * never left a non-finite start (e.g. the GLM start of a gamma model diverging on y spanning 0.002–1,152,
 * SBC gamma replication 15) has estimates no chain can start at; the samplers then start at random points.
 */
export function startsSampler(laplace: LaplaceRun): boolean {
  return (!laplace.error || laplace.startOnly === true) && (laplace.stats === null || Number.isFinite(laplace.stats.deviance));
}

/** Runs NUTS or ChEES on `target` as `choice` says. */
export async function runSampler(spec: ModelSpec, target: Target, laplace: LaplaceRun | null, choice: SamplerChoice): Promise<SamplerOutput> {
  const start = choice.init instanceof Float64Array
    ? { mode: choice.init, sd: new Float64Array(spec.dim).fill(0) }
    : choice.init === 'laplace' && laplace && startsSampler(laplace) ? laplaceStart(spec, laplace) : null;
  const report = choice.onProgress;
  if (choice.sampler === 'chees') {
    // large data only (LARGE_DATA_WORK): the reference models already stop at the ESS check's 20-draw
    // minimum, so there it could not shorten sampling, and their validated default stays as it was
    const large = perChainWork(spec) >= LARGE_DATA_WORK;
    const pre = !large || !start || !laplace || laplace.error ? null : buildPreconditioner(spec, start.mode, laplace.vcov);
    return runChees(spec, target, start, choice, pre);
  }
  const chains = choice.chains ?? SAMPLER_DEFAULTS.nuts.chains;
  const draws = choice.draws ?? SAMPLER_DEFAULTS.nuts.draws;
  const total = chains * (choice.warmup + draws);
  let done = 0;
  const r = await sampleNuts(target, {
    chains, warmup: choice.warmup, draws, seed: choice.seed, adaptDelta: choice.adaptDelta,
    maxTreedepth: choice.maxTreedepth, metric: choice.metric,
    init: start ? jitteredStarts(start.mode, start.sd, chains, choice.seed) : undefined,
    onProgress: report && ((p) => report({ phase: p.warmup ? 'warmup' : 'sampling', warmup: p.warmup, done: ++done, total, positions: p.position, chain: p.chain })),
    shouldStop: choice.shouldStop,
  });
  return {
    unconstrained: r.draws, stopped: r.stopped,
    info: {
      engine: choice.engine, sampler: 'nuts', chains, warmup: choice.warmup, draws: r.draws.nDraws, seed: choice.seed,
      seconds: r.seconds, divergences: r.divergences, treedepthHits: r.treedepthHits, maxTreedepth: choice.maxTreedepth,
      stepSize: Array.from(r.stepSize), samplerDraws: r.sampler,
    },
  };
}

/**
 * ChEES's chains: `choice.chains`, else 256 unless the model is too big for that many (chooseChains'
 * memory rules) or is large data (LARGE_DATA_CHAINS).
 */
export function cheesChains(spec: ModelSpec, choice: { chains?: number; draws?: number }): number {
  const size = { rows: spec.design.nobs, dim: spec.dim, draws: choice.draws ?? SAMPLER_DEFAULTS.chees.draws, work: perChainWork(spec) };
  return choice.chains ?? Math.min(SAMPLER_DEFAULTS.chees.chains, chooseChains(size));
}

/**
 * The target, starts and stopping rule in the sampler's coordinates when `pre` maps the fixed effects
 * (precondition.ts), and the map of positions back to the model's; all unchanged without it.
 */
function preconditioned(spec: ModelSpec, target: Target, start: { mode: Float64Array; sd: Float64Array } | null, choice: SamplerChoice, pre: Preconditioner | null) {
  const plainRule = choice.draws === undefined ? essStopRule(spec, choice.ess) : undefined;
  if (!pre || !start) return { target, start, rule: plainRule, toModel: (x: Float64Array) => x };
  const mode = Float64Array.from(start.mode);
  toSamplerSpace(pre, mode, 1);
  const sd = Float64Array.from(start.sd);
  sd.fill(1, 0, spec.p); // u has unit Laplace variance by construction; ũ keeps the conditional sds of b
  const rule = plainRule && { ...plainRule, check: (draws: Draws, ids: Int32Array) => plainRule.check(drawsToModelSpace(pre, draws), ids) };
  const toModel = (x: Float64Array, nChains: number) => {
    const y = Float64Array.from(x);
    toModelSpace(pre, y, nChains);
    return y;
  };
  return { target: preconditionTarget(target, pre), start: { mode, sd }, rule, toModel };
}

/** ChEES over many chains: to the ESS target unless `draws` fixes the length. */
async function runChees(spec: ModelSpec, target0: Target, start0: { mode: Float64Array; sd: Float64Array } | null, choice: SamplerChoice, pre: Preconditioner | null): Promise<SamplerOutput> {
  const { target, start, rule, toModel } = preconditioned(spec, target0, start0, choice, pre);
  const chains = cheesChains(spec, choice);
  const report = choice.onProgress;
  const r = await sampleChees(target, {
    chains, warmup: choice.warmup, draws: choice.draws ?? drawCap(chains, spec.dim), stopRule: rule, seed: choice.seed, targetAccept: choice.adaptDelta,
    init: start ? { mode: start.mode, sd: start.sd } : undefined,
    onProgress: report && ((p) => report({
      phase: p.phase, warmup: p.phase === 'warmup', done: p.iteration, total: p.total, positions: toModel(p.positions, chains),
      nestedRhat: { value: p.nestedRhat, threshold: p.threshold }, ess: p.ess,
    })),
    shouldStop: choice.shouldStop,
  });
  return {
    unconstrained: pre ? drawsToModelSpace(pre, r.draws) : r.draws, stopped: r.stopped, superchains: r.nestedRhat.superchainIds,
    info: {
      engine: choice.engine, sampler: 'chees', targetAccept: choice.adaptDelta, chains, warmup: r.warmupIterations, draws: r.draws.nDraws, seed: choice.seed,
      seconds: r.seconds, divergences: r.divergences, treedepthHits: 0, maxTreedepth: choice.maxTreedepth,
      stepSize: [r.stepSize], samplerDraws: r.sampler,
      nestedRhat: { superchainIds: r.nestedRhat.superchainIds, chainsPerSuperchain: chains / new Set(r.nestedRhat.superchainIds).size },
      essTarget: rule ? { target: choice.ess, cap: choice.draws ?? drawCap(chains, spec.dim), check: (r.stopCheck as HeldFigures | null) } : undefined,
      stopped: r.stopped, warnings: r.warnings,
    },
  };
}
