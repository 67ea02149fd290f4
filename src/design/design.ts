/**
 * buildDesign: formula + data + family → Design (src/design/types.ts), the analogue of lme4's
 * lFormula()/glFormula(): model frame with rows holding a missing value in a used column dropped
 * (R's na.omit), unused factor levels dropped (model.frame drop.unused.levels = TRUE), the response
 * checked for the family, X from model.matrix with aliased columns dropped, and the random-effect
 * terms of mkReTrms (in formula order).
 */
import { GlmmInputError } from '../../base/errors.js';
import { checkGaussianResponse, checkMagnitudes, checkOffsetNotResponse, degenerateWarnings, type DegenerateInput } from './degenerate.js';
import type { FamilyName } from '../../models/families/types.js';
import { getFamily } from '../../models/families/getFamily.js';
import { numericToFactor, subsetColumn, type Column, type DataFrame } from '../data/frame.js';
import { checkColumnsExist, checkFinite, checkNotEmpty, strayCells, strayRemedy, validateResponse, type ResponseValues } from '../data/validate.js';
import { deparse, parseFormula } from '../formula/parser.js';
import { formulaTerms, type FormulaTerms } from '../formula/terms.js';
import type { Design, Response } from './types.js';
import { evalNumeric, namesIn, type Columns } from './evaluate.js';
import { fixedMatrix, withoutIntercept } from './fixed.js';
import { ordinalResponse } from '../data/ordinal.js';
import { randomTerms, termLabel } from './random.js';
import { parseZeroFormula, zeroFormulaColumns, zeroFormulaMatrix } from './param-formula.js';

/** Options of buildDesign. */
export interface DesignOptions {
  /** Columns to treat as factors even when numeric (the CLI's `--factor a,b`). */
  readonly factors?: readonly string[];
  /** Prior weights column (lme4's `weights=`): binomial only, the trials of a proportion response. */
  readonly weights?: string;
  /** The categories of an ordinal response in order, lowest first (the CLI's `--levels a,b,c`). */
  readonly levels?: readonly string[];
  /** The zero part's one-sided formula (the CLI's --zi, glmmTMB's ziformula): param-formula.ts. */
  readonly zi?: string;
}

/** Every (column, term) pair the formula uses, for the unknown-column check and the missing-value rule. */
function columnUses(ft: FormulaTerms, weights: string | undefined): { column: string; term: string }[] {
  const uses: { column: string; term: string }[] = [];
  if (weights !== undefined) uses.push({ column: weights, term: `--weights ${weights}` });
  if (ft.response) for (const c of namesIn(ft.response)) uses.push({ column: c, term: ft.responseLabel });
  ft.fixed.variables.forEach((v, i) => {
    const term = ft.fixed.terms.find((t) => t.vars.includes(i))?.label ?? v.label;
    for (const c of namesIn(v.expr)) uses.push({ column: c, term });
  });
  for (const o of ft.offsets) for (const c of namesIn(o)) uses.push({ column: c, term: `offset(${deparse(o)})` });
  for (const r of ft.random) {
    for (const v of r.lhs.variables) for (const c of namesIn(v.expr)) uses.push({ column: c, term: r.text });
    for (const c of r.group) uses.push({ column: c, term: r.text });
  }
  return uses;
}

function isMissing(col: Column, i: number): boolean {
  return col.kind === 'numeric' ? Number.isNaN(col.values[i]) : col.codes[i] < 0;
}

/** The numeric values of the weights column (a factor column is an error naming it). */
function weightValues(cols: Columns, name: string): Float64Array {
  const c = cols.get(name) as Column;
  if (c.kind !== 'numeric') throw new GlmmInputError(`--weights ${name}: the column is not numeric (it has levels ${c.levels.slice(0, 3).join(', ')}); give a numeric column of trials`);
  return c.values;
}

/**
 * The response: `cbind(s, f)` (trials = s + f), a two-level factor or 0/1 (bernoulli, or binomial with
 * one trial per row as glmer), a proportion with binomial weights (successes = p·w, trials = w, as
 * glmer's `weights=`), or a numeric expression.
 */
