/**
 * One SBC replication as a job of src/pool (src/pool/job.ts `runJob`), so validation/sbc.ts runs a
 * family's replications on worker threads: replication r draws θ and y from the SBC priors with the
 * stream (20261206, r) (src/inference/prior.ts priorPredictive), fits y with `fit()` at its defaults but
 * for the SBC priors (seed r; profile intervals off: they are the likelihood side's and do not touch the
 * draws), and ranks each true θ_p among the run's posterior draws (validation/sbc-rank.ts `sbcRank`).
 * Its answer depends on r and the case only, not on the worker that ran it or the number of workers.
 *
 * A data set the model cannot take (an ordinal category with no row, a beta response that rounds to 0 or 1)
 * is rejected and θ and y are drawn afresh from the same stream, up to SBC_MAX_REDRAWS times; the count
 * is part of the answer. Rejecting the joint draw samples p(θ, y) restricted to the data event A, and
 * for y in A its posterior p(θ | y, A) = p(θ | y), the fit's: the rank stays uniform. Redrawing y alone
 * with θ kept would not: it draws θ from the prior but y from p(y | θ, A), so θ enters with the weight
 * 1 / P(A | θ) that the fit's posterior does not have (θ that make a category rare would be
 * over-represented).
 */
import { GlmmInputError } from '../base/errors.js';
import { parameterMatrix, type Draws } from '../diagnostics/draws.js';
import { familyFor } from '../models/families/getFamily.js';
import { frameFromRows } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { fit } from '../src/fit.js';
import { priorPredictive } from '../src/inference/prior.js';
import { makeRng } from '../src/sampler/rng.js';
import { buildModel } from '../src/target/parameters.js';
import type { SbcCase } from './sbc-cases.js';
import { sbcRank } from './sbc-rank.js';

/** What every replication of a family shares: its case (sent once per worker). */
export interface SbcShared {
  readonly case: SbcCase;
}

/** One replication (1-based). */
export interface SbcJob {
  readonly rep: number;
}

/** Joint draws (θ, y) rejected at most before a replication is recorded as failed. */
export const SBC_MAX_REDRAWS = 100;

/** A replication's ranks of the held parameters (null when the fit failed, with its message). */
export interface SbcRepResult {
  readonly ranks: Record<string, number> | null;
  readonly error?: string;
  /** Joint draws rejected before the one fitted (absent in records written before redraws existed). */
  readonly redraws?: number;
  readonly divergent: boolean;
  readonly warned: boolean;
  readonly secs: number;
}

/** A placeholder response the design can be built on (any valid, non-constant value: no SBC prior looks at it). */
function placeholder(c: SbcCase, i: number): number {
  if (c.family === 'binomial' || c.family === 'bernoulli' || c.family === 'betabinomial') return i % 2;
  if (c.family === 'cumulative') return (i % 4) + 1; // categories 1..4, each present
  return c.family === 'beta' ? ((i % 9) + 1) / 10 : i + 1;
}

/** The design's columns with a placeholder response, the design, the model, and the held parameters. */
export function sbcModel(c: SbcCase) {
  const n = Object.values(c.columns)[0].length;
  const base = { ...c.columns, [c.response]: Array.from({ length: n }, (_, i) => placeholder(c, i)) };
  const design = buildDesign(c.formula, frameFromRows(base, { factors: c.factors }), c.family, { factors: c.factors });
  const spec = buildModel(design, { family: c.family, priors: c.priors });
  const held = spec.params.filter((p) => p.class !== 'r').map((p) => p.name);
  return { base, design, spec, held };
}

/**
 * Whether the model takes a simulated data set as it is: the design builds on it (the family's
 * response rule) with the SBC model's parameters (an integer ordinal response with its top category
 * empty would otherwise silently lose a threshold). A function of y alone; the refusal's message, or null.
 */
export function refusal(c: SbcCase, data: Record<string, readonly (number | string)[]>, held: readonly string[]): string | null {
  try {
    const design = buildDesign(c.formula, frameFromRows(data, { factors: c.factors }), c.family, { factors: c.factors });
    const names = buildModel(design, { family: c.family, priors: c.priors }).params.filter((p) => p.class !== 'r').map((p) => p.name);
    return names.join() === held.join() ? null : `the simulated data give the parameters ${names.join(', ')}, not ${held.join(', ')}`;
  } catch (e) {
    if (e instanceof GlmmInputError) return e.message;
    throw e;
  }
}

/** A replication's simulated data set with its true θ, or why none was taken. */
export type Simulated =
  | { readonly ok: true; readonly truth: Draws; readonly data: Record<string, readonly (number | string)[]>; readonly held: readonly string[]; readonly redraws: number }
  | { readonly ok: false; readonly why: string };

/** θ and y from the SBC priors, drawn afresh while the model refuses y (see the module comment). */
export function simulate(c: SbcCase, rng: () => number): Simulated {
  const { base, design, spec, held } = sbcModel(c);
  const { family, link } = familyFor(c.family, spec.link);
  let why = '';
  for (let redraws = 0; redraws <= SBC_MAX_REDRAWS; redraws++) {
    const { draws, yrep } = priorPredictive(design, family, link, spec.priors, 1, rng);
    const data = { ...base, [c.response]: Array.from(yrep.data) };
    const r = refusal(c, data, held);
    if (r === null) return { ok: true, truth: draws, data, held, redraws };
    why = r;
  }
  return { ok: false, why };
}

/** Replication `job.rep` of `shared.case` (see the module comment). */
export async function runJob(shared: SbcShared, job: SbcJob): Promise<SbcRepResult> {
  const c = shared.case;
  const rng = makeRng(20261206, job.rep);
  const t0 = performance.now();
  const sim = simulate(c, () => rng.uniform());
  const secs = () => (performance.now() - t0) / 1000;
  if (!sim.ok) return { ranks: null, error: `${SBC_MAX_REDRAWS + 1} simulated data sets refused, the last: ${sim.why}`, redraws: SBC_MAX_REDRAWS + 1, divergent: false, warned: false, secs: secs() };
  const { truth, data, held, redraws } = sim;
  let f;
  try {
    f = await fit({ formula: c.formula, data, family: c.family, factors: c.factors, priors: c.priors, seed: job.rep, profile: false });
  } catch (e) {
    return { ranks: null, error: (e as Error).message, redraws, divergent: false, warned: false, secs: secs() };
  }
  const missing = held.filter((h) => !f.draws.names.includes(h));
  if (missing.length) return { ranks: null, error: `the fit has no draws of ${missing.join(', ')}`, redraws, divergent: false, warned: false, secs: secs() };
  const ranks: Record<string, number> = {};
  for (const h of held) {
    const x = truth.data[truth.names.indexOf(h)];
    ranks[h] = sbcRank(parameterMatrix(f.draws, f.draws.names.indexOf(h)), f.draws.nDraws, f.draws.nChains, x);
  }
  return { ranks, redraws, divergent: (f.summary.sampler?.divergences ?? 0) > 0, warned: f.summary.warnings.length > 0, secs: secs() };
}
