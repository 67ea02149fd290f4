/**
 * A typed data frame: numeric columns as Float64Array (NaN = missing) and factors as integer codes
 * into a level table (-1 = missing), as R's data.frame holds them after read.csv + factor().
 */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface FactorColumn {
  readonly kind: 'factor';
  readonly name: string;
  /**
   * Set when the column would be numeric but for a few cells that are not numbers (e.g. a `.` for a
   * missing Day): how many such cells, and the first (1-based data row, its text). The design warns
   * by name when a model uses such a column (a stray `.` silently making Days an 11-level factor).
   */
  readonly strayText?: { readonly count: number; readonly row: number; readonly text: string };
  /** Level labels in R's order: numeric-looking levels sort numerically, others as R's sort(). */
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

export type Column = NumericColumn | FactorColumn;

export interface DataFrame {
  readonly nrow: number;
  /** Columns by name, in file order. */
  readonly columns: ReadonlyMap<string, Column>;
  /** What the reader decided for the user, one line each (e.g. the separator it detected). */
  readonly notes?: readonly string[];
}

/**
 * A number as R's as.character()/deparse() print it: up to 15 significant digits, fixed notation
 * unless scientific is narrower (R's default scipen = 0), exponent with at least two digits
 * (`1e+05`, `1e-04`, `0.333333333333333`, `123456`). Used for factor levels made from numbers and
 * for numbers in formula labels.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e5) return String(x); // fixed is never wider than scientific here (the common case: integer level codes)
  const target = Number(x.toPrecision(15));
  let digits = 1;
  while (digits < 15 && Number(x.toPrecision(digits)) !== target) digits++;
  const sci = target.toExponential(digits - 1);
  const ePos = sci.indexOf('e');
  const mantissa = sci.slice(0, ePos);
  const expSign = sci[ePos + 1];
  const expDigits = sci.slice(ePos + 2);
  const exponent = Number(expSign + expDigits);
  const sciText = `${mantissa}e${expSign}${expDigits.length < 2 ? '0' + expDigits : expDigits}`;
  if (Math.abs(exponent) >= 21) return sciText;
  const decimals = Math.max(0, digits - 1 - exponent);
  const fixedText = target.toFixed(decimals);
  return fixedText.length <= sciText.length ? fixedText : sciText;
}

const collator = new Intl.Collator('en');

/**
 * Order of non-numeric factor levels: Unicode collation (Intl.Collator, CLDR root order), which is
 * what R's sort()/factor() give in a UTF-8 locale on an ICU build of R (Debian R 4.2.2 checked:
 * "_x" < "10" < "9" < "a" < "A" < "b" < "B" < "DES-L" < "DF" < "EC-A"); ties broken by code units.
 */
export function compareLevels(a: string, b: string): number {
  const c = collator.compare(a, b);
  if (c !== 0) return c;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A factor column from per-row labels (null = missing): levels sorted as R's factor() does —
 * numerically when every label is a number (as R's factor() of a numeric column), otherwise by
 * compareLevels. Numeric labels are rewritten as R prints the number ("1.50" → "1.5").
 */
export function factorFromLabels(name: string, labels: readonly (string | null)[]): FactorColumn {
  const present = labels.filter((s): s is string => s !== null);
  const allNumeric = present.length > 0 && present.every((s) => parseNumber(s) !== null);
  let canon: (string | null)[];
  let levels: string[];
  if (allNumeric) {
    const nums = labels.map((s) => (s === null ? null : (parseNumber(s) as number)));
    const unique = [...new Set(nums.filter((v): v is number => v !== null))].sort((a, b) => a - b);
    levels = unique.map(formatNumber);
    canon = nums.map((v) => (v === null ? null : formatNumber(v)));
  } else {
    canon = [...labels];
    levels = [...new Set(present)].sort(compareLevels);
  }
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = canon[i] === null ? -1 : (index.get(canon[i] as string) as number);
  return { kind: 'factor', name, levels, codes };
}

/** A numeric column as a factor (R's factor(x)): levels are the sorted distinct values as R prints them. */
export function numericToFactor(col: NumericColumn): FactorColumn {
  // Distinct printed labels, in numeric order (two numbers printing alike share a level, as in R).
  const unique = [...new Set(col.values)].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const levels: string[] = [];
  const codeOf = new Map<number, number>();
  for (const v of unique) {
    const label = formatNumber(v);
    if (levels.length === 0 || levels[levels.length - 1] !== label) levels.push(label);
    codeOf.set(v, levels.length - 1);
  }
  const codes = new Int32Array(col.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = col.values[i];
    codes[i] = Number.isNaN(v) ? -1 : (codeOf.get(v) as number);
  }
  return { kind: 'factor', name: col.name, levels, codes };
}

/**
 * Parses one cell as a number the way R's type.convert does for decimal text: optional sign,
 * digits with an optional fraction, optional exponent; also `Inf`, `-Inf`. Returns null when the
 * text is not a number (Number() is not used: it accepts "", " ", "0x10").
 */
export function parseNumber(text: string): number | null {
  const s = text.trim();
  let i = 0;
  if (s[i] === '+' || s[i] === '-') i++;
  const body = s.slice(i);
  if (body === 'Inf' || body === 'inf' || body === 'Infinity') return s[0] === '-' ? -Infinity : Infinity;
  let digits = 0;
  while (i < s.length && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
  if (s[i] === '.') {
    i++;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
  }
  if (digits === 0) return null;
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    let expDigits = 0;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') { i++; expDigits++; }
    if (expDigits === 0) return null;
  }
  if (i !== s.length) return null;
  return Number(s);
}

/** Whether a cell is missing: empty, `NA` or `NaN` (R's read.csv na.strings = "NA", plus NaN and empty). */
export function isMissingCell(text: string): boolean {
  const s = text.trim();
  return s === '' || s === 'NA' || s === 'NaN';
}

/** Column names in order. */
export function columnNames(df: DataFrame): string[] {
  return [...df.columns.keys()];
}

/** Keeps the given rows (indices into df), dropping factor levels that no longer occur (R's droplevels). */
export function subsetColumn(col: Column, rows: Int32Array): Column {
  if (col.kind === 'numeric') {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = col.values[rows[i]];
    return { kind: 'numeric', name: col.name, values };
  }
  const used = new Uint8Array(col.levels.length);
  for (let i = 0; i < rows.length; i++) if (col.codes[rows[i]] >= 0) used[col.codes[rows[i]]] = 1;
  const remap = new Int32Array(col.levels.length).fill(-1);
  const levels: string[] = [];
  for (let l = 0; l < col.levels.length; l++) if (used[l]) { remap[l] = levels.length; levels.push(col.levels[l]); }
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) { const c = col.codes[rows[i]]; codes[i] = c < 0 ? -1 : remap[c]; }
  // a stray text stays named while its level is still used (validation and evaluation report it)
  const stray = col.strayText && levels.includes(col.strayText.text) ? { strayText: col.strayText } : {};
  return { kind: 'factor', name: col.name, levels, codes, ...stray };
}
