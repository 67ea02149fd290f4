/**
 * glmer's binomial habits: a 0/1 or two-level factor response with family binomial (one trial per
 * row, the Bernoulli likelihood) and a proportion response with weights = trials (glmer's weights=),
 * against lme4 1.1-31 glmer with strict tolerances (test/fixtures/binomial/make-golden.R). Tolerances
 * as test/laplace/fit.test.ts: estimates within 1e-4 relative or 1e-3 SE, SEs 1%, logLik 1e-4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readCsvFile, frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { buildModel } from '../../src/target/parameters.js';
import { logDensity64 } from '../../src/target/logDensity64.js';
import { GlmmInputError } from '../../base/errors.js';
import type { DataFrame } from '../../src/data/frame.js';
import type { Design } from '../../src/design/types.js';
import { repoPath } from '../design/repo-path.js';

const DIR = 'test/fixtures/binomial';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const G: Record<string, any> = JSON.parse(readFileSync(repoPath(`${DIR}/binomial-golden.json`), 'utf8'));
const toenail = readCsvFile(repoPath(`${DIR}/lme4dev_toenail.csv`), { factors: ['patientID'] });
const cbpp = readCsvFile(repoPath(`${DIR}/lme4_cbpp.csv`), { factors: ['period', 'herd'] });

function check(design: Design, key: string): void {
  const g = G[key];
  const fit = fitLaplace(design, { family: 'binomial', profile: false });
  assert.equal(fit.converged, true, fit.warnings.join('; '));
  assert.equal(design.nobs, g.nobs);
  fit.fixef.forEach((b, j) => {
    assert.ok(Math.abs(b.estimate - g.beta[j]) <= Math.max(1e-4 * Math.abs(g.beta[j]), 1e-3 * g.se[j]), `${key} β${j} ${b.estimate} vs ${g.beta[j]}`);
    assert.ok(Math.abs(b.se / g.se[j] - 1) < 0.01, `${key} SE${j} ${b.se} vs ${g.se[j]}`);
  });
  const sd = fit.varpars.find((v) => v.class === 'sd')!.estimate;
  assert.ok(Math.abs(sd / g.sd - 1) < 1e-4, `${key} sd ${sd} vs ${g.sd}`);
  assert.ok(Math.abs(fit.logLik - g.logLik) < 1e-4, `${key} logLik ${fit.logLik} vs ${g.logLik}`);
  assert.ok(Math.abs(fit.aic - g.aic) < 2e-4 && Math.abs(fit.bic - g.bic) < 2e-4, `${key} AIC/BIC`);
}

/** toenail with a 0/1 column y = 1 for "moderate or severe" (glmer's second fit). */
function toenail01(): DataFrame {
  const c = toenail.columns.get('outcome')!;
  assert.ok(c.kind === 'factor');
  const rows = Array.from({ length: toenail.nrow }, (_, i) => {
    const r: Record<string, unknown> = {};
    for (const [name, col] of toenail.columns) r[name] = col.kind === 'numeric' ? col.values[i] : col.levels[col.codes[i]];
    r.y = c.levels[c.codes[i]] === 'moderate or severe' ? 1 : 0;
    return r;
  });
  return frameFromRows(rows, { factors: ['patientID'] });
}

test('toenail: a two-level factor response with family binomial is glmer\'s Bernoulli fit (second level = success)', () => {
  const d = buildDesign('outcome ~ treatment * time + (1|patientID)', toenail, 'binomial', { factors: ['patientID'] });
  assert.deepEqual(d.response.levels, G.levels);
  assert.ok(d.response.trials!.every((t) => t === 1));
  check(d, 'toenail_factor');
});

test('toenail: a 0/1 response with family binomial matches glmer', () => {
  check(buildDesign('y ~ treatment * time + (1|patientID)', toenail01(), 'binomial', { factors: ['patientID'] }), 'toenail_01');
});

test('cbpp: a proportion with weights = size is glmer\'s weights= fit, equal to the cbind() fit', () => {
  const dw = buildDesign('incidence/size ~ period + (1|herd)', cbpp, 'binomial', { weights: 'size' });
  const dc = buildDesign('cbind(incidence, size - incidence) ~ period + (1|herd)', cbpp, 'binomial');
  assert.deepEqual(Array.from(dw.response.y), Array.from(dc.response.y));
  assert.deepEqual(Array.from(dw.response.trials!), Array.from(dc.response.trials!));
  check(dw, 'cbpp_weights');
  check(dc, 'cbpp_cbind');
});

test('posterior path: the binomial 0/1 log density equals the bernoulli one at any point (n = 1 per row)', () => {
  const f = 'outcome ~ treatment * time + (1|patientID)';
  const a = buildModel(buildDesign(f, toenail, 'binomial'), { family: 'binomial' });
  const b = buildModel(buildDesign(f, toenail, 'bernoulli'), { family: 'bernoulli' });
  assert.deepEqual(a.names, b.names);
  const q = Float64Array.from({ length: a.dim }, (_, i) => Math.sin(1 + i) * 0.7);
  const la = logDensity64(a, q), lb = logDensity64(b, q);
  assert.ok(Number.isFinite(la));
  assert.ok(Math.abs(la - lb) < 1e-9 * Math.abs(lb), `${la} vs ${lb}`);
});

test('bad binomial responses and weights say what to do', () => {
  const d = frameFromRows([{ y: 0.5, n: 3, g: 'a' }, { y: 1, n: 2, g: 'b' }, { y: 0, n: 4, g: 'a' }, { y: 0.25, n: 4, g: 'b' }]);
  assert.throws(() => buildDesign('y ~ 1 + (1|g)', d, 'binomial'), (e: Error) => e instanceof GlmmInputError && /must be 0\/1.*--weights.*cbind.*row 1 has 0\.5/.test(e.message));
  assert.throws(() => buildDesign('y ~ 1 + (1|g)', d, 'binomial', { weights: 'n' }), (e: Error) => /whole number of successes; row 1 has 0\.5 × 3/.test(e.message));
  assert.throws(() => buildDesign('y ~ 1 + (1|g)', d, 'poisson', { weights: 'n' }), (e: Error) => /--weights n: .*binomial family only/.test(e.message));
  assert.throws(() => buildDesign('y ~ 1 + (1|g)', d, 'binomial', { weights: 'm' }), (e: Error) => /unknown column 'm' in formula term '--weights m'/.test(e.message));
  assert.throws(() => buildDesign('n ~ 1 + (1|g)', d, 'binomial', { weights: 'n' }), (e: Error) => /proportion in \[0, 1\]; row 1 has 3/.test(e.message));
});
