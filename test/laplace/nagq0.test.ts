/**
 * nAGQ = 0 (θ optimized with β inside PIRLS, lme4's first stage only) against lme4 1.1-31
 * (test/fixtures/laplace/make-golden-nagq0.R): lme4 then computes no derivatives and runs no gradient
 * check, and its verdict is the optimizer's (optinfo$conv$opt = 0, no warning). Ours reports the same:
 * converged, no max scaled gradient (null, not NaN), no warning; and the same estimates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { caseDesign } from './cases.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { laplaceOnly } from '../../src/fit.js';
import { repoPath } from '../cli/cli-helpers.js';

const G = JSON.parse(readFileSync(repoPath('test/fixtures/laplace/nagq0-golden.json'), 'utf8')).cbpp_nagq0;

test('cbpp nAGQ = 0: converged with no gradient check and no warning, as lme4; estimates as lme4 nAGQ = 0', () => {
  assert.equal(G.opt_conv, 0);
  assert.equal(G.lme4_conv, 0);
  assert.equal(G.derivs_null, true);
  const c = caseDesign('cbpp');
  const fit = fitLaplace(c.design, { family: 'binomial', nAGQ: 0, profile: false });
  assert.equal(fit.method, 'nAGQ=0');
  assert.equal(fit.converged, true);
  assert.equal(fit.optimizer.maxScaledGradient, null);
  assert.deepEqual(fit.warnings, []);
  // lme4's PIRLS stops at a relative change of 1e-7 in the penalized deviance (make-golden.R), so
  // its optimum is inexact by ~1e-4 in θ; β is PIRLS' conditional mode at that θ
  assert.ok(Math.abs(fit.theta[0] - G.theta) < 1e-3 * G.theta, `θ ${fit.theta[0]} vs ${G.theta}`);
  fit.beta.forEach((v, j) => assert.ok(Math.abs(v - G.beta[j]) < 1e-3 * G.se[j] + 1e-4 * Math.abs(G.beta[j]), `β${j} ${v} vs ${G.beta[j]}`));
});

test('laplaceOnly nAGQ = 0: summary.json says converged, with no warning', () => {
  const r = laplaceOnly({
    data: { csv: readFileSync(repoPath('test/fixtures/laplace/lme4_cbpp.csv'), 'utf8') }, factors: ['herd', 'period'],
    formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial', nAGQ: 0, profile: false,
  });
  assert.equal(r.summary.laplace?.converged, true);
  assert.deepEqual(r.summary.warnings ?? [], []);
});
