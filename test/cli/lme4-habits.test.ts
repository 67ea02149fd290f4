/**
 * lme4 users' habits end to end (child process): `--weights` with a proportion response (glmer's
 * weights=, equal to the cbind() fit: test/fixtures/binomial/binomial-golden.json `cbpp_weights`),
 * `--no-profile`, profile intervals and SEs on the variance rows of an lmer fit (numbers proven in
 * test/fit/lmm-profile.test.ts), and `--nagq` on a gaussian model, which has nothing to refine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SummaryJson } from '../../src/report/schema.js';
import { assertNoStack, dataFile, repoPath, runCli } from './cli-helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const G: Record<string, any> = JSON.parse(readFileSync(repoPath('test/fixtures/binomial/binomial-golden.json'), 'utf8'));
const CBPP = ['laplace', '--data', dataFile('lme4_cbpp.csv'), '--family', 'binomial', '--factor', 'period,herd'];
const GAUSS = ['laplace', '--data', dataFile('rcbd.csv'), '--formula', 'count ~ trt + (1|block)', '--family', 'gaussian', '--factor', 'trt,block'];

async function json(args: string[]): Promise<SummaryJson> {
  const r = await runCli([...args, '--json']);
  assertNoStack(r);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as SummaryJson;
}
const param = (s: SummaryJson, name: string) => s.parameters.find((p) => p.name === name)!.laplace!;

test('--weights size with incidence/size is glmer\'s weights= fit and the cbind() fit', async () => {
  const w = await json([...CBPP, '--formula', 'incidence/size ~ period + (1|herd)', '--weights', 'size']);
  const c = await json([...CBPP, '--formula', 'cbind(incidence, size - incidence) ~ period + (1|herd)']);
  const g = G.cbpp_weights;
  assert.ok(Math.abs(w.laplace!.logLik - g.logLik) < 1e-4, `${w.laplace!.logLik} vs ${g.logLik}`);
  for (const name of ['b_Intercept', 'b_period2', 'b_period3', 'b_period4', 'sd_herd__Intercept']) {
    assert.ok(Math.abs(param(w, name).estimate - param(c, name).estimate) < 1e-9, name);
  }
  const bad = await runCli([...CBPP, '--formula', 'incidence ~ period + (1|herd)', '--weights', 'size']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: binomial response 'incidence' with --weights size must be a proportion in \[0, 1\]; row \d+ has \d+\n$/);
});

test('--no-profile leaves the sd intervals out (GLMM and lmer); without it the lmer sd and sigma rows have SE and interval', async () => {
  const s = await json([...CBPP, '--formula', 'cbind(incidence, size - incidence) ~ period + (1|herd)', '--no-profile']);
  assert.equal(param(s, 'sd_herd__Intercept').lower, null);
  const lm = await json(GAUSS);
  for (const name of ['sd_block__Intercept', 'sigma']) {
    const p = param(lm, name);
    assert.ok(p.se !== null && p.lower !== null && p.upper !== null, `${name}: ${JSON.stringify(p)}`);
    assert.ok(p.lower! <= p.estimate && p.estimate <= p.upper!);
  }
  const np = await json([...GAUSS, '--no-profile']);
  assert.equal(param(np, 'sigma').lower, null);
  assert.ok(param(np, 'sigma').se !== null);
});

test('--nagq 5 on a gaussian model warns in one line that it has no effect', async () => {
  const s = await json([...GAUSS, '--nagq', '5']);
  assert.deepEqual(s.warnings.filter((w) => /--nagq/.test(w)), ['--nagq 5 has no effect on a gaussian (lmer) fit: its likelihood is exact, with no Laplace approximation to refine.']);
});
