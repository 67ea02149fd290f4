/**
 * "Stop at a target, not a count" (src/fit/ess-target.ts) and the per-parameter nested R-hat of
 * summary.json: a default fit of the RCBD model with --ess 400 stops at the first check where every
 * β/sd parameter has bulk- and tail-ESS ≥ 400 and nested R-hat ≤ sqrt(1 + 1/M + 1e-4), not before
 * (the check 10 draws earlier failed); `rhat_nested` of every parameter equals an independent,
 * textbook computation of Margossian et al. (2024) eq. 4–8 on the constrained draws; the cap stops an
 * unreachable target with a warning naming the parameter; --draws keeps a fixed length.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { fit, type GlmmFit } from '../../src/fit.js';
import { DEFAULT_MIN_DRAWS, heldFigures, heldParameters, shortfallWarning } from '../../src/fit/ess-target.js';
import { sampleChees } from '../../src/sampler/chees.js';
import type { Draws } from '../../diagnostics/draws.js';
import { iidNormal } from '../sampler/chees-targets.js';
import { repoPath } from '../cli/cli-helpers.js';

/** Nested R-hat from its definition, with plain arrays: chains of superchain k are k·M … k·M + M − 1. */
function textbookNestedRhat(d: Draws, param: number, M: number): number {
  const P = d.names.length, N = d.nDraws, K = d.nChains / M;
  const chain = (c: number) => Array.from({ length: N }, (_, n) => d.data[(c * N + n) * P + param]);
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const variance = (x: number[]) => x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / (x.length - 1);
  const superMeans: number[] = [];
  let W = 0;
  for (let k = 0; k < K; k++) {
    const chains = Array.from({ length: M }, (_, m) => chain(k * M + m));
    superMeans.push(mean(chains.flat()));
    const Bk = variance(chains.map(mean));
    const Wk = mean(chains.map(variance));
    W += (Bk + Wk) / K;
  }
  return Math.sqrt(1 + variance(superMeans) / W);
}

const factors = ['trt', 'block'];
let f400: GlmmFit;

test.before(async () => {
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
  f400 = await fit({ formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson', factors, ess: 400, seed: 3, backend: 'js' });
});

test('an ESS target of 400 stops at the first check where every held parameter reaches it', () => {
  const s = f400.summary;
  assert.equal(s.sampler?.ess_target, 400);
  const N = f400.draws.nDraws;
  assert.equal(DEFAULT_MIN_DRAWS, 40);
  assert.ok(N >= DEFAULT_MIN_DRAWS && (N - DEFAULT_MIN_DRAWS) % 10 === 0 && N < 1000, `${N} draws per chain: checks are at 40, 50, …`);
  const thr = s.sampler!.rhat_nested_threshold!;
  assert.ok(Math.abs(thr - Math.sqrt(1 + 1 / 16 + 1e-4)) < 1e-12);
  for (const p of s.parameters.filter((x) => x.class !== 'r')) {
    assert.ok(p.ess_bulk! >= 400 && p.ess_tail! >= 400, `${p.name}: ESS ${p.ess_bulk}/${p.ess_tail}`);
    assert.ok(p.rhat_nested! <= thr, `${p.name}: nested R-hat ${p.rhat_nested}`);
  }
  assert.ok(!s.warnings.some((w) => /cap/.test(w)), s.warnings.join('\n'));
  if (N > DEFAULT_MIN_DRAWS) {
    // the check 10 draws earlier did not pass (the run did not overshoot)
    const P = f400.unconstrained.names.length, C = f400.unconstrained.nChains, n = N - 10;
    const data = new Float64Array(C * n * P);
    for (let c = 0; c < C; c++) data.set(f400.unconstrained.data.subarray(c * N * P, (c * N + n) * P), c * n * P);
    const ids = Int32Array.from({ length: C }, (_, c) => Math.floor(c / 16));
    assert.equal(heldFigures(f400.spec, { ...f400.unconstrained, nDraws: n, data }, ids, 400).done, false);
  }
});

test('rhat_nested of every parameter equals the textbook formula on the constrained draws; null for NUTS', async () => {
  const M = 16;
  f400.summary.parameters.forEach((p, j) => {
    const ref = textbookNestedRhat(f400.draws, j, M);
    assert.ok(Math.abs(p.rhat_nested! - ref) < 1e-12 * ref, `${p.name}: ${p.rhat_nested} vs ${ref}`);
  });
  assert.deepEqual(heldParameters(f400.spec).map((j) => f400.spec.params[j].name), ['b_Intercept', 'b_trt1', 'sd_block__Intercept', 'sd_block:trt__Intercept']);
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
  const nuts = await fit({ formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson', factors, sampler: 'nuts', chains: 2, warmup: 30, draws: 10, seed: 1, backend: 'js' });
  assert.ok(nuts.summary.parameters.every((p) => p.rhat_nested === null));
  assert.equal(nuts.summary.sampler?.rhat_nested_threshold, null);
  assert.equal(nuts.summary.sampler?.ess_target, null);
});

test('an unreachable target stops at the cap with a warning naming the parameter; --draws fixes the length', async () => {
  // a rule that is never satisfied: the sampler must stop at its cap and report the last check
  let checks = 0;
  const rule = { target: 1e9, minDraws: 20, block: 10, check: () => ({ done: false, minEss: 100 + ++checks, parameter: 'b' }) };
  const t = iidNormal(Float64Array.from([1, 2]));
  const r = await sampleChees(t, { chains: 32, draws: 40, seed: 1, warmup: 50, stopRule: rule });
  assert.equal(r.draws.nDraws, 40);
  assert.equal(r.stopCheck?.done, false);
  assert.equal(checks, 3); // at 20, 30 and 40 draws per chain
  assert.equal(r.stopCheck?.minEss, 103);
  const w = shortfallWarning({ done: false, minEss: 123, parameter: 'b_x', maxNestedRhat: 1.2, rhatParameter: 'sd_g', threshold: 1.03 }, 40, 1000);
  assert.match(w, /cap of 40 draws per chain/);
  assert.match(w, /b_x reached bulk\/tail ESS 123 of the 1000/);
  assert.match(w, /sd_g has nested R-hat 1\.200 above 1\.0300/);
  assert.match(w, /try --sampler nuts/);
  // with the centring advice of fit/centering.ts, it comes first
  const wc = shortfallWarning({ done: false, minEss: 123, parameter: 'b_x', maxNestedRhat: 1.01, rhatParameter: 'sd_g', threshold: 1.03 }, 40, 1000, 'sample the random effects of d centred with --centered d');
  assert.match(wc, /; sample the random effects of d centred with --centered d, or try --sampler nuts to check the answer/);
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
  const fixed = await fit({ formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson', factors, draws: 15, chains: 64, seed: 1, backend: 'js' });
  assert.equal(fixed.draws.nDraws, 15);
  assert.equal(fixed.summary.sampler?.ess_target, null);
});
