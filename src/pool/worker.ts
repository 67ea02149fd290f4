/**
 * A worker thread of the process's pool (src/pool/worker-pool.ts). Messages in: `{ load, module, shared }`
 * once per run, `{ run, index, job }` per job, `{ drop }` when the run ended; out: `{ index, json }` or
 * `{ index, failure }` per job (src/pool/job.ts).
 */
import { parentPort } from 'node:worker_threads';
import { loadJobModule, runOne, type JobModule } from './job.js';

type Loaded = Promise<{ m: JobModule<unknown, unknown, unknown>; shared: unknown }>;
const runs = new Map<number, Loaded>();

type Message = { load: number; module: string; shared: unknown } | { run: number; index: number; job: unknown } | { drop: number };

parentPort?.on('message', (msg: Message) => {
  if ('load' in msg) {
    const loaded: Loaded = loadJobModule(msg.module).then((m) => ({ m, shared: msg.shared }));
    loaded.catch(() => undefined); // reported with the run's first job
    runs.set(msg.load, loaded);
    return;
  }
  if ('drop' in msg) {
    runs.delete(msg.drop);
    return;
  }
  const { run, index, job } = msg;
  void (async () => {
    try {
      const { m, shared } = await (runs.get(run) as Loaded);
      parentPort?.postMessage({ index, ...(await runOne(m, shared, job, index)) });
    } catch (e) {
      parentPort?.postMessage({ index, failure: { message: e instanceof Error ? e.message : String(e), input: false } });
    }
  })();
});
