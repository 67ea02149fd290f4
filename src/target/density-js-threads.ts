/**
 * The plain-JS density (density-js.ts) on several threads, split by chains: every thread, this one
 * included, takes the batch's next run of chains from a shared counter (Atomics.add, evaluateTaken)
 * until none is left, and evaluates them with its own kernel and scratch, reading the points from and
 * writing the values and gradients to shared memory. A chain's value and gradient are the same arithmetic in the same order
 * whichever thread computes it, so the draws are byte-identical whatever the thread count
 * (test/target/density-js-threads.test.ts). Splitting by chains rather than by blocks of rows needs no
 * reduction at all and one handoff per call; the fits that need threads run 32 chains or more
 * (src/sampler/adaptation/chees-chains.ts), so every thread has work. Taking short runs of chains
 * rather than a fixed half each keeps both cores busy when one is slowed (another process, the
 * hypervisor): on this shared machine a fixed split left the main thread waiting 22 s of an 85 s fit
 * for a worker that ran 40 % slower. The model's arrays (X, y, the level indices) are copied once into
 * shared memory, not per worker.
 */
import { evaluateChains, jsDensityData, jsKernel, type JsDensityData, type JsKernel } from './density-js-kernel.js';
import { calibrate, checkJsDensity, perChainWork } from './density-js.js';
import type { ModelSpec } from './parameters.js';
import type { Target } from '../sampler/target.js';
import { poolSupported, startPool } from '../threads/shared-pool.js';

/**
 * Work of one batched call (chains × perChainWork) from which a second thread pays: below it the
 * worker's wake-up (a futex wake, then the scheduler) costs as much as the half call it saves.
 * Measured (bench/threads.ts, 2 shared cores, 2 threads against 1, same minutes): 0.07M work (the
 * RCBD size, 1024 chains) 0.93×, 0.21M 1.18×, 0.52M 0.42×, 0.98M 0.62×, 2.1M 0.44×; so two threads
 * from 0.5M. The README's RCBD fit (108 per chain × 1024 chains = 0.11M) stays on one thread.
 */
export const THREADS_MIN_WORK = 5e5;

/**
 * Threads for the plain-JS density of `spec` at `chains` chains, at most `max`: 1 when the pool cannot
 * run here (poolSupported) or the call is small (THREADS_MIN_WORK), else max (never more than the chains).
 */
export function densityThreads(spec: ModelSpec, chains: number, max: number): number {
  if (max <= 1 || !poolSupported() || perChainWork(spec) * chains < THREADS_MIN_WORK) return 1;
  return Math.min(Math.floor(max), chains);
}

/** What a worker of the density gets: the kernel's data (arrays in shared memory), the constant and the shared buffers. */
export interface DensityWorkerData {
  readonly model: JsDensityData;
  readonly constant: number;
  readonly q: Float64Array;
  readonly logp: Float64Array;
  readonly grad: Float64Array;
  /** next[0]: the next chain of the call to evaluate, taken by Atomics.add. */
  readonly next: Int32Array;
}

/**
 * Evaluates chains taken from `next` (Atomics.add) until all `chains` are taken: the loop every thread
 * of a call runs. A take is a run of chains, about 1/16 of a thread's share (at least one), so that
 * 1,024 small chains cost 64 atomic adds per thread rather than 1,024.
 */
export function evaluateTaken(kernel: JsKernel, constant: number, dim: number, d: Pick<DensityWorkerData, 'q' | 'logp' | 'grad' | 'next'>, chains: number, threads: number): void {
  const step = Math.max(1, Math.floor(chains / (16 * threads)));
  for (let c = Atomics.add(d.next, 0, step); c < chains; c = Atomics.add(d.next, 0, step)) {
    evaluateChains(kernel, constant, dim, d.q, d.logp, d.grad, c, Math.min(chains, c + step));
  }
}

/** A copy of `a` in shared memory. */
function shared<A extends Float64Array | Int32Array>(a: A): A {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): A; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(a.length * Ctor.BYTES_PER_ELEMENT));
  out.set(a);
  return out;
}

/** The kernel's data with every array in shared memory. */
function sharedData(d: JsDensityData): JsDensityData {
  return {
    ...d, X: shared(d.X), offset: d.offset && shared(d.offset), y: shared(d.y), trials: d.trials && shared(d.trials),
    terms: d.terms.map((t) => ({ ...t, index: shared(t.index), Z: shared(t.Z) })),
    paramFormulas: d.paramFormulas.map((f) => ({ ...f, X: shared(f.X) })),
  };
}

/**
 * The worker module (density-js-worker.ts): beside this file in dist/ for Node; in the web bundle
 * (web/build.mjs) beside the fitting worker's script, whose URL is the worker's location.
 */
function workerUrl(): URL {
  const loc = (globalThis as { location?: { href: string } }).location;
  const node = Boolean((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node);
  return node || !loc ? new URL('./density-js-worker.js', import.meta.url) : new URL('density-js-worker.js', loc.href);
}

/**
 * Compiles the plain-JS density of `spec` on `threads` threads (this one and threads − 1 workers) for
 * batches of up to `chains` chains (larger calls run in pieces). Call `dispose` to stop the workers.
 */
export async function compileJsDensityThreaded(spec: ModelSpec, threads: number, chains: number): Promise<Target> {
  checkJsDensity(spec);
  const { dim } = spec;
  const model = sharedData(jsDensityData(spec));
  const one = jsKernel(model);
  const constant = calibrate(spec, one);
  const cap = Math.max(1, chains);
  const buf = (len: number) => new Float64Array(new SharedArrayBuffer(len * 8));
  const q = buf(cap * dim);
  const logpS = buf(cap);
  const gradS = buf(cap * dim);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const shares = { q, logp: logpS, grad: gradS, next };
  const pool = await startPool<DensityWorkerData>(workerUrl(), threads, { model, constant, ...shares });
  const logDensityInto = (u: Float64Array, nChains: number, logp: Float64Array, grad: Float64Array) => {
    for (let c0 = 0; c0 < nChains; c0 += cap) {
      const m = Math.min(cap, nChains - c0);
      q.set(u.subarray(c0 * dim, (c0 + m) * dim));
      Atomics.store(next, 0, 0);
      pool.run(m, () => evaluateTaken(one, constant, dim, shares, m, threads));
      logp.set(logpS.subarray(0, m), c0);
      grad.set(gradS.subarray(0, m * dim), c0 * dim);
    }
  };
  const logDensity = (u: Float64Array, nChains: number) => {
    const logp = new Float64Array(nChains);
    const grad = new Float64Array(nChains * dim);
    logDensityInto(u, nChains, logp, grad);
    return { logp, grad };
  };
  return { dim, logDensity, logDensityInto, names: spec.names, dispose: pool.close };
}
