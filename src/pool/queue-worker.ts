/**
 * `glmm worker --redis URL`: takes jobs of any many-fit run from the BullMQ queue (src/pool/queue.ts)
 * and computes them with this machine's copy of the job module; the run's shared input is fetched from
 * Redis once per run and kept. One job at a time per process (start one per core); a job's lock is
 * renewed while it runs and released if the process dies, after which BullMQ's stalled-job check hands
 * the job to another worker.
 */
import { deserialize } from 'node:v8';
import { Worker, type Job } from 'bullmq';
import { loadJobModule, runOne, type JobModule } from './job.js';
import { moduleUrl, QUEUE, redisConnection, sharedKey, whenReady } from './queue-names.js';
import type { QueueJobData, QueueReply } from './queue.js';

/** Options of {@link serveQueue}. */
export interface QueueWorkerOptions {
  /** ms a job's lock lasts without renewal (default 30,000; a dead worker's job waits this long). */
  readonly lockDuration?: number;
  /** ms between stalled-job checks (default 15,000). */
  readonly stalledInterval?: number;
  /** Called when a job starts and ends (logging). */
  readonly onJob?: (event: 'start' | 'done', data: QueueJobData) => void;
}

/** Starts a worker on the queue at `url`; resolves with a function that stops it. */
export async function serveQueue(url: string, o: QueueWorkerOptions = {}): Promise<() => Promise<void>> {
  const store = redisConnection(url);
  await whenReady(store, url);
  const runs = new Map<string, Promise<{ m: JobModule<unknown, unknown, unknown>; shared: unknown }>>();
  const runFor = (d: QueueJobData) => {
    let r = runs.get(d.run);
    if (!r) {
      r = (async () => {
        const buf = await store.getBuffer(sharedKey(d.run));
        if (!buf) throw new Error(`run ${d.run.slice(0, 12)}: its shared input is not in Redis`);
        return { m: await loadJobModule(moduleUrl(d.module)), shared: deserialize(buf) as unknown };
      })();
      runs.set(d.run, r);
    }
    return r;
  };
  const worker = new Worker(QUEUE, async (job: Job<QueueJobData>): Promise<QueueReply> => {
    o.onJob?.('start', job.data);
    const { m, shared } = await runFor(job.data);
    const reply = await runOne(m, shared, job.data.job, job.data.index);
    o.onJob?.('done', job.data);
    return reply;
  }, {
    connection: redisConnection(url), concurrency: 1, maxStalledCount: 10,
    lockDuration: o.lockDuration ?? 30000, stalledInterval: o.stalledInterval ?? 15000,
  });
  await worker.waitUntilReady();
  return async () => {
    await worker.close();
    store.disconnect();
  };
}
