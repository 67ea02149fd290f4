import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateResponse, checkColumnsExist, checkNotEmpty } from '../../src/data/validate.js';
import { readCsv } from '../../src/data/read.js';
import { GlmmInputError } from '../../base/errors.js';
import type { FamilyName } from '../../models/families/types.js';

const rows = Int32Array.from([0, 2, 3, 4]); // kept rows: data row 2 (index 1) was dropped
const oneLine = (re: RegExp) => (e: unknown): boolean => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n');
const y = (...v: number[]): Float64Array => Float64Array.from(v);

test('poisson / negbinomial need non-negative integers; the message names the data row', () => {
  for (const fam of ['poisson', 'negbinomial'] as FamilyName[]) {
    validateResponse(fam, { label: 'count', y: y(0, 3, 7, 100) }, rows);
    assert.throws(() => validateResponse(fam, { label: 'count', y: y(0, 3, 2.5, 1) }, rows),
      oneLine(new RegExp(`^${fam} response 'count' must be a non-negative integer count; row 4 has 2\\.5$`)));
    assert.throws(() => validateResponse(fam, { label: 'count', y: y(-1, 3, 2, 1) }, rows), oneLine(/row 1 has -1$/));
  }
});

test('binomial: cbind(successes, failures) with non-negative integer parts, or 0/1 as glmer', () => {
  const cb = (f: number[]) => ({ successes: 'x', failures: 'n - x', f: y(...f) });
  validateResponse('binomial', { label: 'cbind(x, n - x)', y: y(0, 1, 5, 2), cbind: cb([3, 0, 0, 1]) }, rows);
  validateResponse('binomial', { label: 'y', y: y(0, 1, 1, 0) }, rows);
  validateResponse('binomial', { label: 'y', y: y(0, 1, 1, 0), factorLevels: ['no', 'yes'] }, rows);
  assert.throws(() => validateResponse('binomial', { label: 'y', y: y(0, 1, 3, 0) }, rows),
    oneLine(/^binomial response 'y' must be 0\/1 \(or a two-level factor\), a proportion with --weights TRIALS, or cbind\(x, n - x\) for x successes out of n; row 4 has 3$/));
  assert.throws(() => validateResponse('binomial', { label: 'cbind(x, n - x)', y: y(0, 1, 5, 2), cbind: cb([3, 0, -2, 1]) }, rows),
    oneLine(/failures 'n - x' must be a non-negative integer \(successes between 0 and the trials\); row 4 has -2$/));
  assert.throws(() => validateResponse('binomial', { label: 'cbind(x, n - x)', y: y(0, 1.5, 5, 2), cbind: cb([3, 0, 0, 1]) }, rows),
    oneLine(/successes 'x' must be a non-negative integer; row 3 has 1\.5$/));
  assert.throws(() => validateResponse('poisson', { label: 'cbind(x, n - x)', y: y(0, 1, 5, 2), cbind: cb([3, 0, 0, 1]) }, rows),
    oneLine(/cbind\(successes, failures\) is only for --family binomial/));
});

test('bernoulli: 0/1 or a two-level factor', () => {
  validateResponse('bernoulli', { label: 'y', y: y(0, 1, 1, 0) }, rows);
  validateResponse('bernoulli', { label: 'y', y: y(0, 1, 1, 0), factorLevels: ['no', 'yes'] }, rows);
  assert.throws(() => validateResponse('bernoulli', { label: 'y', y: y(0, 1, 2, 0) }, rows), oneLine(/must be 0\/1 or a two-level factor.*row 4 has 2$/));
  assert.throws(() => validateResponse('bernoulli', { label: 'y', y: y(0, 1, 2, 0), factorLevels: ['a', 'b', 'c'] }, rows),
    oneLine(/is a factor with 3 levels \(a, b, c\); it needs exactly 2/));
  assert.throws(() => validateResponse('poisson', { label: 'y', y: y(0, 1, 1, 0), factorLevels: ['no', 'yes'] }, rows),
    oneLine(/poisson response 'y' is a factor \(levels no, yes\); it must be numeric/));
});

test('gamma needs positive values, gaussian finite ones', () => {
  validateResponse('gamma', { label: 'time', y: y(0.1, 3, 2, 9) }, rows);
  assert.throws(() => validateResponse('gamma', { label: 'time', y: y(0.1, 0, 2, 9) }, rows), oneLine(/gamma response 'time' must be positive and finite; row 3 has 0$/));
  validateResponse('gaussian', { label: 'w', y: y(-1, 0, 2, 9) }, rows);
  assert.throws(() => validateResponse('gaussian', { label: 'w', y: y(-1, 0, Infinity, 9) }, rows), oneLine(/must be finite; row 4 has Inf$/));
});

test('unknown columns and empty data', () => {
  const df = readCsv('count,trt\n1,a\n');
  assert.throws(() => checkColumnsExist(df, [{ column: 'trtt', term: 'trtt' }]),
    { message: "unknown column 'trtt' in formula term 'trtt'; columns are: count, trt" });
  assert.throws(() => checkNotEmpty(0, 0, ['a']), oneLine(/the data set has no rows/));
  assert.throws(() => checkNotEmpty(5, 5, ['a', 'b']), oneLine(/no rows left: all 5 rows have a missing value \(empty, NA or NaN\) in one of the columns a, b/));
});

test('an unknown family name is an input error', () => {
  assert.throws(() => validateResponse('negbin' as FamilyName, { label: 'y', y: y(1, 2, 3, 4) }, rows), oneLine(/^unknown family 'negbin'; use poisson, binomial/));
});
