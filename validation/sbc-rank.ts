/**
 * SBC's rank statistic and its uniformity test (Talts, Betancourt, Simpson, Vehtari & Gelman 2018,
 * arXiv:1804.06788, §4): the rank of the true value among L (nearly) independent posterior draws is
 * uniform on 0…L when the posterior is right; its histogram in equal bins against Pearson's χ².
 */
import { pchisqUpper } from '../base/distributions.js';

/** Posterior draws ranked against (L + 1 possible ranks) and the histogram's bins. */
export const SBC_L = 99;
export const SBC_BINS = 10;

/** Rank of `truth` among the last draw of L chains spread over the run (column-major iterations × chains). */
export function sbcRank(x: Float64Array, nDraws: number, nChains: number, truth: number, L = SBC_L): number {
  if (nChains < L) throw new Error(`SBC needs ≥ ${L} chains, the run has ${nChains}`);
  let rank = 0;
  for (let i = 0; i < L; i++) {
    const c = Math.floor((i * nChains) / L);
    if (x[c * nDraws + nDraws - 1] < truth) rank++;
  }
  return rank;
}

/** Counts of ranks 0…L in `bins` equal bins, Pearson's χ² against uniform and its p-value. */
export function uniformity(ranks: readonly number[], L = SBC_L, bins = SBC_BINS): { counts: number[]; chi2: number; p: number } {
  const counts = new Array<number>(bins).fill(0);
  for (const r of ranks) counts[Math.min(bins - 1, Math.floor((r * bins) / (L + 1)))]++;
  const e = ranks.length / bins;
  const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
  return { counts, chi2, p: pchisqUpper(chi2, bins - 1) };
}
