/**
 * Envelope (profile) Cholesky of a symmetric matrix held dense, row-major, lower triangle: row i of the
 * factor starts at first[i], the first column where A or the fill of earlier rows is non-zero (George &
 * Liu 1981, Computer Solution of Large Sparse Positive Definite Systems, ch. 4; the envelope is closed
 * under Cholesky fill). Entries outside the envelope must be exact zeros in storage; they stay zero.
 * The kernel is up-looking and register-blocked four rows by two columns (eight dot products share six
 * loads; two rows, then one, for the last rows), which is what a hand-written float64 loop in JS can do in place of BLAS. The blocked system's
 * Schur complement (blocked-factor.ts) is its caller.
 */

/** Log determinants of the factored matrix split at `split` (rows before and from it), and whether a pivot failed. */
export interface EnvelopeResult {
  /** Σ log pivot over rows < split; NaN when one of those pivots was not positive. */
  readonly logDetA: number;
  /** Σ log pivot over rows ≥ split (failed pivots counted at their floor). */
  readonly logDetB: number;
  /** Whether a pivot at or after split was not positive (floored at 1e-300 to keep the factor finite). */
  readonly failedB: boolean;
}

/**
 * In-place lower Cholesky factor of the r × r symmetric A (lower triangle read and overwritten) within
 * the envelope `first`. A pivot that is not positive is floored at 1e-300 and reported (see EnvelopeResult).
 */
export function envelopeCholesky(A: Float64Array, r: number, first: Int32Array, split: number): EnvelopeResult {
  const state = { ldA: 0, ldB: 0, failA: false, failB: false };
  const pivot = (i: number, d: number): number => {
    if (!(d > 0)) {
      if (i < split) state.failA = true;
      else state.failB = true;
      d = 1e-300;
    }
    if (i < split) state.ldA += Math.log(d);
    else state.ldB += Math.log(d);
    return Math.sqrt(d);
  };
  let i = 0;
  for (; i + 3 < r; i += 4) quadRows(A, r, first, i, pivot);
  for (; i + 1 < r; i += 2) pairRows(A, r, first, i, pivot);
  if (i < r) singleRow(A, r, first, i, pivot);
  return { logDetA: state.failA ? NaN : state.ldA, logDetB: state.ldB, failedB: state.failB };
}

/**
 * Rows i0 … i0 + 3 of the factor: the columns before i0 in pairs (eight dot products share six loads per
 * step, which fits x64's sixteen float registers), then the 4 × 4 diagonal block from its Gram matrix.
 */
function quadRows(A: Float64Array, r: number, first: Int32Array, i0: number, pivot: (i: number, d: number) => number): void {
  const r0 = i0 * r, r1 = r0 + r, r2 = r1 + r, r3 = r2 + r;
  const f = Math.min(first[i0], first[i0 + 1], first[i0 + 2], first[i0 + 3]);
  let j = f;
  for (; j + 1 < i0; j += 2) {
    const j1 = j + 1, rj = j * r, rj1 = j1 * r;
    const m0 = Math.max(f, Math.min(first[j], first[j1]));
    let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
    for (let m = m0; m < j; m++) {
      const y0 = A[rj + m], y1 = A[rj1 + m];
      const x0 = A[r0 + m], x1 = A[r1 + m], x2 = A[r2 + m], x3 = A[r3 + m];
      a00 += x0 * y0; a01 += x0 * y1; a10 += x1 * y0; a11 += x1 * y1;
      a20 += x2 * y0; a21 += x2 * y1; a30 += x3 * y0; a31 += x3 * y1;
    }
    const djj = A[rj + j], d11 = A[rj1 + j1], c10 = A[rj1 + j];
    let l = (A[r0 + j] - a00) / djj; A[r0 + j] = l; A[r0 + j1] = (A[r0 + j1] - a01 - l * c10) / d11;
    l = (A[r1 + j] - a10) / djj; A[r1 + j] = l; A[r1 + j1] = (A[r1 + j1] - a11 - l * c10) / d11;
    l = (A[r2 + j] - a20) / djj; A[r2 + j] = l; A[r2 + j1] = (A[r2 + j1] - a21 - l * c10) / d11;
    l = (A[r3 + j] - a30) / djj; A[r3 + j] = l; A[r3 + j1] = (A[r3 + j1] - a31 - l * c10) / d11;
  }
  if (j < i0) {
    const rj = j * r;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let m = Math.max(f, first[j]); m < j; m++) {
      const y = A[rj + m];
      a0 += A[r0 + m] * y; a1 += A[r1 + m] * y; a2 += A[r2 + m] * y; a3 += A[r3 + m] * y;
    }
    const djj = A[rj + j];
    A[r0 + j] = (A[r0 + j] - a0) / djj; A[r1 + j] = (A[r1 + j] - a1) / djj;
    A[r2 + j] = (A[r2 + j] - a2) / djj; A[r3 + j] = (A[r3 + j] - a3) / djj;
  }
  // the diagonal block: A_bb − L_b Lᵦᵀ over the columns before i0, then its own 4 × 4 Cholesky
  let g00 = 0, g10 = 0, g11 = 0, g20 = 0, g21 = 0, g22 = 0, g30 = 0, g31 = 0, g32 = 0, g33 = 0;
  for (let m = f; m < i0; m++) {
    const x0 = A[r0 + m], x1 = A[r1 + m], x2 = A[r2 + m], x3 = A[r3 + m];
    g00 += x0 * x0; g10 += x1 * x0; g11 += x1 * x1; g20 += x2 * x0; g21 += x2 * x1; g22 += x2 * x2;
    g30 += x3 * x0; g31 += x3 * x1; g32 += x3 * x2; g33 += x3 * x3;
  }
  const l00 = pivot(i0, A[r0 + i0] - g00);
  const l10 = (A[r1 + i0] - g10) / l00, l20 = (A[r2 + i0] - g20) / l00, l30 = (A[r3 + i0] - g30) / l00;
  const l11 = pivot(i0 + 1, A[r1 + i0 + 1] - g11 - l10 * l10);
  const l21 = (A[r2 + i0 + 1] - g21 - l20 * l10) / l11, l31 = (A[r3 + i0 + 1] - g31 - l30 * l10) / l11;
  const l22 = pivot(i0 + 2, A[r2 + i0 + 2] - g22 - l20 * l20 - l21 * l21);
  const l32 = (A[r3 + i0 + 2] - g32 - l30 * l20 - l31 * l21) / l22;
  const l33 = pivot(i0 + 3, A[r3 + i0 + 3] - g33 - l30 * l30 - l31 * l31 - l32 * l32);
  A[r0 + i0] = l00;
  A[r1 + i0] = l10; A[r1 + i0 + 1] = l11;
  A[r2 + i0] = l20; A[r2 + i0 + 1] = l21; A[r2 + i0 + 2] = l22;
  A[r3 + i0] = l30; A[r3 + i0 + 1] = l31; A[r3 + i0 + 2] = l32; A[r3 + i0 + 3] = l33;
}

