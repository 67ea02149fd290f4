/**
 * `glmm power` end to end (child process): --json prints power.json equal to the library's power() for
 * the same settings; --out DIR writes power.json and report.html with the d3 power curve (one point per
 * design size); usage and input errors are one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { power } from '../../src/power/power.js';
import { toJson } from '../../src/report/format.js';
import { assertInputError, assertNoStack, assertUsageError, runCli, tempDir } from './cli-helpers.js';

const ARGS = ['power', '--levels', 'block=4,trt=4', '--formula', 'y ~ trt + (1|block)', '--family', 'poisson',
  '--set', 'b_Intercept=1.5', '--set', 'b_trt2=0.3', '--set', 'b_trt3=0.3', '--set', 'b_trt4=0', '--set', 'sd_block__Intercept=0.5',
  '--test', 'b_trt2', '--along', 'block=4,6', '--nsim', '8', '--seed', '3', '--workers', '2'];

test('glmm power --json equals power(); --out writes power.json and report.html with the power curve', async () => {
  const dir = tempDir();
  const r = await runCli([...ARGS, '--json', '--out', dir]);
  assertNoStack(r);
  assert.equal(r.code, 0, r.stderr);
  const lib = await power({
    formula: 'y ~ trt + (1|block)', family: 'poisson', design: { levels: { block: 4, trt: 4 } },
    set: { b_Intercept: 1.5, b_trt2: 0.3, b_trt3: 0.3, b_trt4: 0, sd_block__Intercept: 0.5 }, test: { rule: 'wald', effect: 'b_trt2' },
    along: { factor: 'block', sizes: [4, 6] }, nsim: 8, seed: 3, interval: 'clopper-pearson', sampler: {},
  });
  assert.equal(r.stdout.trim(), toJson(lib));
  assert.equal(readFileSync(join(dir, 'power.json'), 'utf8').trim(), toJson(lib));
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /<svg[^>]*class="plot plot-power-curve"/);
  assert.equal((html.match(/class="power-point"/g) ?? []).length, 2);
  const table = await runCli(ARGS);
  assert.match(table.stdout, /^block\s+rows\s+power\s+lower\s+upper\s+rejected\s+failed fits$/m);
});

test('glmm power: usage and input errors in one line', async () => {
  assertUsageError(await runCli(['power', '--levels', 'block=4', '--formula', 'y ~ 1 + (1|block)', '--family', 'poisson']), /missing --test EFFECT/);
  assertUsageError(await runCli([...ARGS, '--rule', 'prob']), /--rule prob reads the posterior; use --fit posterior/);
  assertUsageError(await runCli([...ARGS, '--rule', 'lrt']), /--null/);
  assertInputError(await runCli(ARGS.filter((a, i) => a !== 'sd_block__Intercept=0.5' && ARGS[i + 1] !== 'sd_block__Intercept=0.5')), [/no assumed value for sd_block__Intercept/]);
});
