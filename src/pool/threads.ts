/**
 * The two local executors of a many-fit run: `inlineExecutor` runs the jobs one after another in this
 * thread; `threadExecutor(n)` keeps n worker threads (src/pool/worker.ts) busy, each loaded once with
 * the job module and the shared input (structured clone: the data set crosses once per worker, not per
 * job), and hands the next pending job to whichever finishes first. Stopping terminates the threads at
 * once: their unfinished jobs are lost, the finished ones were already delivered.
 */
import { Worker } from 'node:worker_threads';
import { failureError, loadJobModule, runOne, type JobFailure } from './job.js';

/** What an executor is asked to do: run `pending` (job indices), delivering each result as it finishes. */
export interface ExecutorRun {
  readonly module: string;
  readonly shared: unknown;
  readonly jobs: readonly unknown[];
  readonly pending: readonly number[];
  readonly deliver: (index: number, json: string) => void;
  readonly stopped: () => boolean;
}

/** Runs the pending jobs; resolves true when all were delivered, false when stopped first. */
export type Executor = (run: ExecutorRun) => Promise<boolean>;

/** Every job in this thread, in index order (the reference the threads must match). */
export const inlineExecutor: Executor = async (run) => {
  const m = await loadJobModule(run.module);
  for (const index of run.pending) {
    if (run.stopped()) return false;
    const r = await runOne(m, run.shared, run.jobs[index], index);
    if ('failure' in r) throw failureError(r.failure, index);
    run.deliver(index, r.json);
  }
  return true;
};

type Reply = { index: number; json?: string; failure?: JobFailure };

/** `n` worker threads. */
export function threadExecutor(n: number): Executor {
  return (run) => new Promise<boolean>((resolve, reject) => {
    const queue = [...run.pending];
    const workers: Worker[] = [];
    let busy = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      for (const w of workers) void w.terminate();
      fn();
    };
    const feed = (w: Worker) => {
      const index = queue.shift();
      if (index === undefined) {
        if (busy === 0) finish(() => resolve(true));
        return;
      }
      busy++;
      w.postMessage({ index, job: run.jobs[index] });
    };
    const poll = setInterval(() => { if (run.stopped()) finish(() => resolve(false)); }, 100);
    for (let i = 0; i < Math.max(1, Math.min(n, queue.length)); i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url));
      workers.push(w);
      w.on('message', (r: Reply) => {
        busy--;
        if (r.failure) return finish(() => reject(failureError(r.failure as JobFailure, r.index)));
        run.deliver(r.index, r.json as string);
        if (run.stopped()) return finish(() => resolve(false));
        feed(w);
      });
      w.on('error', (e) => finish(() => reject(e)));
      w.on('exit', (code) => { if (code !== 0) finish(() => reject(new Error(`a worker thread exited with code ${code}`))); });
      w.postMessage({ module: run.module, shared: run.shared });
    }
    if (queue.length === 0) finish(() => resolve(true));
    else for (const w of workers) feed(w);
  });
}
