/**
 * The Redis queue backend (src/pool/queue.ts, `glmm worker`), for real: a redis-server on a loopback
 * port, two `glmm worker` processes, and a gathering process (this test) that
 * - gets the same results, byte for byte, as the local pool (toy jobs, and a power run);
 * - loses nothing and counts nothing twice when a worker is killed (SIGKILL) mid-job: its job goes to
 *   the other worker once its lock expires;
 * - finds its results after a restart: a gatherer stopped half-way and started again adds no job twice
 *   (idempotent job ids) and the workers compute every job exactly once.
 * Skipped, with a message, only when redis-server is not installed (.ci/run installs it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobs } from '../../src/pool/pool.js';
import type { Executor } from '../../src/pool/threads.js';
import { power } from '../../src/power/power.js';
import { MAIN } from '../cli/cli-helpers.js';
import type { ToyShared } from './toy-job.js';

const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;
// bullmq is loaded here, not imported above, so that a checkout whose node_modules predates it says so
const queue = await import('../../src/pool/queue.js').catch(() => null);
const SKIP = !HAVE_REDIS ? 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)'
  : !queue ? 'bullmq is not installed: run npm ci (package.json lists it)' : false;
const queueExecutor = (url: string): Executor => (queue as NonNullable<typeof queue>).queueExecutor(url);
const MODULE = new URL('./toy-job.js', import.meta.url).href;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port')))); });
  });
}

interface WorkerProc { child: ChildProcess; log: string[] }

function startWorker(url: string): WorkerProc {
  const child = spawn(process.execPath, [MAIN, 'worker', '--redis', url, '--lock-duration', '1500', '--stalled-interval', '500'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const w: WorkerProc = { child, log: [] };
  child.stderr?.setEncoding('utf8').on('data', (s: string) => w.log.push(...s.split('\n').filter(Boolean)));
  return w;
}

async function until(cond: () => boolean, ms = 20000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) { if (Date.now() - t0 > ms) throw new Error('timed out'); await sleep(50); }
}

describe('many-fit runs on a Redis queue with two glmm worker processes', { skip: SKIP }, () => {
  let redis: ChildProcess;
  let url = '';
  let workers: WorkerProc[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'glmm-redis-'));
  before(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await until(() => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG');
    workers = [startWorker(url), startWorker(url)];
    await until(() => workers.every((w) => w.log.some((l) => l.startsWith('glmm worker: taking jobs'))));
  });
  after(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    redis?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const jobs = (waitMs: number, n = 8) => Array.from({ length: n }, (_, i) => ({ n: 500 + i, waitMs }));
  const local = async (shared: ToyShared, waitMs: number, n = 8) => JSON.stringify((await runJobs({ module: MODULE, shared, jobs: jobs(waitMs, n), workers: 0 })).results);

  test('the queue gives the local pool\'s results byte for byte, both workers taking jobs', async () => {
    const shared: ToyShared = { seed: 101, data: Float64Array.from({ length: 30 }, (_, i) => Math.cos(i)) };
    const r = await runJobs({ module: MODULE, shared, jobs: jobs(100), executor: queueExecutor(url) });
    assert.ok(r.complete);
    assert.equal(JSON.stringify(r.results), await local(shared, 100));
  });

  test('a power run through the queue equals the local pool\'s', async () => {
    const o = { formula: 'y ~ trt + (1|block)', family: 'poisson' as const, design: { levels: { block: 4, trt: 4 } }, set: { b_Intercept: 1.5, b_trt2: 0.3, b_trt3: 0.3, b_trt4: 0, sd_block__Intercept: 0.5 }, test: { rule: 'wald' as const, effect: 'b_trt2' }, nsim: 6, along: { factor: 'block', sizes: [4, 6] } };
    assert.equal(JSON.stringify(await power({ ...o, executor: queueExecutor(url) })), JSON.stringify(await power({ ...o, workers: 0 })));
  });

  test('a worker killed mid-job: its job is retried by the other, nothing lost or counted twice', async () => {
    const shared: ToyShared = { seed: 202, data: Float64Array.from({ length: 30 }, (_, i) => i / 7) };
    const seen: number[] = [];
    const gathering = runJobs({ module: MODULE, shared, jobs: jobs(600, 4), executor: queueExecutor(url), onResult: (p) => seen.push(p.done) });
    const [victim, survivor] = workers;
    const startLine = () => victim.log.find((l) => l.startsWith('start') && !victim.log.includes(l.replace('start', 'done ')));
    await until(() => startLine() !== undefined, 20000);
    const inHand = (startLine() as string).replace(/^start /, '');
    victim.child.kill('SIGKILL');
    const r = await gathering;
    assert.ok(r.complete);
    assert.equal(JSON.stringify(r.results), await local(shared, 600, 4));
    assert.deepEqual(seen, [0, 1, 2, 3, 4], 'each job delivered once');
    assert.ok(survivor.log.includes(`done  ${inHand}`), `the killed worker's job (${inHand}) was finished by the other: ${survivor.log.join(' | ')}`);
    workers[0] = startWorker(url);
    await until(() => workers[0].log.some((l) => l.startsWith('glmm worker: taking jobs')));
  });

  // 40 jobs of 200 ms on two workers take ~4 s, so the first gatherer stops (after 2 results) well before the end on a quiet machine too
  test('results survive a restart of the gathering command: no job added or computed twice', async () => {
    const shared: ToyShared = { seed: 303, data: Float64Array.from({ length: 30 }, (_, i) => Math.sqrt(i)) };
    const before = workers.map((w) => w.log.filter((l) => l.startsWith('done ')).length);
    let got = 0;
    const first = await runJobs({ module: MODULE, shared, jobs: jobs(200, 40), executor: queueExecutor(url), onResult: (p) => { got = p.done; }, shouldStop: () => got >= 2 });
    assert.equal(first.complete, false);
    const second = await runJobs({ module: MODULE, shared, jobs: jobs(200, 40), executor: queueExecutor(url) });
    assert.ok(second.complete);
    assert.equal(JSON.stringify(second.results), await local(shared, 200, 40));
    await sleep(300);
    const computed = workers.map((w, i) => w.log.filter((l) => l.startsWith('done ')).length - before[i]).reduce((a, b) => a + b, 0);
    assert.equal(computed, 40, 'every job computed exactly once across both gatherers');
  });
});
