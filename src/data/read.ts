/**
 * Reading data: CSV text (through csv-parse) or JavaScript rows/columns into a typed DataFrame,
 * with one typing rule everywhere (as R's read.csv + type.convert, then factor()):
 *
 * - A cell is missing when it is empty, `NA` or `NaN` (after trimming white space; R's read.csv
 *   keeps "" as a level in a character column — here an empty cell is always missing), or when a
 *   JavaScript value is null, undefined or NaN.
 * - A column whose every non-missing cell is a number (decimal text as R reads it, `Inf`, `-Inf`, or a
 *   JS number) is numeric; any other column is a factor (text, `TRUE`/`FALSE`, booleans).
 * - A column named in `factors` (the CLI's `--factor a,b`) is a factor even when numeric.
 * - Factor levels: numbers sort numerically and print as R prints them ("1.50" → "1.5"), as R's
 *   factor() of a numeric column; text sorts by Unicode collation as R's sort() in a UTF-8 locale
 *   (src/data/frame.ts compareLevels).
 *
 * - Extra missing-value markers (`na`, the CLI's `--na .`) are missing too. A column that is numeric but for
 *   a few non-numbers (at most 3 distinct texts in at most 3 cells or 5% of the cells) becomes a factor marked
 *   `strayText`, so that the design can say so by name.
 * - The separator is `sep` when given, else a comma; a header with no comma but tabs or semicolons is
 *   read with that separator, and a note in `frame.notes` says so.
 *
 * Row numbers in error messages are 1-based data rows: row 1 is the first row after the header.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { GlmmInputError, fsErrorWords } from '../../base/errors.js';
import { factorFromLabels, isMissingCell, parseNumber, type Column, type DataFrame } from './frame.js';

/** Options of the readers. */
export interface ReadOptions {
  /** Columns to read as factors even when every value is a number. */
  readonly factors?: readonly string[];
  /** Cell texts that mean "missing" besides empty, NA and NaN (R read.csv's na.strings), e.g. ['.']. */
  readonly na?: readonly string[];
  /** Field separator (one character: ',', ';', '\t'); default: detected from the header, comma if it has one. */
  readonly sep?: string;
}

/**
 * A "stray" text in a numeric column: at most this many distinct non-numbers, in at most max(this many
 * cells, this share of the cells), with numbers the majority.
 */
const STRAY_MAX_DISTINCT = 3;
const STRAY_MAX_CELLS = 3;
const STRAY_MAX_SHARE = 0.05;

/** Builds one column from its cells (strings as in a CSV; numbers, booleans, null as from JSON). */
function buildColumn(name: string, cells: readonly unknown[], asFactor: boolean, na: ReadonlySet<string>): Column {
  const n = cells.length;
  const labels: (string | null)[] = new Array(n);
  const values = new Float64Array(n);
  let numeric = true;
  let numbers = 0;
  const stray: { row: number; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    if (c === null || c === undefined || (typeof c === 'number' && Number.isNaN(c))) {
      labels[i] = null;
      values[i] = NaN;
    } else if (typeof c === 'number') {
      labels[i] = String(c);
      values[i] = c;
    } else if (typeof c === 'string') {
      if (isMissingCell(c) || na.has(c.trim())) {
        labels[i] = null;
        values[i] = NaN;
      } else {
        labels[i] = c.trim();
        const v = parseNumber(c);
        if (v === null) {
          numeric = false;
          stray.push({ row: i + 1, text: c.trim() });
        } else {
          values[i] = v;
          numbers++;
        }
      }
    } else if (typeof c === 'boolean') {
      labels[i] = c ? 'TRUE' : 'FALSE';
      numeric = false;
    } else {
      throw new GlmmInputError(`column '${name}' row ${i + 1}: unsupported value of type ${typeof c}; use numbers or text`);
    }
  }
  if (numeric && !asFactor) return { kind: 'numeric', name, values };
  const factor = factorFromLabels(name, labels);
  const distinct = new Set(stray.map((s) => s.text)).size;
  const few = stray.length <= Math.max(STRAY_MAX_CELLS, STRAY_MAX_SHARE * (numbers + stray.length));
  if (!asFactor && numbers > stray.length && distinct <= STRAY_MAX_DISTINCT && few) {
    return { ...factor, strayText: { count: stray.length, ...stray[0] } };
  }
  return factor;
}

function checkFactorNames(names: readonly string[], factors: readonly string[] | undefined): Set<string> {
  const set = new Set(factors ?? []);
  for (const f of set) {
    if (!names.includes(f)) {
      throw new GlmmInputError(`unknown column '${f}' in factors (--factor); columns are: ${names.join(', ')}`);
    }
  }
  return set;
}

