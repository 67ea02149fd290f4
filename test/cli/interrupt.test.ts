/**
 * Interrupted `glmm fit --out DIR` (issue 12 item 3), with the CLI as a child process and real signals:
 * - SIGINT while sampling: stops within a second, writes the draws so far and a summary marked
 *   incomplete, one stderr line, exit 130; `glmm diagnose` reads what was written;
 * - SIGTERM the same with exit 143;
 * - a signal before any draw (Laplace/warmup): says no draws were kept, DIR keeps the previous run's files;
 * - a second SIGINT: ends the process at once (the default action, even inside the synchronous Laplace
 *   fit), DIR keeps the previous run's files; the next run into DIR clears the killed run's lock.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SummaryJson } from '../../src/report/schema.js';
import { assertNoStack, dataFile, MAIN, runCli, tempDir, type CliResult } from './cli-helpers.js';

const MODEL = ['--data', dataFile('rcbd.csv'), '--formula', 'count ~ trt + (1|block)', '--family', 'poisson', '--factor', 'trt,block'];
/**
 * A ChEES run that reaches sampling at once (one warmup iteration) and samples for minutes: on the tfjs
 * cpu engine, since the plain-JS density takes these 8 chains × 100,000 draws in ~4 s on a fast machine.
 */
const LONG = ['fit', ...MODEL, '--chains', '8', '--warmup', '1', '--draws', '100000', '--seed', '1', '--backend', 'cpu'];

interface Interrupted extends CliResult {
  /** the signal that ended the process, if it did not exit by itself */
  readonly signal: NodeJS.Signals | null;
  /** seconds from the (last) signal to the exit */
  readonly afterSignal: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the CLI; once `ready(dir)` holds (polled every 50 ms) waits `delayMs`, then sends each of
 * `signals` 50 ms apart and times the exit from the last one.
 */
function runAndSignal(args: string[], dir: string, signals: NodeJS.Signals[], delayMs: number, ready: (dir: string) => boolean): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.GLMM_DEBUG;
    const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, afterSignal: (performance.now() - sentAt) / 1000 }));
    (async () => {
      while (!ready(dir) && child.exitCode === null) await sleep(50);
      await sleep(delayMs);
      for (const s of signals) {
        sentAt = performance.now();
        child.kill(s);
        await sleep(signals.length > 1 ? 1000 : 50);
      }
    })().catch(reject);
  });
}

/** The temporary directory of openOutDir exists: the input was read and the fit is starting. */
const started = (dir: string) => existsSync(dir) && readdirSync(dir).some((n) => n.startsWith('.glmm-tmp-'));

/** A previous run's files (with the manifest a run writes), to see that an interrupted run without draws leaves them alone. */
function previousRun(dir: string): void {
  writeFileSync(join(dir, 'summary.json'), '{"previous": true}\n');
  writeFileSync(join(dir, 'draws_chain1.csv'), 'lp__,x\n1,2\n');
  writeFileSync(join(dir, '.glmm-outputs'), '# a previous run\nsummary.json\ndraws_chain1.csv\n');
}

function oneErrorLine(r: CliResult): string {
  assertNoStack(r);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^error: /);
  return lines[0];
}

