/**
 * The share-of-zeros check (src/inference/zero-share.ts) on hand-counted replicates, and the posterior
 * predictive draws of a zero part with its own formula (--zi '~mined'): at fixed parameters the
 * replicated share's mean equals (1/n) Σ_i P(y_i = 0) of the zero-inflated Poisson with its per-row zi
 * (Monte Carlo, 4 MCSE), and a plain Poisson at the same means predicts fewer zeros than observed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { zeroShareCheck, checksZeros } from '../../src/inference/zero-share.js';
import { posteriorPredictive } from '../../src/inference/predict.js';
import { buildDesign } from '../../src/design/design.js';
import { readCsvFile } from '../../src/data/read.js';
import { FAMILY_NAMES, getFamily } from '../../models/families/getFamily.js';
import { getLink } from '../../models/links.js';
import { repoRoot } from '../architecture/graph.js';

test('zeroShareCheck: observed share, replicated mean/sd/interval and P(replicated ≥ observed) counted by hand', () => {
  const y = [0, 0, 1, 3, 0, 2, 5, 1, 0, 4]; // 4 zeros of 10
  const yrep = [
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 0.1
    0, 0, 0, 0, 0, 1, 1, 1, 1, 1, // 0.5
    0, 0, 0, 0, 1, 1, 1, 1, 1, 1, // 0.4
    0, 0, 1, 1, 1, 1, 1, 1, 1, 1, // 0.2
  ];
  const c = zeroShareCheck(y, yrep, 4, 0.5);
  assert.equal(c.observed, 0.4);
  assert.ok(Math.abs(c.replicated.mean - 0.3) < 1e-12);
  assert.ok(Math.abs(c.replicated.sd - Math.sqrt((0.04 + 0.04 + 0.01 + 0.01) / 3)) < 1e-12);
  // type-7 quartiles of 0.1, 0.2, 0.4, 0.5
  assert.ok(Math.abs(c.replicated.lower - 0.175) < 1e-12 && Math.abs(c.replicated.upper - 0.425) < 1e-12);
  assert.equal(c.p_greater, 0.5);
  assert.equal(c.draws, 4);
});

test('checksZeros: the count families without trials (Poisson, NB, zero-inflated, hurdle), not binomial, continuous or ordinal ones', () => {
  const counted = FAMILY_NAMES.filter((f) => checksZeros(getFamily(f)));
  assert.deepEqual(counted, ['poisson', 'negbinomial', 'zipoisson', 'zinegbinomial', 'hurdle_poisson', 'hurdle_negbinomial']);
});

test('posterior predictive with --zi \'~mined\': the replicated share of zeros is (1/n) Σ P(y_i = 0) with each row\'s zi (4 MCSE); a Poisson at the same means has fewer zeros', () => {
  const frame = readCsvFile(join(repoRoot(), 'examples/data/glmmTMB_Salamanders.csv'), { factors: ['site', 'mined'] });
  const design = buildDesign('count ~ mined', frame, 'zipoisson', { zi: '~mined' });
  const fam = getFamily('zipoisson');
  const link = getLink('log');
  // glmmTMB's estimates of the model with (1|site) (zero-inflated.json), the site effects left out
  const v = { b_Intercept: 1.2298, b_minedyes: -1.1419, b_zi_Intercept: -0.5968, b_zi_minedyes: 1.7361 };
  const S = 400;
  const names = Object.keys(v);
  const data = new Float64Array(S * names.length);
  for (let s = 0; s < S; s++) names.forEach((n, k) => { data[s * names.length + k] = v[n as keyof typeof v]; });
  const draws = { nChains: 1, nDraws: S, names, data };
  const yrep = posteriorPredictive(design, draws, fam, link, seedrandom('zeros'));
  const c = zeroShareCheck(design.response.y, yrep.data, S, 0.95);
  const n = design.nobs;
  const mined = design.fixed.X.filter((_, j) => j % 2 === 1);
  let p0 = 0;
  let p0pois = 0;
  for (let i = 0; i < n; i++) {
    const mu = Math.exp(v.b_Intercept + v.b_minedyes * mined[i]);
    const zi = 1 / (1 + Math.exp(-(v.b_zi_Intercept + v.b_zi_minedyes * mined[i])));
    p0 += Math.exp(fam.logLik(0, mu, [zi], 1)) / n;
    p0pois += Math.exp(-mu) / n;
  }
  const mcse = c.replicated.sd / Math.sqrt(S);
  assert.ok(Math.abs(c.replicated.mean - p0) < 4 * mcse, `replicated ${c.replicated.mean} vs exact ${p0} (MCSE ${mcse})`);
  assert.ok(p0pois < c.observed, `a Poisson at these means: ${p0pois} zeros against ${c.observed} observed`);
});
