/**
 * The many-fit pool (src/pool): the same answer byte for byte inline, on 1, 2 or 3 worker threads (jobs
 * finishing out of order); a results file with one JSON line per job that a stopped run leaves behind
 * and `resume` continues to the same answer; a file of another run refused; a line cut short by a kill
 * dropped and its job rerun; a failed job's user error rethrown as a GlmmInputError naming the job.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlmmInputError } from '../../base/errors.js';
import { runJobs } from '../../src/pool/pool.js';
import { jobSeed } from '../../src/pool/seed.js';
import type { ToyShared } from './toy-job.js';

const MODULE = new URL('./toy-job.js', import.meta.url).href;
const shared: ToyShared = { seed: 7, data: Float64Array.from({ length: 50 }, (_, i) => Math.sin(i)) };
// early jobs slow, later ones fast: on several workers they finish out of index order
const jobs = Array.from({ length: 9 }, (_, i) => ({ n: 1000 + i, waitMs: i < 3 ? 60 - 20 * i : 0 }));

test('jobSeed: a function of (run seed, index) alone; neighbouring runs do not share seeds', () => {
  assert.equal(jobSeed(1, 2), jobSeed(1, 2));
  assert.notEqual(jobSeed(1, 2), jobSeed(2, 1));
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => jobSeed(1, i)));
  assert.equal(seeds.size, 1000);
  for (const s of seeds) assert.ok(Number.isInteger(s) && s > 0 && s < 2 ** 31);
});

test('inline and 1, 2, 3 worker threads give byte-identical results in job order', async () => {
  const texts: string[] = [];
  for (const workers of [0, 1, 2, 3]) {
    const order: number[] = [];
    const r = await runJobs({ module: MODULE, shared, jobs, workers, onResult: (p) => order.push(p.done) });
    assert.ok(r.complete);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    texts.push(JSON.stringify(r.results));
  }
  assert.equal(new Set(texts).size, 1, texts.join('\n'));
  const first = JSON.parse(texts[0]) as { index: number }[];
  assert.deepEqual(first.map((x) => x.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('a stopped run keeps its finished jobs in the results file; resume finishes with the same answer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-pool-'));
  try {
    const file = join(dir, 'jobs.jsonl');
    const whole = await runJobs({ module: MODULE, shared, jobs, workers: 0 });
    let seen = 0;
    const part = await runJobs({ module: MODULE, shared, jobs, workers: 2, results: file, shouldStop: () => seen >= 3, onResult: (p) => { seen = p.done; } });
    assert.equal(part.complete, false);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + part.done);
    assert.deepEqual(JSON.parse(lines[0]), { glmm_jobs: 1, run: part.key, jobs: 9 });
    await assert.rejects(runJobs({ module: MODULE, shared, jobs, results: file }), /already holds results; add --resume/);
    appendFileSync(file, '{"index":8,"resu'); // a line cut short by a kill
    let resumed = -1;
    const rest = await runJobs({ module: MODULE, shared, jobs, workers: 3, results: file, resume: true, onResult: (p) => { resumed = p.resumed; } });
    assert.ok(rest.complete);
    assert.equal(resumed, part.done);
    assert.equal(JSON.stringify(rest.results), JSON.stringify(whole.results));
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 10);
    await assert.rejects(runJobs({ module: MODULE, shared: { ...shared, seed: 8 }, jobs, results: file, resume: true }), /results of a different run/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a job\'s user error comes back as a GlmmInputError naming the job (threads and inline)', async () => {
  for (const workers of [0, 2]) {
    await assert.rejects(runJobs({ module: MODULE, shared: { ...shared, failAt: 4 }, jobs, workers }), (e: unknown) => e instanceof GlmmInputError && /^job 5: column y: job 4 cannot be fitted/.test(e.message));
  }
});
