/** Number formatting and the NaN-safe JSON writer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MISSING, decimalsFor, formatCount, formatFixed, formatRhat, formatSeconds, formatSig, toJson } from '../../src/report/format.js';

test('decimalsFor gives 3 significant digits of the scale, clamped to [0, 6]', () => {
  assert.equal(decimalsFor(0.256), 3);
  assert.equal(decimalsFor(0.0745), 4);
  assert.equal(decimalsFor(2.5), 2);
  assert.equal(decimalsFor(12.5), 1);
  assert.equal(decimalsFor(1234), 0);
  assert.equal(decimalsFor(1e-9), 6);
  assert.equal(decimalsFor(null), 2);
  assert.equal(decimalsFor(0), 2);
});

test('formatFixed, formatSig, formatCount, formatRhat, formatSeconds', () => {
  assert.equal(formatFixed(-0.0001, 2), '0.00');
  assert.equal(formatFixed(1.23456, 3), '1.235');
  assert.equal(formatFixed(null, 2), MISSING);
  assert.equal(formatFixed(NaN, 2), MISSING);
  assert.equal(formatFixed(Infinity, 2), 'Inf');
  assert.equal(formatFixed(-Infinity, 2), '-Inf');
  assert.equal(formatSig(1234.5), '1235');
  assert.equal(formatSig(0.012345), '0.0123');
  assert.equal(formatSig(-2.0), '-2.00');
  assert.equal(formatSig(3.2e-7), '3.20e-7');
  assert.equal(formatSig(0), '0');
  assert.equal(formatCount(412.6), '413');
  assert.equal(formatCount(undefined), MISSING);
  assert.equal(formatRhat(1.00049), '1.000');
  assert.equal(formatSeconds(3.214), '3.21 s');
  assert.equal(formatSeconds(42.04), '42.0 s');
  assert.equal(formatSeconds(315.4), '315 s');
});

test('toJson writes NaN and ±Infinity as null, typed arrays as arrays', () => {
  const text = toJson({ a: NaN, b: Infinity, c: -Infinity, d: 1.5, e: new Float64Array([1, NaN, 2]), f: [Infinity], g: null });
  assert.deepEqual(JSON.parse(text), { a: null, b: null, c: null, d: 1.5, e: [1, null, 2], f: [null], g: null });
  assert.ok(!/NaN|Infinity/.test(text));
  assert.equal(toJson({ x: 1 }, 0), '{"x":1}');
});
