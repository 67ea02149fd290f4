/** The correlation prior of a structured term from the model's prior statements (brms classes `ar`, `cor`). */
import { formatPrior, resolvePrior, type PriorSpec } from '../../../models/priors.js';
import type { Covariance } from './types.js';

/**
 * `cov` under the most specific statement of its correlation class (`ar` for ar1, `cor` for cs/toep)
 * that names its group or none; `cor ~ lkj(eta)` statements are the unstructured terms' and are
 * skipped. Without such a statement the structure keeps its default (uniform on the range).
 */
export function withStatedCorPrior(cov: Covariance, group: string, priors: readonly PriorSpec[]): Covariance {
  if (!cov.corClass) return cov;
  const stated = resolvePrior(priors.filter((p) => p.prior.dist !== 'lkj'), cov.corClass, group, null);
  return stated ? cov.withCorPrior(stated.prior, formatPrior(stated)) : cov;
}

/** The LKJ statements only (what an unstructured term's `cor` resolves among). */
export function lkjStatements(priors: readonly PriorSpec[]): PriorSpec[] {
  return priors.filter((p) => p.class !== 'cor' || p.prior.dist === 'lkj');
}
