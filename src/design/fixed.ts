/**
 * The model matrix of a right-hand side, as R's model.matrix() builds it with treatment contrasts
 * (contr.treatment, first level = reference), and the rank check that drops aliased columns as
 * R's lm()/lme4's chkRank.drop.cols do.
 *
 * Coding of a factor in a term (R's TermCode in src/library/stats/src/target.c): a factor f in term T
 * is coded by contrasts when T without f is empty or contained in an earlier term, otherwise by
 * indicators of all its levels; without an intercept, the first factor of the first term holding a
 * factor gets indicators. Columns of an interaction vary the first variable fastest; names join
 * the parts with ':' ("trt1:amount", "fb:gy"), a factor part being label + level ("trt1").
 */
import { GlmmInputError } from '../../base/errors.js';
import type { ModelTerms } from '../formula/terms.js';
import { checkLevels } from '../data/validate.js';
import { evalVariable, type Columns, type VariableValues } from './evaluate.js';

/** A model matrix: n × p row-major, R's column names, and the term of each column (R's "assign", 0 = intercept). */
export interface ModelMatrix {
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly columns: readonly string[];
  /** 0 for the intercept, t + 1 for a column of model.terms[t] (R's attr(X, "assign")). */
  readonly assign: readonly number[];
}

/** R's contrast code of variable v in term t: 1 = contrasts, 2 = indicators (see file comment). */
function termCodes(model: ModelTerms, isFactor: readonly boolean[]): number[][] {
  const codes = model.terms.map((term, t) =>
    term.vars.map((v) => {
      const rest = term.vars.filter((w) => w !== v);
      if (rest.length === 0) return 1;
      for (let s = 0; s < t; s++) if (rest.every((w) => model.terms[s].vars.includes(w))) return 1;
      return 2;
    }),
  );
  if (!model.intercept) {
    outer: for (let t = 0; t < model.terms.length; t++) {
      const vars = model.terms[t].vars;
      // the first factor in variable order within the first term that holds one
      const order = [...vars.keys()].sort((a, b) => vars[a] - vars[b]);
      for (const j of order) if (isFactor[vars[j]]) { codes[t][j] = 2; break outer; }
    }
  }
  return codes;
}

/**
 * model.matrix(~ rhs) on the n kept rows. `rows` maps kept rows to data rows for messages.
 * A factor predictor with one level is an error (R: "contrasts can be applied only to factors with 2 or more levels").
 */
export function modelMatrix(model: ModelTerms, cols: Columns, n: number, rows: Int32Array): ModelMatrix {
  const values: VariableValues[] = model.variables.map((v) => evalVariable(v.expr, cols, n, rows));
  values.forEach((v, i) => {
    if (v.kind === 'factor') checkLevels(`factor '${model.variables[i].label}'`, v.levels, 'remove it from the formula or check the data');
  });
  const codes = termCodes(model, values.map((v) => v.kind === 'factor'));
  const columns: string[] = [];
  const assign: number[] = [];
  const vectors: Float64Array[] = [];
  if (model.intercept) {
    columns.push('(Intercept)');
    assign.push(0);
    vectors.push(new Float64Array(n).fill(1));
  }
  model.terms.forEach((term, t) => {
    // parts[j]: the columns variable j of the term contributes (name, vector)
    const parts = term.vars.map((v, j) => {
      const val = values[v];
      const label = model.variables[v].label;
      if (val.kind === 'numeric') return [{ name: label, vec: val.values }];
      const first = codes[t][j] === 1 ? 1 : 0;
      const out: { name: string; vec: Float64Array }[] = [];
      for (let l = first; l < val.levels.length; l++) {
        const vec = new Float64Array(n);
        for (let i = 0; i < n; i++) vec[i] = val.codes[i] === l ? 1 : 0;
        out.push({ name: label + val.levels[l], vec });
      }
      return out;
    });
    // Cartesian product, first variable fastest.
    let combos: { name: string; vec: Float64Array }[] = [{ name: '', vec: new Float64Array(n).fill(1) }];
    parts.forEach((part, j) => {
      const next: { name: string; vec: Float64Array }[] = [];
      for (const b of part) {
        for (const a of combos) {
          const vec = new Float64Array(n);
          for (let i = 0; i < n; i++) vec[i] = a.vec[i] * b.vec[i];
          next.push({ name: j === 0 ? b.name : `${a.name}:${b.name}`, vec });
        }
      }
      combos = next;
    });
    for (const c of combos) {
      columns.push(c.name);
      assign.push(t + 1);
      vectors.push(c.vec);
    }
  });
  const p = columns.length;
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X[i * p + j] = vectors[j][i];
  return { X, n, p, columns, assign };
}

/**
 * Indices of the columns to keep so that X has full column rank, left to right: a column is aliased
 * when its residual after projection on the kept columns has norm below tol × its own norm (a zero
 * column counts as aliased). This is the rule of LINPACK dqrdc2 (R's qr(X, tol = 1e-7), used by
 * lm() and by lme4's chkRank.drop.cols), done as Gram–Schmidt with re-orthogonalization in float64.
 */
export function independentColumns(X: Float64Array, n: number, p: number, tol = 1e-7): number[] {
  const kept: number[] = [];
  const basis: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const v = new Float64Array(n);
    let norm0 = 0;
    for (let i = 0; i < n; i++) { v[i] = X[i * p + j]; norm0 += v[i] * v[i]; }
    norm0 = Math.sqrt(norm0);
    if (norm0 === 0) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * q[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < tol * norm0) continue;
    for (let i = 0; i < n; i++) v[i] /= norm;
    basis.push(v);
    kept.push(j);
  }
  return kept;
}

/**
 * X without its intercept column, for a family whose parameters carry the intercept (the ordinal
 * thresholds, as ordinal::clm's model matrix: contrasts as with the intercept, then its column removed).
 */
export function withoutIntercept<M extends ModelMatrix>(mm: M, what: string): M {
  if (mm.columns[0] !== '(Intercept)') {
    throw new GlmmInputError(`${what}: the thresholds are the intercepts, so the formula keeps its intercept; remove '0 +' or '- 1'`);
  }
  if (mm.p === 1) throw new GlmmInputError(`${what}: the formula has no predictor besides the intercept (the thresholds); add one`);
  const p = mm.p - 1;
  const X = new Float64Array(mm.n * p);
  for (let i = 0; i < mm.n; i++) for (let k = 0; k < p; k++) X[i * p + k] = mm.X[i * mm.p + k + 1];
  return { ...mm, X, p, columns: mm.columns.slice(1), assign: mm.assign.slice(1) };
}

/** The fixed-effects matrix with aliased columns removed; `dropped` lists their R names. */
export function fixedMatrix(model: ModelTerms, cols: Columns, n: number, rows: Int32Array): ModelMatrix & { readonly dropped: readonly string[] } {
  const mm = modelMatrix(model, cols, n, rows);
  if (mm.p === 0) throw new GlmmInputError('the formula has no fixed effects (no intercept and no terms); add 1 or a predictor');
  const keep = independentColumns(mm.X, n, mm.p);
  if (keep.length === mm.p) return { ...mm, dropped: [] };
  const p = keep.length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) X[i * p + k] = mm.X[i * mm.p + keep[k]];
  const kept = new Set(keep);
  return {
    X, n, p,
    columns: keep.map((j) => mm.columns[j]),
    assign: keep.map((j) => mm.assign[j]),
    dropped: mm.columns.filter((_, j) => !kept.has(j)),
  };
}
