import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rhatNested, rhatNestedDraws, superchainsOf, nestedRhatThreshold } from '../../diagnostics/nested-rhat.js';
import { columns } from './lcg.js';
import { readFixture } from './fixture.js';

// Golden values: stan-dev/posterior `.rhat_nested` (R/nested_rhat.R @ d6389f6) run in R 4.2.2 by
// test/fixtures/nested-rhat-reference.R; the fixture carries the draws, ids and the R result (null = NA).
const fixture = readFixture<{
  cases: Record<string, { nDraws: number; chains: (number | string)[][]; ids: number[]; rhat_nested: number | string }>;
}>('nested-rhat-reference.json');

/** R's jsonlite writes NA/Inf as strings. */
function num(v: number | string): number {
  if (typeof v === 'number') return v;
  return v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : NaN;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

for (const [name, c] of Object.entries(fixture.cases)) {
  test(`rhatNested matches posterior: ${name}`, () => {
    const x = columns(c.chains.map((ch) => ch.map(num)));
    const got = rhatNested(x, c.nDraws, c.ids);
    const want = num(c.rhat_nested);
    if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${name}: expected NA, got ${got}`);
    else assert.ok(relErr(got, want) < 1e-12, `${name}: ${got} vs ${want}`);
  });
}

test('rhatNested hand example: K=2, M=2, N=2 gives sqrt(3)', () => {
  // chains [0,2] [2,4] | [4,6] [6,8]: chain means 1,3 | 5,7; each chain variance 2;
  // superchain means 2, 6 → B̂ν = var(2,6) = 8; B̂k = var(1,3) = 2; Ŵk = 2; Ŵν = mean(4,4) = 4;
  // nR̂ = sqrt(1 + 8/4) = sqrt(3).
  const x = Float64Array.from([0, 2, 2, 4, 4, 6, 6, 8]);
  assert.ok(Math.abs(rhatNested(x, 2, [0, 0, 1, 1]) - Math.sqrt(3)) < 1e-15);
  // same chains, superchains given as interleaved ids → chains {0,2} and {1,3}: means (1+5)/2=3, (3+7)/2=5
  // B̂ν = var(3,5) = 2; B̂k = var(1,5) = 8 = var(3,7); Ŵν = 10; nR̂ = sqrt(1.2)
  assert.ok(Math.abs(rhatNested(x, 2, [0, 1, 0, 1]) - Math.sqrt(1.2)) < 1e-15);
});

test('rhatNestedDraws works on chain-major Draws with contiguous superchains', () => {
  const c = fixture.cases['ar_k4_m4_n10'];
  const nChains = c.chains.length;
  const N = c.nDraws;
  const data = new Float64Array(nChains * N * 2);
  for (let ch = 0; ch < nChains; ch++)
    for (let d = 0; d < N; d++) {
      data[(ch * N + d) * 2] = num(c.chains[ch][d]);
      data[(ch * N + d) * 2 + 1] = 1; // constant parameter → NaN
    }
  const r = rhatNestedDraws({ nChains, nDraws: N, names: ['a', 'b'], data }, superchainsOf(nChains, 4));
  assert.ok(relErr(r[0], num(c.rhat_nested)) < 1e-12);
  assert.ok(Number.isNaN(r[1]));
});

test('nestedRhatThreshold reproduces many-chain.md §3 table', () => {
  // many-chain.md lists 1.0308, 1.0156, 1.0078, 1.0040, 1.0005; sqrt(1 + 1/128 + 1e-4) = 1.003948…,
  // which the table rounds up to 1.0040 (5 digits: 1.00395), so compare to ±5e-5 + rounding.
  const table: [number, number][] = [[16, 1.0308], [32, 1.0156], [64, 1.0078], [128, 1.004], [1024, 1.0005]];
  for (const [M, v] of table) assert.ok(Math.abs(nestedRhatThreshold(M) - v) < 6e-5, `M=${M}`);
  assert.equal(nestedRhatThreshold(4), Math.sqrt(1.2501));
});

test('rhatNested rejects a layout mismatch', () => {
  assert.throws(() => rhatNested(new Float64Array(7), 2, [0, 0, 1, 1]), RangeError);
  assert.throws(() => superchainsOf(10, 4), RangeError);
});
