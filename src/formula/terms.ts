/**
 * Formula terms: the expression tree of a parsed formula expanded into what R's terms() and lme4's
 * findbars()/expandDoubleVerts()/expandSlash() give: the response, the intercept, the fixed-effect
 * terms (sets of variables, ordered by degree as R's terms(keep.order = FALSE)), offsets, and the
 * random-effect terms `(lhs | group)`.
 *
 * Operators (R's ?formula): `a + b`; `a:b` interaction; `a*b` = a + b + a:b; `a/b` = a + a:b;
 * `(a + b)^2` = all interactions up to degree 2; `- a` removes a term; `1`/`+1`/`-0` keep the
 * intercept, `0`/`+0`/`-1` remove it; `offset(x)`. Inside a function call (`log(x + 1)`, `I(x^2)`)
 * the operators are arithmetic, as in R.
 *
 * Random terms (lme4): `(lhs | g)` one correlated block; `(lhs || g)` becomes `(1 | g)` plus one
 * `(0 + t | g)` per term t of lhs, exactly as lme4's expandDoubleVerts: for a factor f, `(f || g)`
 * gives `(1 | g) + (0 + f | g)` and the f block keeps ALL its indicator columns, correlated — lme4's
 * `||` does not split a factor's columns and neither do we (write numeric 0/1 columns to split them).
 * `(1 | g1/g2)` becomes `(1 | g1) + (1 | g1:g2)` (lme4 names the second `g2:g1`; we write it as brms
 * does, g1 first, and its levels are those of lme4's `g1:g2`). Random terms keep formula order
 * (lme4's mkReTrms sorts them by decreasing number of levels; order does not change the model).
 */
import { formulaError } from './scanner.js';
import { deparse, parseFormula, type Expr, type ParsedFormula } from './parser.js';

/** One variable of a model: an expression (a column name, `log(dose)`, `I(x^2)`) and R's label for it. */
export interface Variable {
  /** R's deparsed label, used in column names: "trt", "log(dose)", "I(x - 5)". */
  readonly label: string;
  readonly expr: Expr;
}

/** One term: a set of variables (indices into ModelTerms.variables, ascending) and its R label "x1:x2". */
export interface Term {
  readonly vars: readonly number[];
  readonly label: string;
}

/** The analogue of R's terms() object for one right-hand side. */
export interface ModelTerms {
  readonly intercept: boolean;
  /** Variables in order of first appearance (R orders the variables within a term label this way). */
  readonly variables: readonly Variable[];
  /** Terms ordered by degree, formula order within a degree (R's terms.formula, keep.order = FALSE). */
  readonly terms: readonly Term[];
}

/** One random-effect term `(lhs | group)` after `||` and `/` expansion. */
export interface RandomSpec {
  /** The model for the columns of the term (lme4: model.matrix(~ lhs)). */
  readonly lhs: ModelTerms;
  /** Column names whose interaction is the grouping factor: ["block"], ["block", "trt"]. */
  readonly group: readonly string[];
  /** The grouping factor as written with ':' ("block:trt"). */
  readonly groupLabel: string;
  /**
   * True for the pieces of `||`. Each piece is an ordinary `|` term (lme4 expandDoubleVerts), so a
   * piece with several columns (a factor's indicators) is one correlated block.
   */
  readonly fromDoubleBar: boolean;
  /** The covariance structure written around the bar (src/design/covariance): 'us' for `(x | g)` and `||`'s pieces. */
  readonly structure: CovarianceKind;
  /** The term as lme4 would print it, for messages: "(1 + x | g)", "(0 + x | g)". */
  readonly text: string;
}

/** A whole formula, expanded. */
export interface FormulaTerms {
  readonly text: string;
  /** The response expression (null for a one-sided formula). */
  readonly response: Expr | null;
  /** The response as R deparses it: "count", "cbind(x, n - x)". */
  readonly responseLabel: string;
  readonly fixed: ModelTerms;
  /** The argument of each offset() term. */
  readonly offsets: readonly Expr[];
  readonly random: readonly RandomSpec[];
}

type TermSet = number[];

const key = (t: TermSet): string => t.join(',');

