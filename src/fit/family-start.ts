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
 * whose start the grid cannot beat by PLACE_GAIN nats keep the Laplace start, so models the likelihood
 * side fits properly start as before.
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

/** Log density gained (nats) above which a family coordinate with a finite SE is moved to the grid's best too. */
export const PLACE_GAIN = 20;

/** The best grid value of coordinate `j` of `mode` under `target` (the others fixed) and its log density, or null if none is finite. */
function bestOnGrid(target: Target, mode: Float64Array, j: number): { value: number; logp: number } | null {
  const dim = mode.length;
  const q = new Float64Array(GRID.length * dim);
  GRID.forEach((v, c) => { q.set(mode, c * dim); q[c * dim + j] = v; });
  const { logp } = target.logDensity(q, GRID.length);
  let best = -1;
  for (let c = 0; c < GRID.length; c++) if (Number.isFinite(logp[c]) && (best < 0 || logp[c] > logp[best])) best = c;
  return best < 0 ? null : { value: GRID[best], logp: logp[best] };
}

/**
 * The Laplace start with each family coordinate moved to its best grid value when the Laplace fit gives
 * it no finite SE (unplacedFamilyCoords) or when the grid's best beats the start by more than PLACE_GAIN
 * nats (an ML estimate far out in the prior's tail that the Hessian still gives an SE: φ̂ = 1.3e12 with
 * the Hessian's eigenvalue ratio 6e-8, SBC betabinomial replication 10, 94 % of transitions divergent);
 * one coordinate after another. The start itself when nothing moves. A start PLACE_GAIN nats below the
 * grid's best is √(2·20) ≈ 6 posterior sds away from it in a normal approximation, where no chain
 * should start; the reference models' family parameters are within a few nats.
 */
export function placeFamilyCoords(spec: ModelSpec, target: Target, laplace: LaplaceRun, start: { mode: Float64Array; sd: Float64Array }): { mode: Float64Array; sd: Float64Array } {
  const fb = spec.familyBlock;
  if (fb.layout.dim === 0) return start;
  const unplaced = new Set(unplacedFamilyCoords(spec, laplace));
  let mode = start.mode, sd = start.sd;
  for (let j = fb.offset; j < fb.offset + fb.layout.dim; j++) {
    const best = bestOnGrid(target, mode, j);
    if (best === null) continue;
    const here = target.logDensity(mode, 1).logp[0];
    if (!unplaced.has(j) && !(best.logp > here + PLACE_GAIN)) continue;
    if (mode === start.mode) { mode = Float64Array.from(start.mode); sd = Float64Array.from(start.sd); }
    mode[j] = best.value;
    sd[j] = GRID_START_SD;
  }
  return mode === start.mode ? start : { mode, sd };
}
