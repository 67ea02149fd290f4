/**
 * A many-fit run: independent jobs (power simulations, K-fold refits, one model per response) computed
 * by a module's `runJob` (src/pool/job.ts) on an executor (this thread, worker threads, or a queue),
 * their results delivered as they finish, appended to the results file (src/pool/journal.ts) and
 * reported to `onResult` (a progress bar), and returned in job order. Every job's answer is a function
 * of its input only (its seed comes from the run seed and its index: src/pool/seed.ts), and every result
 * goes through its JSON text whether fresh or resumed, so the answer is byte for byte the same whatever
 * the executor, the number of workers or the interruptions.
 */
import { availableParallelism } from 'node:os';
import { GlmmInputError } from '../../base/errors.js';
import { openJournal, type Journal } from './journal.js';
import { runKey } from './run-key.js';
import { inlineExecutor, threadExecutor, type Executor } from './threads.js';

/** Progress of a run after a job finished. */
export interface JobsProgress {
  readonly done: number;
  readonly total: number;
  /** Jobs taken from the results file of an earlier run. */
  readonly resumed: number;
}

/** Options of {@link runJobs}. */
export interface JobsOptions<S, J> {
  /** URL of the job module (`new URL('./x-job.js', import.meta.url).href`). */
  readonly module: string;
  /** Input every job shares (sent once per worker), structured-cloneable. */
  readonly shared: S;
  readonly jobs: readonly J[];
  /** Estimated relative cost of each job (same order as jobs): the costliest start first, so the last to finish is short. */
  readonly costs?: readonly number[];
  /** Worker threads (default: the cores); 0 runs the jobs in this thread. Ignored with `executor`. */
  readonly workers?: number;
  /** Another executor (e.g. the Redis queue). */
  readonly executor?: Executor;
  /** The results file (one JSON line per job) written as jobs finish. */
  readonly results?: string;
  /** Keep the jobs already in `results` (same run only) and run the others. */
  readonly resume?: boolean;
  readonly onResult?: (p: JobsProgress) => void;
  /** Polled; true stops the run (finished jobs kept). */
  readonly shouldStop?: () => boolean;
}

/** What a run returns: results by job index (undefined for a job not finished when it was stopped). */
export interface JobsOutcome<R> {
  readonly results: readonly (R | undefined)[];
  readonly done: number;
  readonly complete: boolean;
  /** The run's identity (src/pool/run-key.ts). */
  readonly key: string;
}

/** The default number of workers: the cores node may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Checks a --workers value. */
export function checkWorkers(n: number): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new GlmmInputError(`workers ${n}: expected an integer ≥ 0 (0 runs the jobs in this thread)`);
  return n;
}

/** Runs the jobs (see the module comment). */
export async function runJobs<S, J, R>(o: JobsOptions<S, J>): Promise<JobsOutcome<R>> {
  if (o.resume && !o.results) throw new GlmmInputError('resume needs the results file of the earlier run (--results FILE)');
  const key = runKey(o.module, o.shared, o.jobs);
  const journal: Journal | null = o.results ? openJournal(o.results, key, o.jobs.length, Boolean(o.resume)) : null;
  const results: (R | undefined)[] = o.jobs.map(() => undefined);
  let done = 0;
  for (const [index, r] of journal?.done ?? []) {
    if (index >= 0 && index < o.jobs.length && results[index] === undefined) { results[index] = r as R; done++; }
  }
  const resumed = done;
  o.onResult?.({ done, total: o.jobs.length, resumed });
  const pending = o.jobs.map((_, i) => i).filter((i) => results[i] === undefined);
  const workers = o.workers === undefined ? defaultWorkers() : checkWorkers(o.workers);
  const executor = o.executor ?? (workers === 0 ? inlineExecutor : threadExecutor(workers));
  let closed = false;
  const deliver = (index: number, json: string) => {
    // a job still in flight when a stopped run returned is not written: the next --resume runs it again
    if (closed || results[index] !== undefined) return; // a retried job delivered twice counts once
    results[index] = JSON.parse(json) as R;
    journal?.append(index, json);
    done++;
    o.onResult?.({ done, total: o.jobs.length, resumed });
  };
  const stopped = () => o.shouldStop?.() ?? false;
  const complete = pending.length === 0 || (await executor({ module: o.module, shared: o.shared, jobs: o.jobs, pending, deliver, stopped, costs: o.costs }));
  closed = true;
  return { results, done, complete: complete && done === o.jobs.length, key };
}
