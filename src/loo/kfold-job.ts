/**
 * One K-fold refit as a job of a many-fit run (src/pool): fold k's rows left out, the model refitted
 * to the rest with seed (run seed + k), and the held-out rows' log predictive densities
 * elpd_i = log mean_s p(y_i | θ_s^(−k)), the effects of left-out levels drawn from N(0, Σ) per draw
 * from the fold's own stream `kfold<seed>/<k>` (so a fold's answer does not depend on the others).
 */
import seedrandom from 'seedrandom';
import { subsetColumn, type Column, type DataFrame } from '../data/frame.js';
import { GlmmInputError } from '../../base/errors.js';
import { fit, type FitOptions, type GlmmFit } from '../fit.js';
import { newdataRows } from '../inference/newdata.js';
import type { Draws } from '../../diagnostics/draws.js';
import { logSumExp } from './gpd.js';
import { pointwiseLogLik } from './loglik.js';

/** What every fold shares: the model options (data as a typed frame), the folds and the frame row of each observation. */
export interface KfoldShared {
  readonly opts: FitOptions & { readonly data: DataFrame };
  readonly folds: Int32Array;
  readonly frameRows: Int32Array;
  readonly seed: number;
}

/** A fold's answer: elpd of its held-out observations, in observation order. */
export interface KfoldJobResult {
  readonly elpd: number[];
}

/** log mean_s exp(ll[s, i]) per column. */
export function logMeanExp(ll: Draws): Float64Array {
  const N = ll.names.length, S = ll.nChains * ll.nDraws;
  const col = new Float64Array(S);
  return Float64Array.from({ length: N }, (_, i) => {
    for (let s = 0; s < S; s++) col[s] = ll.data[s * N + i];
    return logSumExp(col) - Math.log(S);
  });
}

/** Observations of fold k (1-based). */
export function heldOut(folds: Int32Array, k: number): number[] {
  return [...folds.keys()].filter((i) => folds[i] === k);
}

function subsetFrame(frame: DataFrame, rows: Int32Array): DataFrame {
  const columns = new Map<string, Column>();
  for (const [name, col] of frame.columns) columns.set(name, subsetColumn(col, rows));
  return { nrow: rows.length, columns };
}

/** The held-out rows on refit k's design; a fixed-effect level seen only in the held-out rows is a clear error. */
function heldOutRows(fk: GlmmFit, test: DataFrame, factors: readonly string[] | undefined, k: number) {
  try {
    return newdataRows(fk.design, fk.frame, test, { factors });
  } catch (e) {
    if (e instanceof GlmmInputError) throw new GlmmInputError(`K-fold refit ${k} cannot predict its held-out rows (${e.message}); choose a --kfold-group whose folds leave every level of the fixed effects in the training rows`);
    throw e;
  }
}

/** Refit `job` = k (1-based). */
export async function runJob(s: KfoldShared, k: number): Promise<KfoldJobResult> {
  const { opts, folds, frameRows } = s;
  const held = heldOut(folds, k);
  const kept = [...folds.keys()].filter((i) => folds[i] !== k);
  const train = subsetFrame(opts.data, Int32Array.from(kept, (i) => frameRows[i]));
  const test = subsetFrame(opts.data, Int32Array.from(held, (i) => frameRows[i]));
  // the Laplace fit starts and centres the sampler; its profile intervals (a few refits per limit) only
  // go into the refit's summary, which a fold discards (the draws are the same without them)
  const fk = await fit({ ...opts, data: train, seed: (opts.seed ?? 1) + k, profile: false });
  const rows = heldOutRows(fk, test, opts.factors, k);
  const ll = pointwiseLogLik({ design: fk.design, family: fk.spec.family, link: fk.spec.link }, fk.draws, { rows, rng: seedrandom(`kfold${s.seed}/${k}`) });
  return { elpd: [...logMeanExp(ll)] };
}
