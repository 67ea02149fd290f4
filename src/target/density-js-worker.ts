/**
 * The worker thread of density-js-threads.ts: rebuilds the kernel from the shared data and evaluates
 * its share of each call's chains into the shared buffers.
 */
import { evaluateChains, jsKernel } from './density-js-kernel.js';
import type { DensityWorkerData } from './density-js-threads.js';
import { share } from '../threads/shared-pool.js';
import { servePool } from '../threads/worker-side.js';

await servePool<DensityWorkerData>(({ index, threads, data }) => {
  const one = jsKernel(data.model);
  const { dim } = data.model;
  return (chains) => {
    const [a, b] = share(chains, threads, index);
    evaluateChains(one, data.constant, dim, data.q, data.logp, data.grad, a, b);
  };
});
