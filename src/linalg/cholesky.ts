/**
 * The one dense Cholesky factorization of the project (row-major Float64Array, lower factor L with
 * A = L Lᵀ), with its triangular solves and the SPD inverse. Hand-written rather than ml-matrix's because
 * it is envelope (skyline) aware — row i of L starts at the first non-zero of row i of A, so the LMM's
 * block-diagonal Λᵀ ZᵀZ Λ + I costs O(n k²), not O(n³) — and because the callers factor k × k blocks per
 * draw and need a failed pivot reported (null) or floored, not an exception after the fact.
 * Skipping the exact zeros outside the envelope changes no arithmetic: the factor equals the dense one.
 */
import { NotPositiveDefiniteError } from './errors.js';

/**
 * In-place lower Cholesky factor of the n × n symmetric matrix A (upper part zeroed); returns log det A.
 * A pivot that is not positive gives null (A is then partly overwritten), unless `floor` is given: then
 * every pivot is max(pivot, floor) and the result is never null (floor 0 factors a semidefinite matrix).
 */
export function choleskyInPlace(A: Float64Array, n: number, floor?: number): number | null {
  const first = new Int32Array(n);
  for (let i = 0; i < n; i++) { let f = 0; while (f < i && A[i * n + f] === 0) f++; first[i] = f; }
  let logdet = 0;
  for (let i = 0; i < n; i++) {
    const fi = first[i];
    for (let j = fi; j <= i; j++) {
      let t = A[i * n + j];
      for (let k = Math.max(fi, first[j]); k < j; k++) t -= A[i * n + k] * A[j * n + k];
      if (j < i) A[i * n + j] = t / A[j * n + j];
      else {
        if (floor !== undefined) t = Math.max(t, floor);
        else if (!(t > 0)) return null;
        A[i * n + i] = Math.sqrt(t);
        logdet += Math.log(t);
      }
    }
    for (let j = i + 1; j < n; j++) A[i * n + j] = 0;
  }
  return logdet;
}

/** {@link choleskyInPlace} that throws when A is not positive definite (the LMM's criterion reads the throw as +∞). */
export function choleskyInPlaceSpd(A: Float64Array, n: number): number {
  const logdet = choleskyInPlace(A, n);
  if (logdet === null) throw new NotPositiveDefiniteError();
  return logdet;
}

/**
 * Lower Cholesky factor (n × n) of the leading n × n block of the symmetric matrix A stored with row
 * length `stride` (default n); null when A is not positive definite, unless `floor` is given (see
 * {@link choleskyInPlace}).
 */
export function cholesky(A: ArrayLike<number>, n: number, opts: { stride?: number; floor?: number } = {}): Float64Array | null {
  const stride = opts.stride ?? n;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[i * n + j] = A[i * stride + j];
  return choleskyInPlace(L, n, opts.floor) === null ? null : L;
}

/** Solves L X = B in place (B is n × m row-major), L lower triangular n × n. */
export function solveLower(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    let f = 0;
    while (f < i && L[i * n + f] === 0) f++;
    for (let k = f; k < i; k++) {
      const l = L[i * n + k];
      if (l !== 0) for (let c = 0; c < m; c++) B[i * m + c] -= l * B[k * m + c];
    }
    const d = L[i * n + i];
    for (let c = 0; c < m; c++) B[i * m + c] /= d;
  }
}

/** Solves Lᵀ X = B in place (B is n × m row-major), L lower triangular n × n. */
export function solveLowerT(L: Float64Array, n: number, B: Float64Array, m: number): void {
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const l = L[k * n + i];
      if (l !== 0) for (let c = 0; c < m; c++) B[i * m + c] -= l * B[k * m + c];
    }
    const d = L[i * n + i];
    for (let c = 0; c < m; c++) B[i * m + c] /= d;
  }
}

/** x = A⁻¹ b for the p × p symmetric A, every pivot floored at `floor` (a ridge that keeps a nearly singular system finite). */
export function solveSpd(A: Float64Array, b: ArrayLike<number>, p: number, floor: number): Float64Array {
  const L = cholesky(A, p, { floor }) as Float64Array;
  const x = Float64Array.from(b);
  solveLower(L, p, x, 1);
  solveLowerT(L, p, x, 1);
  return x;
}

/** Inverse of the n × n symmetric positive definite A (A is not modified); throws when A is not positive definite. */
export function invSpd(A: Float64Array, n: number): Float64Array {
  const L = cholesky(A, n);
  if (!L) throw new NotPositiveDefiniteError();
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  solveLower(L, n, I, n);
  solveLowerT(L, n, I, n);
  return I;
}
