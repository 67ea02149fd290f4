/**
 * The predictive check's size rule (src/fit/report-input.ts ppcDraws): 400 draws on small data, fewer on
 * large data so that draws × rows stays at PPC_MAX_CELLS, never under the 40 replicates the density
 * panel overlays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PPC_MAX_CELLS, ppcDraws } from '../../src/fit/report-input.js';

test('ppcDraws: 400 on small data, draws × rows ≤ PPC_MAX_CELLS on large data, at least 40', () => {
  assert.equal(ppcDraws(16), 400);
  assert.equal(ppcDraws(7584), 400);
  assert.equal(ppcDraws(20_000), 200);
  assert.equal(ppcDraws(100_000), 40);
  assert.ok(ppcDraws(100_000) * 100_000 <= PPC_MAX_CELLS);
  assert.equal(ppcDraws(1_000_000), 40);
});
