import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ar, genU, columns } from './lcg.js';
import { readFixture } from './fixture.js';
import { addAutocovariances, autocovariance, lazyMeanAutocovariance } from '../../diagnostics/fft.js';
import { rhat, rhatBasic, rhatParts } from '../../diagnostics/rhat.js';
import { essBasic, essBulk, essTail, essQuantile, essMedian, essMean, essSd } from '../../diagnostics/ess.js';
import { mcseMean, mcseSd, mcseQuantile, mcseMedian } from '../../diagnostics/mcse.js';
import { quantile } from '../../diagnostics/quantile.js';
import { zScale, splitChains } from '../../diagnostics/transforms.js';

// Expected values: test/fixtures/diagnostics-reference.json (R posterior 1.4.0 = stan-dev/posterior@0c94631
// for these measures; ess_sd/mcse_sd with the ≥ 1.6.1 formula), copied from the project reference with
// its provenance. Draws are regenerated with the LCG of algorithms.md §5.1.
type Val = number | 'NA';
const ref = readFixture<{ expected: Record<string, Record<string, Val | Val[] | number[]>>; small_example: any }>(
  'diagnostics-reference.json',
);

function dataset(name: string): { x: Float64Array; N: number } {
  const chains = (C: number, f: (c: number) => Float64Array) => Array.from({ length: C }, (_, i) => f(i + 1));
  switch (name) {
    case 'ar09': return { x: columns(chains(4, (c) => ar(c, 1000, 0.9))), N: 1000 };
    case 'ar09_shift': {
      const ch = chains(4, (c) => ar(c, 1000, 0.9));
      ch[3] = ch[3].map((v) => v + 1.0);
      return { x: columns(ch), N: 1000 };
    }
    case 'anti': return { x: columns(chains(4, (c) => ar(c, 1000, -0.5))), N: 1000 };
    case 'odd': return { x: columns(chains(3, (c) => ar(c, 101, 0.3))), N: 101 };
    case 'heavy': return { x: columns(chains(4, (c) => genU(c + 100, 500).map((u) => 1 / u))), N: 500 };
    case 'ties': return { x: columns(chains(4, (c) => genU(c + 200, 200).map((u) => Math.floor(5 * u)))), N: 200 };
    case 'cap': return { x: columns([ar(7, 1000, -0.95)]), N: 1000 };
    default: throw new Error(name);
  }
}

const TOL = 1e-8; // the brief's relative tolerance

function close(got: number, want: Val, what: string): void {
  if (want === 'NA') {
    assert.ok(Number.isNaN(got), `${what}: expected NA, got ${got}`);
    return;
  }
  if (want === 0) {
    assert.equal(got, 0, what);
    return;
  }
  const rel = Math.abs(got - want) / Math.abs(want);
  assert.ok(rel < TOL, `${what}: got ${got}, want ${want} (rel ${rel.toExponential(2)})`);
}

for (const name of ['ar09', 'ar09_shift', 'anti', 'odd', 'heavy', 'ties', 'cap']) {
  test(`posterior reference values: ${name}`, () => {
    const e = ref.expected[name] as Record<string, Val & number>;
    const { x, N } = dataset(name);
    const first = e.first as unknown as number[];
    for (let i = 0; i < 3; i++) close(x[i], first[i], 'first draws');
    const S = x.length;
    const mean = x.reduce((a, b) => a + b, 0) / S;
    close(mean, e.mean, 'mean');
    close(Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1)), e.sd, 'sd');
    const parts = rhatParts(x, N);
    close(parts.bulk, e.rhat_bulk_part, 'rhat bulk part');
    close(parts.tail, e.rhat_tail_part, 'rhat tail part');
    close(rhat(x, N), e.rhat, 'rhat');
    close(rhatBasic(x, N), e.rhat_basic, 'rhat_basic');
    close(essBasic(x, N), e.ess_basic, 'ess_basic');
    close(essMean(x, N), e.ess_mean, 'ess_mean');
    close(essBulk(x, N), e.ess_bulk, 'ess_bulk');
    close(essTail(x, N), e.ess_tail, 'ess_tail');
    close(essQuantile(x, N, 0.05), e.ess_q05, 'ess_q05');
    close(essQuantile(x, N, 0.95), e.ess_q95, 'ess_q95');
    close(essMedian(x, N), e.ess_median, 'ess_median');
    close(essSd(x, N), e.ess_sd, 'ess_sd');
    close(mcseMean(x, N), e.mcse_mean, 'mcse_mean');
    close(mcseSd(x, N), e.mcse_sd, 'mcse_sd');
    close(mcseQuantile(x, N, 0.05), e.mcse_q05, 'mcse_q05');
    close(mcseMedian(x, N), e.mcse_median, 'mcse_median');
    close(mcseQuantile(x, N, 0.95), e.mcse_q95, 'mcse_q95');
    close(quantile(x, 0.05), e.q05, 'q05');
    close(quantile(x, 0.95), e.q95, 'q95');
    const acov = autocovariance(x.subarray(0, N));
    const lag = e.acov_chain1_lag012 as unknown as number[];
    for (let k = 0; k < 3; k++) close(acov[k], lag[k], `acov lag ${k}`);
  });
}

