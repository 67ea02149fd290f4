/**
 * The executor of a many-fit run on a Redis queue with BullMQ (src/pool/threads.ts's interface):
 * stores the run's shared input once (`glmm:run:<key>`, V8-serialised), adds every pending job with the
 * id run-key + index (idempotent: a job already queued, running or finished is not added again), and
 * gathers the results as the workers (`glmm worker --redis URL`, src/pool/queue-worker.ts) complete
 * them — from BullMQ's completed events and from a poll of the jobs' states, so results finished while
 * no gatherer was listening (a restarted command) are found too. A worker that dies mid-job loses its
 * lock; BullMQ's stalled-job check gives the job to another worker, and the result still counts once.
 */
import { serialize } from 'node:v8';
import { Job, Queue, QueueEvents } from 'bullmq';
import { failureError, type JobFailure } from './job.js';
import { moduleName, QUEUE, queueJobId, redisConnection, sharedKey, whenReady } from './queue-names.js';
import { runKey } from './run-key.js';
import type { Executor, ExecutorRun } from './threads.js';

/** What a queue job carries: the run, the job module, its index and its input. */
export interface QueueJobData {
  readonly run: string;
  readonly module: string;
  readonly index: number;
  readonly job: unknown;
}

/** A queue job's return value: the result's JSON text, or the job's failure. */
export type QueueReply = { json: string } | { failure: JobFailure };

/** How often the gatherer polls the pending jobs' states besides the events (ms). */
const POLL_MS = 1000;

async function gather(run: ExecutorRun, url: string): Promise<boolean> {
  const key = runKey(run.module, run.shared, run.jobs);
  const connection = redisConnection(url);
  await whenReady(connection, url);
  const queue = new Queue(QUEUE, { connection });
  const eventsConnection = redisConnection(url);
  const events = new QueueEvents(QUEUE, { connection: eventsConnection });
  const pending = new Map(run.pending.map((i) => [queueJobId(key, i), i]));
  let failure: Error | null = null;
  const take = (id: string, value: unknown) => {
    const index = pending.get(id);
    if (index === undefined) return;
    const reply = (typeof value === 'string' ? JSON.parse(value) : value) as QueueReply;
    pending.delete(id);
    if ('failure' in reply) failure ??= failureError(reply.failure, index);
    else run.deliver(index, reply.json);
  };
  try {
    await events.waitUntilReady();
    events.on('completed', ({ jobId, returnvalue }) => take(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => { const i = pending.get(jobId); if (i !== undefined) failure ??= new Error(`job ${i + 1} failed on the queue: ${failedReason}`); });
    await connection.set(sharedKey(key), serialize(run.shared));
    const name = moduleName(run.module);
    await queue.addBulk([...pending].map(([jobId, index]) => ({
      name: 'glmm', data: { run: key, module: name, index, job: run.jobs[index] } satisfies QueueJobData,
      opts: { jobId, attempts: 3, removeOnComplete: false, removeOnFail: false },
    })));
    while (pending.size > 0 && !failure && !run.stopped()) {
      for (const [id] of [...pending]) {
        const j = await Job.fromId(queue, id);
        if (j && j.finishedOn && j.returnvalue !== undefined && j.returnvalue !== null) take(id, j.returnvalue);
        if (j?.failedReason && (await j.getState()) === 'failed') failure ??= new Error(`job ${(pending.get(id) ?? 0) + 1} failed on the queue: ${j.failedReason}`);
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (failure) throw failure;
    return pending.size === 0;
  } finally {
    await events.close();
    await queue.close();
    // BullMQ leaves a connection it was given open: both are ours to close, or the process never exits
    eventsConnection.disconnect();
    connection.disconnect();
  }
}

/** The executor that runs a many-fit run's jobs on the BullMQ queue at `url`. */
export function queueExecutor(url: string): Executor {
  return (run) => gather(run, url);
}
