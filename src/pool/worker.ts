/**
 * A worker thread of the local pool (src/pool/pool.ts). Messages in: `{ module, shared }` once, then
 * `{ index, job }` per job; out: `{ index, json }` or `{ index, failure }` per job (src/pool/job.ts).
 */
import { parentPort } from 'node:worker_threads';
import { loadJobModule, runOne, type JobModule } from './job.js';

let ready: Promise<{ m: JobModule<unknown, unknown, unknown>; shared: unknown }> | null = null;

parentPort?.on('message', (msg: { module: string; shared: unknown } | { index: number; job: unknown }) => {
  if ('module' in msg) {
    ready = loadJobModule(msg.module).then((m) => ({ m, shared: msg.shared }));
    return;
  }
  const { index, job } = msg;
  void (async () => {
    try {
      const { m, shared } = await (ready as NonNullable<typeof ready>);
      parentPort?.postMessage({ index, ...(await runOne(m, shared, job, index)) });
    } catch (e) {
      parentPort?.postMessage({ index, failure: { message: e instanceof Error ? e.message : String(e), input: false } });
    }
  })();
});
