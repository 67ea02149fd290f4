/**
 * Applies a fitted Design to new rows, the analogue of what lme4's predict.merMod does with `newdata`
 * (model.frame with the fit's `xlev`, model.matrix with the fit's contrasts, mkNewReTrms with
 * `allow.new.levels = TRUE`): the same fixed-effect columns (same factor levels and treatment
 * contrasts as the fit, aliased columns dropped as in the fit), the random-effect columns of each
 * term, and each row's level of each grouping factor, where a level the fit did not see is a NEW
 * level (kept, listed in `newLevels`).
 *
 * The Design does not store the factor levels of the fit, so the fit's data frame is passed too
 * (levels are recomputed from its kept rows exactly as buildDesign computed them). A level of a
 * fixed-effect factor that the fit did not see is a GlmmInputError naming the column and the level.
 */
import { GlmmInputError } from '../../base/errors.js';
import { formatNumber, subsetColumn, type Column, type DataFrame, type FactorColumn } from '../data/frame.js';
import { parseFormula, type Expr } from '../formula/parser.js';
import { formulaTerms, type FormulaTerms } from '../formula/terms.js';
import { asFactor, evalNumeric, namesIn, type Columns } from '../design/evaluate.js';
import { modelMatrix } from '../design/fixed.js';
import type { Design } from '../design/types.js';
import { getFamily } from '../../models/families/getFamily.js';

/** The random-effect rows of one term of the Design (same order as design.random). */
export interface NewRandomRows {
  /** nobs × k, row-major, the term's columns in the fit's order. */
  readonly Z: Float64Array;
  /**
   * Level of each row: i < levels.length is the fit's level i; levels.length + j is the new level
   * newLevels[j] (lme4 allow.new.levels = TRUE; brms's new levels).
   */
  readonly index: Int32Array;
  /** Labels of levels the fit did not see, in order of first appearance. */
  readonly newLevels: readonly string[];
}

/** The rows to predict for: what the linear predictor needs, in the fit's column order. */
export interface NewRows {
  readonly nobs: number;
  /** nobs × p, row-major, columns = design.fixed.columns. */
  readonly X: Float64Array;
  readonly random: readonly NewRandomRows[];
  readonly offset: Float64Array | null;
  /** Binomial trials per row (1 for bernoulli), null for other families or when unknown. */
  readonly trials: Float64Array | null;
  /** The response in the same coding as design.response.y when newdata holds it, else null. */
  readonly y: Float64Array | null;
}

/** Options of newdataRows. */
export interface NewdataOptions {
  /** Columns that were forced to factors in the fit (buildDesign's `factors`, the CLI's --factor). */
  readonly factors?: readonly string[];
  /** Binomial trials of the new rows, when newdata has no response columns (default: from cbind(), else 1). */
  readonly trials?: ArrayLike<number>;
}

/** The fit's own rows as NewRows (no new levels): predictions for them are the in-sample ones. */
export function fitRows(design: Design): NewRows {
  return {
    nobs: design.nobs,
    X: design.fixed.X,
    random: design.random.map((t) => ({ Z: t.Z, index: t.index, newLevels: [] })),
    offset: design.offset,
    trials: design.response.trials,
    y: design.response.y,
  };
}

/** Arguments of factor()/as.factor() calls anywhere in an expression. */
function factorCalls(e: Expr, out: Set<string>): void {
  if (e.type === 'call') {
    if ((e.fn === 'factor' || e.fn === 'as.factor') && e.args.length === 1 && e.args[0].type === 'name') out.add(e.args[0].name);
    e.args.forEach((a) => factorCalls(a, out));
  } else if (e.type === 'unary') factorCalls(e.arg, out);
  else if (e.type === 'paren') factorCalls(e.inner, out);
  else if (e.type === 'binary') { factorCalls(e.left, out); factorCalls(e.right, out); }
}