function union(a: TermSet, b: TermSet): TermSet {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function addUnique(list: TermSet[], items: TermSet[]): TermSet[] {
  const out = [...list];
  const seen = new Set(out.map(key));
  for (const t of items) if (!seen.has(key(t))) { seen.add(key(t)); out.push(t); }
  return out;
}

/** The covariance structures a random term can be written under (their math: src/design/covariance/). */
export type CovarianceKind = 'us' | 'diag' | 'cs' | 'ar1' | 'toep';

/** A random-effect bar with the covariance structure it is written under ('us' for a plain `(x | g)`). */
interface Bar {
  readonly bar: Expr;
  readonly structure: CovarianceKind;
}

interface Collected {
  intercept: boolean;
  variables: Variable[];
  offsets: Expr[];
  bars: Bar[];
}

/** glmmTMB's covariance-structure wrappers of a bar: `ar1(t + 0 | g)`, `toep(t + 0 | g)`, `cs(x | g)`, `diag(x | g)`, `us(x | g)`. */
const STRUCTURES: readonly CovarianceKind[] = ['us', 'diag', 'cs', 'ar1', 'toep'];

/** Expands one right-hand side into terms; `allowSpecial` permits offset() and (… | g) (not inside a random lhs). */
function encodeModel(rhs: Expr, text: string, allowSpecial: boolean): { model: ModelTerms; offsets: Expr[]; bars: Bar[] } {
  const st: Collected = { intercept: true, variables: [], offsets: [], bars: [] };
  const fail = (what: string, e: Expr): never => {
    throw formulaError(what, text, e.pos);
  };
  const variable = (e: Expr): TermSet => {
    const label = deparse(e);
    let idx = st.variables.findIndex((v) => v.label === label);
    if (idx < 0) { idx = st.variables.length; st.variables.push({ label, expr: e }); }
    return [idx];
  };
  // `inside`: the operator (':', '*', '/', '^') whose operand `e` is, or null at the top of a sum. A
  // random-effect term, offset() or a sign there would be dropped silently (trt:(1|block) fitted as no
  // trt term), so each is an error at its position.
  const encode = (e: Expr, inside: string | null = null): TermSet[] => {
    switch (e.type) {
      case 'num':
        if (e.value === 1) { st.intercept = true; return []; }
        if (e.value === 0) { st.intercept = false; return []; }
        return fail(`invalid term '${deparse(e)}' (only 0 and 1 may stand alone)`, e);
      case 'name':
        if (e.name === '.' && !e.quoted) return fail("'.' (all other columns) is not supported; list the columns", e);
        return [variable(e)];
      case 'call':
        if (e.fn === 'offset') {
          if (inside) return fail(`offset() cannot be an operand of '${inside}'; add it as its own term: + offset(x)`, e);
          if (!allowSpecial) return fail('offset() is not allowed inside a random-effect term', e);
          if (e.args.length !== 1) return fail('offset() takes one argument', e);
          st.offsets.push(e.args[0]);
          return [];
        }
        if ((STRUCTURES as readonly string[]).includes(e.fn) && e.args.length === 1 && e.args[0].type === 'binary' && (e.args[0].op === '|' || e.args[0].op === '||')) {
          if (inside) return fail(`a random-effect term (${deparse(e)}) cannot be an operand of '${inside}'; add it as its own term: + ${deparse(e)}`, e);
          if (!allowSpecial) return fail("a random-effect term cannot contain another '|'", e);
          if (e.args[0].op === '||') return fail(`${e.fn}() takes a single bar: write ${e.fn}(${deparse(e.args[0].left)} | ${deparse(e.args[0].right)})`, e);
          st.bars.push({ bar: e.args[0], structure: e.fn as CovarianceKind });
          return [];
        }
        if (e.fn === 'cbind') return fail('cbind() belongs on the left of ~ (binomial response)', e);
        return [variable(e)];
      case 'paren':
        if (e.inner.type === 'binary' && (e.inner.op === '|' || e.inner.op === '||')) {
          if (inside) return fail(`a random-effect term (${deparse(e.inner)}) cannot be an operand of '${inside}'; add it as its own term: + (${deparse(e.inner)})`, e);
          if (!allowSpecial) return fail("a random-effect term cannot contain another '|'", e);
          st.bars.push({ bar: e.inner, structure: 'us' });
          return [];
        }
        return encode(e.inner, inside);
      case 'unary':
        if (inside) return fail(`unexpected '${e.op}' after '${inside}': a term is missing there`, e);
        if (e.op === '+') return encode(e.arg);
        if (e.arg.type === 'num' && (e.arg.value === 0 || e.arg.value === 1)) { st.intercept = e.arg.value === 0; return []; }
        return fail(`unsupported '-' before '${deparse(e.arg)}' (write it after another term: y ~ a - ${deparse(e.arg)})`, e);
      case 'binary':
        switch (e.op) {
          case '+':
            return addUnique(encode(e.left, inside), encode(e.right, inside));
          case ':': {
            const l = encode(e.left, ':');
            const r = encode(e.right, ':');
            const out: TermSet[] = [];
            for (const a of l) for (const b of r) out.push(union(a, b));
            return addUnique([], out);
          }
          case '*': {
            const l = encode(e.left, '*');
            const r = encode(e.right, '*');
            const inter: TermSet[] = [];
            for (const a of l) for (const b of r) inter.push(union(a, b));
            return addUnique(addUnique(l, r), inter);
          }
          case '/': {
            const l = encode(e.left, '/');
            const r = encode(e.right, '/');
            const all = l.reduce<TermSet>((acc, t) => union(acc, t), []);
            return addUnique(l, r.map((t) => union(all, t)));
          }
          case '^': {
            if (e.right.type !== 'num' || !Number.isInteger(e.right.value) || e.right.value < 1) {
              return fail("the power of a term must be a positive whole number, as in (a + b)^2; use I(x^2) for a square", e);
            }
            const base = encode(e.left, '^');
            if (base.length <= 1) {
              // R reads x^2 as the interaction power of one term, i.e. x: almost surely meant as a square.
              return fail(`'${deparse(e)}' in a formula is an interaction power (R reads it as ${deparse(e.left)}); use I(${deparse(e)}) for a square`, e);
            }
            let acc = base;
            for (let p = 1; p < e.right.value; p++) {
              const next: TermSet[] = [];
              for (const a of acc) for (const b of base) next.push(union(a, b));
              acc = addUnique(acc, next);
            }
            return acc;
          }
          case '-': {
            const l = encode(e.left, inside);
            if (e.right.type === 'num' && (e.right.value === 0 || e.right.value === 1)) {
              st.intercept = e.right.value === 0;
              return l;
            }
            const drop = new Set(encode(e.right, inside).map(key));
            return l.filter((t) => !drop.has(key(t)));
          }
          case '|':
          case '||':
            return fail(`'${e.op}' must be inside parentheses, as in (1 ${e.op} g)`, e);
        }
    }
    return fail('unsupported expression', e);
  };
  const sets = encode(rhs);
  const order = sets.map((t, i) => ({ t, i })).sort((a, b) => a.t.length - b.t.length || a.i - b.i);
  const terms = order.map(({ t }) => ({ vars: t, label: t.map((v) => st.variables[v].label).join(':') }));
  return { model: { intercept: st.intercept, variables: st.variables, terms }, offsets: st.offsets, bars: st.bars };
}

/** The grouping factor of a random term as a list of interactions (each a list of column names). */
function encodeGroup(e: Expr, text: string): string[][] {
  switch (e.type) {
    case 'name':
      return [[e.name]];
    case 'paren':
      return encodeGroup(e.inner, text);
    case 'binary':
      if (e.op === ':') {
        const out: string[][] = [];
        for (const a of encodeGroup(e.left, text)) for (const b of encodeGroup(e.right, text)) out.push([...new Set([...a, ...b])]);
        return out;
      }
      if (e.op === '/') {
        const l = encodeGroup(e.left, text);
        const all = [...new Set(l.flat())];
        return [...l, ...encodeGroup(e.right, text).map((r) => [...new Set([...all, ...r])])];
      }
  }
  throw formulaError(
    `grouping factor '${deparse(e)}' must be column names joined by ':' or '/', as in (1 | block) or (1 | a/b)`, text, e.pos);
}

function lhsText(m: ModelTerms): string {
  const parts = [m.intercept ? '1' : '0', ...m.terms.map((t) => t.label)];
  return parts.join(' + ');
}

/** Expands one `(lhs | g)` or `(lhs || g)` into lme4's list of random terms. */
function expandBar({ bar, structure }: Bar, text: string): RandomSpec[] {
  if (bar.type !== 'binary') throw new Error('expandBar: not a bar');
  const { model } = encodeModel(bar.left, text, false);
  if (!model.intercept && model.terms.length === 0) {
    throw formulaError(`random term '(${deparse(bar)})' has no columns; use (1 | g) for an intercept`, text, bar.pos);
  }
  const groups = encodeGroup(bar.right, text);
  const pieces: ModelTerms[] = bar.op === '|'
    ? [model]
    : [
        ...(model.intercept ? [{ intercept: true, variables: model.variables, terms: [] }] : []),
        ...model.terms.map((t) => ({ intercept: false, variables: model.variables, terms: [t] })),
      ];
  const out: RandomSpec[] = [];
  for (const g of groups) {
    const groupLabel = g.join(':');
    for (const lhs of pieces) {
      const body = `${lhsText(lhs)} | ${groupLabel}`;
      out.push({ lhs, group: g, groupLabel, fromDoubleBar: bar.op === '||', structure, text: structure === 'us' ? `(${body})` : `${structure}(${body})` });
    }
  }
  return out;
}

/** Expands a parsed formula (R terms() + lme4 findbars/nobars). */
export function formulaTerms(parsed: ParsedFormula): FormulaTerms {
  const { model, offsets, bars } = encodeModel(parsed.rhs, parsed.text, true);
  const random = bars.flatMap((b) => expandBar(b, parsed.text));
  return {
    text: parsed.text,
    response: parsed.lhs,
    responseLabel: parsed.lhs ? deparse(parsed.lhs) : '',
    fixed: model,
    offsets,
    random,
  };
}

/** parseFormula + formulaTerms in one call. */
export function termsOf(text: string): FormulaTerms {
  return formulaTerms(parseFormula(text));
}
