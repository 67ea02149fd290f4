/**
 * Stan's windowed warmup schedule (stan/mcmc/windowed_adaptation.hpp L29-110) as a pure function.
 *
 * Iterations c = 0..W−1. Draws with `initBuffer ≤ c < W − termBuffer` feed the metric estimator; at
 * each window end the metric is updated. Windows double in size; a window is stretched to end at
 * W − termBuffer − 1 when the next one would not fit (`next + 2·size ≥ W − termBuffer`).
 * For W = 1000 (75/25/50) the updates are at 99, 149, 249, 449, 949.
 *
 * Short warmup (documented deviation from Stan's snapshot, reference/algorithms.md §1.5):
 * - W < 20: no metric adaptation, step size only (as Stan).
 * - initBuffer + window + termBuffer > W (20 ≤ W < 150 with the defaults): the 15%/75%/10% split Stan
 *   announces, init = ⌊0.15W⌋, term = ⌊0.10W⌋, one window of W − init − term. Stan's code never calls
 *   `restart()` on that branch and so never updates the metric (stan-dev/stan#3380); we do what it
 *   intends, as NumPyro (`build_adaptation_schedule`) and BlackJAX (`build_schedule`) do.
 */

/** Buffer and base-window sizes; Stan's defaults 75 / 25 / 50 (services/sample/defaults.hpp). */
export interface WindowOptions {
  readonly initBuffer?: number;
  readonly window?: number;
  readonly termBuffer?: number;
}

/** The schedule: buffer sizes used and the metric windows as inclusive [first, last] iterations. */
export interface WindowSchedule {
  readonly numWarmup: number;
  readonly initBuffer: number;
  readonly termBuffer: number;
  /** Metric windows; the metric is updated at the end of each (iteration `last`). */
  readonly windows: readonly (readonly [number, number])[];
}

/** Computes the metric-adaptation windows of a warmup of `numWarmup` iterations. */
export function windowSchedule(numWarmup: number, opts: WindowOptions = {}): WindowSchedule {
  let init = opts.initBuffer ?? 75;
  let term = opts.termBuffer ?? 50;
  let base = opts.window ?? 25;
  const W = numWarmup;
  if (W < 20) return { numWarmup: W, initBuffer: W, termBuffer: 0, windows: [] };
  if (init + base + term > W) {
    init = Math.floor(0.15 * W);
    term = Math.floor(0.1 * W);
    base = W - (init + term);
  }
  const last = W - term - 1;
  const windows: [number, number][] = [];
  // restart(): counter 0, size = base, next = init + base − 1; then compute_next_window at each end.
  let size = base;
  let start = init;
  let next = init + base - 1;
  for (;;) {
    windows.push([start, next]);
    if (next === last) break;
    const c = next;
    size *= 2;
    next = c + size;
    if (next !== last && next + 2 * size >= W - term) next = last;
    start = c + 1;
  }
  return { numWarmup: W, initBuffer: init, termBuffer: term, windows };
}