function frameFromColumns(names: readonly string[], cells: readonly (readonly unknown[])[], nrow: number, opts?: ReadOptions): DataFrame {
  const factors = checkFactorNames(names, opts?.factors);
  const na = new Set((opts?.na ?? []).map((s) => s.trim()));
  const columns = new Map<string, Column>();
  names.forEach((name, j) => columns.set(name, buildColumn(name, cells[j], factors.has(name), na)));
  return { nrow, columns };
}

const SEP_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** The separator: `sep` if given; else comma, unless the header line has no comma but has tabs or semicolons. */
function chooseSeparator(text: string, sep: string | undefined): { sep: string; note?: string } {
  if (sep !== undefined) {
    if (sep.length !== 1) throw new GlmmInputError(`separator '${sep}': use one character, e.g. --sep ';' or --sep tab`);
    return { sep };
  }
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (header.includes(',')) return { sep: ',' };
  for (const s of ['\t', ';']) {
    if (header.includes(s)) return { sep: s, note: `The data file is read as ${SEP_NAMES[s]}-separated (its header has ${SEP_NAMES[s]}s and no commas); --sep chooses.` };
  }
  return { sep: ',' };
}

/**
 * Line endings made uniform (a file edited on two systems mixes CRLF and LF, which csv-parse reads as
 * one over-long record), and a NUL byte refused with its line (a binary or UTF-16 file, not CSV text).
 */
function normalizeText(text: string): string {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split(/\r\n|\r|\n/).length;
    throw new GlmmInputError(`CSV: line ${line} contains a NUL byte: this looks like a binary or UTF-16 file; save the data as UTF-8 CSV text`);
  }
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Reads CSV text with a header row (comma separated unless `opts.sep` or the header says otherwise, RFC
 * 4180 quoting, BOM and blank lines ignored, CRLF/LF/CR line endings in any mix; a NUL byte is an error). Throws GlmmInputError for a malformed file, an empty or duplicate column name, or an
 * unknown name in `opts.factors`.
 */
export function readCsv(text: string, opts?: ReadOptions): DataFrame {
  let records: string[][];
  const clean = normalizeText(text);
  const { sep, note } = chooseSeparator(clean, opts?.sep);
  try {
    records = parse(clean, { bom: true, skip_empty_lines: true, relax_quotes: false, delimiter: sep });
  } catch (err) {
    throw new GlmmInputError(`CSV: ${(err as Error).message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new GlmmInputError('CSV: the file is empty; it needs a header row and data rows');
  const header = records[0].map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') throw new GlmmInputError(`CSV: column ${j + 1} of the header has no name; name every column`);
    if (seen.has(h)) throw new GlmmInputError(`CSV: column name '${h}' appears twice in the header; rename one`);
    seen.add(h);
  });
  const rows = records.slice(1);
  const cells = header.map((_, j) => rows.map((r) => r[j]));
  const frame = frameFromColumns(header, cells, rows.length, opts);
  return note ? { ...frame, notes: [note] } : frame;
}

/** Reads a CSV file from disk (Node only); see readCsv. */
export function readCsvFile(path: string, opts?: ReadOptions): DataFrame {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GlmmInputError(`cannot read data file '${path}': ${fsErrorWords(err)}; check the path (--data)`);
  }
  return readCsv(text, opts);
}

/**
 * A DataFrame from JavaScript data: an array of row objects (`[{count: 3, trt: 'a'}, ...]`; the
 * columns are the keys in first-seen order, a missing key is a missing value) or an object of equal
 * length columns (`{count: [3, 5], trt: ['a', 'b']}`, typed arrays allowed). Strings are typed by the
 * CSV rule (so "12" is a number).
 */
export function frameFromRows(rows: readonly Record<string, unknown>[] | Readonly<Record<string, ArrayLike<unknown>>>, opts?: ReadOptions): DataFrame {
  if (Array.isArray(rows)) {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      if (r === null || typeof r !== 'object') throw new GlmmInputError('frameFromRows: every row must be an object of column values');
      for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
    }
    const cells = names.map((name) => rows.map((r) => (r as Record<string, unknown>)[name]));
    return frameFromColumns(names, cells, rows.length, opts);
  }
  const obj = rows as Readonly<Record<string, ArrayLike<unknown>>>;
  const names = Object.keys(obj);
  let nrow = -1;
  const cells = names.map((name) => {
    const col = obj[name];
    if (col === null || typeof col !== 'object' || typeof col.length !== 'number') {
      throw new GlmmInputError(`frameFromRows: column '${name}' must be an array`);
    }
    if (nrow >= 0 && col.length !== nrow) {
      throw new GlmmInputError(`frameFromRows: column '${name}' has ${col.length} values but '${names[0]}' has ${nrow}; columns must have equal length`);
    }
    nrow = col.length;
    return Array.from(col);
  });
  return frameFromColumns(names, cells, Math.max(nrow, 0), opts);
}
