/**
 * Issue 23: the likelihood fit beside the posterior turns only its expected failures into `error` (a
 * warning beside the posterior): a matrix the data leave not positive definite or singular. A bug (a
 * TypeError, any other exception) propagates, so that fit() and the CLI fail loudly instead of showing
 * a posterior with a warning. Failures are injected through the design the fitters read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specify } from '../../src/fit.js';
import { runLaplace } from '../../src/fit/laplace.js';
import { NotPositiveDefiniteError, SingularMatrixError } from '../../src/linalg/errors.js';
import { invGeneral } from '../../src/linalg/dense.js';
import type { ModelSpec } from '../../src/target/parameters.js';

const data = { block: [1, 2, 3, 4, 1, 2, 3, 4], trt: [0, 0, 0, 0, 1, 1, 1, 1], count: [1, 5, 2, 7, 9, 14, 8, 20] };

/** `spec` whose design throws `err` when a fitter reads its random-effect terms. */
function throwingSpec(family: 'poisson' | 'gaussian', err: Error): ModelSpec {
  const { spec } = specify({ formula: 'count ~ trt + (1|block)', data, family, factors: ['trt', 'block'] });
  const design = new Proxy(spec.design, { get: (t, k, r) => { if (k === 'random') throw err; return Reflect.get(t, k, r); } });
  return { ...spec, design };
}

for (const family of ['poisson', 'gaussian'] as const) {
  test(`${family}: a bug inside the likelihood fit propagates; a matrix failure becomes the run's error`, () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'k')");
    assert.throws(() => runLaplace(throwingSpec(family, bug), {}), (e: unknown) => e === bug);
    assert.throws(() => runLaplace(throwingSpec(family, new Error('some bug')), {}), /some bug/);
    for (const expected of [new NotPositiveDefiniteError(), new SingularMatrixError()]) {
      const run = runLaplace(throwingSpec(family, expected), {});
      assert.equal(run.error, expected.message);
      assert.equal(run.stats, null);
    }
  });
}

test('invGeneral of a singular matrix throws SingularMatrixError', () => {
  assert.throws(() => invGeneral(Float64Array.from([1, 2, 2, 4]), 2), SingularMatrixError);
  assert.deepEqual(Array.from(invGeneral(Float64Array.from([2, 0, 0, 4]), 2)), [0.5, 0, 0, 0.25]);
});
