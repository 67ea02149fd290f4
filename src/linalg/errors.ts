/**
 * The numerical failures of dense linear algebra, as types, so that a caller can tell a matrix the data
 * leave degenerate (an expected failure it may report) from a bug (which must propagate): a Cholesky
 * factorization of a matrix that is not positive definite, and an inverse of a singular matrix.
 */

/** A Cholesky factorization met a pivot that is not positive. */
export class NotPositiveDefiniteError extends Error {
  constructor(message = 'matrix is not positive definite') {
    super(message);
    this.name = 'NotPositiveDefiniteError';
  }
}

/** An inverse of a singular (or not finite) matrix. */
export class SingularMatrixError extends Error {
  constructor(message = 'matrix is singular') {
    super(message);
    this.name = 'SingularMatrixError';
  }
}
