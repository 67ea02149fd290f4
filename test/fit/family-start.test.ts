/**
 * src/fit/family-start.ts: a family parameter whose Laplace estimate has no finite SE (ML at infinity)
 * starts at the best grid value of the sampler's log density; one with a finite SE keeps the Laplace start.
 * Data: SBC replications 1 and 10 of the betabinomial case (validation/sbc-cases.ts, stream (20261206, r);
 * test/fixtures/families/betabinomial-underdispersed.R), where the Laplace phi is 2.8e8 without an SE and
 * 1.3e12 with one, and lme4's cbpp as a beta-binomial, whose phi is where its posterior is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { buildModel } from '../../src/target/parameters.js';
import { compileJsDensity } from '../../src/target/density-js.js';
import { glmmRun } from '../../src/fit/laplace-glmm.js';
import { laplaceStart } from '../../src/fit/laplace.js';
import { PLACE_GAIN, placeFamilyCoords, unplacedFamilyCoords } from '../../src/fit/family-start.js';
import { repoRoot } from '../architecture/graph.js';

const root = repoRoot();
const SBC_PRIORS = ['Intercept ~ normal(0, 1)', 'b ~ normal(0, 1)', 'sd ~ normal(0, 1)', 'phi ~ gamma(2, 0.1)'];

function setup(file: string, formula: string, factors: string[]) {
  const frame = readCsvFile(join(root, file), { factors });
  const design = buildDesign(formula, frame, 'betabinomial', { factors });
  const spec = buildModel(design, { family: 'betabinomial', priors: SBC_PRIORS });
  const laplace = glmmRun(spec, 1, 0.95, false);
  return { spec, laplace, target: compileJsDensity(spec) };
}

test('an infinite ML phi (no finite SE) starts at the best grid value of the log density, inside the prior', () => {
  const { spec, laplace, target } = setup('test/fixtures/families/betabinomial-underdispersed.csv', 'cbind(y, n - y) ~ t + (1|clinic)', ['clinic', 't']);
  assert.ok(laplace.estimates.phi > 1e6, `Laplace phi ${laplace.estimates.phi}`);
  const j = spec.familyBlock.offset;
  assert.deepEqual(unplacedFamilyCoords(spec, laplace), [j]);
  const start = laplaceStart(spec, laplace);
  const placed = placeFamilyCoords(spec, target, laplace, start);
  const phi = Math.exp(placed.mode[j]);
  // gamma(2, 0.1) puts 95% of phi in 2.4-56; the Laplace start is 2.8e8
  assert.ok(phi > 2 && phi < 100, `start phi ${phi}`);
  assert.equal(placed.sd[j], 0.5);
  // only the unplaced coordinate moved, and the log density there beats the Laplace start's by far
  placed.mode.forEach((v, i) => { if (i !== j) assert.equal(v, start.mode[i]); });
  const lp = (q: Float64Array) => target.logDensity(q, 1).logp[0];
  assert.ok(lp(placed.mode) > lp(start.mode) + 1e6, `${lp(placed.mode)} vs ${lp(start.mode)}`);
  // and it is the best of its neighbours on the grid
  for (const d of [-0.2, 0.2]) {
    const q = Float64Array.from(placed.mode);
    q[j] += d;
    assert.ok(lp(placed.mode) >= lp(q));
  }
});

test('a family parameter with a finite Laplace SE keeps the Laplace start', () => {
  const { spec, laplace, target } = setup('examples/data/lme4_cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1|herd)', ['herd', 'period']);
  assert.ok(Number.isFinite(laplace.intervals.get('phi')?.se ?? NaN));
  assert.deepEqual(unplacedFamilyCoords(spec, laplace), []);
  const start = laplaceStart(spec, laplace);
  assert.equal(placeFamilyCoords(spec, target, laplace, start), start);
});

test('an ML phi far in the prior\'s tail with a finite SE (1.3e12) moves too: the grid beats it by more than PLACE_GAIN nats', () => {
  const { spec, laplace, target } = setup('test/fixtures/families/betabinomial-far-tail.csv', 'cbind(y, n - y) ~ t + (1|clinic)', ['clinic', 't']);
  assert.ok(laplace.estimates.phi > 1e9, `Laplace phi ${laplace.estimates.phi}`);
  assert.deepEqual(unplacedFamilyCoords(spec, laplace), []);
  const j = spec.familyBlock.offset;
  const start = laplaceStart(spec, laplace);
  const placed = placeFamilyCoords(spec, target, laplace, start);
  const lp = (q: Float64Array) => target.logDensity(q, 1).logp[0];
  assert.ok(lp(placed.mode) > lp(start.mode) + PLACE_GAIN);
  const phi = Math.exp(placed.mode[j]);
  assert.ok(phi > 2 && phi < 200, `start phi ${phi}`);
});
