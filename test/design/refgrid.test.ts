/**
 * Reference grid: column decoding and term grouping as R's model.matrix names / "assign", grid rows
 * as emmeans' ref_grid (first factor fastest, covariates at their mean).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeColumns, fixedTerms, referenceGrid, marginalRows } from '../../src/design/refgrid.js';

const spec = { factors: { f: ['a', 'b', 'c'], g: ['x', 'y'], ff: ['1', '2'] } };
const cols = ['(Intercept)', 'fb', 'fc', 'gy', 'ff2', 'z', 'fb:gy', 'fc:gy', 'gy:z'];

test('decodes factor parts (longest factor name first), numerics and the intercept', () => {
  const d = decodeColumns(cols, spec);
  assert.deepEqual(d[1], [{ kind: 'factor', factor: 'f', level: 'b' }]);
  assert.deepEqual(d[4], [{ kind: 'factor', factor: 'ff', level: '2' }]);
  assert.deepEqual(d[5], [{ kind: 'numeric', name: 'z' }]);
  assert.deepEqual(d[8], [{ kind: 'factor', factor: 'g', level: 'y' }, { kind: 'numeric', name: 'z' }]);
  assert.deepEqual(fixedTerms(cols, spec).map((t) => [t.label, t.columns]), [['f', [1, 2]], ['g', [3]], ['ff', [4]], ['z', [5]], ['f:g', [6, 7]], ['g:z', [8]]]);
});

test('grid rows and equal-weight marginal rows', () => {
  const n = 4, p = cols.length;
  const X = new Float64Array(n * p);
  [1, 2, 3, 6].forEach((z, i) => (X[i * p + 5] = z)); // mean z = 3
  const g = referenceGrid(cols, X, n, spec);
  assert.deepEqual(g.factors, ['f', 'g', 'ff']);
  assert.equal(g.cells.length, 12);
  assert.deepEqual(Array.from(g.cells[1]), [1, 0, 0]); // first factor fastest
  // cell (c, y, 2): intercept, fc, gy, ff2, z = 3, fc:gy, gy:z = 3
  const c = g.cells.findIndex((x) => x[0] === 2 && x[1] === 1 && x[2] === 1);
  assert.deepEqual(Array.from(g.rows[c]), [1, 0, 1, 1, 1, 3, 0, 1, 3]);
  const m = marginalRows(g, 'g');
  assert.deepEqual(Array.from(m.L[1]), [1, 1 / 3, 1 / 3, 1, 0.5, 3, 1 / 3, 1 / 3, 3]);
});
