import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { GlmmInputError } from '../../base/errors.js';

const oneLine = (re: RegExp) => (e: unknown): boolean => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n');

// 6 data rows; row 3 misses y, row 5 misses g; column 'unused' has a missing value that must not drop anything
const csv = 'y,x,g,f,w,unused\n1,0.5,A,p,1,1\n0,1.5,B,q,2,\n,2.5,A,p,3,3\n3,3.5,B,q,4,4\n2,4.5,,p,5,5\n4,5.5,C,q,6,6\n';

test('rows with a missing value in a used column are dropped and counted; rows maps to data rows', () => {
  const d = buildDesign('y ~ x + (1 | g)', readCsv(csv), 'poisson');
  assert.equal(d.nobs, 4);
  assert.equal(d.droppedRows, 2);
  assert.deepEqual([...(d.rows as Int32Array)], [0, 1, 3, 5]);
  assert.deepEqual([...d.response.y], [1, 0, 3, 4]);
  assert.deepEqual(d.random[0].levels, ['A', 'B', 'C']);
  assert.deepEqual([...d.random[0].index], [0, 1, 1, 2]);
  assert.deepEqual(d.groups, { g: 3 });
  assert.equal(d.offset, null);
  assert.equal(d.response.trials, null);
  // a bad value is reported by its row in the file (row 6), not its position among kept rows
  const bad = csv.replace('4,5.5,C', '4.5,5.5,C');
  assert.throws(() => buildDesign('y ~ x + (1 | g)', readCsv(bad), 'poisson'), oneLine(/row 6 has 4\.5$/));
});

test('unused factor levels are dropped after removing rows (R model.frame drop.unused.levels)', () => {
  const d = buildDesign('y ~ g', readCsv('y,g\n1,a\n2,b\n,c\n4,a\n'), 'poisson');
  assert.deepEqual(d.fixed.columns, ['(Intercept)', 'gb']);
});

test('unknown columns: one line naming the term and listing the columns', () => {
  const df = readCsv(csv);
  assert.throws(() => buildDesign('y ~ xx + (1 | g)', df, 'poisson'), { message: "unknown column 'xx' in formula term 'xx'; columns are: y, x, g, f, w, unused" });
  assert.throws(() => buildDesign('y ~ x:ff', df, 'poisson'), oneLine(/^unknown column 'ff' in formula term 'x:ff'/));
  assert.throws(() => buildDesign('y ~ log(xx)', df, 'poisson'), oneLine(/^unknown column 'xx' in formula term 'log\(xx\)'/));
  assert.throws(() => buildDesign('y ~ x + (1 | gg)', df, 'poisson'), oneLine(/^unknown column 'gg' in formula term '\(1 \| gg\)'/));
  assert.throws(() => buildDesign('yy ~ x', df, 'poisson'), oneLine(/^unknown column 'yy' in formula term 'yy'/));
  assert.throws(() => buildDesign('y ~ x + offset(log(ww))', df, 'poisson'), oneLine(/^unknown column 'ww' in formula term 'offset\(log\(ww\)\)'/));
  assert.throws(() => buildDesign('y ~ x', df, 'poisson', { factors: ['zz'] }), oneLine(/^unknown column 'zz' in formula term '--factor zz'/));
});

test('one-level grouping factor, one-level factor predictor, empty data, non-finite derived values', () => {
  const one = 'y,x,g\n1,1,A\n2,2,A\n3,3,A\n';
  assert.throws(() => buildDesign('y ~ x + (1 | g)', readCsv(one), 'poisson'),
    oneLine(/^grouping factor 'g' in \(1 \| g\) has only 1 level \('A'\) in the rows used; a random effect needs at least 2 levels/));
  assert.throws(() => buildDesign('y ~ g', readCsv(one), 'poisson'), oneLine(/^factor 'g' has only 1 level \('A'\)/));
  assert.throws(() => buildDesign('y ~ x', readCsv('y,x\nNA,1\n2,NA\n'), 'poisson'), oneLine(/^no rows left: all 2 rows have a missing value/));
  assert.throws(() => buildDesign('y ~ x', readCsv('y,x\n'), 'poisson'), oneLine(/^the data set has no rows/));
  assert.throws(() => buildDesign('y ~ log(x)', readCsv('y,x\n1,2\n2,0\n'), 'poisson'), oneLine(/^term 'log\(x\)' is -Inf at row 2; every value must be finite/));
  assert.throws(() => buildDesign('y ~ log(g)', readCsv('y,g\n1,a\n2,b\n'), 'poisson'), oneLine(/column 'g' in term 'log\(g\)' is a factor \(levels a, b\); it must be numeric here/));
  assert.throws(() => buildDesign('y ~ foo(x)', readCsv('y,x\n1,2\n2,3\n'), 'poisson'), oneLine(/unknown function 'foo' in term 'foo\(x\)'; supported: /));
});

