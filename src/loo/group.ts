/**
 * Leave-one-group-out by PSIS: the pointwise log-likelihood summed within each level of a grouping
 * (log p(y_g | θ) = Σ_{i∈g} log p(y_i | θ), conditionally independent rows given θ), then PSIS-LOO on
 * the S × G matrix (Vehtari, Gelman & Gabry 2017 §4 "leave-one-group-out"; Merkle, Furr &
 * Rabe-Hesketh 2019). With one random effect per group the Pareto k̂ are usually high: that is the
 * diagnostic saying to refit instead (K-fold by group, kfold.ts).
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { DataFrame } from '../data/frame.js';
import type { Design } from '../design/types.js';
import { GlmmInputError } from '../../base/errors.js';

/** The level of every fitted row (design order) and the level labels. */
export interface RowGroups {
  readonly name: string;
  readonly levels: readonly string[];
  /** 0-based level of each row of the design (length nobs). */
  readonly index: Int32Array;
}

/**
 * The grouping `g` of each fitted row: a random-effect grouping of the design (`block`, `block:trt`)
 * or a column of the data (read at the design's kept rows); levels in order of first appearance.
 */
export function rowGroups(design: Design, frame: DataFrame | null, g: string): RowGroups {
  const term = design.random.find((t) => t.group === g);
  if (term) return { name: g, levels: term.levels, index: term.index };
  const col = frame?.columns.get(g);
  if (!col) {
    const known = [...new Set(design.random.map((t) => t.group))];
    throw new GlmmInputError(`no grouping '${g}': it is neither a random-effect grouping of the model (${known.join(', ') || 'none'}) nor a column of the data; name one of them`);
  }
  const rows = design.rows ?? Int32Array.from({ length: design.nobs }, (_, i) => i);
  const labels = Array.from(rows, (r) => (col.kind === 'factor' ? (col.codes[r] < 0 ? null : col.levels[col.codes[r]]) : Number.isNaN(col.values[r]) ? null : String(col.values[r])));
  return groupsFromLabels(g, labels);
}

/** Levels in order of first appearance; a missing label (null) is a GlmmInputError naming the row. */
export function groupsFromLabels(name: string, labels: readonly (string | null)[]): RowGroups {
  const code = new Map<string, number>();
  const index = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    if (l === null) throw new GlmmInputError(`column '${name}' is missing in row ${i + 1}; every observation needs a group for leave-one-group-out`);
    let k = code.get(l);
    if (k === undefined) code.set(l, (k = code.size));
    index[i] = k;
  });
  return { name, levels: [...code.keys()], index };
}

/** S × G matrix of Σ_{i∈g} log_lik[s, i], columns named by level (`block=3`). */
export function sumByGroup(ll: Draws, groups: RowGroups): Draws {
  const N = ll.names.length;
  if (groups.index.length !== N) throw new GlmmInputError(`the grouping '${groups.name}' has ${groups.index.length} rows but the log-likelihood has ${N} observations; give one group label per observation`);
  const G = groups.levels.length;
  const S = ll.nChains * ll.nDraws;
  const data = new Float64Array(S * G);
  for (let s = 0; s < S; s++) for (let i = 0; i < N; i++) data[s * G + groups.index[i]] += ll.data[s * N + i];
  return { nChains: ll.nChains, nDraws: ll.nDraws, names: groups.levels.map((l) => `${groups.name}=${l}`), data };
}
