/**
 * SBC's data-event rejection (validation/sbc-job.ts): a simulated data set the model refuses is
 * recognised from y alone, and a replication redraws θ and y until the model takes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusal, sbcModel, simulate } from '../../validation/sbc-job.js';
import { SBC_CASES, type SbcCase } from '../../validation/sbc-cases.js';
import { makeRng } from '../../src/sampler/rng.js';
import { priorPredictive } from '../../src/inference/prior.js';
import { familyFor } from '../../models/families/getFamily.js';

const caseOf = (family: string): SbcCase => SBC_CASES.find((c) => c.family === family)!;

test('refusal: an ordinal data set with every category is taken; an empty middle or top category is refused', () => {
  const c = caseOf('cumulative');
  const { base, held } = sbcModel(c);
  const n = base.g.length;
  const withY = (f: (i: number) => number) => ({ ...base, y: Array.from({ length: n }, (_, i) => f(i)) });
  assert.equal(refusal(c, withY((i) => (i % 4) + 1), held), null);
  assert.match(refusal(c, withY((i) => [1, 3, 4][i % 3]), held) ?? '', /category '2' .* has no rows/);
  // categories 1..3 only: the integer response would silently become 3 categories with 2 thresholds
  assert.match(refusal(c, withY((i) => (i % 3) + 1), held) ?? '', /parameters .* not /);
});

test('simulate: a refused replication is redrawn until the model takes its data (cumulative, beta)', () => {
  for (const family of ['cumulative', 'beta']) {
    const c = caseOf(family);
    const { held } = sbcModel(c);
    let redrawn = 0;
    for (let rep = 1; rep <= 40; rep++) {
      const rng = makeRng(20261206, rep);
      const s = simulate(c, () => rng.uniform());
      assert.ok(s.ok, `${family} replication ${rep}`);
      assert.equal(refusal(c, s.data, s.held), null);
      assert.deepEqual(s.held, held);
      if (s.redraws > 0) redrawn++;
    }
    assert.ok(redrawn > 0, `${family}: some of 40 replications needed a redraw (else this test checks nothing)`);
  }
});

test('simulate: a replication the model takes at once is the plain prior-predictive draw (records written before redraws stay valid)', () => {
  const c = caseOf('student');
  const { base, design, spec } = sbcModel(c);
  const { family, link } = familyFor(c.family, spec.link);
  const a = makeRng(20261206, 3);
  const s = simulate(c, () => a.uniform());
  const b = makeRng(20261206, 3);
  const plain = priorPredictive(design, family, link, spec.priors, 1, () => b.uniform());
  assert.ok(s.ok);
  assert.equal(s.redraws, 0);
  assert.deepEqual(s.data, { ...base, y: Array.from(plain.yrep.data) });
  assert.deepEqual(Array.from(s.truth.data), Array.from(plain.draws.data));
});
