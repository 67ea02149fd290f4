/**
 * lme4's convergence check on a Hessian with non-finite entries (the deviance not finite a difference
 * step from the optimum: found by the fuzz corpus on a student fit with a cs term): not positive
 * definite, one warning, no exception from the Cholesky (it used to throw "Matrix is not symmetric",
 * a bug exit). A finite positive-definite Hessian still passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConvergence } from '../../src/laplace/hessian.js';

test('a Hessian with a NaN entry: not positive definite, the warning says why, no throw', () => {
  const r = checkConvergence(Float64Array.from([0.001, 0]), Float64Array.from([2, NaN, NaN, 3]), 2);
  assert.equal(r.positiveDefinite, false);
  assert.deepEqual(r.warnings, ['the Hessian of the deviance could not be computed at the optimum (the deviance is not finite beside it): standard errors are not available; the model may be overparameterized']);
});

test('a finite positive-definite Hessian at a zero gradient passes without warnings', () => {
  const r = checkConvergence(Float64Array.from([0, 0]), Float64Array.from([2, 0.5, 0.5, 3]), 2);
  assert.equal(r.positiveDefinite, true);
  assert.equal(r.maxScaledGradient, 0);
  assert.deepEqual(r.warnings, []);
});
