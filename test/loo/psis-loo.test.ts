/**
 * PSIS-LOO, WAIC and loo_compare against R's loo (test/fixtures/loo/loo-reference.R: loo 2.5.1 with
 * r_eff = posterior::ess_mean(exp(log_lik))/S as current loo computes it, and current loo's MCSE
 * formula) on three committed log-likelihood matrices, to 1e-6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath, readFixture } from '../diagnostics/fixture.js';
import { readLogLik } from '../../src/loo/read.js';
import { psisLoo, relativeEff } from '../../src/loo/loo.js';
import { waic } from '../../src/loo/waic.js';
import { elpdCompare } from '../../src/loo/compare.js';
import { paretoKThreshold, paretoTailLength } from '../../src/loo/psis.js';

interface Ref {
  r_eff: number[]; elpd_loo: number; se_elpd_loo: number; p_loo: number; se_p_loo: number; looic: number; se_looic: number;
  pointwise_elpd_loo: number[]; pointwise_p_loo: number[]; pareto_k: number[]; n_eff: number[]; mcse_elpd_loo_pointwise: number[];
  elpd_waic: number; se_elpd_waic: number; p_waic: number; se_p_waic: number; waic: number; se_waic: number; pointwise_p_waic: number[];
}
const ref = readFixture<Record<string, Ref> & { compare: { model: string[]; elpd_diff: number[]; se_diff: number[]; p_worse: (number | null)[] } }>('loo/loo-reference.json');
const load = (name: string) => readLogLik([1, 2].map((c) => fixturePath(`loo/${name}_chain${c}.csv`)));

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs R ${b}`);
}
function closeArr(a: ArrayLike<number>, b: readonly number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < b.length; i++) close(a[i], b[i], tol, `${what}[${i + 1}]`);
}

for (const name of ['example', 'rcbd_blocks', 'rcbd_unit']) {
  test(`PSIS-LOO of ${name} matches R's loo to 1e-6`, () => {
    const ll = load(name);
    const r = ref[name];
    closeArr(relativeEff(ll), r.r_eff, 1e-9, 'r_eff');
    const lo = psisLoo(ll);
    closeArr(lo.pointwise.pareto_k, r.pareto_k, 1e-6, 'pareto_k');
    closeArr(lo.pointwise.n_eff, r.n_eff, 1e-6, 'n_eff');
    closeArr(lo.pointwise.elpd_loo, r.pointwise_elpd_loo, 1e-6, 'elpd_loo_i');
    closeArr(lo.pointwise.p_loo, r.pointwise_p_loo, 1e-6, 'p_loo_i');
    closeArr(lo.pointwise.mcse_elpd_loo, r.mcse_elpd_loo_pointwise, 1e-6, 'mcse_elpd_loo_i');
    for (const k of ['elpd_loo', 'se_elpd_loo', 'p_loo', 'se_p_loo', 'looic', 'se_looic'] as const) close(lo[k], r[k], 1e-6, k);
  });

  test(`WAIC of ${name} matches R's loo to 1e-9`, () => {
    const w = waic(load(name));
    const r = ref[name];
    for (const k of ['elpd_waic', 'se_elpd_waic', 'p_waic', 'se_p_waic', 'waic', 'se_waic'] as const) close(w[k], r[k], 1e-9, k);
    closeArr(w.pointwise.p_waic, r.pointwise_p_waic, 1e-9, 'p_waic_i');
    assert.equal(w.warnings.length > 0, r.pointwise_p_waic.some((p) => p > 0.4));
  });
}

test('loo_compare of the two rcbd models matches R', () => {
  const a = psisLoo(load('rcbd_blocks')), b = psisLoo(load('rcbd_unit'));
  const rows = elpdCompare([
    { label: 'blocks', elpd: a.elpd_loo, se: a.se_elpd_loo, pointwise: a.pointwise.elpd_loo, paretoK: a.pointwise.pareto_k, kThreshold: a.k_threshold },
    { label: 'unit', elpd: b.elpd_loo, se: b.se_elpd_loo, pointwise: b.pointwise.elpd_loo, paretoK: b.pointwise.pareto_k, kThreshold: b.k_threshold },
  ]);
  const c = ref.compare;
  assert.deepEqual(rows.map((r) => r.model), c.model);
  rows.forEach((r, j) => {
    close(r.elpd_diff, c.elpd_diff[j], 1e-6, 'elpd_diff');
    close(r.se_diff, c.se_diff[j], 1e-6, 'se_diff');
    if (c.p_worse[j] === null) assert.ok(Number.isNaN(r.p_worse));
    else close(r.p_worse, c.p_worse[j] as number, 1e-9, 'p_worse');
  });
  assert.equal(rows[1].diag_diff, 'N < 100');
  assert.match(rows[0].diag_elpd, /k_psis > 0\.62/);
});

test('k threshold and tail length follow loo (S = 400: 0.616; S = 4000: 0.7)', () => {
  close(paretoKThreshold(400), 1 - 1 / Math.log10(400), 1e-15, 'threshold 400');
  assert.equal(paretoKThreshold(4000), 0.7);
  assert.equal(paretoTailLength(1000, 1), 95); // ceil(min(200, 3·√1000 = 94.87))
  assert.equal(paretoTailLength(100, 1), 20); // 0.2·S binds
});

test('the rcbd unit-effect model warns: how many k above the threshold, which rows, what to do', () => {
  const lo = psisLoo(load('rcbd_unit'));
  const r = ref.rcbd_unit;
  const expected = r.pareto_k.map((k, i) => (k > lo.k_threshold ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual(lo.bad_k, expected);
  assert.ok(expected.length > 0);
  assert.match(lo.warnings.join('\n'), new RegExp(`^${expected.length} of 16 Pareto k estimates exceed 0\\.62`));
  assert.match(lo.warnings.join('\n'), /K-fold/);
  assert.ok(Number.isNaN(lo.mcse_elpd_loo)); // some k > 0.7: loo's mcse_loo is NA
  assert.equal(psisLoo(load('example')).warnings.length, 0);
});