test('rank-deficient X: aliased columns dropped left to right (R lm / lme4), reported in fixed.dropped and warnings', () => {
  const df = readCsv('y,x1,x2,x3,z\n1,1,0,1,0\n2,2,1,3,0\n0,3,1,4,0\n4,5,2,7,0\n3,8,1,9,0\n');
  const d = buildDesign('y ~ x1 + x2 + x3 + z', df, 'poisson');
  assert.deepEqual(d.fixed.columns, ['(Intercept)', 'x1', 'x2']);
  assert.deepEqual(d.fixed.dropped, ['x3', 'z']);
  assert.equal(d.fixed.p, 3);
  assert.deepEqual([...d.fixed.X.slice(0, 6)], [1, 1, 0, 1, 2, 1]);
  assert.deepEqual(d.warnings, ['fixed-effect model matrix is rank deficient so dropping 2 columns: x3, z']);
});

test('binomial trials = successes + failures; offsets summed; bernoulli factor response (second level = success)', () => {
  const df = readCsv('x,n,t,e,g\n2,10,1,1,a\n5,8,2,2,b\n0,3,3,3,a\n');
  const d = buildDesign('cbind(x, n - x) ~ offset(log(t)) + offset(e) + (1 | g)', df, 'binomial');
  assert.deepEqual([...d.response.y], [2, 5, 0]);
  assert.deepEqual([...(d.response.trials as Float64Array)], [10, 8, 3]);
  assert.deepEqual([...(d.offset as Float64Array)], [Math.log(1) + 1, Math.log(2) + 2, Math.log(3) + 3]);
  assert.deepEqual(d.fixed.columns, ['(Intercept)']);
  const b = buildDesign('ok ~ x', readCsv('ok,x\nyes,1\nno,2\nyes,3\n'), 'bernoulli');
  assert.deepEqual([...b.response.y], [1, 0, 1]);
  assert.deepEqual(b.response.levels, ['no', 'yes']);
  assert.deepEqual([...(b.response.trials as Float64Array)], [1, 1, 1]);
});

test('factors: numeric columns are factors when asked, and always as grouping factors', () => {
  const df = readCsv('y,trt,block\n1,0,10\n2,1,9\n3,0,9\n4,1,10\n');
  assert.deepEqual(buildDesign('y ~ trt + (1 | block)', df, 'poisson').fixed.columns, ['(Intercept)', 'trt']);
  const d = buildDesign('y ~ trt + (1 | block)', df, 'poisson', { factors: ['trt'] });
  assert.deepEqual(d.fixed.columns, ['(Intercept)', 'trt1']);
  assert.deepEqual(d.random[0].levels, ['9', '10']); // numeric levels in numeric order, as R's factor()
});

test('interaction grouping levels: only combinations that occur, first factor slowest (lme4 %i%)', () => {
  // lme4 1.1-31 mkBlist evaluates a:b as a %i% b: levels ordered by (level of a, level of b), unused dropped
  const df = readCsv('y,a,b\n1,q,2\n2,p,10\n3,q,10\n4,p,2\n5,q,2\n');
  const d = buildDesign('y ~ 1 + (1 | a:b)', df, 'poisson');
  assert.deepEqual(d.random[0].levels, ['p:2', 'p:10', 'q:2', 'q:10']);
  assert.deepEqual([...d.random[0].index], [2, 1, 3, 0, 2]);
  assert.equal(d.random[0].group, 'a:b');
  const e = buildDesign('y ~ 1 + (1 | a:b)', readCsv('y,a,b\n1,q,2\n2,p,10\n3,q,2\n'), 'poisson');
  assert.deepEqual(e.random[0].levels, ['p:10', 'q:2']);
});

test('(f || g) with a factor f: (1 | g) + (0 + f | g) with all levels of f in one correlated block, as lme4', () => {
  const df = readCsv('y,f,g\n1,a,G1\n2,b,G1\n3,c,G2\n4,a,G2\n5,b,G3\n6,c,G3\n');
  const d = buildDesign('y ~ 1 + (f || g)', df, 'poisson');
  assert.deepEqual(d.random.map((r) => [r.group, r.terms, r.cov.correlated]), [
    ['g', ['Intercept'], false],
    ['g', ['fa', 'fb', 'fc'], true], // lme4 1.1-31 gives the same: cnms (Intercept) and fa, fb, fc (test/fixtures/design-golden.json)
  ]);
  // numeric x is split into uncorrelated pieces
  const n = buildDesign('y ~ 1 + (y || g)', df, 'gaussian');
  assert.deepEqual(n.random.map((r) => [r.terms, r.cov.correlated]), [[['Intercept'], false], [['y'], false]]);
});

test('two terms giving the same parameter name are an error', () => {
  const df = readCsv('y,x,g\n1,1,a\n2,2,b\n');
  assert.throws(() => buildDesign('y ~ 1 + (1 | g) + (1 + x | g)', df, 'poisson'),
    oneLine(/random terms \(1 \| g\) and \(1 \+ x \| g\) both give sd_g__Intercept/));
});

test('gaussian with an observation-level grouping factor gets a warning (lmer would stop)', () => {
  const df = readCsv('y,g\n1.5,a\n2.5,b\n0.5,c\n');
  const d = buildDesign('y ~ 1 + (1 | g)', df, 'gaussian');
  assert.equal(d.warnings?.length, 1);
  assert.match(d.warnings?.[0] ?? '', /grouping factor 'g' has as many levels \(3\) as observations/);
});
