/**
 * The process's worker pool (src/pool/worker-pool.ts): threads kept between runs (a second run starts
 * on the threads the first one started), runs live at the same time sharing them with each run's own
 * limit, the same answers as inline whatever runs share the pool, and costliest-first order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobs } from '../../src/pool/pool.js';
import { closeWorkerPool } from '../../src/pool/worker-pool.js';
import type { ToyShared } from './toy-job.js';

const PROBE = new URL('./thread-probe-job.js', import.meta.url).href;
const TOY = new URL('./toy-job.js', import.meta.url).href;
type Probe = { thread: number; start: number; end: number };

test('a second run reuses the threads the first one started', async () => {
  await closeWorkerPool();
  const jobs = Array.from({ length: 6 }, () => ({ waitMs: 30 }));
  const a = await runJobs<unknown, { waitMs: number }, Probe>({ module: PROBE, shared: null, jobs, workers: 2 });
  const b = await runJobs<unknown, { waitMs: number }, Probe>({ module: PROBE, shared: null, jobs, workers: 2 });
  const threads = (r: typeof a) => new Set(r.results.map((x) => (x as Probe).thread));
  assert.equal(threads(a).size, 2);
  assert.deepEqual([...threads(b)].sort(), [...threads(a)].sort());
  await closeWorkerPool();
});

test('runs live together share the pool, each within its own limit, with the answers of inline runs', async () => {
  await closeWorkerPool();
  const shared = (seed: number): ToyShared => ({ seed, data: Float64Array.from({ length: 30 }, (_, i) => Math.cos(i)) });
  const jobs = Array.from({ length: 7 }, (_, i) => ({ n: 500 + i, waitMs: 10 * (i % 3) }));
  const inline = await Promise.all([1, 2, 3].map((seed) => runJobs({ module: TOY, shared: shared(seed), jobs, workers: 0 })));
  const together = await Promise.all([1, 2, 3].map((seed, i) => runJobs({ module: TOY, shared: shared(seed), jobs, workers: i + 1 })));
  assert.deepEqual(together.map((r) => JSON.stringify(r.results)), inline.map((r) => JSON.stringify(r.results)));
  // a limit-1 run beside a limit-3 one: its jobs never overlap in time
  const slow = Array.from({ length: 4 }, () => ({ waitMs: 40 }));
  const [one] = await Promise.all([
    runJobs<unknown, { waitMs: number }, Probe>({ module: PROBE, shared: null, jobs: slow, workers: 1 }),
    runJobs<unknown, { waitMs: number }, Probe>({ module: PROBE, shared: null, jobs: slow, workers: 3 }),
  ]);
  const spans = one.results.map((x) => x as Probe).sort((p, q) => p.start - q.start);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i].start >= spans[i - 1].end, `limit 1: job ${i} started before the previous ended`);
  await closeWorkerPool();
});

test('costs: the costliest jobs start first (inline: finish order; results still in job order)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-pool-cost-'));
  try {
    const file = join(dir, 'jobs.jsonl');
    const shared: ToyShared = { seed: 3, data: Float64Array.from([1, 2, 3]) };
    const jobs = Array.from({ length: 5 }, (_, i) => ({ n: 100 + i, waitMs: 0 }));
    const r = await runJobs({ module: TOY, shared, jobs, workers: 0, costs: [1, 5, 2, 5, 9], results: file });
    const order = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { index: number }).index);
    assert.deepEqual(order, [4, 1, 3, 2, 0]);
    const plain = await runJobs({ module: TOY, shared, jobs, workers: 0 });
    assert.equal(JSON.stringify(r.results), JSON.stringify(plain.results));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
