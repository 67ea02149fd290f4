/**
 * Runs many chains in lockstep over one batched log density. Each chain is a generator that yields the
 * point it needs evaluated and receives its {@link Evaluation}; every step of the driver collects the
 * pending points of the chains still running, makes ONE `logDensity(q, nActive)` call with them
 * (chain-major, active chains only) and resumes each generator with its share. A chain whose run has
 * finished stops asking; the others carry on.
 */
import type { LogDensity } from './target.js';
import type { Evaluation } from './integrator.js';

/** A chain's run: yields positions to evaluate, receives their evaluations. */
export type ChainProgram = Generator<Float64Array, void, Evaluation>;

/** The driver returned by {@link lockstep}. */
export interface Lockstep {
  /** Makes one batched call for every chain waiting on an evaluation; false once all chains are done. */
  step(): boolean;
  /** Log-density evaluations (points) made for each chain so far. */
  readonly evaluations: Float64Array;
  /** Batched calls made so far. */
  readonly calls: () => number;
}

/** Starts the chain programs and returns the batching driver. */
export function lockstep(programs: ChainProgram[], logDensity: LogDensity, dim: number): Lockstep {
  const n = programs.length;
  const pending: (Float64Array | null)[] = programs.map((g) => {
    const r = g.next(undefined as unknown as Evaluation);
    return r.done ? null : r.value;
  });
  const evaluations = new Float64Array(n);
  const active: number[] = [];
  let buffer = new Float64Array(0);
  let calls = 0;
  return {
    evaluations,
    calls: () => calls,
    step() {
      active.length = 0;
      for (let c = 0; c < n; c++) if (pending[c] !== null) active.push(c);
      const m = active.length;
      if (m === 0) return false;
      if (buffer.length !== m * dim) buffer = new Float64Array(m * dim);
      for (let j = 0; j < m; j++) buffer.set(pending[active[j]] as Float64Array, j * dim);
      const out = logDensity(buffer, m);
      calls += 1;
      for (let j = 0; j < m; j++) {
        const c = active[j];
        evaluations[c] += 1;
        const ev: Evaluation = { logp: out.logp[j], grad: out.grad.slice(j * dim, (j + 1) * dim) };
        const r = programs[c].next(ev);
        pending[c] = r.done ? null : r.value;
      }
      return pending.some((x) => x !== null);
    },
  };
}

/**
 * Steps the driver to the end, yielding to the event loop about every `yieldMs` milliseconds (so a
 * browser stays responsive and `shouldStop` can react to events). `shouldStop` is polled before every
 * step; when it first returns true, `onStop` is called once (the chains then finish their current
 * iteration and return).
 */
export async function runLockstep(driver: Lockstep, shouldStop?: () => boolean, onStop?: () => void, yieldMs = 50): Promise<void> {
  let last = Date.now();
  let stopped = false;
  for (;;) {
    if (!stopped && shouldStop && shouldStop()) {
      stopped = true;
      onStop?.();
    }
    if (!driver.step()) return;
    const now = Date.now();
    if (now - last >= yieldMs) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      last = Date.now();
    }
  }
}
