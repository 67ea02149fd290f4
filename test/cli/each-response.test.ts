/**
 * `glmm fit --each-response y1,y2,y3` end to end (child process, NUTS 2 × 100): one fit per response,
 * the same JSON on 1 and 2 workers (sampler.seconds aside, the wall time), each response's summary equal
 * to a single `glmm fit` of that response with seed jobSeed(run seed, its index), and a missing column
 * named in one error line.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobSeed } from '../../src/pool/seed.js';
import { assertInputError, assertNoStack, dataFile, runCli, tempDir, type CliResult } from './cli-helpers.js';

const dir = tempDir();
const csv = join(dir, 'three.csv');
const FAST = ['--warmup', '100', '--draws', '100', '--chains', '2', '--sampler', 'nuts', '--seed', '4', '--no-profile'];

/** rcbd.csv's counts, and two more responses made from them (reversed within treatment, and shifted). */
function writeThree(): void {
  const rows = readFileSync(dataFile('rcbd.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const counts = rows.map((r) => Number(r[2]));
  const lines = rows.map((r, i) => `${r[0]},${r[1]},${counts[i]},${counts[(i + 3) % 16]},${counts[i] + (i % 3)}`);
  writeFileSync(csv, ['block,trt,y1,y2,y3', ...lines].join('\n') + '\n');
}

const stripSeconds = (text: string) => JSON.stringify((JSON.parse(text) as { summary: { sampler: { seconds: unknown } } }[]).map((r) => ({ ...r, summary: { ...r.summary, sampler: { ...r.summary.sampler, seconds: null } } })));

describe('glmm fit --each-response', () => {
  const model = ['--data', csv, '--formula', 'y1 ~ trt + (1|block)', '--family', 'poisson', '--factor', 'trt,block'];
  let one: CliResult, two: CliResult;
  before(async () => {
    writeThree();
    one = await runCli(['fit', ...model, ...FAST, '--each-response', 'y1,y2,y3', '--workers', '1', '--json']);
    two = await runCli(['fit', ...model, ...FAST, '--each-response', 'y1,y2,y3', '--workers', '2', '--json', '--out', join(dir, 'out')]);
    for (const r of [one, two]) { assertNoStack(r); assert.equal(r.code, 0, r.stderr); }
  });

  test('1 and 2 workers: the same answers; --out writes each-response.json', () => {
    assert.equal(stripSeconds(two.stdout), stripSeconds(one.stdout));
    const all = JSON.parse(one.stdout) as { response: string; summary: { model: { formula: string } } }[];
    assert.deepEqual(all.map((r) => r.response), ['y1', 'y2', 'y3']);
    assert.deepEqual(all.map((r) => r.summary.model.formula), ['y1 ~ trt + (1|block)', 'y2 ~ trt + (1|block)', 'y3 ~ trt + (1|block)']);
    assert.equal(stripSeconds(readFileSync(join(dir, 'out', 'each-response.json'), 'utf8')), stripSeconds(one.stdout));
  });

  test('each response\'s fit is the single fit of that response with seed jobSeed(seed, index)', async () => {
    const seed = jobSeed(4, 1);
    const single = await runCli(['fit', ...model.slice(0, 3), 'y2 ~ trt + (1|block)', ...model.slice(4), ...FAST.slice(0, -3), '--seed', String(seed), '--no-profile', '--json']);
    assert.equal(single.code, 0, single.stderr);
    const want = JSON.parse(single.stdout) as { sampler: { seconds: unknown } };
    const got = (JSON.parse(one.stdout) as { summary: { sampler: { seconds: unknown } } }[])[1].summary;
    assert.deepEqual({ ...got, sampler: { ...got.sampler, seconds: null } }, { ...want, sampler: { ...want.sampler, seconds: null } });
  });

  test('a response that is not a column: one error line naming it', async () => {
    assertInputError(await runCli(['fit', ...model, ...FAST, '--each-response', 'y1,y9', '--workers', '1']), [/no column 'y9'/, /block, trt, y1, y2, y3/]);
  });
});
