import type { Family, FamilyValues } from './types.js';

/**
 * Pearson's χ² = Σ (yᵢ − mᵢμᵢ)² / (mᵢ V(μᵢ)) with mᵢ the binomial trials (1 for the other families) and
 * μᵢ the per-trial mean (for an ordinal response the mean Σ k P_k of the category number) (SAS GLIMMIX's "Pearson Chi-Square" from conditional means; R's
 * sum(residuals(fit, "pearson")^2)). `trials` null means 1 for every row.
 */
export function pearsonChisq(family: Family, y: ArrayLike<number>, mu: ArrayLike<number>, auxRows: FamilyValues | ((i: number) => FamilyValues), trials: ArrayLike<number> | null): number {
  let chisq = 0;
  const at = typeof auxRows === 'function' ? auxRows : () => auxRows;
  for (let i = 0; i < y.length; i++) {
    const aux = at(i);
    const m = trials && family.response.trials !== null ? trials[i] : 1;
    // an ordinal μ is the latent η: the category number's mean is the family's
    const expected = family.response.ordinal ? family.mean(mu[i], aux, 1) : m * mu[i];
    chisq += (y[i] - expected) ** 2 / (m * family.variance(mu[i], aux, trials ? trials[i] : 1));
  }
  return chisq;
}
