/**
 * Validation of the data a model uses, at the public boundary: each check throws one GlmmInputError
 * whose one-line message names the column (or term) and the first bad row. Row numbers are 1-based
 * data rows as in the file: row 1 is the first row after the CSV header (the first element for
 * frameFromRows). `rows` maps each kept row to its 0-based data row.
 *
 * Response rules per family (R's family()$validmu / initialize checks, stated as what to do) are the
 * family's `response` (models/families/): e.g. counts non-negative integers; with trials
 * `cbind(successes, failures)` with non-negative integer parts (successes between 0 and the trials),
 * or, as glmer accepts, a 0/1 or two-level factor response (one trial per row) or a proportion with
 * prior weights = trials (`weights=`: successes = proportion × weight must be whole); one trial: 0/1 or
 * a two-level factor (second level = success, as R's glm); gamma: positive; gaussian: finite.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { FamilyName } from '../../models/families/types.js';
import { FAMILY_NAMES, getFamily } from '../../models/families/getFamily.js';
import { nonNegativeInteger } from '../../models/families/rules.js';
import { columnNames, formatNumber, type DataFrame, type FactorColumn } from './frame.js';

/** A numeric column's stray non-number cells (read.ts), as the text of a message. */
type Stray = NonNullable<FactorColumn['strayText']>;

/** Where the stray cells are: "row 5 has '.'" or "3 cells are not numbers (row 5: '.')". */
export function strayCells(s: Stray): string {
  return s.count === 1 ? `row ${s.row} has '${s.text}'` : `${s.count} cells are not numbers (row ${s.row}: '${s.text}')`;
}

/** What to do about a stray text: mark it missing. */
export function strayRemedy(s: Stray): string {
  return `if '${s.text}' marks a missing value, add --na '${s.text}' (library: na: ['${s.text}'])`;
}

const rowOf = (rows: Int32Array, i: number): number => rows[i] + 1;

/** Throws unless every named column exists: `unknown column 'trtt' in formula term 'trtt'; columns are: ...`. */
export function checkColumnsExist(df: DataFrame, uses: readonly { readonly column: string; readonly term: string }[]): void {
  for (const u of uses) {
    if (!df.columns.has(u.column)) {
      throw new GlmmInputError(`unknown column '${u.column}' in formula term '${u.term}'; columns are: ${columnNames(df).join(', ')}`);
    }
  }
}

/** Throws when a value is NaN or ±Inf, naming the first such data row. */
export function checkFinite(values: Float64Array, rows: Int32Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new GlmmInputError(`${what} is ${formatNumber(values[i])} at row ${rowOf(rows, i)}; every value must be finite (check the data or the transformation)`);
    }
  }
}

/** Throws when no row is left after dropping rows with missing values. */
export function checkNotEmpty(nrowData: number, dropped: number, used: readonly string[]): void {
  if (nrowData === 0) throw new GlmmInputError('the data set has no rows; supply a CSV with a header and at least one data row');
  if (nrowData === dropped) {
    throw new GlmmInputError(`no rows left: all ${dropped} rows have a missing value (empty, NA or NaN) in one of the columns ${used.join(', ')}`);
  }
}

/** Throws for a factor with a single level where it needs two (a grouping factor or a factor predictor). */
export function checkLevels(what: string, levels: readonly string[], need: string): void {
  if (levels.length < 2) {
    throw new GlmmInputError(`${what} has only ${levels.length} level${levels.length === 1 ? ` ('${levels[0]}')` : 's'} in the rows used; ${need}`);
  }
}

/** The response values handed to validateResponse. */
export interface ResponseValues {
  /** As written: "count", "cbind(x, n - x)". */
  readonly label: string;
  /** Successes for cbind, the value otherwise (codes 0/1 for a factor). */
  readonly y: Float64Array;
  /** Present for a cbind response: the failures and their label ("n - x"), the successes' label ("x"). */
  readonly cbind?: { readonly successes: string; readonly failures: string; readonly f: Float64Array };
  /** Present when the response is a factor column. */
  readonly factorLevels?: readonly string[];
  /** Present when that factor is a numeric column but for a few non-number cells (read.ts). */
  readonly strayText?: Stray;
  /** Present with prior weights (glmer's `weights=`, binomial only): the weights column and its values. */
  readonly weights?: { readonly column: string; readonly w: Float64Array };
}

function firstBad(y: Float64Array, ok: (v: number, i: number) => boolean): number {
  for (let i = 0; i < y.length; i++) if (!ok(y[i], i)) return i;
  return -1;
}

/** Indices of every value that fails `ok`. */
function allBad(y: Float64Array, ok: (v: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < y.length; i++) if (!ok(y[i])) out.push(i);
  return out;
}

