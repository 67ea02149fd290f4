import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowSchedule } from '../../src/sampler/adaptation/windows.js';

// Table: Stan's windowed_adaptation.hpp (75/25/50). W = 1000, 2000, 500: reference/algorithms.md §1.5
// (compiled against the header). W = 150: init + window + term = W, so the normal branch with a single
// window that already ends at W − term − 1. W = 100, 20: the intended 15%/75%/10% split
// (init ⌊0.15W⌋, term ⌊0.10W⌋), as NumPyro/BlackJAX; Stan's snapshot never updates there (#3380).
const table: [number, number, number, [number, number][]][] = [
  [1000, 75, 50, [[75, 99], [100, 149], [150, 249], [250, 449], [450, 949]]],
  [2000, 75, 50, [[75, 99], [100, 149], [150, 249], [250, 449], [450, 849], [850, 1949]]],
  [500, 75, 50, [[75, 99], [100, 149], [150, 249], [250, 449]]],
  [150, 75, 50, [[75, 99]]],
  [149, 22, 14, [[22, 134]]],
  [100, 15, 10, [[15, 89]]],
  [20, 3, 2, [[3, 17]]],
  [19, 19, 0, []],
  [0, 0, 0, []],
];

for (const [W, init, term, windows] of table) {
  test(`window schedule for warmup ${W}`, () => {
    const s = windowSchedule(W);
    assert.equal(s.initBuffer, init);
    assert.equal(s.termBuffer, term);
    assert.deepEqual(s.windows.map((w) => [...w]), windows);
  });
}

test('window schedule with custom buffers follows the same doubling/stretch rule', () => {
  // init 10, window 10, term 10, W = 100: next = 19; then 39 (39+40 ≥ 90? no); then 79 (79+80 ≥ 90) → 89.
  assert.deepEqual(windowSchedule(100, { initBuffer: 10, window: 10, termBuffer: 10 }).windows.map((w) => [...w]), [
    [10, 19],
    [20, 39],
    [40, 89],
  ]);
});
