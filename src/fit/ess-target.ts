/**
 * "Stop at a target, not a count": the rule that ends ChEES sampling once every held parameter — the
 * fixed effects, random-effect sds and correlations and the family parameter (not the random effects)
 * — has bulk- and tail-ESS ≥ the target (Vehtari et al. 2021; posterior's ess_bulk/ess_tail) and nested
 * R-hat ≤ sqrt(1 + 1/M + 1e-4) (Margossian et al. 2024; M chains per superchain), all computed on the
 * constrained parameters as summary.json reports them.
 */
import { parameterMatrix, type Draws } from '../../diagnostics/draws.js';
import { essBulk, essTail } from '../../diagnostics/ess.js';
import { nestedRhatThreshold, rhatNested } from '../../diagnostics/nested-rhat.js';
import { constrainDraws } from '../target/constrain.js';
import type { ModelSpec } from '../target/parameters.js';
import type { SamplingStopRule, StopCheck } from '../sampler/chees-draws.js';

/** Default ESS target (bulk and tail, every held parameter). */
export const DEFAULT_ESS_TARGET = 1000;

/** Draws per chain before the rule's first check (see essStopRule). */
export const DEFAULT_MIN_DRAWS = 40;

/** Indices (in spec.params) of the parameters that hold the run: every class but the random effects. */
export function heldParameters(spec: ModelSpec): number[] {
  return spec.params.flatMap((p, i) => (p.class === 'r' ? [] : [i]));
}

/** Convergence figures of the held parameters: the lowest ESS, the highest nested R-hat, and where. */
export interface HeldFigures extends StopCheck {
  readonly maxNestedRhat: number;
  readonly rhatParameter: string;
  readonly threshold: number;
}

/**
 * The check on unconstrained draws: constrains them, then per held parameter min(bulk, tail) ESS and
 * nested R-hat. A NaN (constant draws, too few draws) counts as not done.
 */
export function heldFigures(spec: ModelSpec, unconstrained: Draws, superchainIds: Int32Array, target: number): HeldFigures {
  const draws = constrainDraws(spec, unconstrained, false); // the held parameters come before the random effects
  const M = unconstrained.nChains / new Set(superchainIds).size;
  const threshold = nestedRhatThreshold(M);
  let minEss = Infinity, parameter = '', maxNestedRhat = 0, rhatParameter = '';
  for (const j of heldParameters(spec)) {
    const x = parameterMatrix(draws, j);
    const ess = Math.min(essBulk(x, draws.nDraws), essTail(x, draws.nDraws));
    const nr = rhatNested(x, draws.nDraws, superchainIds);
    const name = draws.names[j];
    if (!(ess >= minEss)) { minEss = Number.isNaN(ess) ? -Infinity : ess; parameter = name; }
    if (!(nr <= maxNestedRhat)) { maxNestedRhat = Number.isNaN(nr) ? Infinity : nr; rhatParameter = name; }
  }
  const done = minEss >= target && maxNestedRhat <= threshold;
  return { done, minEss, parameter, maxNestedRhat, rhatParameter, threshold };
}

/**
 * The stopping rule for `sampleChees`: checked after `minDraws` draws per chain, then every `block`.
 * Defaults: first check at 40 draws per chain, then every 10. Split chains of N ≤ 5 draws make posterior's
 * ESS exactly S/2 whatever the autocorrelation (Geyer's sum stops at t < N − 5), so 10 draws per chain
 * certify nothing; at 20 the split halves of 10 draws see lags up to 4, enough for ChEES transitions,
 * whose autocorrelation time is about 1–3 draws on the reference models. 40, not 20: at 20 the draws of a
 * short run still carry the end of warmup into the means, which no MCSE of the kept draws sees
 * (salamanders_nb over 40 seeds: sd_site mean z +0.59 at 20, +0.42 at 40; validation/RESULTS.md
 * `calibration`). The draws up to the old stop are the same; only the first check moves.
 */
export function essStopRule(spec: ModelSpec, target: number, opts: { minDraws?: number; block?: number } = {}): SamplingStopRule {
  return {
    target,
    minDraws: opts.minDraws ?? DEFAULT_MIN_DRAWS,
    block: opts.block ?? 10,
    check: (draws, ids) => heldFigures(spec, draws, ids, target),
  };
}

/**
 * Draws per chain the rule may reach: 1000, or fewer so that the kept draws (chains × draws × dim
 * float64) stay under `maxBytes` (400 MB, chooseChains' budget), at least `floor`.
 */
export function drawCap(chains: number, dim: number, floor = DEFAULT_MIN_DRAWS, maxBytes = 400e6): number {
  return Math.max(floor, Math.min(1000, Math.floor(maxBytes / (chains * Math.max(1, dim) * 8))));
}

/** The warning when the cap came first: which parameter fell short, of what, and what to try. */
export function shortfallWarning(check: HeldFigures, drawsPerChain: number, target: number, reparameterize = ''): string {
  const parts: string[] = [];
  if (!(check.minEss >= target)) parts.push(`${check.parameter} reached bulk/tail ESS ${Number.isFinite(check.minEss) ? Math.round(check.minEss) : 'NA'} of the ${target} asked`);
  if (!(check.maxNestedRhat <= check.threshold)) parts.push(`${check.rhatParameter} has nested R-hat ${Number.isFinite(check.maxNestedRhat) ? check.maxNestedRhat.toFixed(3) : 'NA'} above ${check.threshold.toFixed(4)}`);
  // the parameterization first when the data inform a non-centred term (InstEval: --centered d,dept:service certifies what the cap stops)
  const advice = reparameterize ? `${reparameterize}, or ` : '';
  return `Sampling stopped at its cap of ${drawsPerChain} draws per chain before the target was met: ${parts.join('; ')}; ${advice}try --sampler nuts to check the answer, --warmup with a larger value, or --draws N for a fixed longer run.`;
}