function buildResponse(ft: FormulaTerms, family: FamilyName, cols: Columns, n: number, rows: Int32Array, opts?: DesignOptions): Response {
  const e = ft.response;
  if (!e) throw new GlmmInputError(`formula '${ft.text}' has no response; write it as response ~ predictors`);
  const label = ft.responseLabel;
  const weights = opts?.weights;
  if (getFamily(family).response.ordinal) return ordinalOf(ft, family, cols, rows, opts);
  if (opts?.levels) throw new GlmmInputError(`--levels orders the categories of an ordinal response; the ${family} family has none (use --family cumulative, or leave --levels out)`);
  let values: ResponseValues;
  if (e.type === 'call' && e.fn === 'cbind') {
    if (e.args.length !== 2) throw new GlmmInputError(`response '${label}': cbind() takes two arguments, successes and failures, as in cbind(x, n - x)`);
    const [sLabel, fLabel] = e.args.map(deparse);
    const s = evalNumeric(e.args[0], cols, n, label);
    const f = evalNumeric(e.args[1], cols, n, label);
    values = { label, y: s, cbind: { successes: sLabel, failures: fLabel, f } };
  } else if (e.type === 'name' && cols.get(e.name)?.kind === 'factor') {
    const c = cols.get(e.name) as Extract<Column, { kind: 'factor' }>;
    values = { label, y: Float64Array.from(c.codes), factorLevels: c.levels, strayText: c.strayText };
  } else {
    values = { label, y: evalNumeric(e, cols, n, label) };
  }
  if (weights !== undefined) values = { ...values, weights: { column: weights, w: weightValues(cols, weights) } };
  validateResponse(family, values, rows);
  const y = Float64Array.from(values.y);
  if (values.cbind) {
    const f = values.cbind.f;
    return { label, y, trials: y.map((s, i) => s + f[i]) };
  }
  if (values.weights) {
    const w = values.weights.w;
    return { label, y: y.map((v, i) => Math.round(v * w[i])), trials: Float64Array.from(w) };
  }
  if (getFamily(family).response.trials !== null) {
    const trials = new Float64Array(n).fill(1);
    if (values.factorLevels) return { label, y, trials, levels: [values.factorLevels[0], values.factorLevels[1]] };
    return { label, y, trials };
  }
  return { label, y, trials: null };
}

/** An ordinal response (src/data/ordinal.ts): one column, its categories 1..K in order. */
function ordinalOf(ft: FormulaTerms, family: FamilyName, cols: Columns, rows: Int32Array, opts?: DesignOptions): Response {
  const e = ft.response as NonNullable<FormulaTerms['response']>;
  const what = `${family} response '${ft.responseLabel}'`;
  if (e.type !== 'name') throw new GlmmInputError(`${what}: an ordinal response is one column of categories (an ordered factor or integers 1..K), not an expression`);
  if (opts?.weights !== undefined) throw new GlmmInputError(`--weights ${opts.weights}: prior weights are not supported for the ${family} family; leave --weights out`);
  const { y, categories } = ordinalResponse(what, cols.get(e.name) as Column, rows, opts?.levels);
  return { label: ft.responseLabel, y, trials: null, categories };
}

/**
 * A used column that is numeric but for a few non-number cells was read as a factor: say so by name
 * (a stray `.` in Days otherwise makes an 11-level factor without a word).
 */
function strayWarnings(columns: readonly Column[]): string[] {
  return columns.flatMap((c) => {
    if (c.kind !== 'factor' || !c.strayText) return [];
    const s = c.strayText;
    return [`column '${c.name}' is used as a factor with ${c.levels.length} levels because ${strayCells(s)}, which is not a number; ${strayRemedy(s)}`];
  });
}

/**
 * Builds the design of a GLMM from an lme4-style formula, a data frame and a family.
 * Throws GlmmInputError (one line naming the column, row or term) for a malformed formula, an
 * unknown column, a response the family cannot take, an empty data set, a one-level factor or
 * grouping factor, or a non-finite derived value. Rank-deficient X: aliased columns are dropped
 * (fixed.dropped) and a warning is added, as lme4 does.
 */
