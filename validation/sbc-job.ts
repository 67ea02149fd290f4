/**
 * One SBC replication as a job of src/pool (src/pool/job.ts `runJob`), so validation/sbc.ts runs a
 * family's replications on worker threads: replication r draws θ and y from the SBC priors with the
 * stream (20261206, r) (src/inference/prior.ts priorPredictive), fits y with `fit()` at its defaults but
 * for the SBC priors (seed r; profile intervals off: they are the likelihood side's and do not touch the
 * draws), and ranks each true θ_p among the run's posterior draws (validation/sbc-rank.ts `sbcRank`).
 * Its answer depends on r and the case only, not on the worker that ran it or the number of workers.
 */
import { parameterMatrix } from '../diagnostics/draws.js';
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

/** A replication's ranks of the held parameters (null when the fit failed, with its message). */
export interface SbcRepResult {
  readonly ranks: Record<string, number> | null;
  readonly error?: string;
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

/** Replication `job.rep` of `shared.case` (see the module comment). */
export async function runJob(shared: SbcShared, job: SbcJob): Promise<SbcRepResult> {
  const c = shared.case;
  const { base, design, spec, held } = sbcModel(c);
  const rng = makeRng(20261206, job.rep);
  const { family, link } = familyFor(c.family, spec.link);
  const { draws, yrep } = priorPredictive(design, family, link, spec.priors, 1, () => rng.uniform());
  const data = { ...base, [c.response]: Array.from(yrep.data) };
  const t0 = performance.now();
  let f;
  try {
    f = await fit({ formula: c.formula, data, family: c.family, factors: c.factors, priors: c.priors, seed: job.rep, profile: false });
  } catch (e) {
    return { ranks: null, error: (e as Error).message, divergent: false, warned: false, secs: (performance.now() - t0) / 1000 };
  }
  const ranks: Record<string, number> = {};
  for (const h of held) {
    const truth = draws.data[draws.names.indexOf(h)];
    ranks[h] = sbcRank(parameterMatrix(f.draws, f.draws.names.indexOf(h)), f.draws.nDraws, f.draws.nChains, truth);
  }
  return { ranks, divergent: (f.summary.sampler?.divergences ?? 0) > 0, warned: f.summary.warnings.length > 0, secs: (performance.now() - t0) / 1000 };
}
