/**
 * `glmm laplace --progress` (src/cli/laplace-watch.ts), the CLI as a child process with a real signal:
 * the progress line names the step, the evaluations and the best criterion; SIGINT during the fit (a
 * synchronous computation on a worker thread) ends the run at once with one `error: SIGINT: …` line
 * naming where it stood, no stack trace, exit 130; the answer with --progress is the answer without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { assertNoStack, MAIN, repoPath, runCli } from './cli-helpers.js';
import { evaluationText } from '../../src/cli/laplace-watch.js';

const INSTEVAL = ['laplace', '--data', repoPath('examples/data/lme4_InstEval.csv'), '--formula', 'y ~ service + lectage + studage + (1|s) + (1|d) + (1|dept:service)',
  '--family', 'gaussian', '--factor', 's,d,studage,lectage,service,dept', '--progress'];
const PENICILLIN = ['laplace', '--data', repoPath('test/fixtures/sparse/lme4_Penicillin.csv'), '--formula', 'diameter ~ 1 + (1|plate) + (1|sample)', '--family', 'gaussian', '--json'];

test('the progress text: step, evaluations, best criterion', () => {
  assert.equal(evaluationText('REML', 42, 237555.47561), 'REML: 42 evaluations · best REML criterion 237555.4756');
  assert.equal(evaluationText('Laplace', 3, Infinity), 'Laplace: 3 evaluations · best −2 logLik —');
});

test('SIGINT during a long lmer fit: one error line, exit 130, within seconds, no stack trace', async () => {
  const r = await new Promise<{ code: number | null; stderr: string; after: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...INSTEVAL], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '', sent = 0;
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (sent === 0 && /REML: \d+ evaluations/.test(stderr)) { sent = performance.now(); child.kill('SIGINT'); }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, after: (performance.now() - sent) / 1000 }));
  });
  assert.equal(r.code, 130, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[lines.length - 1], /^error: SIGINT: the fit stopped \(REML: \d+ evaluations · best REML criterion \d+\.\d{4}\)$/);
  assert.ok(r.after < 5, `exit ${r.after.toFixed(1)} s after the signal`);
  assertNoStack({ code: r.code, stdout: '', stderr: r.stderr });
});

test('--progress leaves the answer as it is', async () => {
  const plain = await runCli(PENICILLIN);
  const watched = await runCli([...PENICILLIN, '--progress']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(watched.code, 0, watched.stderr);
  const strip = (s: string) => s.replace(/"seconds":\s*[\d.e+-]+/g, '');
  assert.equal(strip(watched.stdout), strip(plain.stdout));
});
