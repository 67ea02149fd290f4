/**
 * Ctrl-C during `glmm power --results FILE` (child process, a real SIGINT): exit 130 with one line
 * saying how many simulations finished and that FILE keeps them; the same command with --resume runs
 * only the missing ones and prints exactly what an uninterrupted run prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoStack, MAIN, runCli, tempDir } from './cli-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ARGS = ['power', '--levels', 'block=6,trt=4', '--formula', 'y ~ trt + (1|block)', '--family', 'gaussian',
  '--set', 'b_Intercept=10', '--set', 'b_trt2=0.5', '--set', 'b_trt3=1', '--set', 'b_trt4=0', '--set', 'sd_block__Intercept=1', '--set', 'sigma=1',
  '--test', 'trt', '--nsim', '400', '--seed', '9', '--workers', '1', '--json'];

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length - 1 : 0);

test('SIGINT keeps the finished simulations in --results; --resume completes to the uninterrupted answer', async () => {
  const dir = tempDir();
  const file = join(dir, 'power.jsonl');
  const child = spawn(process.execPath, [MAIN, ...ARGS, '--results', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  while (lines(file) < 5 && child.exitCode === null) await sleep(50);
  child.kill('SIGINT');
  const code = await exit;
  assert.equal(code, 130, stderr);
  const kept = lines(file);
  assert.ok(kept >= 5 && kept < 400, `kept ${kept}`);
  assert.match(stderr.trim(), /^error: SIGINT: stopped after \d+ simulations; the finished ones are kept in .*power\.jsonl: rerun the same command with --resume$/);
  const resumed = await runCli([...ARGS, '--results', file, '--resume']);
  assertNoStack(resumed);
  assert.equal(resumed.code, 0, resumed.stderr);
  const whole = await runCli(ARGS);
  assert.equal(resumed.stdout, whole.stdout);
  assert.equal(lines(file), 400);
});
