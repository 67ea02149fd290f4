/**
 * The sampling phase of ChEES-HMC: transitions with the adapted step size, metric and jittered trajectory
 * length (BlackJAX `chees_adaptation` after warmup), kept in a buffer that grows as it fills, either for
 * a fixed number of draws per chain or in blocks until a stopping rule is satisfied (e.g. every held
 * parameter has bulk- and tail-ESS ≥ a target and nested R-hat ≤ its threshold) or a cap is reached.
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { ChainsState, buildLockstepKernel } from './adaptation/chees-kernel.js';
import { haltonJitter } from './adaptation/halton.js';
import type { Metric } from './metric.js';
import type { Rng } from './rng.js';

/** CmdStan's sampler columns, one row per kept draw. */
export const SAMPLER_COLUMNS = ['lp__', 'accept_stat__', 'stepsize__', 'n_leapfrog__', 'divergent__', 'energy__'];

/** What a stopping rule reports at a check. */
export interface StopCheck {
  /** True when the draws so far are enough. */
  readonly done: boolean;
  /** The lowest bulk- or tail-ESS among the held parameters, and which parameter it is. */
  readonly minEss: number;
  readonly parameter: string;
}

/**
 * Sample until `check` says done: checked every `block` draws per chain from `minDraws` on, at most
 * the sampler's `draws` per chain. `check` sees the unconstrained draws so far and the superchain ids.
 */
export interface SamplingStopRule {
  readonly block: number;
  readonly minDraws: number;
  readonly target: number;
  readonly check: (draws: Draws, superchainIds: Int32Array) => StopCheck;
}

/** The adapted kernel and where the chains are. */
export interface SamplingSetup {
  readonly kernel: ReturnType<typeof buildLockstepKernel>;
  readonly rngs: Rng[];
  readonly metric: Metric;
  readonly stepSize: number;
  /** Leapfrog steps before jitter (n* = T/ε). */
  readonly nStar: number;
  readonly maxLeapfrog: number;
  /** Halton index of the first sampling transition, and the bit count of the sequence. */
  readonly haltonStart: number;
  readonly haltonBits: number;
  readonly names: readonly string[];
  readonly superchainIds: Int32Array;
}

/** Progress of the sampling phase. */
export interface SamplingTick {
  readonly iteration: number;
  /** Fixed length: the draws per chain; with a rule: the cap. */
  readonly total: number;
  readonly nLeapfrog: number;
  readonly positions: Float64Array;
  readonly lastCheck: StopCheck | null;
}

/** What the sampling phase produced. */
export interface SamplingOutput {
  readonly draws: Draws;
  readonly sampler: Draws;
  readonly divergences: number;
  readonly leapfrogs: number;
  readonly state: ChainsState;
  readonly lastCheck: StopCheck | null;
  /** True when `shouldStop` ended it. */
  readonly stopped: boolean;
}

/** Growable chain-major buffers of draws and sampler statistics. */
function drawBuffer(C: number, D: number, initial: number) {
  const S = SAMPLER_COLUMNS.length;
  let cap = Math.max(1, initial);
  let draws: Float64Array = new Float64Array(C * cap * D);
  let stats: Float64Array = new Float64Array(C * cap * S);
  let kept = 0;
  const regrow = (buf: Float64Array, P: number, newCap: number): Float64Array => {
    const out = new Float64Array(C * newCap * P);
    for (let c = 0; c < C; c++) out.set(buf.subarray(c * cap * P, (c * cap + kept) * P), c * newCap * P);
    return out;
  };
  return {
    get kept(): number {
      return kept;
    },
    /** Appends one draw of every chain. */
    push(q: Float64Array, row: (c: number, out: Float64Array, o: number) => void): void {
      if (kept === cap) {
        const next = cap * 2;
        draws = regrow(draws, D, next);
        stats = regrow(stats, S, next);
        cap = next;
      }
      for (let c = 0; c < C; c++) {
        draws.set(q.subarray(c * D, (c + 1) * D), (c * cap + kept) * D);
        row(c, stats, (c * cap + kept) * S);
      }
      kept++;
    },
    /** The kept draws (and statistics) as Draws, exactly `kept` per chain. */
    view(names: readonly string[], what: 'draws' | 'stats'): Draws {
      const P = what === 'draws' ? D : S;
      const buf = what === 'draws' ? draws : stats;
      const data = new Float64Array(C * kept * P);
      for (let c = 0; c < C; c++) data.set(buf.subarray(c * cap * P, (c * cap + kept) * P), c * kept * P);
      return { nChains: C, nDraws: kept, names: what === 'draws' ? names : SAMPLER_COLUMNS, data };
    },
  };
}

/** Whether the loop should check the rule after `kept` draws per chain. */
function isCheckPoint(rule: SamplingStopRule | undefined, kept: number): boolean {
  return rule !== undefined && kept >= rule.minDraws && (kept - rule.minDraws) % rule.block === 0;
}

/**
 * Runs the sampling transitions from `state`: `maxDraws` per chain, or fewer when `rule` is satisfied
 * at a check. `tick` is called after every transition; `pause` lets the caller yield to the event loop
 * and poll for a stop (true ends the run with the draws so far).
 */
export async function sampleDraws(
  setup: SamplingSetup,
  state0: ChainsState,
  maxDraws: number,
  rule: SamplingStopRule | undefined,
  tick: (t: SamplingTick) => void,
  pause: () => Promise<boolean>,
): Promise<SamplingOutput> {
  const C = setup.rngs.length;
  const D = setup.names.length;
  const buf = drawBuffer(C, D, rule ? Math.min(maxDraws, rule.minDraws + rule.block) : maxDraws);
  let state = state0;
  let divergences = 0;
  let leapfrogs = 0;
  let lastCheck: StopCheck | null = null;
  let stopped = false;
  for (let d = 0; d < maxDraws; d++) {
    const L = Math.min(setup.maxLeapfrog, Math.max(1, Math.ceil(haltonJitter(setup.haltonStart + d, setup.haltonBits) * setup.nStar)));
    const [next, info] = setup.kernel(setup.rngs, state, setup.stepSize, L, setup.metric);
    state = next;
    leapfrogs += L;
    buf.push(state.q, (c, out, o) => {
      out[o] = state.logp[c];
      out[o + 1] = info.accept[c];
      out[o + 2] = setup.stepSize;
      out[o + 3] = L;
      out[o + 4] = info.divergent[c];
      out[o + 5] = info.energy[c];
      divergences += info.divergent[c];
    });
    if (isCheckPoint(rule, buf.kept)) lastCheck = rule!.check(buf.view(setup.names, 'draws'), setup.superchainIds);
    tick({ iteration: d + 1, total: maxDraws, nLeapfrog: L, positions: state.q, lastCheck });
    if (lastCheck?.done) break;
    if (await pause()) {
      stopped = true;
      break;
    }
  }
  return {
    draws: buf.view(setup.names, 'draws'), sampler: buf.view(setup.names, 'stats'),
    divergences, leapfrogs, state, lastCheck, stopped,
  };
}
