/**
 * Evaluates formula expressions on the kept rows of a data frame, as R's model.frame() evaluates a
 * formula's variables: a column name, arithmetic `+ - * / ^`, and the functions `I`, `log`
 * (optionally with a base), `log2`, `log10`, `log1p`, `exp`, `expm1`, `sqrt`, `abs`. `factor(x)` and
 * `as.factor(x)` make a factor of a column.
 */
import { GlmmInputError } from '../../base/errors.js';
import { numericToFactor, type Column, type FactorColumn } from '../data/frame.js';
import { checkFinite, strayCells, strayRemedy } from '../data/validate.js';
import { deparse, type Expr } from '../formula/parser.js';

/** The columns of the kept rows (already subset, factor levels dropped as R's droplevels). */
export type Columns = ReadonlyMap<string, Column>;

/** A model variable's values: numbers, or factor codes and levels. */
export type VariableValues =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'factor'; readonly levels: readonly string[]; readonly codes: Int32Array };

const UNARY: Readonly<Record<string, (x: number) => number>> = {
  log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p,
  exp: Math.exp, expm1: Math.expm1, sqrt: Math.sqrt, abs: Math.abs, I: (x) => x,
};

/** Every column name an expression refers to, in order of appearance. */
export function namesIn(e: Expr, out: string[] = []): string[] {
  switch (e.type) {
    case 'name':
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case 'call':
      e.args.forEach((a) => namesIn(a, out));
      break;
    case 'unary':
      namesIn(e.arg, out);
      break;
    case 'paren':
      namesIn(e.inner, out);
      break;
    case 'binary':
      namesIn(e.left, out);
      namesIn(e.right, out);
      break;
  }
  return out;
}

function column(cols: Columns, name: string, term: string): Column {
  const c = cols.get(name);
  if (!c) throw new GlmmInputError(`unknown column '${name}' in formula term '${term}'`);
  return c;
}

/**
 * The numeric value of an expression in each of the n kept rows. `term` names the formula term
 * for messages. A factor column inside arithmetic is an error (R would refuse too).
 */
export function evalNumeric(e: Expr, cols: Columns, n: number, term: string): Float64Array {
  const rec = (x: Expr): Float64Array => evalNumeric(x, cols, n, term);
  switch (e.type) {
    case 'num':
      return new Float64Array(n).fill(e.value);
    case 'name': {
      const c = column(cols, e.name, term);
      if (c.kind === 'factor' && c.strayText) {
        throw new GlmmInputError(`column '${e.name}' in term '${term}' is numeric but ${strayCells(c.strayText)}, which is not a number; ${strayRemedy(c.strayText)}`);
      }
      if (c.kind === 'factor') {
        throw new GlmmInputError(`column '${e.name}' in term '${term}' is a factor (levels ${c.levels.slice(0, 5).join(', ')}${c.levels.length > 5 ? ', ...' : ''}); it must be numeric here`);
      }
      return c.values;
    }
    case 'paren':
      return rec(e.inner);
    case 'unary': {
      const a = rec(e.arg);
      return e.op === '-' ? a.map((v) => -v) : a;
    }
    case 'call': {
      if (e.fn === 'log' && e.args.length === 2) {
        const a = rec(e.args[0]);
        const b = rec(e.args[1]);
        return a.map((v, i) => Math.log(v) / Math.log(b[i]));
      }
      const f = UNARY[e.fn];
      if (!f) {
        throw new GlmmInputError(`unknown function '${e.fn}' in term '${term}'; supported: ${Object.keys(UNARY).join(', ')}, factor, offset, cbind (response)`);
      }
      if (e.args.length !== 1) throw new GlmmInputError(`function '${e.fn}' in term '${term}' takes one argument`);
      return rec(e.args[0]).map(f);
    }
    case 'binary': {
      const a = rec(e.left);
      const b = rec(e.right);
      const out = new Float64Array(n);
      switch (e.op) {
        case '+': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return out;
        case '-': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return out;
        case '*': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return out;
        case '/': for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return out;
        case '^': for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]); return out;
        default:
          throw new GlmmInputError(`operator '${e.op}' cannot be evaluated in term '${term}'; only + - * / ^ inside I() or a function`);
      }
    }
  }
}

/** `factor(x)` / `as.factor(x)` of a column name, or null when e is not such a call. */
function factorCall(e: Expr): string | null {
  if (e.type === 'call' && (e.fn === 'factor' || e.fn === 'as.factor') && e.args.length === 1 && e.args[0].type === 'name') {
    return e.args[0].name;
  }
  return null;
}

/** A column as a factor (a numeric column becomes R's factor(x)). */
export function asFactor(c: Column): FactorColumn {
  return c.kind === 'factor' ? c : numericToFactor(c);
}

/**
 * The values of one model variable: a factor when it is a factor column or factor(col), numbers
 * otherwise. Non-finite numbers (log(0), 1/0) are an error naming the row (rows maps kept row → data row).
 */
export function evalVariable(e: Expr, cols: Columns, n: number, rows: Int32Array): VariableValues {
  const label = deparse(e);
  const fname = factorCall(e);
  if (fname !== null) {
    const f = asFactor(column(cols, fname, label));
    return { kind: 'factor', levels: f.levels, codes: f.codes };
  }
  if (e.type === 'name') {
    const c = column(cols, e.name, label);
    if (c.kind === 'factor') return { kind: 'factor', levels: c.levels, codes: c.codes };
  }
  const values = evalNumeric(e, cols, n, label);
  checkFinite(values, rows, `term '${label}'`);
  return { kind: 'numeric', values };
}
