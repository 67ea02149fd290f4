/**
 * The worker-thread side of a watched `glmm laplace` (laplace-watch.ts): runs the fit and posts its
 * progress (at most every 100 ms), then its text or its error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GlmmInputError } from '../../base/errors.js';
import { runLaplace } from './run.js';
import type { LaplaceArgs } from './args.js';

/** What the worker posts. */
export type LaplaceWorkerMessage =
  | { readonly kind: 'progress'; readonly step: string; readonly evaluations: number; readonly best: number }
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'error'; readonly input: boolean; readonly message: string; readonly stack?: string };

const port = parentPort;
if (port) {
  let last = 0;
  const post = (m: LaplaceWorkerMessage): void => port.postMessage(m);
  try {
    const text = await runLaplace(workerData.args as LaplaceArgs, (step, evaluations, best) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      post({ kind: 'progress', step, evaluations, best });
    });
    post({ kind: 'done', text });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ kind: 'error', input: e instanceof GlmmInputError, message: err.message, stack: err.stack });
  }
}
