/**
 * `glmm fit --log-lik --loo --loo-group --kfold --out` end to end (child process, NUTS 2 × 100): the
 * log_lik CSVs hold log p(y_i | θ_s) of the written draws, `glmm loo DIR` recomputes loo.json from
 * them, K-fold by block keeps each block's rows in one fold, and `glmm compare` reads the directories.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDraws } from '../../src/fit/io.js';
import { specify } from '../../src/fit.js';
import { readCsvFile } from '../../src/data/read.js';
import { pointwiseLogLik } from '../../src/loo/loglik.js';
import { loadLogLik } from '../../src/loo/io.js';
import { assertNoStack, assertUsageError, dataFile, runCli, tempDir, type CliResult } from './cli-helpers.js';

const MODEL = ['--data', dataFile('rcbd.csv'), '--formula', 'count ~ trt + (1|block)', '--family', 'poisson', '--factor', 'trt,block'];
const FAST = ['--warmup', '100', '--draws', '100', '--chains', '2', '--sampler', 'nuts', '--seed', '5'];

describe('glmm fit --log-lik --loo --kfold', () => {
  const dir = tempDir();
  let run: CliResult;
  before(async () => {
    run = await runCli(['fit', ...MODEL, ...FAST, '--out', dir, '--log-lik', '--loo', '--loo-group', 'block', '--kfold', '2', '--kfold-group', 'block']);
    assertNoStack(run);
    assert.equal(run.code, 0, run.stderr);
  });

  test('log_lik_chainK.csv hold the pointwise log-likelihood of the written draws', () => {
    assert.ok(existsSync(join(dir, 'log_lik_chain1.csv')) && existsSync(join(dir, 'log_lik_chain2.csv')));
    const ll = loadLogLik(dir);
    assert.equal(ll.names.length, 16);
    assert.equal(ll.nChains * ll.nDraws, 200);
    const { draws } = loadDraws(dir);
    const { spec } = specify({ formula: 'count ~ trt + (1|block)', data: readCsvFile(dataFile('rcbd.csv'), { factors: ['trt', 'block'] }), family: 'poisson', factors: ['trt', 'block'] });
    const want = pointwiseLogLik({ design: spec.design, family: 'poisson', link: 'log' }, draws);
    for (let q = 0; q < want.data.length; q++) assert.ok(Math.abs(ll.data[q] - want.data[q]) < 1e-12, `value ${q}`);
    const rows = readFileSync(join(dir, 'log_lik_rows.csv'), 'utf8').trim().split('\n');
    assert.equal(rows[0], 'row,block');
    assert.equal(rows.length, 17);
  });

  test('stdout has the summary, then PSIS-LOO by row and by block, then K-fold; glmm loo DIR reproduces loo.json', async () => {
    assert.match(run.stdout, /PSIS-LOO from 200 draws \(2 chains × 100\) of 16 observations/);
    assert.match(run.stdout, /of 8 levels of block/);
    assert.match(run.stdout, /2-fold cross-validation leaving out levels of block/);
    const again = await runCli(['loo', dir, '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), JSON.parse(readFileSync(join(dir, 'loo.json'), 'utf8')));
    const grouped = await runCli(['loo', dir, '--loo-group', 'block', '--json']);
    assert.deepEqual(JSON.parse(grouped.stdout), JSON.parse(readFileSync(join(dir, 'loo_group.json'), 'utf8')));
  });

  test('kfold.json: each block in one fold, finite elpd per row, p_kfold from the full fit', () => {
    const k = JSON.parse(readFileSync(join(dir, 'kfold.json'), 'utf8')) as { folds: number[]; K: number; elpd_kfold: number; p_kfold: number; pointwise: { elpd_kfold: number[] } };
    assert.equal(k.K, 2);
    for (let b = 0; b < 8; b++) assert.equal(k.folds[b], k.folds[b + 8], `block ${b + 1} rows in one fold`);
    assert.deepEqual([1, 2].map((f) => k.folds.filter((x) => x === f).length), [8, 8]);
    assert.ok(k.pointwise.elpd_kfold.every((v) => Number.isFinite(v) && v < 0));
    assert.ok(Math.abs(k.elpd_kfold - k.pointwise.elpd_kfold.reduce((s, v) => s + v, 0)) < 1e-9);
    assert.ok(k.p_kfold > 0, 'held-out blocks predict worse than in-sample');
  });

  test('usage: --log-lik needs --out, --kfold-group needs --kfold', async () => {
    assertUsageError(await runCli(['fit', ...MODEL, '--log-lik']), /--log-lik .*--out DIR/);
    assertUsageError(await runCli(['fit', ...MODEL, '--kfold-group', 'block']), /--kfold-group needs --kfold/);
  });
});
