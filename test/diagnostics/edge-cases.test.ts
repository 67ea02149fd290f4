import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from './fixture.js';
import { rhat, rhatBasic } from '../../diagnostics/rhat.js';
import { essBasic, essBulk, essTail, essMedian, essQuantile, essSd } from '../../diagnostics/ess.js';
import { mcseMean, mcseSd, mcseMedian, mcseQuantile } from '../../diagnostics/mcse.js';
import { quantile } from '../../diagnostics/quantile.js';
import { mad, median, summarizeVariable } from '../../diagnostics/summary.js';

// Golden values: R posterior 1.4.0 on short chains (N < 3 NA rule, R's cbind-of-vectors split at
// N = 2, 3, the 1:0 quirk), odd N, one chain, ties, a constant chain, binary draws, -0, heavy tails
// and p = 1 in ess_quantile; produced by test/fixtures/posterior-edge-cases.R (17 significant digits).
const ref = readFixture<{
  sets: { name: string; N: number; M: number; draws: string[]; expected: Record<string, string> }[];
}>('posterior-edge-cases.json');

type Measure = (x: Float64Array, N: number) => number;
const measures: Record<string, Measure> = {
  rhat, rhat_basic: rhatBasic, ess_basic: essBasic, ess_bulk: essBulk, ess_tail: essTail, ess_median: essMedian,
  ess_q25: (x, N) => essQuantile(x, N, 0.25), ess_q100: (x, N) => essQuantile(x, N, 1), ess_sd: essSd,
  mcse_mean: mcseMean, mcse_sd: mcseSd, mcse_median: mcseMedian, mcse_q25: (x, N) => mcseQuantile(x, N, 0.25),
  q5: (x) => quantile(x, 0.05), q95: (x) => quantile(x, 0.95), median: (x) => median(x), mad: (x) => mad(x),
};

function check(got: number, want: string, what: string): void {
  if (want === 'NA') return assert.ok(Number.isNaN(got), `${what}: expected NA, got ${got}`);
  const w = Number(want);
  if (w === 0) return assert.ok(got === 0, `${what}: got ${got}, want 0`);
  assert.ok(Math.abs(got - w) / Math.abs(w) < 1e-8, `${what}: got ${got}, want ${w}`);
}

for (const set of ref.sets) {
  test(`posterior edge case ${set.name}`, () => {
    const x = Float64Array.from(set.draws.map(Number));
    assert.equal(x.length, set.N * set.M);
    for (const [key, f] of Object.entries(measures)) check(f(x, set.N), set.expected[key], `${set.name}.${key}`);
    // summarizeVariable shares sorts and ranks between measures: it must give the same numbers
    const s = summarizeVariable(set.name, x, set.N);
    for (const key of ['rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_median', 'q5', 'q95', 'median', 'mad'] as const) {
      check(s[key], set.expected[key], `${set.name} summary.${key}`);
    }
  });
}
