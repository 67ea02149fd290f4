/** A job module for the pool tests: which thread ran the job, and when it started and ended (ms). */
import { threadId } from 'node:worker_threads';

export function runJob(_s: unknown, job: { waitMs: number }): { thread: number; start: number; end: number } {
  const start = Date.now();
  while (Date.now() - start < job.waitMs) { /* spin */ }
  return { thread: threadId, start, end: Date.now() };
}
