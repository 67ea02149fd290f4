/**
 * An ordinal response: its categories in order and each row's category 1..K, as R's ordered factor
 * (`factor(x, levels = ..., ordered = TRUE)`) that ordinal::clmm and brms's `cumulative()` take.
 *
 * - `levels` given (the CLI's `--levels a,b,c`): the categories in that order; every value (a text label,
 *   or a number as R prints it) must be one of them and every category must occur.
 * - otherwise a numeric column (or a factor with number-like levels) holds the integers 1..K (brms's
 *   integer ordinal response), each occurring; other number-like levels take their numeric order; a
 *   text factor needs `levels`, since
 *   alphabetical order ("high" < "low" < "medium") is rarely the scale's.
 * An empty category (no row in it) is an error naming it: its threshold would run to ±∞ (clm reports
 * the fit as not identifiable), never a silent wrong answer.
 */
import { GlmmInputError } from '../../base/errors.js';
import { formatNumber, type Column } from './frame.js';

/** Each row's category (1..K) and the category labels in order. */
export interface OrdinalValues {
  readonly y: Float64Array;
  readonly categories: readonly string[];
}

/** The label of row i of the column (a number as R prints it), or null when missing. */
function labelOf(col: Column, i: number): string | null {
  if (col.kind === 'numeric') return Number.isNaN(col.values[i]) ? null : formatNumber(col.values[i]);
  return col.codes[i] < 0 ? null : col.levels[col.codes[i]];
}

/** Throws unless every category has a row, naming the first empty one. */
function checkAllUsed(what: string, categories: readonly string[], y: Float64Array, remedy: string): void {
  const count = new Array<number>(categories.length).fill(0);
  for (const v of y) count[v - 1]++;
  const empty = categories.filter((_, k) => count[k] === 0);
  if (empty.length > 0) {
    const list = empty.map((c) => `'${c}'`).join(', ');
    throw new GlmmInputError(`${what}: categor${empty.length === 1 ? 'y' : 'ies'} ${list} of ${categories.join(' < ')} ${empty.length === 1 ? 'has' : 'have'} no rows (its threshold is not identifiable); ${remedy}`);
  }
}

/** Categories in the order `levels` gives. */
function fromLevels(what: string, col: Column, levels: readonly string[], rows: Int32Array): OrdinalValues {
  const dup = levels.find((l, k) => levels.indexOf(l) !== k);
  if (dup !== undefined) throw new GlmmInputError(`--levels ${levels.join(',')}: '${dup}' is listed twice; give each category once, lowest first`);
  if (levels.length < 2) throw new GlmmInputError(`--levels ${levels.join(',')}: an ordinal response needs at least 2 categories, lowest first`);
  const index = new Map(levels.map((l, k) => [l, k + 1]));
  const n = col.kind === 'numeric' ? col.values.length : col.codes.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const label = labelOf(col, i) as string;
    const k = index.get(label);
    if (k === undefined) throw new GlmmInputError(`${what}: row ${rows[i] + 1} has '${label}', which is not in --levels ${levels.join(',')}; add it in its place in the order`);
    y[i] = k;
  }
  checkAllUsed(what, levels, y, `drop it from --levels, or merge it with a neighbouring category in the data`);
  return { y, categories: levels };
}

/** Categories 1..K of an integer column. */
function fromIntegers(what: string, values: Float64Array, rows: Int32Array): OrdinalValues {
  const bad = values.findIndex((v) => !(Number.isInteger(v) && v >= 1));
  if (bad >= 0) {
    throw new GlmmInputError(`${what} must hold the categories as integers 1..K (or give their order with --levels); row ${rows[bad] + 1} has ${formatNumber(values[bad])}`);
  }
  const K = values.reduce((m, v) => Math.max(m, v), 0);
  const categories = Array.from({ length: K }, (_, k) => String(k + 1));
  const y = Float64Array.from(values);
  checkAllUsed(what, categories, y, `recode the categories as 1..K without gaps, or list the observed ones with --levels`);
  return { y, categories };
}

/**
 * The ordinal response of column `col` (rows already subset to those used; `rows` maps them to data
 * rows for the messages). `what` names it in errors ("cumulative response 'rating'").
 */
export function ordinalResponse(what: string, col: Column, rows: Int32Array, levels?: readonly string[]): OrdinalValues {
  let out: OrdinalValues;
  if (levels && levels.length > 0) out = fromLevels(what, col, levels, rows);
  else if (col.kind === 'numeric') out = fromIntegers(what, col.values, rows);
  else if (col.levels.every((l) => Number.isFinite(Number(l)))) {
    // number-like labels (a numeric column read with --factor): integers as 1..K, others in numeric order
    const values = Float64Array.from(col.codes, (c) => Number(col.levels[c]));
    out = values.every((v) => Number.isInteger(v) && v >= 1) ? fromIntegers(what, values, rows) : fromLevels(what, col, col.levels, rows);
  } else {
    const shown = col.levels.slice(0, 6).join(', ');
    throw new GlmmInputError(`${what} has text categories (${shown}${col.levels.length > 6 ? ', ...' : ''}); give their order with --levels, lowest first (library: levels: [...])`);
  }
  if (out.categories.length < 2) throw new GlmmInputError(`${what} has only one category ('${out.categories[0]}') in the rows used; an ordinal response needs at least 2`);
  return out;
}