/** The label of row i of a column as R would print its factor level. */
function labelOf(c: Column, i: number): string | null {
  if (c.kind === 'factor') return c.codes[i] < 0 ? null : c.levels[c.codes[i]];
  return Number.isNaN(c.values[i]) ? null : formatNumber(c.values[i]);
}

/** Predictor columns the formula uses (not the response), split by role. */
function predictorColumns(ft: FormulaTerms): { model: Set<string>; grouping: Set<string>; asFactor: Set<string> } {
  const model = new Set<string>();
  const grouping = new Set<string>();
  const asF = new Set<string>();
  const exprs: Expr[] = [...ft.fixed.variables.map((v) => v.expr), ...ft.offsets];
  for (const r of ft.random) {
    exprs.push(...r.lhs.variables.map((v) => v.expr));
    r.group.forEach((g) => grouping.add(g));
  }
  for (const e of exprs) { namesIn(e).forEach((c) => model.add(c)); factorCalls(e, asF); }
  return { model, grouping, asFactor: asF };
}

/**
 * Builds the rows of `newdata` for a fitted `design` (fit on `data`, the same frame passed to
 * buildDesign). Throws GlmmInputError for a predictor column missing from newdata, a missing value
 * in a used column (naming the row, 1-based), or a fixed-effect factor level the fit did not see.
 * Grouping levels the fit did not see are new levels (see NewRandomRows). Response columns are used
 * when present (for `y` and binomial `trials`), otherwise `trials` come from opts or are 1.
 */
export function newdataRows(design: Design, data: DataFrame, newdata: DataFrame, opts: NewdataOptions = {}): NewRows {
  const ft = formulaTerms(parseFormula(design.formula));
  const { model, grouping, asFactor: factorCalled } = predictorColumns(ft);
  const forced = new Set(opts.factors ?? []);
  const m = newdata.nrow;
  const fitIdx = design.rows ?? Int32Array.from({ length: data.nrow }, (_, i) => i);
  const rowNumbers = Int32Array.from({ length: m }, (_, i) => i);
  const cols = new Map<string, Column>();

  for (const name of new Set([...model, ...grouping])) {
    const nc = newdata.columns.get(name);
    if (!nc) throw new GlmmInputError(`newdata has no column '${name}', which the formula '${design.formula}' uses; add it`);
    for (let i = 0; i < m; i++) {
      if (labelOf(nc, i) === null) throw new GlmmInputError(`newdata column '${name}' is missing in row ${i + 1}; give a value or drop the row`);
    }
    if (!model.has(name)) { cols.set(name, nc); continue; } // grouping only: labels are read directly
    const fc = data.columns.get(name);
    if (!fc) throw new GlmmInputError(`column '${name}' is not in the data the model was fit to`);
    const fitIsFactor = fc.kind === 'factor' || forced.has(name) || factorCalled.has(name);
    if (!fitIsFactor) {
      if (nc.kind === 'factor') throw new GlmmInputError(`newdata column '${name}' has text values (e.g. '${nc.levels[0]}') but the fit used it as a number; give numbers`);
      cols.set(name, nc);
      continue;
    }
    // The fit's levels: those of its kept rows (buildDesign's subsetColumn = droplevels).
    const levels = asFactor(subsetColumn(fc, fitIdx)).levels;
    const code = new Map(levels.map((l, k) => [l, k]));
    const codes = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const lab = labelOf(nc, i) as string;
      const k = code.get(lab);
      if (k === undefined) {
        throw new GlmmInputError(`newdata column '${name}' has level '${lab}' (row ${i + 1}) that the fit did not see; its levels are ${levels.slice(0, 10).join(', ')}${levels.length > 10 ? ', ...' : ''}`);
      }
      codes[i] = k;
    }
    const recoded: FactorColumn = { kind: 'factor', name, levels, codes };
    cols.set(name, recoded);
  }

  // Fixed effects: the full model matrix with the fit's levels, then the fit's kept columns.
  const mm = modelMatrix(ft.fixed, cols, m, rowNumbers);
  const X = selectColumns(mm.X, mm.columns, m, design.fixed.columns, 'fixed effects');

  const random = design.random.map((term, t): NewRandomRows => {
    const spec = ft.random[t];
    const zm = modelMatrix(spec.lhs, cols, m, rowNumbers);
    const Z = selectColumns(zm.X, zm.columns, m, term.columns, `random term ${spec.text}`);
    const known = new Map(term.levels.map((l, k) => [l, k]));
    const newLevels: string[] = [];
    const index = new Int32Array(m);
    const gcols = spec.group.map((g) => cols.get(g) as Column);
    for (let i = 0; i < m; i++) {
      const lab = gcols.map((c) => labelOf(c, i) as string).join(':');
      let k = known.get(lab);
      if (k === undefined) {
        k = term.levels.length + newLevels.length;
        known.set(lab, k);
        newLevels.push(lab);
      }
      index[i] = k;
    }
    return { Z, index, newLevels };
  });

  let offset: Float64Array | null = null;
  for (const o of ft.offsets) {
    const v = evalNumeric(o, cols, m, 'offset');
    offset = offset ? offset.map((a, i) => a + v[i]) : Float64Array.from(v);
  }

  const { y, trials } = responseOf(design, ft, newdata, m, opts);
  return { nobs: m, X, random, offset, trials, y };
}

