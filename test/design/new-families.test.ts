/**
 * Responses of the families added by issue 22: the beta's rows at 0 or 1 are all named in one line;
 * the beta-binomial takes the binomial's three forms (cbind, 0/1, proportion with weights) and the
 * forms give the same design and the same log-likelihood.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { GlmmInputError } from '../../base/errors.js';
import { getFamily } from '../../models/families/getFamily.js';

const oneLine = (re: RegExp) => (e: unknown): boolean => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n');

test('beta: a response at 0 or 1 is an error naming every such row', () => {
  const df = frameFromRows({ y: [0.2, 0, 0.5, 1, 0.7, 1], g: ['a', 'a', 'b', 'b', 'c', 'c'] }, { factors: ['g'] });
  assert.throws(() => buildDesign('y ~ 1 + (1|g)', df, 'beta'),
    oneLine(/^beta response 'y' must be strictly between 0 and 1 .*; rows 2, 4, 6 have 0, 1, 1$/));
  const ok = frameFromRows({ y: [0.2, 0.1, 0.5, 0.9, 0.7, 0.99], g: ['a', 'a', 'b', 'b', 'c', 'c'] }, { factors: ['g'] });
  assert.equal(buildDesign('y ~ 1 + (1|g)', ok, 'beta').nobs, 6);
});

test('betabinomial: cbind(x, n − x), a proportion with weights and 0/1 give the binomial\'s designs', () => {
  const x = [0, 3, 5, 2], n = [4, 6, 5, 9];
  const rows = { x, f: x.map((v, i) => n[i] - v), p: x.map((v, i) => v / n[i]), n, g: ['a', 'a', 'b', 'b'] };
  const df = frameFromRows(rows, { factors: ['g'] });
  const cb = buildDesign('cbind(x, f) ~ 1 + (1|g)', df, 'betabinomial');
  const w = buildDesign('p ~ 1 + (1|g)', df, 'betabinomial', { weights: 'n' });
  assert.deepEqual(Array.from(cb.response.y), x);
  assert.deepEqual(Array.from(cb.response.trials as Float64Array), n);
  assert.deepEqual(Array.from(w.response.y), x);
  assert.deepEqual(Array.from(w.response.trials as Float64Array), n);
  const b = buildDesign('y ~ 1 + (1|g)', frameFromRows({ y: [0, 1, 1, 0], g: ['a', 'a', 'b', 'b'] }, { factors: ['g'] }), 'betabinomial');
  assert.deepEqual(Array.from(b.response.trials as Float64Array), [1, 1, 1, 1]);
  // with one trial the beta-binomial is Bernoulli(μ) whatever φ
  const bb = getFamily('betabinomial'), bern = getFamily('bernoulli');
  for (const phi of [0.3, 7]) for (const y of [0, 1]) assert.ok(Math.abs(bb.logLik(y, 0.3, [phi], 1) - bern.logLik(y, 0.3, [], 1)) < 1e-13);
});

test('cbind and weights are for the families with trials only', () => {
  const df = frameFromRows({ x: [1, 2], f: [1, 0], g: ['a', 'b'] }, { factors: ['g'] });
  assert.throws(() => buildDesign('cbind(x, f) ~ 1 + (1|g)', df, 'beta'), oneLine(/cbind\(successes, failures\) is only for --family binomial or betabinomial/));
});
