import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixture } from './fixture.js';
import { ar, genU } from './lcg.js';
import { summarizeDraws, hdi, mad, median, sd } from '../../diagnostics/summary.js';
import { mcseSd } from '../../diagnostics/mcse.js';
import { parameterMatrix, type Draws } from '../../diagnostics/draws.js';
import { ebfmi, ebfmiPerChain } from '../../diagnostics/ebfmi.js';

// Golden values: R posterior 1.4.0 summarise_draws by test/fixtures/summarise-draws-reference.R (strings
// of 17 significant digits, "NA" for NA). Draws regenerated here with the LCG of algorithms.md §5.1.
const ref = readFixture<{ rows: Record<string, string>[] }>('summarise-draws-reference.json');

function fixtureDraws(): Draws {
  const N = 201;
  const C = 4;
  const names = ['a', 'b', 'c', 'd'];
  const data = new Float64Array(C * N * names.length);
  for (let c = 1; c <= C; c++) {
    const a = ar(c, N, 0.9);
    const b = genU(c + 50, N);
    const cc = genU(c + 60, N);
    for (let d = 0; d < N; d++) {
      const row = ((c - 1) * N + d) * 4;
      data[row] = a[d];
      data[row + 1] = 1 / b[d];
      data[row + 2] = Math.floor(3 * cc[d]);
      data[row + 3] = 2.5;
    }
  }
  return { nChains: C, nDraws: N, names, data };
}

test('summarizeDraws matches posterior summarise_draws, mcse_quantile and mcse_median included (odd N, heavy tail, ties, constant)', () => {
  const draws = fixtureDraws();
  const got = summarizeDraws(draws);
  assert.equal(got.length, ref.rows.length);
  for (let i = 0; i < got.length; i++) {
    const want = ref.rows[i];
    const row = got[i] as unknown as Record<string, number | string>;
    assert.equal(row.variable, want.variable);
    for (const key of ['mean', 'median', 'sd', 'mad', 'q5', 'q95', 'rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_q5', 'mcse_q95', 'mcse_median']) {
      const g = row[key] as number;
      const w = want[key];
      const what = `${want.variable}.${key}: got ${g}, want ${w}`;
      if (w === 'NA') assert.ok(Number.isNaN(g), what);
      else if (+w === 0) assert.ok(Math.abs(g) < 1e-15, what);
      else assert.ok(Math.abs(g - +w) / Math.abs(+w) < 1e-8, what);
    }
    // mcse_sd: posterior ≥ 1.6.1 formula, checked against diagnostics-reference.json in reference.test.ts
    assert.equal(got[i].mcse_sd, mcseSd(parameterMatrix(draws, i), draws.nDraws));
  }
  // constant variable: posterior's NA for the convergence measures, plain numbers for the rest
  const d = got[3];
  assert.equal(d.mean, 2.5);
  assert.equal(d.sd, 0);
  assert.ok(Number.isNaN(d.rhat) && Number.isNaN(d.ess_bulk) && Number.isNaN(d.ess_tail) && Number.isNaN(d.mcse_mean));
});

test('median, mad, sd follow R', () => {
  // R: median(c(3,1,4,1,5,9)) = 3.5; mad(...) = 1.4826 * median(|x-3.5|) = 1.4826 * 2 = 2.9652
  const x = [3, 1, 4, 1, 5, 9];
  assert.equal(median(x), 3.5);
  assert.equal(mad(x), 1.4826 * 2);
  assert.ok(Math.abs(sd([1, 2, 3, 4]) - Math.sqrt(5 / 3)) < 1e-15);
  assert.ok(Number.isNaN(median([1, NaN])));
});

test('hdi is the shortest interval holding floor(prob·n)+1 sorted draws (ArviZ _hdi)', () => {
  // sorted 0,1,2,3,4,10: prob 0.5 → idx 3: widths [3-0, 4-1, 10-2] → first min at 0 → [0, 3]
  assert.deepEqual(hdi([4, 10, 0, 2, 1, 3], 0.5), [0, 3]);
  // skewed: 0,0.1,0.2,0.3,5,6,7,8,9,10 with prob 0.3 → idx 3: widths .3,4.9,5.8,5.7,4,4,3 → [0, 0.3]
  assert.deepEqual(hdi([0, 0.1, 0.2, 0.3, 5, 6, 7, 8, 9, 10], 0.3), [0, 0.3]);
});

test('E-BFMI matches the reference for the ar09 chains (Betancourt form)', () => {
  // reference/algorithms.md §5.1, diagnostics-reference.json ebfmi_ar09 (computed with numpy/R)
  const ref2 = readFixture<{ expected: { ebfmi_ar09: { betancourt: number[]; cmdstanr_rstan: number[] } } }>(
    'diagnostics-reference.json',
  ).expected.ebfmi_ar09;
  const N = 1000;
  const m = new Float64Array(4 * N);
  for (let c = 0; c < 4; c++) m.set(ar(c + 1, N, 0.9), c * N);
  const got = ebfmiPerChain(m, N);
  for (let c = 0; c < 4; c++) {
    assert.ok(Math.abs(got[c] - ref2.betancourt[c]) / ref2.betancourt[c] < 1e-12, `chain ${c + 1}`);
    // cmdstanr/rstan report (N−1)/N of it
    assert.ok(Math.abs((got[c] * (N - 1)) / N - ref2.cmdstanr_rstan[c]) / ref2.cmdstanr_rstan[c] < 1e-12);
  }
  // hand example: E = [1, 3, 2]: Σdiff² = 4 + 1 = 5, Σ(E−2)² = 2 → 2.5
  assert.equal(ebfmi([1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(ebfmi([1, 1, 1])));
});
