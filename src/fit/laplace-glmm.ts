/** Adapter from the GLMM Laplace fit (src/laplace) to {@link LaplaceRun}. */
import type { ModelSpec } from '../model/parameters.js';
import type { LaplaceRun } from './laplace.js';

export function glmmRun(_spec: ModelSpec, _nAGQ: number): LaplaceRun {
  throw new Error('GLMM Laplace adapter not wired yet');
}