test('autocovariance([1,2,3,4,5]) = [2, 0.8, -0.2, -0.8, -0.8] (algorithms.md §2)', () => {
  const want = [2, 0.8, -0.2, -0.8, -0.8];
  const got = autocovariance([1, 2, 3, 4, 5]);
  for (let k = 0; k < 5; k++) assert.ok(Math.abs(got[k] - want[k]) < 1e-15, `lag ${k}: ${got[k]}`);
  assert.deepEqual(Array.from(autocovariance([3, 3, 3])), [0, 0, 0]);
});

test('autocovariance by FFT equals the direct sum for many lengths', () => {
  for (const N of [1, 2, 3, 7, 31, 64, 100, 257]) {
    const y = ar(N, N, 0.7);
    const m = y.reduce((a, b) => a + b, 0) / N;
    const got = autocovariance(y);
    for (let k = 0; k < N; k++) {
      let s = 0;
      for (let t = 0; t + k < N; t++) s += (y[t] - m) * (y[t + k] - m);
      assert.ok(Math.abs(got[k] - s / N) < 1e-14 * (1 + Math.abs(got[0])), `N=${N} lag ${k}`);
    }
  }
});

test('small explicit example (algorithms.md §5.2)', () => {
  const ex = ref.small_example;
  const e = ex.expected;
  const x = columns([ex.chain1, ex.chain2]);
  const N = 24;
  const z = zScale(splitChains(x, N).data);
  for (let i = 0; i < 3; i++) close(z[i], e.z_split_chain1_first3[i], `z[${i}]`);
  close(rhatBasic(x, N), e.rhat_basic, 'rhat_basic');
  close(rhat(x, N), e.rhat, 'rhat');
  close(essBasic(x, N), e.ess_basic, 'ess_basic');
  close(essBulk(x, N), e.ess_bulk, 'ess_bulk');
  close(essQuantile(x, N, 0.05), e.ess_q05, 'ess_q05');
  close(essQuantile(x, N, 0.95), e.ess_q95, 'ess_q95');
  close(essTail(x, N), e.ess_tail, 'ess_tail');
  close(mcseMean(x, N), e.mcse_mean, 'mcse_mean');
  close(mcseQuantile(x, N, 0.05), e.mcse_q05, 'mcse_q05');
  close(mcseMedian(x, N), e.mcse_median, 'mcse_median');
  // rows 1-8 only: split N = 4, the R `1:0` quirk gives ESS = S/2 = 8
  const x8 = columns([ex.chain1.slice(0, 8), ex.chain2.slice(0, 8)]);
  assert.equal(essBasic(x8, 8), e.ess_basic_first8_rows);
});

test('posteriordb eight_schools values are mean/rhat-type; NA paths for constant and non-finite draws', () => {
  const c = new Float64Array(40).fill(2);
  for (const f of [rhat, rhatBasic, essBasic, essBulk, essTail, mcseMean, mcseSd]) assert.ok(Number.isNaN(f(c, 10)));
  const inf = columns([ar(1, 10, 0.5), ar(2, 10, 0.5)]);
  inf[3] = Infinity;
  for (const f of [rhat, rhatBasic, essBasic, essBulk, essTail, mcseMean, mcseSd]) assert.ok(Number.isNaN(f(inf, 10)));
  // N < 3 after splitting → ESS NA (posterior .ess)
  assert.ok(Number.isNaN(essBasic(columns([ar(1, 5, 0.5), ar(2, 5, 0.5)]), 5)));
});

test('lazy mean autocovariance (direct lags, then FFT) equals the all-FFT values', () => {
  for (const [N, M, phi] of [[500, 8, 0.2], [500, 8, 0.99], [37, 3, 0.5], [6, 2, -0.3]] as const) {
    const x = columns(Array.from({ length: M }, (_, c) => ar(c + 40, N, phi)));
    const full = new Float64Array(N);
    addAutocovariances(x, N, M, 1 / M, full);
    // ask lag by lag (the direct path), and a fresh instance for a long lag first (the FFT path)
    const lazy = lazyMeanAutocovariance(x, N, M);
    for (let k = 0; k < N; k++) assert.ok(Math.abs(lazy(k) - full[k]) <= 1e-14 * full[0], `N=${N} phi=${phi} lag ${k}`);
    const jump = lazyMeanAutocovariance(x, N, M);
    assert.ok(Math.abs(jump(N - 1) - full[N - 1]) <= 1e-14 * full[0]);
  }
});
