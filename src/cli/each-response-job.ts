/**
 * One fit of `glmm fit --each-response y1,y2,...` as a job of a many-fit run (src/pool): the formula's
 * left side replaced by response `index`'s column, seed jobSeed(run seed, index), and the fit's
 * summary.json (every number in it a function of the input, except sampler.seconds, the wall time).
 */
import { GlmmInputError } from '../../base/errors.js';
import type { DataFrame } from '../data/frame.js';
import { fit, type FitOptions } from '../fit.js';
import { jobSeed } from '../pool/seed.js';
import type { SummaryJson } from '../report/schema.js';

/** What every response's fit shares: the model options with the data as a typed frame. */
export interface EachResponseShared {
  readonly opts: FitOptions & { readonly data: DataFrame };
}

/** `formula` with its left side replaced by `response`. */
export function withResponse(formula: string, response: string): string {
  const at = formula.indexOf('~');
  if (at < 0) throw new GlmmInputError(`--each-response needs a formula with a left side (y ~ …); got '${formula}'`);
  return `${response} ~ ${formula.slice(at + 1).trim()}`;
}

/** Fits response `response` (job `index`). */
export async function runJob(s: EachResponseShared, response: string, index: number): Promise<SummaryJson> {
  if (!s.opts.data.columns.has(response)) throw new GlmmInputError(`--each-response: no column '${response}' in the data; the columns are ${[...s.opts.data.columns.keys()].join(', ')}`);
  return (await fit({ ...s.opts, formula: withResponse(s.opts.formula, response), seed: jobSeed(s.opts.seed ?? 1, index) })).summary;
}
