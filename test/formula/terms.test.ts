import { test } from 'node:test';
import assert from 'node:assert/strict';
import { termsOf } from '../../src/formula/terms.js';

const labels = (f: string): string[] => termsOf(f).fixed.terms.map((t) => t.label);

test('term labels and order as R 4.2.2 terms() (by degree; variables in order of appearance)', () => {
  // R: attr(terms(y ~ x2:x1 + x1 + log(d) + x1:x2:x3 + x3 + I(x^2) + I(x-5) + I(x*2/3) + I(-x) + I((x-1)^2) + I(1e5*x) + I(0.0001+x)), "term.labels")
  assert.deepEqual(
    labels('y ~ x2:x1 + x1 + log(d) + x1:x2:x3 + x3 + I(x^2) + I(x-5) + I(x*2/3) + I(-x) + I((x-1)^2) + I(1e5*x)+I(0.0001+x)'),
    ['x1', 'log(d)', 'x3', 'I(x^2)', 'I(x - 5)', 'I(x * 2/3)', 'I(-x)', 'I((x - 1)^2)', 'I(1e+05 * x)', 'I(1e-04 + x)', 'x2:x1', 'x2:x1:x3'],
  );
  assert.deepEqual(labels('y ~ a*b*c'), ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c']);
  assert.deepEqual(labels('y ~ (a + b + c)^2'), ['a', 'b', 'c', 'a:b', 'a:c', 'b:c']);
  assert.deepEqual(labels('y ~ a/b'), ['a', 'a:b']);
  assert.deepEqual(labels('y ~ a*b - a'), ['b', 'a:b']);
  assert.deepEqual(labels('y ~ a + a + a:a'), ['a']);
  assert.deepEqual(labels('y ~ (a + b):c'), ['a:c', 'b:c']);
});

test('intercept: 1, 0, -1, +0, -0 as in R', () => {
  assert.equal(termsOf('y ~ x').fixed.intercept, true);
  assert.equal(termsOf('y ~ 0 + x').fixed.intercept, false);
  assert.equal(termsOf('y ~ x - 1').fixed.intercept, false);
  assert.equal(termsOf('y ~ -1 + x').fixed.intercept, false);
  assert.equal(termsOf('y ~ 0 + x + 1').fixed.intercept, true);
  assert.equal(termsOf('y ~ x - 1 - 0').fixed.intercept, true);
  assert.deepEqual(labels('y ~ 1'), []);
});

test('response, cbind and offsets', () => {
  const t = termsOf('cbind(x, n - x) ~ t + offset(log(time)) + offset(w)');
  assert.equal(t.responseLabel, 'cbind(x, n - x)');
  assert.deepEqual(t.fixed.terms.map((x) => x.label), ['t']);
  assert.equal(t.offsets.length, 2);
});

test('random terms: |, || (lme4 expandDoubleVerts), / (g1 then g1:g2), crossed, interaction', () => {
  const r = (f: string): string[] => termsOf(f).random.map((s) => `${s.text}${s.fromDoubleBar ? ' [from ||]' : ''}`);
  assert.deepEqual(r('y ~ x + (1 | g)'), ['(1 | g)']);
  assert.deepEqual(r('y ~ x + (x | g)'), ['(1 + x | g)']);
  assert.deepEqual(r('y ~ x + (0 + x | g)'), ['(0 + x | g)']);
  assert.deepEqual(r('y ~ x + (-1 + x | g)'), ['(0 + x | g)']);
  // lme4 1.1-31: findbars(expandDoubleVerts(~ (x + z || g))) = 1 | g, 0 + x | g, 0 + z | g
  assert.deepEqual(r('y ~ (x + z || g)'), ['(1 | g) [from ||]', '(0 + x | g) [from ||]', '(0 + z | g) [from ||]']);
  assert.deepEqual(r('y ~ (0 + x || g)'), ['(0 + x | g) [from ||]']);
  // a factor f is one term: its columns stay together in (0 + f | g), as lme4 does
  assert.deepEqual(r('y ~ (f || g)'), ['(1 | g) [from ||]', '(0 + f | g) [from ||]']);
  assert.deepEqual(r('y ~ (1 | a/b)'), ['(1 | a)', '(1 | a:b)']);
  assert.deepEqual(r('y ~ (1 | a/b/c)'), ['(1 | a)', '(1 | a:b)', '(1 | a:b:c)']);
  assert.deepEqual(r('y ~ (1 | a) + (1 | b)'), ['(1 | a)', '(1 | b)']);
  assert.deepEqual(termsOf('y ~ (1 | block:trt)').random[0].group, ['block', 'trt']);
  // random parts do not enter the fixed terms (lme4 nobars)
  assert.deepEqual(labels('y ~ x + (z | g)'), ['x']);
});

test('semantic errors name the column of the offending expression', () => {
  const bad: [string, RegExp][] = [
    ['y ~ x + 2', /invalid term '2' \(only 0 and 1 may stand alone\) at column 9/],
    ['y ~ x | g', /'\|' must be inside parentheses, as in \(1 \| g\) at column 7/],
    ['y ~ (0 | g)', /random term '\(0 \| g\)' has no columns/],
    ['y ~ (1 | log(g))', /grouping factor 'log\(g\)' must be column names/],
    ['y ~ x^2', /'x\^2' in a formula is an interaction power \(R reads it as x\); use I\(x\^2\) for a square at column 6/],
    ['y ~ .', /'\.' \(all other columns\) is not supported/],
    ['y ~ ((1 | g) | h)', /cannot contain another '\|'/],
    ['y ~ -x', /unsupported '-' before 'x'/],
    ['y ~ cbind(a, b)', /cbind\(\) belongs on the left/],
  ];
  for (const [f, re] of bad) assert.throws(() => termsOf(f), (e: unknown) => e instanceof Error && e.name === 'GlmmInputError' && re.test(e.message), f);
});
