/**
 * What a finished fit hands to its report, in one place for the CLI's `--out` and the web app: the
 * first chains for the per-chain plots and posterior predictive draws for the check.
 */
import seedrandom from 'seedrandom';
import type { Draws } from '../../diagnostics/draws.js';
import { familyFor } from '../../models/families/index.js';
import { posteriorPredictive } from '../inference/predict.js';
import { checksZeros, zeroShareCheck } from '../inference/zero-share.js';
import type { ModelSpec } from '../target/parameters.js';
import type { SummaryJson } from '../report/schema.js';

/** Chains shown in trace.svg and report.html's trace, rank and density plots (256 overlaid traces are unreadable and megabytes large). */
export const PLOT_CHAINS = 8;

/** Draws of the predictive check (spread over all chains). */
const PPC_DRAWS = 400;

/**
 * Largest draws × rows of the predictive check: beyond it fewer draws, at least PPC_MIN_DRAWS (the
 * density panel overlays 40 replicates). y_rep is held by the fit, copied to the report worker and
 * sorted pooled, so 400 draws of the 100,000-row fit were 3 × 320 MB: the peak of that `glmm fit`
 * (1.37 GB, GNU time) came from here, not from the sampling (~200 MB).
 */
export const PPC_MAX_CELLS = 4e6;
const PPC_MIN_DRAWS = 40;

/** Draws of the predictive check for `nobs` rows. */
export function ppcDraws(nobs: number): number {
  return Math.max(PPC_MIN_DRAWS, Math.min(PPC_DRAWS, Math.floor(PPC_MAX_CELLS / Math.max(1, nobs))));
}

/** The first `k` chains of the draws (all of them when there are at most k). */
export function firstChains(d: Draws, k: number): Draws {
  if (d.nChains <= k) return d;
  return { nChains: k, nDraws: d.nDraws, names: d.names, data: d.data.slice(0, k * d.nDraws * d.names.length) };
}

/** At most `max` draws spread evenly over the chains, as one chain (for the predictive check). */
export function thinDraws(d: Draws, max: number): Draws {
  const total = d.nChains * d.nDraws;
  if (total <= max) return d;
  const P = d.names.length;
  const step = total / max;
  const data = new Float64Array(max * P);
  for (let i = 0; i < max; i++) data.set(d.data.subarray(Math.floor(i * step) * P, (Math.floor(i * step) + 1) * P), i * P);
  return { nChains: 1, nDraws: max, names: d.names, data };
}

/** The parts of a fit the outputs use. */
export interface FitOutputSource {
  readonly spec: ModelSpec;
  readonly summary: SummaryJson;
  readonly draws: Draws;
  readonly samplerDraws?: Draws;
}

/** The posterior predictive draws of the check (ppcDraws of them, seeded): y_rep, draw-major. */
export function ppcReplicates(spec: ModelSpec, draws: Draws, seed: number): { yrep: Float64Array; nDraws: number } {
  const { family, link } = familyFor(spec.family, spec.link);
  const yrep = posteriorPredictive(spec.design, thinDraws(draws, ppcDraws(spec.design.nobs)), family, link, seedrandom(String(seed)));
  return { yrep: yrep.data, nDraws: yrep.nChains * yrep.nDraws };
}

/** summary.json's `ppc` of a count response (the share of zeros, over the report's replicates), or null. */
export function countChecks(spec: ModelSpec, draws: Draws, seed: number, prob: number): SummaryJson['ppc'] | null {
  if (!checksZeros(familyFor(spec.family, spec.link).family) || draws.nChains * draws.nDraws === 0) return null;
  const { yrep, nDraws } = ppcReplicates(spec, draws, seed);
  return { zeros: zeroShareCheck(spec.design.response.y, yrep, nDraws, prob) };
}

/** renderReport's input for a posterior fit: summary, the first PLOT_CHAINS chains, and y against y_rep (seeded). */
export function reportInput(f: FitOutputSource, seed: number): { summary: SummaryJson; draws: Draws; ppc: { y: Float64Array; yrep: Float64Array; nDraws: number } } {
  return { summary: f.summary, draws: firstChains(f.draws, PLOT_CHAINS), ppc: { y: f.spec.design.response.y, ...ppcReplicates(f.spec, f.draws, seed) } };
}

/**
 * Marks a fit stopped early (CLI Ctrl-C or a signal, the web app's Stop button): summary.json's
 * `incomplete` block and one warning saying how many draws the summary uses of those the run was asked
 * for (the fit's `drawsRequested`: a fixed length, or the cap of a run to its ESS target, whose warning
 * names the target not reached).
 */
export function markIncomplete(f: { summary: SummaryJson; draws: Draws; drawsRequested: number }, reason: string): void {
  const requested = f.drawsRequested;
  const target = f.summary.sampler?.ess_target;
  f.summary.incomplete = { reason, draws: f.draws.nDraws, draws_requested: requested };
  f.summary.warnings.push(target != null
    ? `Sampling was interrupted (${reason}) before every parameter reached bulk/tail ESS ≥ ${target}: the summary uses the ${f.draws.nDraws} draws per chain completed (the target allowed up to ${requested}).`
    : `Sampling was interrupted (${reason}): the summary uses the ${f.draws.nDraws} of ${requested} draws per chain completed.`);
}