/** Picks `want` columns (by R name) out of an n × q matrix with names `have`. */
function selectColumns(M: Float64Array, have: readonly string[], n: number, want: readonly string[], what: string): Float64Array {
  const q = have.length;
  const p = want.length;
  const idx = want.map((w) => {
    const j = have.indexOf(w);
    if (j < 0) throw new GlmmInputError(`newdata does not give the ${what} column '${w}' of the fit; check the factor columns of newdata`);
    return j;
  });
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) out[i * p + k] = M[i * q + idx[k]];
  return out;
}

/** The response (and binomial trials) of the new rows when their columns are present. */
function responseOf(design: Design, ft: FormulaTerms, newdata: DataFrame, m: number, opts: NewdataOptions): { y: Float64Array | null; trials: Float64Array | null } {
  const fam = design.family;
  const trialsRule = getFamily(fam).response.trials;
  let trials: Float64Array | null = trialsRule === 'one' ? new Float64Array(m).fill(1) : null;
  let y: Float64Array | null = null;
  const e = ft.response;
  const present = e !== null && namesIn(e).every((c) => newdata.columns.has(c));
  if (e && present) {
    const label = ft.responseLabel;
    if (e.type === 'call' && e.fn === 'cbind' && e.args.length === 2) {
      const s = evalNumeric(e.args[0], newdata.columns, m, label);
      const f = evalNumeric(e.args[1], newdata.columns, m, label);
      y = Float64Array.from(s);
      trials = s.map((v, i) => v + f[i]);
    } else if (e.type === 'name' && newdata.columns.get(e.name)?.kind === 'factor') {
      const c = newdata.columns.get(e.name) as FactorColumn;
      const levels = design.response.levels;
      y = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const lab = c.codes[i] < 0 ? null : c.levels[c.codes[i]];
        y[i] = lab === null ? NaN : levels ? (lab === levels[1] ? 1 : lab === levels[0] ? 0 : NaN) : NaN;
      }
    } else {
      y = Float64Array.from(evalNumeric(e, newdata.columns, m, label));
    }
  }
  if (opts.trials) {
    if (opts.trials.length !== m) throw new GlmmInputError(`trials has ${opts.trials.length} values but newdata has ${m} rows; give one per row`);
    trials = Float64Array.from(opts.trials);
  } else if (trialsRule === 'counts' && trials === null) {
    trials = new Float64Array(m).fill(1);
  }
  return { y, trials };
}
