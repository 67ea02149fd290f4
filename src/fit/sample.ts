/**
 * Runs the chosen sampler (NUTS or ChEES-HMC) on a compiled model and reports both in one shape.
 * Initial values: the Laplace mode with its curvature (DESIGN: "the Laplace mode and its curvature are
 * offered to the samplers"), jittered per chain by one standard error so that R-hat can still see
 * chains that disagree; Stan's uniform(−2, 2) when asked or when there is no Laplace fit.
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { Target } from '../sampler/target.js';
import type { ModelSpec } from '../model/parameters.js';
import { sampleChees } from '../sampler/chees.js';
import { chooseChains } from '../sampler/adaptation/chees-chains.js';
import { sampleNuts } from '../sampler/nuts.js';
import { makeRng } from '../sampler/rng.js';
import type { SamplerRun } from './summary.js';
import type { LaplaceRun } from './laplace-run.js';
import { SAMPLER_DEFAULTS, type ResolvedSamplerOptions } from './options.js';
import { laplaceStart } from './laplace.js';

/** Progress of either sampler, for a progress bar. */
export interface SamplingProgress {
  readonly warmup: boolean;
  /** Iterations done and total, summed over chains for NUTS (per chain for ChEES, which runs them together). */
  readonly done: number;
  readonly total: number;
}

/** The resolved sampler options (fit/options.ts) and what the run needs besides. */
export interface SamplerChoice extends ResolvedSamplerOptions {
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

/** Runs NUTS or ChEES on `target` as `choice` says. */
export async function runSampler(spec: ModelSpec, target: Target, laplace: LaplaceRun | null, choice: SamplerChoice): Promise<SamplerOutput> {
  const start = choice.init instanceof Float64Array
    ? { mode: choice.init, sd: new Float64Array(spec.dim).fill(0) }
    : choice.init === 'laplace' && laplace && !laplace.error ? laplaceStart(spec, laplace) : null;
  const report = choice.onProgress;
  if (choice.sampler === 'chees') {
    // 256 chains unless the model is too big for that many (chooseChains' memory rules); more chains raise
    // throughput on small models (bench/chees) but 256 × 100 draws already give ESS in the tens of thousands
    const chains = choice.chains ?? Math.min(SAMPLER_DEFAULTS.chees.chains, chooseChains({ rows: spec.design.nobs, dim: spec.dim, draws: choice.draws }));
    const r = await sampleChees(target, {
      chains, warmup: choice.warmup, draws: choice.draws, seed: choice.seed, targetAccept: choice.adaptDelta,
      init: start ? { mode: start.mode, sd: start.sd } : undefined,
      onProgress: report && ((p) => report({ warmup: p.phase === 'warmup', done: p.iteration, total: p.total })),
      shouldStop: choice.shouldStop,
    });
    return {
      unconstrained: r.draws, stopped: r.stopped, superchains: r.nestedRhat.superchainIds,
      info: {
        engine: choice.engine, sampler: 'chees', targetAccept: choice.adaptDelta, chains, warmup: r.warmupIterations, draws: r.draws.nDraws, seed: choice.seed,
        seconds: r.seconds, divergences: r.divergences, treedepthHits: 0, maxTreedepth: choice.maxTreedepth,
        stepSize: [r.stepSize], samplerDraws: r.sampler,
        nestedRhat: { names: r.draws.names, values: r.nestedRhat.draws, chainsPerSuperchain: chains / new Set(r.nestedRhat.superchainIds).size },
      },
    };
  }
  const chains = choice.chains ?? SAMPLER_DEFAULTS.nuts.chains;
  const total = chains * (choice.warmup + choice.draws);
  let done = 0;
  const r = await sampleNuts(target, {
    chains, warmup: choice.warmup, draws: choice.draws, seed: choice.seed, adaptDelta: choice.adaptDelta,
    maxTreedepth: choice.maxTreedepth, metric: choice.metric,
    init: start ? jitteredStarts(start.mode, start.sd, chains, choice.seed) : undefined,
    onProgress: report && ((p) => report({ warmup: p.warmup, done: ++done, total })),
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
