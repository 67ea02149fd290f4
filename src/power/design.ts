/**
 * The design a power simulation runs on (Stroup's exemplary data, *SAS for Mixed Models* 2nd ed. ch. 12;
 * simr's `extend`): either a data set whose response is ignored, or factors with level counts crossed
 * in full (`block=8,trt=4`: 32 rows, levels 1..n, `reps` rows per cell). Along a design size
 * (`--along block=4,6,8,12`), a factor design gets that many levels; a data set keeps its first n levels
 * of the factor or, past its own count, adds new levels whose rows copy those of level ((j − 1) mod G) + 1,
 * as simr's `extend(fit, along = "block", n = 12)` does.
 */
import { GlmmInputError } from '../../base/errors.js';
import { subsetColumn, type Column, type DataFrame, type FactorColumn } from '../data/frame.js';

/** Factors with level counts, crossed in full. */
export interface FactorDesign {
  readonly levels: Readonly<Record<string, number>>;
  /** Rows per cell (default 1). */
  readonly reps?: number;
}

/** The design of a power run: a typed data frame (response ignored) or a factor crossing. */
export type PowerDesign = DataFrame | FactorDesign;

export function isFactorDesign(d: PowerDesign): d is FactorDesign {
  return (d as FactorDesign).levels !== undefined && (d as DataFrame).columns === undefined;
}

/**
 * A response the design accepts before the simulation replaces it: the first of hashed 0/1, hashed
 * counts 1..5 and hashed fractions 1/7..5/7 (Knuth's multiplicative hash of the row number) that the
 * family's response rule `accepts` — neither constant nor a function of the design's factors, which a
 * gaussian design refuses.
 */
function placeholder(n: number, accepts: (v: number) => boolean): Float64Array {
  const h = (i: number) => Math.imul(i + 1, 2654435761) >>> 16;
  const candidates = [(i: number) => h(i) & 1, (i: number) => 1 + (h(i) % 5), (i: number) => (1 + (h(i) % 5)) / 7];
  const pick = candidates.find((c) => [0, 1, 2, 3, 4, 5, 6].every((i) => accepts(c(i)))) ?? candidates[1];
  return Float64Array.from({ length: n }, (_, i) => pick(i));
}

/** The factor crossing as a frame (first factor slowest), with a placeholder response column. */
function crossFrame(d: FactorDesign, response: string, accepts: (v: number) => boolean): DataFrame {
  const names = Object.keys(d.levels);
  const counts = names.map((n) => d.levels[n]);
  for (const [i, n] of counts.entries()) if (!(Number.isInteger(n) && n >= 1)) throw new GlmmInputError(`design factor ${names[i]}=${n}: expected a positive integer number of levels`);
  const reps = d.reps ?? 1;
  const nrow = counts.reduce((a, b) => a * b, 1) * reps;
  const columns = new Map<string, Column>();
  let stride = nrow;
  for (const [j, name] of names.entries()) {
    stride /= counts[j];
    const codes = Int32Array.from({ length: nrow }, (_, r) => Math.floor(r / stride) % counts[j]);
    columns.set(name, { kind: 'factor', name, levels: Array.from({ length: counts[j] }, (_, l) => String(l + 1)), codes });
  }
  columns.set(response, { kind: 'numeric', name: response, values: placeholder(nrow, accepts) });
  return { nrow, columns };
}

/** The frame with `factor` at `n` levels (first n, or copies of existing levels' rows under new labels). */
function alongData(frame: DataFrame, factor: string, n: number): DataFrame {
  const col = frame.columns.get(factor);
  if (!col || col.kind !== 'factor') throw new GlmmInputError(`--along ${factor}: no factor column '${factor}' in the design; name a grouping or treatment factor (give numeric codes with --factor)`);
  const G = col.levels.length;
  const rows: number[] = [];
  const newCode: number[] = [];
  for (let j = 0; j < n; j++) {
    const src = j % G;
    for (let i = 0; i < frame.nrow; i++) if (col.codes[i] === src) { rows.push(i); newCode.push(j); }
  }
  const idx = Int32Array.from(rows);
  const columns = new Map<string, Column>();
  for (const [name, c] of frame.columns) columns.set(name, subsetColumn(c, idx));
  const labels = Array.from({ length: n }, (_, j) => (j < G ? col.levels[j] : `${col.levels[j % G]}.${Math.floor(j / G) + 1}`));
  const f: FactorColumn = { kind: 'factor', name: factor, levels: labels, codes: Int32Array.from(newCode) };
  columns.set(factor, f);
  return { nrow: idx.length, columns };
}

/**
 * The frame of design `d` at size `n` of factor `along` (undefined: as given), with column `response`
 * present (a placeholder the family's response rule `accepts`).
 */
export function powerFrame(d: PowerDesign, response: string, accepts: (v: number) => boolean, along?: { factor: string; n: number }): DataFrame {
  if (isFactorDesign(d)) {
    if (along && d.levels[along.factor] === undefined) throw new GlmmInputError(`--along ${along.factor}: not a factor of the design (${Object.keys(d.levels).join(', ')})`);
    return crossFrame(along ? { ...d, levels: { ...d.levels, [along.factor]: along.n } } : d, response, accepts);
  }
  let frame = along ? alongData(d, along.factor, along.n) : d;
  if (!frame.columns.has(response)) {
    const columns = new Map(frame.columns);
    columns.set(response, { kind: 'numeric', name: response, values: placeholder(frame.nrow, accepts) });
    frame = { nrow: frame.nrow, columns };
  }
  return frame;
}

/** The frame with column `name` replaced by numeric `values`. */
export function withColumn(frame: DataFrame, name: string, values: Float64Array): DataFrame {
  const columns = new Map(frame.columns);
  columns.set(name, { kind: 'numeric', name, values });
  return { nrow: frame.nrow, columns };
}
