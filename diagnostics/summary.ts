/**
 * Per-variable summaries as posterior's `summarise_draws()` (stan-dev/posterior R/summarise_draws.R:
 * mean, median, sd, mad, quantile2 (q5, q95), rhat, ess_bulk, ess_tail) plus mcse_mean, mcse_sd and
 * mcse_quantile (mcse_q5, mcse_q95) and mcse_median, with posterior's names. Also the shortest (highest-density) interval. NaN where posterior gives NA.
 */
import type { Draws } from './draws.js';
import { parameterMatrix } from './draws.js';
import { shouldReturnNA } from './basic-stats.js';
import { essCore, essQuantile } from './ess.js';
import { mcseQuantile, mcseSd } from './mcse.js';
import { quantileSorted } from './quantile.js';
import { rhatCore } from './rhat.js';
import { medianSorted, ranksToZ, sortAndRank, sortedCopy, splitChains, zScale } from './transforms.js';

/** One row of `summarizeDraws`, posterior's column names. */
export interface VariableSummary {
  variable: string;
  mean: number;
  median: number;
  sd: number;
  mad: number;
  q5: number;
  q95: number;
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
  mcse_mean: number;
  mcse_sd: number;
  /** posterior `mcse_quantile(x, 0.05)`, `mcse_quantile(x, 0.95)`, `mcse_median(x)`. */
  mcse_q5: number;
  mcse_q95: number;
  mcse_median: number;
}

/** R's `mad` constant: 1/Φ⁻¹(3/4) rounded as R has it. */
export const MAD_CONSTANT = 1.4826;

/** R `median`. NaN if any value is NaN. */
export function median(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) return NaN;
  return medianSorted(sortedCopy(x));
}

/** R `mad(x)`: 1.4826 · median(|x − median(x)|). NaN if any value is NaN. */
export function mad(x: ArrayLike<number>): number {
  const m = median(x);
  if (Number.isNaN(m)) return NaN;
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = Math.abs(x[i] - m);
  return MAD_CONSTANT * medianSorted(d.sort());
}

/** R `sd`: sample standard deviation (n − 1). */
export function sd(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/**
 * Highest-density interval: the shortest interval holding ⌊prob·S⌋ + 1 sorted draws, as ArviZ's `_hdi`
 * (arviz/stats/stats.py: `idx = floor(prob·n)`, widths `s[idx:] − s[:n−idx]`, first minimum). Default
 * prob 0.9, matching q5/q95. [NaN, NaN] if any draw is NaN or there are fewer than 2 draws.
 */
export function hdi(x: ArrayLike<number>, prob = 0.9): [number, number] {
  const n = x.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(x[i])) return [NaN, NaN];
  const s = sortedCopy(x);
  const inc = Math.floor(prob * n);
  const nInt = n - inc;
  if (n < 2 || nInt < 1) return [NaN, NaN];
  let best = 0;
  let width = Infinity;
  for (let i = 0; i < nInt; i++) {
    const w = s[i + inc] - s[i];
    if (w < width) {
      width = w;
      best = i;
    }
  }
  return [s[best], s[best + inc]];
}

/**
 * The summary of one variable. `x` is iterations × chains, column-major (chain c =
 * `x.subarray(c·nDraws, (c+1)·nDraws)`). Sorts the draws twice (draws, folded draws) and shares them
 * between the quantiles, mad, rank normalization and tail ESS.
 */
export function summarizeVariable(variable: string, x: Float64Array, nDraws: number): VariableSummary {
  const S = x.length;
  let mean = 0;
  let hasNaN = false;
  for (let i = 0; i < S; i++) {
    mean += x[i];
    if (Number.isNaN(x[i])) hasNaN = true;
  }
  mean /= S;
  let ss = 0;
  for (let i = 0; i < S; i++) ss += (x[i] - mean) ** 2;
  const sdv = S > 1 ? Math.sqrt(ss / (S - 1)) : NaN;
  const xr = hasNaN ? null : sortAndRank(x);
  const sorted = xr ? xr.sorted : x;
  const med = xr ? medianSorted(sorted) : NaN;
  const folded = new Float64Array(S);
  for (let i = 0; i < S; i++) folded[i] = Math.abs(x[i] - med);
  const fr = xr ? sortAndRank(folded) : null;
  const out: VariableSummary = {
    variable,
    mean,
    median: med,
    sd: sdv,
    mad: fr ? MAD_CONSTANT * medianSorted(fr.sorted) : NaN,
    q5: xr ? quantileSorted(sorted, 0.05) : NaN,
    q95: xr ? quantileSorted(sorted, 0.95) : NaN,
    rhat: NaN,
    ess_bulk: NaN,
    ess_tail: NaN,
    mcse_mean: NaN,
    mcse_sd: NaN,
    mcse_q5: NaN,
    mcse_q95: NaN,
    mcse_median: NaN,
  };
  if (!xr || !fr || shouldReturnNA(x)) return out;
  const split = splitChains(x, nDraws);
  // z_scale(split(·)): when splitting drops nothing, ranks over the split matrix are the ranks over all
  // draws, so rank once and split the z-scores; an odd N drops middle draws and needs its own ranks
  const whole = split.data.length === S;
  const zb = whole ? splitChains(ranksToZ(xr.ranks), nDraws).data : zScale(split.data);
  const bulk = rhatCore(zb, split.N);
  const zt = whole ? splitChains(ranksToZ(fr.ranks), nDraws).data : zScale(splitChains(folded, nDraws).data);
  const tail = rhatCore(zt, split.N);
  out.rhat = Number.isNaN(bulk) || Number.isNaN(tail) ? NaN : Math.max(bulk, tail);
  out.ess_bulk = essCore(zb, split.N);
  // ess_tail = min(ess_quantile(.05), ess_quantile(.95)); the same two ESS give mcse_q5 and mcse_q95
  const ess5 = essQuantile(x, nDraws, 0.05, sorted);
  const ess95 = essQuantile(x, nDraws, 0.95, sorted);
  out.ess_tail = Number.isNaN(ess5) || Number.isNaN(ess95) ? NaN : Math.min(ess5, ess95);
  const essMean = essCore(split.data, split.N);
  out.mcse_mean = sdv / Math.sqrt(essMean);
  out.mcse_sd = mcseSd(x, nDraws);
  out.mcse_q5 = mcseQuantile(x, nDraws, 0.05, sorted, ess5);
  out.mcse_q95 = mcseQuantile(x, nDraws, 0.95, sorted, ess95);
  out.mcse_median = mcseQuantile(x, nDraws, 0.5, sorted);
  return out;
}

/**
 * posterior `summarise_draws(x, mean, median, sd, mad, quantile2, rhat, ess_bulk, ess_tail, mcse_mean,
 * mcse_sd, mcse_quantile, mcse_median)` for every variable of `draws`, in order.
 */
export function summarizeDraws(draws: Draws): VariableSummary[] {
  const out: VariableSummary[] = [];
  for (let p = 0; p < draws.names.length; p++) {
    out.push(summarizeVariable(draws.names[p], parameterMatrix(draws, p), draws.nDraws));
  }
  return out;
}
