/**
 * What the gathering command and the queue workers (src/pool/queue.ts, queue-worker.ts) agree on: the
 * BullMQ queue name, each job's id (the run key and the job index, so that adding a run's jobs again —
 * a restarted gatherer — adds nothing and finds their results), the Redis key of the run's shared input
 * (sent once per run, fetched once per worker), the job modules named relative to the installed package
 * (each machine loads its own copy), and the Redis connection of a URL.
 */
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { GlmmInputError } from '../../base/errors.js';

/** The one queue every glmm worker listens on. */
export const QUEUE = 'glmm-jobs';

/** Job id of job `index` of run `key` (BullMQ ids must not contain ':'). */
export function queueJobId(key: string, index: number): string {
  return `${key.slice(0, 40)}-${index}`;
}

/** Redis key of run `key`'s shared input (V8-serialised). */
export function sharedKey(key: string): string {
  return `glmm:run:${key}`;
}

/** The package's compiled root (dist/), from this file's place in it (dist/src/pool/). */
const ROOT = new URL('../../', import.meta.url);

/** A job module's URL as a path relative to the package's compiled root. */
export function moduleName(url: string): string {
  return relative(fileURLToPath(ROOT), fileURLToPath(url)).split('\\').join('/');
}

/** The URL of a job module named by {@link moduleName} in this machine's copy of the package. */
export function moduleUrl(name: string): string {
  if (name.startsWith('..') || name.startsWith('/')) throw new Error(`job module ${name} is outside the package`);
  return pathToFileURL(fileURLToPath(new URL(name, ROOT))).href;
}

/**
 * A Redis connection for BullMQ (maxRetriesPerRequest null, as BullMQ's workers need). Connection
 * errors are kept (ioredis retries) rather than printed; {@link whenReady} reports the last one.
 */
export function redisConnection(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new GlmmInputError(`--redis ${url}: expected a URL such as redis://HOST:6379 (rediss:// for TLS)`);
  const c = new Redis(url, { maxRetriesPerRequest: null });
  c.on('error', (e: Error) => { lastErrors.set(c, e.message); });
  return c;
}

const lastErrors = new WeakMap<Redis, string>();

/** Waits until the connection is ready; after `ms` (default 10 s) a clear error naming the URL. */
export async function whenReady(c: Redis, url: string, ms = 10000): Promise<void> {
  const t0 = Date.now();
  while (c.status !== 'ready') {
    if (Date.now() - t0 > ms) {
      c.disconnect();
      throw new GlmmInputError(`--redis ${url}: cannot reach the Redis server (${lastErrors.get(c) ?? c.status}); start redis-server there or check the URL`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
