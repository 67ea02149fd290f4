import type { Family, FamilyValues } from './types.js';

/**
 * Pearson's χ² = Σ (yᵢ − mᵢμᵢ)² / (mᵢ V(μᵢ)) with mᵢ the binomial trials (1 for the other families) and
 * μᵢ the per-trial mean (SAS GLIMMIX's "Pearson Chi-Square" from conditional means; R's
 * sum(residuals(fit, "pearson")^2)). `trials` null means 1 for every row.
 */
export function pearsonChisq(family: Family, y: ArrayLike<number>, mu: ArrayLike<number>, aux: FamilyValues, trials: ArrayLike<number> | null): number {
  let chisq = 0;
  for (let i = 0; i < y.length; i++) {
    const m = trials && family.response.trials !== null ? trials[i] : 1;
    chisq += (y[i] - m * mu[i]) ** 2 / (m * family.variance(mu[i], aux, trials ? trials[i] : 1));
  }
  return chisq;
}
