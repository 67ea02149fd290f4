/**
 * The analytic gradient of the Laplace deviance (src/laplace/gradient.ts) against central differences of
 * the deviance itself, in both stages (θ with β in PIRLS; θ and β with u in PIRLS), on crossed and nested
 * Bernoulli designs and a Poisson one, at points away from the optimum.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { getFamily, familyFor } from '../../models/families/index.js';
import { makeProblem } from '../../src/laplace/problem.js';
import { hasLaplaceGradient } from '../../src/laplace/gradient.js';
import { stageValueGradient, fullValueGradient, gradientHessian } from '../../src/laplace/gradient-fit.js';
import { fitLaplace, fullObjective } from '../../src/laplace/laplace.js';
import { deriv12 } from '../../src/laplace/hessian.js';
import { stageObjective } from '../../src/laplace/deviance.js';
import { glmStart } from '../../src/laplace/pirls.js';
import type { Design } from '../../src/design/types.js';

const subset = readCsvFile('test/fixtures/sparse/insteval_subset.csv', { factors: ['s', 'd', 'service', 'dept'] });

function problem(design: Design, family: 'binomial' | 'poisson') {
  const f = getFamily(family);
  const fl = familyFor(family, f.defaultLink);
  return makeProblem(design, fl.family, fl.link);
}

/** Largest |analytic − central difference| relative to max(1, |gradient|). */
function check(fg: (x: Float64Array, g: Float64Array) => number, f: (x: Float64Array) => number, x: number[], h = 1e-5): number {
  const x0 = Float64Array.from(x);
  const g = new Float64Array(x.length);
  fg(x0, g);
  let worst = 0;
  for (let j = 0; j < x.length; j++) {
    const xp = Float64Array.from(x0), xm = Float64Array.from(x0);
    xp[j] += h; xm[j] -= h;
    const fd = (f(xp) - f(xm)) / (2 * h);
    worst = Math.max(worst, Math.abs(g[j] - fd) / Math.max(1, Math.abs(fd)));
  }
  return worst;
}

for (const [name, formula, family] of [
  ['InstEval subset, crossed s × d + dept:service', 'y3 ~ service + (1 | s) + (1 | d) + (1 | dept:service)', 'binomial'],
  ['InstEval subset, one term', 'y3 ~ service + (1 | d)', 'binomial'],
  ['InstEval subset, Poisson y, crossed', 'y ~ service + (1 | s) + (1 | d)', 'poisson'],
] as const) {
  test(`Laplace deviance gradient = central differences: ${name}`, () => {
    const design = buildDesign(formula, subset, family);
    const prob = problem(design, family);
    assert.ok(hasLaplaceGradient(prob));
    const nt = prob.structure.nTheta, p = design.fixed.p;
    const beta0 = glmStart(prob.model, new Float64Array(0));
    const theta = Array.from({ length: nt }, (_, i) => 0.3 + 0.2 * i);
    // stage 1: x = θ, β in PIRLS (fresh objectives per point so that warm starts do not differ)
    const vg1 = (x: Float64Array, g: Float64Array): number => { const r = stageValueGradient(prob, 'theta', beta0)(x); r.gradient(g); return r.value; };
    const f1 = (x: Float64Array): number => stageObjective(prob, 'theta', beta0)(x);
    const e1 = check(vg1, f1, theta);
    assert.ok(e1 < 1e-5, `stage 1 gradient error ${e1}`);
    // stage 2: x = [θ, β] off the optimum (β moved by 0.1)
    const x2 = [...theta, ...Array.from(beta0, (b) => b + 0.1)];
    const fg2 = fullValueGradient(prob, Float64Array.from(x2));
    const e2 = check(fg2, (x) => fg2(x, new Float64Array(x.length)), x2);
    assert.ok(e2 < 1e-5, `stage 2 gradient error ${e2}`);
  });
}

test('the Hessian from differences of the analytic gradient = lme4\'s deriv12 on the deviance, at the optimum (InstEval subset, crossed)', () => {
  const design = buildDesign('y3 ~ service + (1 | s) + (1 | d) + (1 | dept:service)', subset, 'binomial');
  const prob = problem(design, 'binomial');
  const fit = fitLaplace(design, { family: 'binomial', profile: false });
  const x = Float64Array.from([...fit.theta, ...fit.beta]);
  const d = x.length;
  const ours = gradientHessian(fullValueGradient(prob, x), x, 1e-4).hessian;
  const f = fullObjective(prob, 1, x);
  const ref = deriv12(f, x, 1e-4, f(x)).hessian;
  // deriv12's own error is the deviance's noise over δ²: PIRLS stops within a Newton decrement of 1e-11, a noise of
  // ~1e-10 in D, so ~1e-2 in each entry (4 values over 4δ²); 0.05 is five times that, and a wrong gradient is off by O(1)
  let worst = 0;
  for (let i = 0; i < d * d; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
  assert.ok(worst < 0.05, `Hessian entries differ by up to ${worst}`);
});
