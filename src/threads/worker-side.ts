/**
 * The worker's side of pool.ts: receive the start message, build the job, answer 'ready', then run the
 * job once per generation until the pool stops. Blocks in Atomics.wait between calls (the worker does
 * nothing else), so a call costs no message.
 */
import { CTRL, type PoolInit } from './shared-pool.js';

/** Serves a pool: `build(init)` makes the job, which is then called with each run's `arg`. */
export async function servePool<T>(build: (init: PoolInit<T>) => (arg: number) => void): Promise<void> {
  const init = await firstMessage<PoolInit<T>>();
  let job: (arg: number) => void;
  const reply = await replier();
  try {
    job = build(init);
  } catch (e) {
    reply({ error: e instanceof Error ? e.message : String(e) });
    return;
  }
  reply('ready');
  const { ctrl } = init;
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, CTRL.generation, seen);
    seen = Atomics.load(ctrl, CTRL.generation);
    if (Atomics.load(ctrl, CTRL.stop) !== 0) return;
    try {
      job(Atomics.load(ctrl, CTRL.arg));
    } catch (e) {
      Atomics.store(ctrl, CTRL.failed, 1);
      console.error(e);
    }
    if (Atomics.sub(ctrl, CTRL.busy, 1) === 1) Atomics.notify(ctrl, CTRL.busy);
  }
}

function isNode(): boolean {
  return Boolean((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node);
}

async function firstMessage<M>(): Promise<M> {
  if (isNode()) {
    const { parentPort } = await import('node:worker_threads');
    return new Promise((resolve) => parentPort!.once('message', resolve));
  }
  const self = globalThis as unknown as { addEventListener(t: 'message', f: (e: { data: M }) => void, o: { once: boolean }): void };
  return new Promise((resolve) => self.addEventListener('message', (e) => resolve(e.data), { once: true }));
}

async function replier(): Promise<(m: unknown) => void> {
  if (isNode()) {
    const { parentPort } = await import('node:worker_threads');
    return (m) => parentPort!.postMessage(m);
  }
  const self = globalThis as unknown as { postMessage(m: unknown): void };
  return (m) => self.postMessage(m);
}
