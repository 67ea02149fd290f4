/** The ordinal response (src/data/ordinal.ts): category order from --levels, integers 1..K, number-like factors; one-line errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ordinalResponse } from '../../src/data/ordinal.js';
import { GlmmInputError } from '../../base/errors.js';
import { factorFromLabels } from '../../src/data/frame.js';
import type { Column } from '../../src/data/frame.js';

const num = (v: number[]): Column => ({ kind: 'numeric', name: 'rating', values: Float64Array.from(v) });
const rows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const what = "cumulative response 'rating'";
const fails = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n'));

test('integers 1..K are the categories in numeric order', () => {
  const r = ordinalResponse(what, num([2, 1, 3, 3, 2]), rows(5));
  assert.deepEqual([...r.y], [2, 1, 3, 3, 2]);
  assert.deepEqual(r.categories, ['1', '2', '3']);
});

test('--levels sets the order of text categories; the integers follow it', () => {
  const col = factorFromLabels('rating', ['low', 'high', 'medium', 'low']);
  const r = ordinalResponse(what, col, rows(4), ['low', 'medium', 'high']);
  assert.deepEqual([...r.y], [1, 3, 2, 1]);
  assert.deepEqual(r.categories, ['low', 'medium', 'high']);
  // numbers matched by their printed label, in the order given (reversed here)
  assert.deepEqual([...ordinalResponse(what, num([1, 2, 3]), rows(3), ['3', '2', '1']).y], [3, 2, 1]);
});

test('an empty category is one error naming it', () => {
  fails(() => ordinalResponse(what, num([1, 2, 4, 4]), rows(4)), /category '3' of 1 < 2 < 3 < 4 has no rows/);
  const col = factorFromLabels('rating', ['low', 'high', 'low']);
  fails(() => ordinalResponse(what, col, rows(3), ['low', 'medium', 'high']), /category 'medium' of low < medium < high has no rows.*drop it from --levels/);
  // a number-like factor (read with --factor) with a gap is caught the same way
  fails(() => ordinalResponse(what, factorFromLabels('rating', ['1', '2', '4']), rows(3)), /category '3' of 1 < 2 < 3 < 4 has no rows/);
});

test('bad values name the row; text without --levels, duplicates and a single category are refused', () => {
  fails(() => ordinalResponse(what, num([1, 0, 2]), rows(3)), /integers 1\.\.K.*row 2 has 0/);
  fails(() => ordinalResponse(what, num([1, 2.5]), rows(2)), /row 2 has 2\.5/);
  fails(() => ordinalResponse(what, factorFromLabels('rating', ['low', 'high']), rows(2)), /text categories \(high, low\); give their order with --levels/);
  fails(() => ordinalResponse(what, factorFromLabels('rating', ['low', 'odd']), rows(2), ['low', 'high']), /row 2 has 'odd', which is not in --levels low,high/);
  fails(() => ordinalResponse(what, num([1, 2]), rows(2), ['1', '2', '1']), /'1' is listed twice/);
  fails(() => ordinalResponse(what, num([1, 1]), rows(2)), /only one category \('1'\)/);
});
