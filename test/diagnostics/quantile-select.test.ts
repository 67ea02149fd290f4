/**
 * quantilesBySelection (diagnostics/quantile.ts) gives exactly the type-7 quantiles of the sorted draws
 * (quantileSorted, itself checked against R in reference.test.ts): the same order statistics found by
 * selection, for continuous draws, heavy ties, tiny arrays and the end points; NaN when a draw is NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantileSorted, quantilesBySelection } from '../../diagnostics/quantile.js';
import { genU } from './lcg.js';

/** Deterministic values from the reference generator (lcg.ts), logit-scaled, or rounded to make ties. */
function values(n: number, seed: number, round: number | null): Float64Array {
  return genU(seed, n).map((u) => (round === null ? Math.log(u / (1 - u)) : Math.round(u * round)));
}

test('quantilesBySelection equals quantileSorted on the sorted copy', () => {
  const ps = [0, 0.025, 0.05, 0.5, 0.95, 0.975, 1, 1 / 3];
  for (const [n, round] of [[1, null], [2, null], [7, 3], [100, null], [1001, 5], [20480, null], [20480, 40]] as [number, number | null][]) {
    const x = values(n, n * 7 + 1, round);
    const sorted = Float64Array.from(x).sort();
    const got = quantilesBySelection(x, ps);
    ps.forEach((p, i) => assert.equal(got[i], quantileSorted(sorted, p), `n ${n}, ties ${round}, p ${p}`));
  }
});

test('quantilesBySelection: NaN when a draw is NaN, for an empty array and for p outside [0, 1]; the input is not changed', () => {
  const x = values(50, 3, null);
  const copy = Float64Array.from(x);
  quantilesBySelection(x, [0.1, 0.9]);
  assert.deepEqual(x, copy);
  x[17] = NaN;
  assert.ok(quantilesBySelection(x, [0.1, 0.9]).every(Number.isNaN));
  assert.ok(Number.isNaN(quantilesBySelection(new Float64Array(0), [0.5])[0]));
  assert.ok(Number.isNaN(quantilesBySelection(copy, [1.5])[0]));
});
