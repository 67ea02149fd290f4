/**
 * Row order of the gather path (src/target/rowOrder.ts): which term is blocked, and that the permutation
 * puts each level's rows in one block of equal size, in data order within the block.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/target/parameters.js';
import { blockRowOrder, permuteRows } from '../../src/target/rowOrder.js';
import { simulatedDesign } from './designs.js';

test('the balanced scalar term with the most levels is blocked; each block holds one level in data order', () => {
  const d = simulatedDesign({ n: 60, p: 2, terms: [{ group: 'a', k: 1, nLevels: 5 }, { group: 'b', k: 1, nLevels: 6, index: (i) => Math.floor(i / 5) % 6 }], family: 'poisson', link: 'log', seed: 'order' });
  const spec = buildModel(d, { family: 'poisson' });
  const order = blockRowOrder(spec);
  assert.ok(order);
  assert.equal(order.term, 1);
  assert.equal(order.blockSize, 10);
  const idx = permuteRows(spec.terms[1].index, order.perm);
  for (let i = 0; i < 60; i++) assert.equal(idx[i], Math.floor(i / 10), `position ${i}`);
  for (let i = 1; i < 60; i++) if (idx[i] === idx[i - 1]) assert.ok(order.perm[i] > order.perm[i - 1], 'data order within a block');
  assert.deepEqual([...order.perm].sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i), 'a permutation');
  // rows of width 2 move together
  const X = permuteRows(spec.design.fixed.X, order.perm, 2);
  for (let i = 0; i < 60; i++) assert.deepEqual([X[2 * i], X[2 * i + 1]], [spec.design.fixed.X[2 * order.perm[i]], spec.design.fixed.X[2 * order.perm[i] + 1]]);
});

test('no blocking for unbalanced levels or correlated terms', () => {
  const unbalanced = simulatedDesign({ n: 60, p: 2, terms: [{ group: 'g', k: 1, nLevels: 7 }], family: 'poisson', link: 'log', seed: 'u' });
  assert.equal(blockRowOrder(buildModel(unbalanced, { family: 'poisson' })), null);
  const cor = simulatedDesign({ n: 60, p: 2, terms: [{ group: 'g', k: 2, nLevels: 6 }], family: 'poisson', link: 'log', seed: 'c' });
  assert.equal(blockRowOrder(buildModel(cor, { family: 'poisson' })), null);
});
