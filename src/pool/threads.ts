/**
 * The two local executors of a many-fit run: `inlineExecutor` runs the jobs one after another in this
 * thread (costliest first when the run has cost estimates); `threadExecutor(n)` keeps up to n threads of
 * the process's worker pool (src/pool/worker-pool.ts) busy with the run's jobs, each thread loaded once
 * per run with the job module and the shared input (structured clone: the data set crosses once per
 * thread, not per job). Stopping terminates the threads busy with the run at once: their unfinished jobs
 * are lost, the finished ones were already delivered.
 */
import { failureError, loadJobModule, runOne } from './job.js';
import { submit } from './worker-pool.js';

/** What an executor is asked to do: run `pending` (job indices), delivering each result as it finishes. */
export interface ExecutorRun {
  readonly module: string;
  readonly shared: unknown;
  readonly jobs: readonly unknown[];
  readonly pending: readonly number[];
  readonly deliver: (index: number, json: string) => void;
  readonly stopped: () => boolean;
  /** Estimated relative cost of each job (by index), or undefined: the costliest start first. */
  readonly costs?: readonly number[];
}

/** Runs the pending jobs; resolves true when all were delivered, false when stopped first. */
export type Executor = (run: ExecutorRun) => Promise<boolean>;

/** Every job in this thread, in index order (the reference the threads must match). */
export const inlineExecutor: Executor = async (run) => {
  const m = await loadJobModule(run.module);
  for (const index of byCost(run.pending, run.costs)) {
    if (run.stopped()) return false;
    const r = await runOne(m, run.shared, run.jobs[index], index);
    if ('failure' in r) throw failureError(r.failure, index);
    run.deliver(index, r.json);
  }
  return true;
};

/** `n` worker threads of the process's pool (src/pool/worker-pool.ts), shared with the runs live beside this one. */
export function threadExecutor(n: number): Executor {
  return (run) => new Promise<boolean>((resolve, reject) => {
    let left = run.pending.length;
    if (left === 0) return resolve(true);
    let settled = false;
    const finish = (terminateBusy: boolean, fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      handle.end(terminateBusy);
      fn();
    };
    const poll = setInterval(() => { if (run.stopped()) finish(true, () => resolve(false)); }, 100);
    const handle = submit({
      module: run.module, shared: run.shared, jobs: run.jobs, limit: Math.max(1, n),
      onResult(index, json) {
        if (settled) return;
        run.deliver(index, json);
        if (--left === 0) finish(false, () => resolve(true));
        else if (run.stopped()) finish(true, () => resolve(false));
      },
      onFailure: (index, f) => finish(true, () => reject(failureError(f, index))),
      onCrash: (e) => finish(true, () => reject(e)),
    }, run.pending, run.costs);
  });
}

/** Job indices costliest first (stable: equal costs keep their order). */
export function byCost(pending: readonly number[], costs: readonly number[] | undefined): number[] {
  return costs ? [...pending].sort((a, b) => (costs[b] ?? 0) - (costs[a] ?? 0) || a - b) : [...pending];
}
