/**
 * The posterior predictive check of the share of zeros (bayesplot's `ppc_stat(y, yrep, stat =
 * function(y) mean(y == 0))`, the check Zuur et al. and the glmmTMB paper (Brooks et al. 2017) use for
 * zero inflation): the observed share T(y) against its replicated distribution T(y_rep) over the
 * posterior predictive draws, with the posterior predictive p-value P(T(y_rep) ≥ T(y)). For every count
 * response (an integer response without trials), not for the zero-modified families only: a plain
 * Poisson fit to zero-inflated data shows its deficit of zeros here.
 */
import { quantile } from '../../diagnostics/quantile.js';
import type { Family } from '../../models/families/types.js';

/** The check as summary.json's `ppc.zeros` holds it. */
export interface ZeroShareCheck {
  /** Share of rows with y = 0. */
  observed: number;
  /** The replicated shares over the draws: mean, sd and the central interval at `prob`. */
  replicated: { mean: number; sd: number; lower: number; upper: number };
  /** P(T(y_rep) ≥ T(y)): near 0 or 1 when the model predicts too many or too few zeros. */
  p_greater: number;
  /** Number of replicated data sets. */
  draws: number;
}

/** Whether the family's response is a count without trials (the share of zeros is then a check of the family). */
export function checksZeros(family: Family): boolean {
  return family.response.integer && family.response.trials === null && !family.response.ordinal;
}

/** The check of y against yrep (nDraws × n, draw-major) at interval level `prob`. */
export function zeroShareCheck(y: ArrayLike<number>, yrep: ArrayLike<number>, nDraws: number, prob: number): ZeroShareCheck {
  const n = y.length;
  let z = 0;
  for (let i = 0; i < n; i++) if (y[i] === 0) z++;
  const observed = z / n;
  const shares = new Float64Array(nDraws);
  let greater = 0;
  for (let s = 0; s < nDraws; s++) {
    let c = 0;
    for (let i = 0; i < n; i++) if (yrep[s * n + i] === 0) c++;
    shares[s] = c / n;
    if (shares[s] >= observed) greater++;
  }
  let mean = 0;
  for (const v of shares) mean += v / nDraws;
  let ss = 0;
  for (const v of shares) ss += (v - mean) ** 2;
  const a = (1 - prob) / 2;
  return {
    observed,
    replicated: { mean, sd: Math.sqrt(ss / Math.max(1, nDraws - 1)), lower: quantile(shares, a), upper: quantile(shares, 1 - a) },
    p_greater: greater / nDraws,
    draws: nDraws,
  };
}