describe('glmm fit interrupted', { concurrency: 3 }, () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${signal} while sampling: exit ${code} within a second, the draws so far and an incomplete summary written`, async () => {
      // some seconds after the start tfjs is loaded, the Laplace fit done and ChEES sampling (one warmup
      // iteration); on a loaded machine it may still be in warmup: then try again, waiting longer
      let dir = '';
      let r: Interrupted | null = null;
      for (const delay of [5000, 10000, 20000, 40000]) {
        dir = tempDir();
        r = await runAndSignal([...LONG, '--json', '--out', dir], dir, [signal], delay, started);
        if (!/during warmup/.test(r.stderr)) break;
      }
      r = r!;
      assert.equal(r.code, code, r.stderr);
      const line = oneErrorLine(r);
      assert.match(line, new RegExp(`${signal}: stopped; kept the \\d+ draws per chain done so far in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, summary marked incomplete`));
      // the stop itself is within a second (test/sampler/chees-stop.test.ts, in CPU time); here the exit
      // also waits for the summary and the report, ~2 s on an idle machine, more under load
      assert.ok(r.afterSignal < 30, `exited ${r.afterSignal.toFixed(2)} s after ${signal}`);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
      assert.deepEqual(JSON.parse(r.stdout), summary);
      const inc = summary.incomplete!;
      assert.equal(inc.reason, signal);
      assert.equal(inc.draws_requested, 100000);
      assert.ok(inc.draws >= 1 && inc.draws < 100000, `kept ${inc.draws}`);
      assert.equal(summary.sampler!.draws, inc.draws);
      assert.ok(summary.warnings.some((w) => w.startsWith(`Sampling was interrupted (${signal})`)));
      assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws.csv', 'report.html', 'summary.json', 'trace.svg']);
      const d = await runCli(['diagnose', join(dir, 'draws.csv'), '--json']);
      assert.equal(d.code, 0, d.stderr);
      const v = (JSON.parse(d.stdout) as { variables: { variable: string; mean: number }[] }).variables;
      const b = summary.parameters.find((p) => p.name === 'b_trt1')!;
      assert.ok(Math.abs(v.find((x) => x.variable === 'b_trt1')!.mean - b.mean!) < 1e-10);
    });
  }

  test('a signal before any draw: no draws were kept, DIR keeps the previous run; a second SIGINT ends it at once', async () => {
    const early = tempDir();
    const twice = tempDir();
    previousRun(early);
    previousRun(twice);
    const [a, b] = await Promise.all([
      // at once after the start: the Laplace fit or warmup is running. NUTS with a warmup of fixed, huge
      // length, so that the signal cannot land after warmup on a fast machine (ChEES stops warmup by itself)
      runAndSignal(['fit', ...MODEL, '--chains', '8', '--sampler', 'nuts', '--warmup', '100000', '--out', early], early, ['SIGINT'], 0, started),
      runAndSignal([...LONG, '--out', twice], twice, ['SIGINT', 'SIGINT'], 3000, started),
    ]);
    assert.equal(a.code, 130, a.stderr);
    assert.match(oneErrorLine(a), new RegExp(`^error: SIGINT during warmup: no draws were kept; .* keeps its previous files$`));
    // the second SIGINT takes the default action at once; only if both arrived while one synchronous step
    // ran (node then delivers them together) does the first handler see them, and the run ends as after one
    if (b.signal === 'SIGINT') assert.ok(b.afterSignal < 1, `the second SIGINT ended it after ${b.afterSignal.toFixed(2)} s`);
    else assert.ok(b.code === 130 && /^error: SIGINT(: stopped| during warmup)/.test(b.stderr), `code ${b.code} signal ${b.signal}: ${b.stderr}`);
    assertNoStack(b);
    assert.deepEqual(readdirSync(early).sort(), ['.glmm-outputs', 'draws_chain1.csv', 'summary.json'], 'no lock, no temporary directory, nothing replaced');
    assert.equal(readFileSync(join(early, 'summary.json'), 'utf8'), '{"previous": true}\n');
    if (/^error: SIGINT: stopped/.test(b.stderr)) {
      // the first SIGINT was served and the run finished writing before the second: its files, complete
      const s = JSON.parse(readFileSync(join(twice, 'summary.json'), 'utf8')) as SummaryJson;
      assert.equal(s.incomplete?.reason, 'SIGINT');
      assert.ok(!readdirSync(twice).includes('draws_chain1.csv'));
    } else {
      // killed (or stopped before any draw): the previous run's files, untouched
      assert.ok(readdirSync(twice).includes('draws_chain1.csv'));
      assert.equal(readFileSync(join(twice, 'summary.json'), 'utf8'), '{"previous": true}\n');
    }
    // the killed run's lock and temporary directory do not block the next run, which clears them
    const next = await runCli(['laplace', ...MODEL, '--out', twice]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(readdirSync(twice).sort(), ['.glmm-outputs', 'report.html', 'summary.json']);
  });
});
