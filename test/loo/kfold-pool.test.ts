/**
 * K-fold refits on the pool (src/pool): the same kfold.json byte for byte whether the refits run in
 * this thread or on 2 worker threads (each refit's seed and new-level stream depend on its fold only),
 * and a results file of the refits that --resume reuses to the same answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { kfold } from '../../src/loo/kfold.js';
import { toJson } from '../../src/report/format.js';
import type { FitOptions } from '../../src/fit.js';
import { repoPath } from '../design/repo-path.js';

const factors = ['trt', 'block'];
const opts: FitOptions = {
  formula: 'count ~ trt + (1|block)', data: readCsvFile(repoPath('examples/data/rcbd.csv'), { factors }), family: 'poisson', factors,
  sampler: 'nuts', chains: 2, warmup: 100, draws: 100, seed: 3,
};

test('kfold by block: inline and 2 worker threads give byte-identical results; resume reuses the results file', async () => {
  const inline = toJson(await kfold(opts, { K: 4, group: 'block', seed: 3, workers: 0 }));
  const two = toJson(await kfold(opts, { K: 4, group: 'block', seed: 3, workers: 2 }));
  assert.equal(two, inline);
  const k = JSON.parse(inline) as { folds: number[]; pointwise: { elpd_kfold: number[] } };
  assert.ok(k.pointwise.elpd_kfold.every((v) => Number.isFinite(v) && v < 0));
  const dir = mkdtempSync(join(tmpdir(), 'glmm-kfold-'));
  try {
    const file = join(dir, 'kfold.jsonl');
    const first = toJson(await kfold(opts, { K: 4, group: 'block', seed: 3, workers: 2, results: file }));
    assert.equal(first, inline);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 5);
    let ran = -1;
    const again = toJson(await kfold(opts, { K: 4, group: 'block', seed: 3, workers: 2, results: file, resume: true, onProgress: (p) => { ran = p.done - p.resumed; } }));
    assert.equal(again, inline);
    assert.equal(ran, 0, 'every refit came from the results file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
