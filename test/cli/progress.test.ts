/** The progress line (src/cli/progress.ts): each phase says where it stands against its expected length. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobsText, progressText } from '../../src/cli/progress.js';

test('progress text: Laplace, warmup against the next nested R-hat check, ESS against the target, fixed draws', () => {
  assert.match(progressText({ phase: 'laplace', warmup: true, done: 0, total: 0 }), /^Laplace fit/);
  const w = progressText({ phase: 'warmup', warmup: true, done: 30, total: 35, nestedRhat: { value: 1.0812, threshold: 1.0308 } }, 10);
  assert.equal(w, 'warmup   █████████░ 30 of ~35 iterations · nested R-hat 1.081 (≤ 1.031)');
  const early = progressText({ phase: 'sampling', warmup: false, done: 5, total: 1000, ess: { min: NaN, parameter: '', target: 1000, firstCheck: 20 } }, 8);
  assert.equal(early, 'sampling ██░░░░░░ 5 draws per chain · ESS first checked at 20 (target 1000)');
  const s = progressText({ phase: 'sampling', warmup: false, done: 30, total: 1000, ess: { min: 640.4, parameter: 'sd_block__Intercept', target: 1000, firstCheck: 20 } }, 10);
  assert.equal(s, 'sampling ██████░░░░ ESS 640 of 1000 (sd_block__Intercept) · 30 draws per chain');
  assert.equal(progressText({ phase: 'sampling', warmup: false, done: 250, total: 1000 }, 4), 'sampling █░░░ 250 of 1000');
});

test('the jobs line: done of total, resumed jobs, and the ETA from this run\'s pace', () => {
  // 4 jobs ran in 20 s this run (2 more came from the results file): 5 s each, 4 left → ETA 20 s
  assert.equal(jobsText('K-fold', 'refits', { done: 6, total: 10, resumed: 2 }, 20, 10), 'K-fold ██████░░░░ 6 of 10 refits (2 resumed) · ETA 20 s');
  assert.equal(jobsText('power', 'simulations', { done: 0, total: 8, resumed: 0 }, 0, 4), 'power ░░░░ 0 of 8 simulations');
  assert.equal(jobsText('power', 'simulations', { done: 8, total: 8, resumed: 0 }, 30, 4), 'power ████ 8 of 8 simulations');
});
