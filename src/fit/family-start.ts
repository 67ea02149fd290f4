/**
 * Where the samplers start a family parameter that the Laplace fit could not place. Maximum likelihood
 * can put a family parameter at infinity: a beta-binomial's or NB's precision on data no more dispersed
 * than the binomial or Poisson (φ̂ = 2.8e8 on one SBC data set), a Student-t's ν on light tails. The
 * estimate then has no finite standard error, and the prior, which the likelihood side does not see,
 * rules that region out: at φ = 2.8e8 the log density of φ ~ gamma(2, 0.1) falls by 2.8e7 per unit of
 * log φ, so chains started there never leave it (10 of 16 superchains stuck, 62 % of transitions
 * divergent, SBC's φ ranks piled in the lowest bin). Such a coordinate starts instead at the best of a
 * grid of its unconstrained values under the sampler's own log density (prior and Jacobian included), the
 * other coordinates held at the Laplace start, with a spread of half a unit. Coordinates with a finite SE
 * keep the Laplace start, so models the likelihood side fits properly start as before.
 */
import { familyValueNames } from '../../models/families/index.js';
import type { Target } from '../sampler/target.js';
import type { ModelSpec } from '../target/parameters.js';
import type { LaplaceRun } from './laplace-run.js';

/** The unconstrained values tried: −12 to 12 by 0.2 (φ from 6e-6 to 1.6e5 on the log scale). */
const GRID = Array.from({ length: 121 }, (_, i) => -12 + 0.2 * i);

/** Spread of the chains' starts in a coordinate placed by the grid. */
const GRID_START_SD = 0.5;

/**
 * Indices (in q) of the family coordinates whose Laplace interval has no finite SE (laplace-glmm.ts:
 * Wald on the unconstrained scale, null where the Hessian gives none). A coordinate the fit does not
 * report keeps its start.
 */
export function unplacedFamilyCoords(spec: ModelSpec, laplace: LaplaceRun): number[] {
  const fb = spec.familyBlock;
  return familyValueNames(fb.layout).flatMap((name, k) => {
    const iv = laplace.intervals.get(name);
    return iv && !(iv.se !== null && Number.isFinite(iv.se) && iv.se > 0) ? [fb.offset + k] : [];
  });
}

/** The best grid value of coordinate `j` of `mode` under `target` (the others fixed), or null if none is finite. */
function bestOnGrid(target: Target, mode: Float64Array, j: number): number | null {
  const dim = mode.length;
  const q = new Float64Array(GRID.length * dim);
  GRID.forEach((v, c) => { q.set(mode, c * dim); q[c * dim + j] = v; });
  const { logp } = target.logDensity(q, GRID.length);
  let best = -1;
  for (let c = 0; c < GRID.length; c++) if (Number.isFinite(logp[c]) && (best < 0 || logp[c] > logp[best])) best = c;
  return best < 0 ? null : GRID[best];
}

/**
 * The Laplace start with every unplaced family coordinate (unplacedFamilyCoords) moved to its best grid
 * value, one coordinate after another; the start itself when there is none.
 */
export function placeFamilyCoords(spec: ModelSpec, target: Target, laplace: LaplaceRun, start: { mode: Float64Array; sd: Float64Array }): { mode: Float64Array; sd: Float64Array } {
  const coords = unplacedFamilyCoords(spec, laplace);
  if (coords.length === 0) return start;
  const mode = Float64Array.from(start.mode);
  const sd = Float64Array.from(start.sd);
  for (const j of coords) {
    const v = bestOnGrid(target, mode, j);
    if (v === null) continue;
    mode[j] = v;
    sd[j] = GRID_START_SD;
  }
  return { mode, sd };
}
