/**
 * A pool of worker threads for one computation that runs many times in a row (one fit's log density):
 * every call hands the same job to all workers through shared memory and waits for them, with no
 * message per call. The handoff is a generation counter in a SharedArrayBuffer: the caller bumps it
 * and wakes the workers (Atomics.notify), does its own share, then sleeps on the count of workers
 * still busy (Atomics.wait) until the last one wakes it. Measured on this 2-core machine (bench/threads.ts):
 * a round trip costs tens of µs, against ~1 ms for a postMessage round trip with its structured clone.
 *
 * Node runs the workers on worker_threads, a browser (inside a Web Worker, where Atomics.wait is
 * allowed, and only when the page is cross-origin isolated so that SharedArrayBuffer exists) on nested
 * Web Workers. The worker's side is in worker-side.ts; the job splits its work (`share` gives fixed parts;
 * src/target/density-js-threads.ts has each thread take runs of chains from a shared counter instead). (src/pool is the other
 * pool: many independent fits, one per thread, by message.)
 */

/** Slots of the control array. */
export const CTRL = { generation: 0, arg: 1, busy: 2, stop: 3, failed: 4, length: 8 } as const;

/** The part of `count` items that worker `i` of `parts` takes: [floor(i·count/parts), floor((i+1)·count/parts)). */
export function share(count: number, parts: number, i: number): [number, number] {
  return [Math.floor((i * count) / parts), Math.floor(((i + 1) * count) / parts)];
}

/**
 * The default thread count of one fit: the cores (navigator.hardwareConcurrency in a browser,
 * os.availableParallelism in Node), but 1 on a Node worker thread, where src/pool already runs one fit
 * per core (K-fold refits, --each-response) and more threads would only compete.
 */
export async function defaultThreads(): Promise<number> {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string } } };
  if (!g.process?.versions?.node) return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
  const { isMainThread } = await import('node:worker_threads');
  if (!isMainThread) return 1;
  const os = await import('node:os');
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Whether this environment can run a pool: shared memory, and a thread that may block. */
export function poolSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const g = globalThis as { process?: { versions?: { node?: string } }; crossOriginIsolated?: boolean; Worker?: unknown; document?: unknown };
  if (g.process?.versions?.node) return true;
  // a browser: not the page's main thread (Atomics.wait throws there), isolated, able to start workers
  return g.crossOriginIsolated === true && typeof g.Worker === 'function' && g.document === undefined;
}

/** The message a worker gets at start: its index (1.., the caller is 0), the thread count, the control array, the job's data. */
export interface PoolInit<T> {
  readonly index: number;
  readonly threads: number;
  readonly ctrl: Int32Array;
  readonly data: T;
}

/** A started pool. */
export interface SharedPool {
  /** Threads in all, the caller included. */
  readonly threads: number;
  /** Runs the job with `arg` on every worker and `own()` on this thread; returns when all are done. */
  run(arg: number, own: () => void): void;
  /** Stops and terminates the workers (idempotent). */
  close(): void;
}

/** What the pool needs of a worker, Node's or the browser's. */
interface WorkerHandle {
  post(msg: unknown): void;
  onMessage(f: (msg: unknown) => void): void;
  onError(f: (e: unknown) => void): void;
  terminate(): void;
}

async function spawn(url: URL): Promise<WorkerHandle> {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) {
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(url);
    w.unref(); // a stuck worker never keeps the process alive
    return { post: (m) => w.postMessage(m), onMessage: (f) => w.on('message', f), onError: (f) => { w.on('error', f); w.on('exit', (c) => f(new Error(`worker exited (${c})`))); }, terminate: () => void w.terminate() };
  }
  const w = new Worker(url, { type: 'module' });
  return { post: (m) => w.postMessage(m), onMessage: (f) => w.addEventListener('message', (e) => f(e.data)), onError: (f) => w.addEventListener('error', f), terminate: () => w.terminate() };
}

/** Starts `threads − 1` workers of the module at `url` on `data` (each answers 'ready' once it has built its job). */
export async function startPool<T>(url: URL, threads: number, data: T): Promise<SharedPool> {
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.length * 4));
  const workers: WorkerHandle[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    Atomics.store(ctrl, CTRL.stop, 1);
    Atomics.add(ctrl, CTRL.generation, 1);
    Atomics.notify(ctrl, CTRL.generation);
    for (const w of workers) w.terminate();
  };
  try {
    for (let i = 1; i < threads; i++) workers.push(await spawn(url));
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
      w.onMessage((m) => (m === 'ready' ? resolve() : reject(new Error(String((m as { error?: string }).error ?? m)))));
      w.onError((e) => reject(e instanceof Error ? e : new Error(String(e))));
      w.post({ index: i + 1, threads, ctrl, data } satisfies PoolInit<T>);
    })));
  } catch (e) {
    close();
    throw e;
  }
  const run = (arg: number, own: () => void) => {
    if (closed) throw new Error('the thread pool is closed');
    Atomics.store(ctrl, CTRL.arg, arg);
    Atomics.store(ctrl, CTRL.busy, threads - 1);
    Atomics.add(ctrl, CTRL.generation, 1);
    Atomics.notify(ctrl, CTRL.generation);
    own();
    for (let b = Atomics.load(ctrl, CTRL.busy); b !== 0; b = Atomics.load(ctrl, CTRL.busy)) Atomics.wait(ctrl, CTRL.busy, b);
    if (Atomics.load(ctrl, CTRL.failed) !== 0) {
      close();
      throw new Error('a worker thread failed during the log density (see its error above)');
    }
  };
  return { threads, run, close };
}