/** Binomial prior weights: a proportion response in [0, 1] times non-negative weights giving whole successes. */
function validateWeighted(name: string, r: ResponseValues, rows: Int32Array): void {
  const { column, w } = r.weights!;
  if (r.cbind || r.factorLevels) {
    throw new GlmmInputError(`${name}: --weights ${column} goes with a proportion response (successes / trials); with cbind() or a factor response leave --weights out`);
  }
  const j = firstBad(w, (v) => Number.isFinite(v) && v >= 0);
  if (j >= 0) throw new GlmmInputError(`--weights '${column}' must be non-negative (the number of trials); row ${rowOf(rows, j)} has ${formatNumber(w[j])}`);
  const i = firstBad(r.y, (v) => v >= 0 && v <= 1);
  if (i >= 0) throw new GlmmInputError(`${name} with --weights ${column} must be a proportion in [0, 1]; row ${rowOf(rows, i)} has ${formatNumber(r.y[i])}`);
  const k = firstBad(r.y, (v, m) => Math.abs(v * w[m] - Math.round(v * w[m])) <= 1e-6 * Math.max(1, w[m]));
  if (k >= 0) {
    throw new GlmmInputError(`${name} × --weights ${column} must be a whole number of successes; row ${rowOf(rows, k)} has ${formatNumber(r.y[k])} × ${formatNumber(w[k])}`);
  }
}

/** The families whose response is successes out of trials, for the error texts ("binomial" or "binomial or betabinomial"). */
function trialFamilies(): string {
  return FAMILY_NAMES.filter((f) => getFamily(f).response.trials === 'counts').join(' or ');
}

/**
 * Checks the response for the family (its `response` rule, models/families/); throws one line naming
 * the response and the first bad row. A response with trials (binomial) is `cbind(successes, failures)`,
 * a 0/1 or two-level factor response (one trial per row), or a proportion with `weights` (trials); a
 * factor response needs exactly two levels.
 */
export function validateResponse(family: FamilyName, r: ResponseValues, rows: Int32Array): void {
  if (!FAMILY_NAMES.includes(family)) {
    throw new GlmmInputError(`unknown family '${String(family)}'; use ${FAMILY_NAMES.join(', ')}`);
  }
  const rule = getFamily(family).response;
  const name = `${family} response '${r.label}'`;
  if (r.cbind && rule.trials !== 'counts') {
    throw new GlmmInputError(`${name}: cbind(successes, failures) is only for --family ${trialFamilies()}; write the response as one column`);
  }
  if (r.strayText) {
    // a numeric response with a stray '.': never a factor (a 1/'.' column would fit '.' as failure)
    throw new GlmmInputError(`${name} is numeric but ${strayCells(r.strayText)}, which is not a number; ${strayRemedy(r.strayText)}`);
  }
  if (r.weights) {
    if (rule.trials !== 'counts') {
      throw new GlmmInputError(`--weights ${r.weights.column}: prior weights are supported for the ${trialFamilies()} family only (a proportion response with its trials); leave --weights out`);
    }
    validateWeighted(name, r, rows);
    return;
  }
  if (r.factorLevels) {
    if (rule.trials === null) {
      throw new GlmmInputError(`${name} is a factor (levels ${r.factorLevels.slice(0, 5).join(', ')}${r.factorLevels.length > 5 ? ', ...' : ''}); it must be numeric for the ${family} family`);
    }
    if (r.factorLevels.length !== 2) {
      throw new GlmmInputError(`${name} is a factor with ${r.factorLevels.length} levels (${r.factorLevels.slice(0, 5).join(', ')}); it needs exactly 2 (the second counts as success) or 0/1 values`);
    }
    return;
  }
  if (r.cbind) {
    const { successes, failures, f } = r.cbind;
    const i = firstBad(r.y, nonNegativeInteger);
    if (i >= 0) throw new GlmmInputError(`${name}: successes '${successes}' must be a non-negative integer; row ${rowOf(rows, i)} has ${formatNumber(r.y[i])}`);
    const j = firstBad(f, nonNegativeInteger);
    if (j >= 0) {
      throw new GlmmInputError(`${name}: failures '${failures}' must be a non-negative integer (successes between 0 and the trials); row ${rowOf(rows, j)} has ${formatNumber(f[j])}`);
    }
    return;
  }
  const bad = rule.namesAllRows ? allBad(r.y, rule.check) : [firstBad(r.y, rule.check)].filter((i) => i >= 0);
  if (bad.length === 1) throw new GlmmInputError(`${name} ${rule.rule}; row ${rowOf(rows, bad[0])} has ${formatNumber(r.y[bad[0]])}`);
  if (bad.length > 1) {
    const shown = bad.slice(0, 10);
    const more = bad.length > shown.length ? ` and ${bad.length - shown.length} more` : '';
    throw new GlmmInputError(`${name} ${rule.rule}; rows ${shown.map((i) => rowOf(rows, i)).join(', ')}${more} have ${shown.map((i) => formatNumber(r.y[i])).join(', ')}`);
  }
}
