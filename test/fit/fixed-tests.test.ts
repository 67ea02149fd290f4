/**
 * fit() carries summary.json's `anova` and `means` (src/fit/fixed-tests.ts) on both answers: the
 * Laplace rows are the lmer LS means (proven against emmeans in test/cli/anova-means.test.ts), the
 * posterior rows are the summaries of the per-draw level means, which for `count ~ trt + (1|block)`
 * are b_Intercept (trt 0) and b_Intercept + b_trt1 (trt 1) draw by draw: checked here exactly.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fit, readCsv, type GlmmFit } from '../../src/index.js';
import { repoPath } from '../cli/cli-helpers.js';

const factors = ['trt', 'block'];
const data = readCsv(readFileSync(repoPath('examples/data/rcbd.csv'), 'utf8'), { factors });
let f: GlmmFit;

before(async () => {
  f = await fit({ formula: 'count ~ trt + (1|block)', data, family: 'gaussian', factors, means: ['trt'], sampler: 'nuts', chains: 2, warmup: 80, draws: 60, seed: 3 });
});

/** R type-7 quantile of sorted values. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p, lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo]);
}

test('fit(): the Kenward–Roger F table and the LS means beside the posterior means of each level', () => {
  const s = f.summary;
  assert.equal(s.anova!.ddf, 'kenward-roger');
  assert.equal(s.anova!.rows[0].F.toFixed(4), '3.6387');
  const m = s.means![0];
  assert.deepEqual(m.laplace!.map((r) => r.estimate.toFixed(3)), ['7.625', '32.000']);
  const P = f.draws.names.length, S = f.draws.nChains * f.draws.nDraws;
  const j0 = f.draws.names.indexOf('b_Intercept'), j1 = f.draws.names.indexOf('b_trt1');
  const level = [(s0: number) => f.draws.data[s0 * P + j0], (s0: number) => f.draws.data[s0 * P + j0] + f.draws.data[s0 * P + j1]];
  m.posterior!.forEach((r, a) => {
    const v = Array.from({ length: S }, (_, i) => level[a](i));
    const mean = v.reduce((x, y) => x + y, 0) / S;
    assert.ok(Math.abs(r.mean - mean) < 1e-9 * Math.max(1, Math.abs(mean)), `${r.mean} vs ${mean}`);
    const sorted = [...v].sort((x, y) => x - y);
    assert.ok(Math.abs(r.lower - quantile(sorted, 0.025)) < 1e-9 && Math.abs(r.upper - quantile(sorted, 0.975)) < 1e-9);
  });
});
