import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanFormula } from '../../src/formula/scanner.js';
import { deparse, parseFormula } from '../../src/formula/parser.js';
import { FormulaError, GlmmInputError } from '../../base/errors.js';
import { termsOf } from '../../src/formula/terms.js';

test('scanner: names, numbers, operators, backticks, || with 0-based positions', () => {
  const toks = scanFormula('y ~ (x||g) + `my var` + .5e1 + a.b_c');
  assert.deepEqual(toks.map((t) => [t.kind, t.text, t.pos]), [
    ['name', 'y', 0], ['op', '~', 2], ['(', '(', 4], ['name', 'x', 5], ['op', '||', 6], ['name', 'g', 8], [')', ')', 9],
    ['op', '+', 11], ['name', 'my var', 13], ['op', '+', 22], ['number', '.5e1', 24], ['op', '+', 29], ['name', 'a.b_c', 31],
    ['end', '', 36],
  ]);
  assert.equal(toks[8].quoted, true);
});

test('scanner errors give the 1-based column and the formula text on one line', () => {
  assert.throws(() => scanFormula('y ~ x $ z'), { name: 'GlmmInputError', message: "formula: unexpected character '$' at column 7: y ~ x $ z" });
  assert.throws(() => scanFormula('y ~ `x'), /unterminated backtick name at column 5/);
  assert.throws(() => scanFormula('y ~ 1e'), /malformed number '1e' at column 5/);
});

test('parser errors: position of the offending token, one line', () => {
  const cases: [string, string][] = [
    ['count ~ trt + )', "formula: unexpected ')' at column 15: count ~ trt + )"],
    ['count ~ (1 | block', "formula: unexpected end of formula (missing ')'?) at column 19: count ~ (1 | block"],
    ['count trt', "formula: unexpected 'trt' at column 7: count trt"],
    ['count', "formula: missing '~' at column 6: count"],
    ['', 'formula: empty formula at column 1: '],
    ['y ~ log(x', "formula: expected ')' but found end of formula at column 10: y ~ log(x"],
    ['y ~ x ~ z', "formula: unexpected '~' at column 7: y ~ x ~ z"],
  ];
  for (const [f, msg] of cases) {
    assert.throws(() => parseFormula(f), (e: unknown) => e instanceof GlmmInputError && e.message === msg && !e.message.includes('\n'), f);
  }
});

test('every formula error carries the 0-based offset its message names as a 1-based column (the web app marks it)', () => {
  const cases: [string, number][] = [['y ~ x $ z', 6], ['count ~ trt + )', 14], ['count', 5], ['y ~ x + 2', 8], ['y ~ (0 | g)', 7], ['y ~ (1 | log(g))', 9]];
  for (const [f, pos] of cases) {
    assert.throws(() => termsOf(f), (e: unknown) => e instanceof FormulaError && e instanceof GlmmInputError && e.pos === pos && e.message.includes(`at column ${pos + 1}:`), f);
  }
});

test('precedence follows R: ^ > unary minus > : > * / > + - > | > ~', () => {
  const p = parseFormula('y ~ a + b:c*d | g');
  // (a + ((b:c)*d)) | g
  assert.equal(p.rhs.type, 'binary');
  if (p.rhs.type !== 'binary') return;
  assert.equal(p.rhs.op, '|');
  assert.equal(deparse(p.rhs.left), 'a + b:c * d');
  const l = p.rhs.left;
  assert.ok(l.type === 'binary' && l.op === '+' && l.right.type === 'binary' && l.right.op === '*');
  const q = parseFormula('~ I(-x^2^3)').rhs;
  assert.ok(q.type === 'call');
  const u = q.args[0];
  // -(x^(2^3))
  assert.ok(u.type === 'unary' && u.arg.type === 'binary' && u.arg.op === '^' && u.arg.right.type === 'binary');
  assert.equal(parseFormula('~ x').lhs, null);
});

test('deparse writes expressions as R 4.2.2 deparse() does', () => {
  // R: sapply(expression(...), deparse) and attr(terms(...), "term.labels") in R 4.2.2
  const cases: [string, string][] = [
    ['I(x^2)', 'I(x^2)'], ['I(x-5)', 'I(x - 5)'], ['I(x*2/3)', 'I(x * 2/3)'], ['I(-x)', 'I(-x)'],
    ['I((x-1)^2)', 'I((x - 1)^2)'], ['I(1e5*x)', 'I(1e+05 * x)'], ['I(0.0001+x)', 'I(1e-04 + x)'],
    ['I(x^-1)', 'I(x^-1)'], ['I(-(x)+2.50)', 'I(-(x) + 2.5)'], ['log(x+1,2)', 'log(x + 1, 2)'], ['log( dose )', 'log(dose)'],
    ['`my var`', '`my var`'], ['`ok`', 'ok'],
  ];
  for (const [src, want] of cases) assert.equal(deparse(parseFormula(`~ ${src}`).rhs), want, src);
});
