/**
 * Formula parser: tokens → expression tree, by precedence climbing with R's operator precedence
 * (?Syntax: `^` > unary `- +` > `:` > `* /` > binary `+ -` > `| ||` > `~`), and `deparse()` back to
 * the text R prints for an expression (`I(x^2)`, `log(x + 1)`, `I(1e+05 * x)`), which is what R's
 * terms() and model.matrix() use as labels and column names.
 */
import { GlmmInputError } from '../../base/errors.js';
import { formatNumber } from '../data/frame.js';
import { formulaErrorMessage, scanFormula, type Token } from './scanner.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | ':' | '|' | '||';

/** A node of the formula's expression tree; `pos` is the 0-based offset in the formula text. */
export type Expr =
  | { readonly type: 'num'; readonly value: number; readonly pos: number }
  | { readonly type: 'name'; readonly name: string; readonly quoted: boolean; readonly pos: number }
  | { readonly type: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly pos: number }
  | { readonly type: 'unary'; readonly op: '+' | '-'; readonly arg: Expr; readonly pos: number }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: number }
  | { readonly type: 'paren'; readonly inner: Expr; readonly pos: number };

/** A parsed formula `lhs ~ rhs` (lhs null for a one-sided `~ rhs`), with its text for messages. */
export interface ParsedFormula {
  readonly text: string;
  readonly lhs: Expr | null;
  readonly rhs: Expr;
}

/** Left binding power of each binary operator (R's precedence; `^` is right associative). */
const BINDING: Readonly<Record<string, number>> = { '|': 10, '||': 10, '+': 20, '-': 20, '*': 30, '/': 30, ':': 40, '^': 60 };
const UNARY_BP = 50;

/**
 * Deepest expression tree the formula code walks (a documented limit: the walkers recurse, and 3,000
 * levels exhaust JavaScript's stack). A sum of n terms is n levels deep, so it also bounds the terms.
 */
export const MAX_FORMULA_DEPTH = 1000;

/** Depth of an expression tree, walked with an explicit stack (no recursion), and its deepest node. */
function treeDepth(root: Expr): { depth: number; at: Expr } {
  let best = { depth: 0, at: root };
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > best.depth) best = { depth: d, at: e };
    if (e.type === 'binary') stack.push([e.left, d + 1], [e.right, d + 1]);
    else if (e.type === 'unary') stack.push([e.arg, d + 1]);
    else if (e.type === 'paren') stack.push([e.inner, d + 1]);
    else if (e.type === 'call') for (const a of e.args) stack.push([a, d + 1]);
  }
  return best;
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of formula' : `'${t.text}'`;
}

/**
 * Parses `lhs ~ rhs` or `~ rhs`. Throws a one-line GlmmInputError with the 1-based column and the
 * formula text, e.g. `formula: unexpected ')' at column 15: count ~ trt + )`.
 */
export function parseFormula(text: string): ParsedFormula {
  const tokens = scanFormula(text);
  let k = 0;
  let nesting = 0;
  const peek = (): Token => tokens[k];
  const fail = (what: string, t: Token): never => {
    throw new GlmmInputError(formulaErrorMessage(what, text, t.pos));
  };
  const expect = (kind: Token['kind']): Token => {
    const t = tokens[k];
    if (t.kind !== kind) fail(`expected '${kind}' but found ${describe(t)}`, t);
    k++;
    return t;
  };

  const tooDeep = (t: Token): never =>
    fail(`nested more than ${MAX_FORMULA_DEPTH} levels deep (parentheses, calls, or a sum of more than ${MAX_FORMULA_DEPTH} terms); simplify the formula`, t);

  function primary(): Expr {
    const t = tokens[k];
    if (++nesting > MAX_FORMULA_DEPTH) tooDeep(t);
    try {
      return primaryAt(t);
    } finally {
      nesting--;
    }
  }

  function primaryAt(t: Token): Expr {
    if (t.kind === 'number') {
      k++;
      return { type: 'num', value: Number(t.text), pos: t.pos };
    }
    if (t.kind === 'name') {
      k++;
      if (peek().kind === '(' && !t.quoted) {
        k++;
        const args: Expr[] = [];
        if (peek().kind !== ')') {
          args.push(expression(0));
          while (peek().kind === ',') {
            k++;
            args.push(expression(0));
          }
        }
        expect(')');
        return { type: 'call', fn: t.text, args, pos: t.pos };
      }
      return { type: 'name', name: t.text, quoted: t.quoted === true, pos: t.pos };
    }
    if (t.kind === '(') {
      k++;
      const inner = expression(0);
      if (peek().kind !== ')') fail(`unexpected ${describe(peek())} (missing ')'?)`, peek());
      k++;
      return { type: 'paren', inner, pos: t.pos };
    }
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      k++;
      const arg = expression(UNARY_BP);
      return { type: 'unary', op: t.text, arg, pos: t.pos };
    }
    return fail(`unexpected ${describe(t)}`, t);
  }

  function expression(minBp: number): Expr {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t.kind !== 'op' || t.text === '~') break;
      const bp = BINDING[t.text];
      if (bp <= minBp) break;
      k++;
      // `^` is right associative: its right operand may contain another `^`.
      const right = expression(t.text === '^' ? bp - 1 : bp);
      left = { type: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
    return left;
  }

  let lhs: Expr | null = null;
  if (peek().kind === 'op' && peek().text === '~') {
    k++;
  } else {
    if (peek().kind === 'end') fail('empty formula', peek());
    lhs = expression(0);
    const t = peek();
    if (!(t.kind === 'op' && t.text === '~')) fail(t.kind === 'end' ? "missing '~'" : `unexpected ${describe(t)}`, t);
    k++;
  }
  const rhs = expression(0);
  if (peek().kind !== 'end') fail(`unexpected ${describe(peek())}`, peek());
  for (const side of lhs ? [lhs, rhs] : [rhs]) {
    const { depth, at } = treeDepth(side);
    if (depth > MAX_FORMULA_DEPTH) tooDeep({ kind: 'op', text: '', pos: at.pos });
  }
  return { text, lhs, rhs };
}

function isSyntacticName(name: string): boolean {
  // R's make.names rule, enough for deparse: starts with a letter or '.', then letters, digits, '.', '_'.
  const c0 = name[0];
  if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 === '.' || c0 > '\u007f')) return false;
  if (c0 === '.' && name.length > 1 && name[1] >= '0' && name[1] <= '9') return false;
  for (const c of name) {
    const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '.' || c === '_' || c > '\u007f';
    if (!ok) return false;
  }
  return true;
}

/**
 * The text R's deparse() gives for an expression: spaces around `+ - *` and `|`, none around
 * `/ ^ :`, parentheses only where written, numbers as R prints them (15 significant digits,
 * `1e+05`), non-syntactic names in backticks.
 */
export function deparse(e: Expr): string {
  switch (e.type) {
    case 'num':
      return formatNumber(e.value);
    case 'name':
      return isSyntacticName(e.name) ? e.name : '`' + e.name + '`';
    case 'call':
      return `${e.fn}(${e.args.map(deparse).join(', ')})`;
    case 'unary':
      return e.op + deparse(e.arg);
    case 'paren':
      return `(${deparse(e.inner)})`;
    case 'binary': {
      const tight = e.op === '/' || e.op === '^' || e.op === ':';
      return tight ? `${deparse(e.left)}${e.op}${deparse(e.right)}` : `${deparse(e.left)} ${e.op} ${deparse(e.right)}`;
    }
  }
}
