/**
 * The worker thread of density-js-threads.ts: rebuilds the kernel from the shared data and evaluates
 * the chains it takes of each call (evaluateTaken) into the shared buffers.
 */
import { jsKernel } from './density-js-kernel.js';
import { evaluateTaken, type DensityWorkerData } from './density-js-threads.js';
import { servePool } from '../threads/worker-side.js';

await servePool<DensityWorkerData>(({ threads, data }) => {
  const one = jsKernel(data.model);
  return (chains) => evaluateTaken(one, data.constant, data.model.dim, data, chains, threads);
});
