/** Helpers for the NUTS tests: per-coordinate mean and second-moment checks against MCSE. */
import { parameterMatrix, type Draws } from '../../diagnostics/draws.js';
import { mcseMean } from '../../diagnostics/mcse.js';

/** z-scores (estimate − truth)/MCSE of E[x] and E[(x − mean)²] for coordinate `param` (posterior's mcse_mean). */
export function momentZ(draws: Draws, param: number, mean: number, variance: number): { zMean: number; zVar: number } {
  const x = parameterMatrix(draws, param);
  const sq = x.map((v) => (v - mean) ** 2);
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const v = sq.reduce((a, b) => a + b, 0) / sq.length;
  return { zMean: (m - mean) / mcseMean(x, draws.nDraws), zVar: (v - variance) / mcseMean(sq, draws.nDraws) };
}

/** Column `name` of the sampler draws, all chains concatenated. */
export function column(sampler: Draws, name: string): Float64Array {
  const j = sampler.names.indexOf(name);
  return parameterMatrix(sampler, j);
}