export function buildDesign(formula: string, data: DataFrame, family: FamilyName, opts?: DesignOptions): Design {
  const ft = formulaTerms(parseFormula(formula));
  const zf = parseZeroFormula(opts?.zi, getFamily(family));
  const uses = [...columnUses(ft, opts?.weights), ...zeroFormulaColumns(zf)];
  checkColumnsExist(data, uses);
  const forced = new Set(opts?.factors ?? []);
  checkColumnsExist(data, [...forced].map((c) => ({ column: c, term: `--factor ${c}` })));

  const used = [...new Set(uses.map((u) => u.column))];
  const source = used.map((name) => {
    const c = data.columns.get(name) as Column;
    return forced.has(name) && c.kind === 'numeric' ? numericToFactor(c) : c;
  });
  const keep: number[] = [];
  for (let i = 0; i < data.nrow; i++) if (!source.some((c) => isMissing(c, i))) keep.push(i);
  const rows = Int32Array.from(keep);
  const droppedRows = data.nrow - rows.length;
  checkNotEmpty(data.nrow, droppedRows, used);
  const n = rows.length;
  const cols: Columns = new Map(source.map((c) => [c.name, subsetColumn(c, rows)]));

  const response = buildResponse(ft, family, cols, n, rows, opts);
  const fxAll = fixedMatrix(ft.fixed, cols, n, rows);
  const interceptInParams = getFamily(family).interceptInParams === true;
  const fx = interceptInParams ? withoutIntercept(fxAll, `${family} response '${response.label}'`) : fxAll;
  const random = randomTerms(ft.random, cols, n, rows);
  const zm = zf ? zeroFormulaMatrix(zf, cols, n, rows) : null;

  let offset: Float64Array | null = null;
  for (const o of ft.offsets) {
    const v = evalNumeric(o, cols, n, `offset(${deparse(o)})`);
    checkFinite(v, rows, `offset(${deparse(o)})`);
    offset = offset ? offset.map((a, i) => a + v[i]) : Float64Array.from(v);
  }

  const groups: Record<string, number> = {};
  for (const t of [...random, ...(zm?.formula.random ?? [])]) if (!(t.group in groups)) groups[t.group] = t.levels.length;

  // data no model can learn from: refused or named now, before any fitting (degenerate.ts)
  checkOffsetNotResponse(ft.response ? namesIn(ft.response) : [], ft.offsets.map((o) => ({ label: deparse(o), columns: namesIn(o) })));
  const degenerate: DegenerateInput = {
    family, responseLabel: response.label, y: response.y, trials: response.trials, X: fx.X, p: fx.p,
    names: fx.columns.map((c) => `b_${termLabel(c)}`), offset, rows,
  };
  checkMagnitudes(degenerate);
  checkGaussianResponse(degenerate);
  const warnings: string[] = [...strayWarnings(source), ...degenerateWarnings(degenerate)];
  if (fx.dropped.length > 0) {
    warnings.push(`fixed-effect model matrix is rank deficient so dropping ${fx.dropped.length} column${fx.dropped.length > 1 ? 's' : ''}: ${fx.dropped.join(', ')}`);
  }
  if (zm && zm.dropped.length > 0) warnings.push(`the --zi model matrix is rank deficient so dropping ${zm.dropped.join(', ')}`);
  if (getFamily(family).linearMixed) {
    for (const [g, nl] of Object.entries(groups)) {
      if (nl >= n) warnings.push(`grouping factor '${g}' has as many levels (${nl}) as observations; with the ${family} family its variance is not identifiable apart from sigma (lmer stops here)`);
    }
  }

  return {
    formula,
    family,
    nobs: n,
    droppedRows,
    response,
    fixed: {
      X: fx.X,
      p: fx.p,
      columns: fx.columns,
      names: fx.columns.map((c) => `b_${termLabel(c)}`),
      dropped: fx.dropped,
      hasIntercept: ft.fixed.intercept && !interceptInParams,
    },
    random,
    paramFormulas: zm ? [zm.formula] : [],
    offset,
    groups,
    rows,
    factorLevels: Object.fromEntries([...cols.values()].flatMap((c) => (c.kind === 'factor' ? [[c.name, c.levels]] : []))),
    warnings,
  };
}
