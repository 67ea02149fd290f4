/** The covariance structure of a term from its kind as written in the formula (src/formula/terms.ts). */
import type { Covariance, CovarianceKind } from './types.js';
import type { PriorDist } from '../../../models/priors.js';
import { unstructured } from './us.js';
import { diagonal } from './diag.js';
import { autoregressive1, compoundSymmetry } from './one-correlation.js';
import { toeplitz } from './toeplitz.js';

/**
 * `label` names a structure's one correlation (cor_g__label, ar_g__label): the lhs variable; `corPrior`
 * (a structure's non-LKJ correlation prior, already checked by withCorPrior) rebuilds it with that prior.
 */
export function makeCovariance(kind: CovarianceKind, k: number, label: string, corPrior: PriorDist | null = null): Covariance {
  const cov = structure(kind, k, label);
  return corPrior && cov.corClass ? cov.withCorPrior(corPrior, '') : cov;
}

function structure(kind: CovarianceKind, k: number, label: string): Covariance {
  switch (kind) {
    case 'us': return unstructured(k, label);
    case 'diag': return diagonal(k, label);
    case 'cs': return k > 1 ? compoundSymmetry(k, label) : unstructured(1, label);
    case 'ar1': return k > 1 ? autoregressive1(k, label) : unstructured(1, label);
    case 'toep': return k > 1 ? toeplitz(k, label) : unstructured(1, label);
  }
}
