/**
 * The process's worker threads, kept between many-fit runs: a thread pays its start (the job module's
 * imports, tfjs, the JIT warming up on the first fit) once per process, not once per run, and the runs
 * that are live at the same time (three models' K-folds started together) share one queue, so no thread
 * idles at one run's tail while another run has jobs. Tasks are taken costliest first (longest
 * processing time first, Graham 1969, from each run's cost estimates; ties in submission order), and a
 * run never has more than its own `workers` jobs in flight. A thread keeps each live run's module and
 * shared input (sent once per thread and run) and drops them when the run ends; idle threads do not
 * keep the process alive (unref). A stopped or failed run terminates the threads busy with its jobs.
 */
import { Worker } from 'node:worker_threads';
import type { JobFailure } from './job.js';

/** One run as the pool sees it. */
export interface PoolRun {
  readonly module: string;
  readonly shared: unknown;
  readonly jobs: readonly unknown[];
  /** Most jobs of this run in flight at once. */
  readonly limit: number;
  readonly onResult: (index: number, json: string) => void;
  readonly onFailure: (index: number, f: JobFailure) => void;
  readonly onCrash: (e: Error) => void;
}

interface Live extends PoolRun { readonly id: number; inFlight: number; readonly slots: Set<Slot> }
interface Task { readonly run: Live; readonly index: number; readonly cost: number; readonly seq: number }
interface Slot { readonly worker: Worker; readonly loaded: Set<number>; task: Task | null }

type Reply = { index: number; json?: string; failure?: JobFailure };

const slots: Slot[] = [];
let queue: Task[] = [];
let nextId = 0;
let nextSeq = 0;

function startSlot(): Slot {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  const slot: Slot = { worker, loaded: new Set(), task: null };
  worker.on('message', (r: Reply) => {
    const t = slot.task;
    slot.task = null;
    worker.unref();
    if (!t) return;
    t.run.inFlight--;
    if (r.failure) t.run.onFailure(r.index, r.failure);
    else t.run.onResult(r.index, r.json as string);
    dispatch();
  });
  const crash = (e: Error) => {
    remove(slot);
    slot.task?.run.onCrash(e);
    slot.task = null;
    dispatch();
  };
  worker.on('error', crash);
  worker.on('exit', (code) => { if (slots.includes(slot)) crash(new Error(`a worker thread exited with code ${code}`)); });
  worker.unref();
  slots.push(slot);
  return slot;
}

function remove(slot: Slot): void {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
}

/** Hands queued tasks to idle threads. */
function dispatch(): void {
  for (const slot of slots) {
    if (slot.task) continue;
    const i = queue.findIndex((t) => t.run.inFlight < t.run.limit);
    if (i < 0) return;
    const [t] = queue.splice(i, 1);
    slot.task = t;
    t.run.inFlight++;
    t.run.slots.add(slot);
    if (!slot.loaded.has(t.run.id)) {
      slot.loaded.add(t.run.id);
      slot.worker.postMessage({ load: t.run.id, module: t.run.module, shared: t.run.shared });
    }
    slot.worker.ref();
    slot.worker.postMessage({ run: t.run.id, index: t.index, job: t.run.jobs[t.index] });
  }
}

/** A run in the pool: its tasks queued, and `end` to call once (stopped, failed or finished). */
export function submit(run: PoolRun, pending: readonly number[], costs: readonly number[] | undefined): { end: (terminateBusy: boolean) => void } {
  const live: Live = { ...run, id: nextId++, inFlight: 0, slots: new Set() };
  for (const index of pending) queue.push({ run: live, index, cost: costs?.[index] ?? 0, seq: nextSeq++ });
  queue.sort((a, b) => b.cost - a.cost || a.seq - b.seq);
  const want = Math.min(slots.length + pending.length, Math.max(...[run.limit, ...liveLimits()]));
  while (slots.length < want) startSlot();
  lives.add(live);
  dispatch();
  return {
    end(terminateBusy) {
      lives.delete(live);
      queue = queue.filter((t) => t.run !== live);
      for (const slot of live.slots) {
        if (terminateBusy && slot.task?.run === live) {
          remove(slot);
          slot.task = null;
          void slot.worker.terminate();
        } else if (slots.includes(slot)) {
          slot.loaded.delete(live.id);
          slot.worker.postMessage({ drop: live.id });
        }
      }
      dispatch();
    },
  };
}

const lives = new Set<Live>();
function liveLimits(): number[] {
  return [...lives].map((l) => l.limit);
}

/** Terminates every thread of the pool (tests; a process normally just exits). */
export async function closeWorkerPool(): Promise<void> {
  const all = slots.splice(0);
  queue = [];
  await Promise.all(all.map((s) => s.worker.terminate()));
}
