/**
 * Per-term parameterization from the data (src/fit/centering.ts): weakly informed levels stay
 * non-centred, strongly informed levels are centred.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { buildModel } from '../../src/target/parameters.js';
import { runLaplace } from '../../src/fit/laplace.js';
import { chooseCentering, CENTRE_BELOW } from '../../src/fit/centering.js';
import { readFileSync } from 'node:fs';
import { specify } from '../../src/fit.js';
import { repoPath } from '../design/repo-path.js';

function poissonData(groups: number, perGroup: number, sd: number, seed: string) {
  const rng = seedrandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const rows: { g: string; y: number }[] = [];
  for (let j = 0; j < groups; j++) {
    const b = sd * normal();
    for (let i = 0; i < perGroup; i++) {
      const mu = Math.exp(1 + b);
      let k = 0, p = Math.exp(-mu), s = p;
      const u = rng();
      while (u > s) { k++; p *= mu / k; s += p; }
      rows.push({ g: `g${j}`, y: k });
    }
  }
  return frameFromRows(rows);
}

function centred(groups: number, perGroup: number): string[] {
  const design = buildDesign('y ~ 1 + (1|g)', poissonData(groups, perGroup, 0.5, `c${groups}-${perGroup}`), 'poisson');
  const spec = buildModel(design, { family: 'poisson' });
  return chooseCentering(design, runLaplace(spec, {}));
}

test('one row per level (conditional sd ≈ population sd) stays non-centred', () => {
  assert.deepEqual(centred(40, 1), []);
});

test(`100 rows per level of a Poisson mean e ≈ 2.7 (conditional sd ≈ 0.06, ratio ≈ 0.12 < ${CENTRE_BELOW}) is centred`, () => {
  assert.deepEqual(centred(20, 100), ['g']);
});

test('no Laplace fit (or a failed one) means no centring', () => {
  const design = buildDesign('y ~ 1 + (1|g)', poissonData(5, 3, 0.5, 'x'), 'poisson');
  assert.deepEqual(chooseCentering(design, null), []);
});

test(`Beitler–Landis's clinic (median ratio ≈ 0.37 ≥ ${CENTRE_BELOW}) stays non-centred: ChEES mixed 2× worse centred`, () => {
  const { spec } = specify({ formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', data: { csv: readFileSync(repoPath('examples/data/beitler_landis_1985.csv'), 'utf8') }, family: 'binomial', factors: ['t', 'clinic'] });
  assert.deepEqual(chooseCentering(spec.design, runLaplace(spec, {})), []);
});