/** Rows i0 = i and i1 = i + 1 of the factor, columns in pairs. */
function pairRows(A: Float64Array, r: number, first: Int32Array, i0: number, pivot: (i: number, d: number) => number): void {
  const i1 = i0 + 1;
  const r0 = i0 * r, r1 = i1 * r;
  const f = Math.min(first[i0], first[i1]);
  let j = f;
  for (; j + 1 < i0; j += 2) {
    const j1 = j + 1, rj = j * r, rj1 = j1 * r;
    const m0 = Math.max(f, Math.min(first[j], first[j1]));
    let a00 = 0, a01 = 0, a10 = 0, a11 = 0;
    for (let m = m0; m < j; m++) {
      const x0 = A[r0 + m], x1 = A[r1 + m], y0 = A[rj + m], y1 = A[rj1 + m];
      a00 += x0 * y0; a01 += x0 * y1; a10 += x1 * y0; a11 += x1 * y1;
    }
    const l0 = (A[r0 + j] - a00) / A[rj + j];
    A[r0 + j] = l0;
    A[r0 + j1] = (A[r0 + j1] - a01 - l0 * A[rj1 + j]) / A[rj1 + j1];
    const l1 = (A[r1 + j] - a10) / A[rj + j];
    A[r1 + j] = l1;
    A[r1 + j1] = (A[r1 + j1] - a11 - l1 * A[rj1 + j]) / A[rj1 + j1];
  }
  if (j < i0) {
    const rj = j * r;
    let a0 = 0, a1 = 0;
    for (let m = Math.max(f, first[j]); m < j; m++) { a0 += A[r0 + m] * A[rj + m]; a1 += A[r1 + m] * A[rj + m]; }
    A[r0 + j] = (A[r0 + j] - a0) / A[rj + j];
    A[r1 + j] = (A[r1 + j] - a1) / A[rj + j];
  }
  let d0 = A[r0 + i0], c = A[r1 + i0];
  for (let m = f; m < i0; m++) { d0 -= A[r0 + m] * A[r0 + m]; c -= A[r1 + m] * A[r0 + m]; }
  const l00 = pivot(i0, d0);
  A[r0 + i0] = l00;
  const l10 = c / l00;
  A[r1 + i0] = l10;
  let d1 = A[r1 + i1] - l10 * l10;
  for (let m = first[i1]; m < i0; m++) d1 -= A[r1 + m] * A[r1 + m];
  A[r1 + i1] = pivot(i1, d1);
}

/** Row i of the factor alone (the last row when r is odd). */
function singleRow(A: Float64Array, r: number, first: Int32Array, i: number, pivot: (i: number, d: number) => number): void {
  const ri = i * r;
  const f = first[i];
  for (let j = f; j < i; j++) {
    const rj = j * r;
    let a = 0;
    for (let m = Math.max(f, first[j]); m < j; m++) a += A[ri + m] * A[rj + m];
    A[ri + j] = (A[ri + j] - a) / A[rj + j];
  }
  let d = A[ri + i];
  for (let m = f; m < i; m++) d -= A[ri + m] * A[ri + m];
  A[ri + i] = pivot(i, d);
}

/** Solves L y = b in place (b of length r) with the envelope factor L. */
export function envelopeSolveLower(L: Float64Array, r: number, first: Int32Array, b: Float64Array): void {
  for (let j = 0; j < r; j++) {
    const rj = j * r;
    let v = b[j];
    for (let m = first[j]; m < j; m++) v -= L[rj + m] * b[m];
    b[j] = v / L[rj + j];
  }
}

/** Solves Lᵀ x = b in place (b of length r) with the envelope factor L, reading L by rows. */
export function envelopeSolveLowerT(L: Float64Array, r: number, first: Int32Array, b: Float64Array): void {
  for (let j = r - 1; j >= 0; j--) {
    const rj = j * r;
    const x = b[j] / L[rj + j];
    b[j] = x;
    for (let m = first[j]; m < j; m++) b[m] -= L[rj + m] * x;
  }
}
