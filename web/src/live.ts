/**
 * The worker's record of a running sampler for the live view: the chains' positions from the
 * sampler's progress events (src/fit/sample.ts SamplingProgress.positions), turned on request into
 * constrained draws and summary.json by the library's own constrainDraws and buildSummary.
 *
 * Warmup keeps the first WARMUP_CHAINS chains (its diagnostics use the second half of the iterations
 * so far, where the chains have forgotten their starts); sampling keeps every chain (its diagnostics
 * use all draws so far, as the final summary will).
 */
import type { Draws } from '../../diagnostics/draws.js';
import { constrainDraws } from '../../src/target/constrain.js';
import type { ModelSpec } from '../../src/target/parameters.js';
import { buildSummary, type LaplaceSide } from '../../src/fit/summary.js';
import type { SamplingProgress } from '../../src/fit/sample.js';
import { PLOT_CHAINS } from '../../src/fit/report-input.js';
import type { LiveSnapshot } from './protocol.js';

/** Chains whose warmup iterations are kept (memory: 64 × 1000 × dim doubles at most). */
const WARMUP_CHAINS = 64;
/** Points per chain in a live trace (longer phases are thinned evenly). */
const TRACE_POINTS = 400;

/** One chain's positions in one phase, growing as needed. */
class ChainLog {
  data: Float64Array;
  n = 0;
  constructor(readonly dim: number, capacity: number) {
    this.data = new Float64Array(Math.max(1, capacity) * dim);
  }
  push(q: Float64Array, offset: number): void {
    if ((this.n + 1) * this.dim > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data.set(q.subarray(offset, offset + this.dim), this.n * this.dim);
    this.n++;
  }
}

/** Records positions and makes snapshots. */
export interface LiveRecorder {
  push(p: SamplingProgress): void;
  /** The live view's data, or null while there are fewer than 4 iterations in the phase. */
  snapshot(seconds: number): LiveSnapshot | null;
}

/** Columns `keep` of constrained draws (the plots and the live table leave out the random effects). */
function selectColumns(d: Draws, keep: readonly number[]): Draws {
  const P = d.names.length;
  const n = d.nChains * d.nDraws;
  const data = new Float64Array(n * keep.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < keep.length; j++) data[i * keep.length + j] = d.data[i * P + keep[j]];
  return { nChains: d.nChains, nDraws: d.nDraws, names: keep.map((j) => d.names[j]), data };
}

/** Unconstrained draws of `chains` chains, iterations `from`..`to` (every `step`-th), from the logs. */
function gather(logs: readonly ChainLog[], chains: number, from: number, to: number, step: number, names: readonly string[]): Draws {
  const D = names.length;
  const idx: number[] = [];
  for (let i = from; i < to; i += step) idx.push(i);
  const data = new Float64Array(chains * idx.length * D);
  for (let c = 0; c < chains; c++) idx.forEach((i, k) => data.set(logs[c].data.subarray(i * D, (i + 1) * D), (c * idx.length + k) * D));
  return { nChains: chains, nDraws: idx.length, names, data };
}

/** A recorder for `spec` (the model as sampled) with the Laplace side of the summary. */
export function liveRecorder(spec: ModelSpec, side: LaplaceSide | null, plan: { warmup: number; draws: number }): LiveRecorder {
  const D = spec.dim;
  const keep = spec.params.flatMap((p, j) => (p.class === 'r' ? [] : [j]));
  let warm: ChainLog[] = [];
  let samp: ChainLog[] = [];
  let warmup = true;
  let last = { done: 0, total: 0 };
  const log = (logs: ChainLog[], c: number, cap: number): ChainLog => (logs[c] ??= new ChainLog(D, cap));
  return {
    push(p) {
      warmup = p.warmup;
      last = { done: p.done, total: p.total };
      const q = p.positions;
      if (!q) return;
      const logs = p.warmup ? warm : samp;
      const cap = p.warmup ? Math.min(plan.warmup, 200) : plan.draws;
      if (p.chain !== undefined) {
        if (!p.warmup || p.chain < WARMUP_CHAINS) log(logs, p.chain, cap).push(q, 0);
        return;
      }
      const C = q.length / D;
      const kept = p.warmup ? Math.min(C, WARMUP_CHAINS) : C;
      for (let c = 0; c < kept; c++) log(logs, c, cap).push(q, c * D);
    },
    snapshot(seconds) {
      const logs = warmup ? warm : samp;
      const chains = logs.length;
      if (chains === 0) return null;
      const n = Math.min(...logs.map((l) => l.n));
      if (n < 4) return null;
      const from = warmup ? n - Math.floor(n / 2) : 0;
      const traceChains = Math.min(chains, PLOT_CHAINS);
      const step = Math.max(1, Math.ceil(n / TRACE_POINTS));
      const trace = selectColumns(constrainDraws(spec, gather(logs, traceChains, 0, n, step, spec.names)), keep);
      const density = selectColumns(constrainDraws(spec, gather(logs, chains, from, n, 1, spec.names)), keep);
      const summary = buildSummary(spec, density, null, side);
      const window = warmup
        ? `warmup iterations ${from + 1}–${n} of ${chains} chains (the second half so far)`
        : `draws 1–${n} of ${chains} chains`;
      return { warmup, done: last.done, total: last.total, window, summary, trace, density, seconds };
    },
  };
}
