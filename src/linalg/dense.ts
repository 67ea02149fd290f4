/**
 * Dense float64 linear algebra on row-major Float64Array: products, quadratic forms and traces (plain
 * loops that skip zeros), general and symmetric inverses and the symmetric eigen-decomposition (on
 * ml-matrix). The Cholesky factorization is in cholesky.ts.
 */
import { EigenvalueDecomposition, LuDecomposition, Matrix } from 'ml-matrix';
import { SingularMatrixError } from './errors.js';

/** C = A B with A r × k and B k × c. */
export function matMul(A: Float64Array, r: number, k: number, B: Float64Array, c: number): Float64Array {
  const C = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l];
      if (a === 0) continue;
      for (let j = 0; j < c; j++) C[i * c + j] += a * B[l * c + j];
    }
  }
  return C;
}

/** C = Aᵀ B with A k × r and B k × c. */
export function crossprod(A: Float64Array, k: number, r: number, B: Float64Array, c: number): Float64Array {
  const C = new Float64Array(r * c);
  for (let l = 0; l < k; l++) {
    for (let i = 0; i < r; i++) {
      const a = A[l * r + i];
      if (a === 0) continue;
      for (let j = 0; j < c; j++) C[i * c + j] += a * B[l * c + j];
    }
  }
  return C;
}

/** Inverse of a general n × n matrix (ml-matrix's LU with partial pivoting); throws SingularMatrixError when A is singular. */
export function invGeneral(A: Float64Array, n: number): Float64Array {
  const lu = new LuDecomposition(toMatrix(A, n));
  if (lu.isSingular()) throw new SingularMatrixError();
  return fromMatrix(lu.solve(Matrix.eye(n, n)), n);
}

/** Inverse of a symmetric matrix, symmetrized ((M + Mᵀ)/2), or null when singular or not finite. */
export function invertSym(H: Float64Array, d: number): Float64Array | null {
  const lu = new LuDecomposition(toMatrix(H, d));
  if (lu.isSingular()) return null;
  const inv = lu.solve(Matrix.eye(d, d));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = (inv.get(i, j) + inv.get(j, i)) / 2;
  return out.every(Number.isFinite) ? out : null;
}

/** The quadratic form aᵀ M b with M n × n. */
export function qform(a: ArrayLike<number>, M: Float64Array, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === 0) continue;
    let t = 0;
    for (let j = 0; j < n; j++) t += M[i * n + j] * b[j];
    s += a[i] * t;
  }
  return s;
}

/** tr(A B) for n × n matrices. */
export function traceProd(A: Float64Array, B: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += A[i * n + j] * B[j * n + i];
  return s;
}

/** Eigen-decomposition of a symmetric n × n matrix (ml-matrix's Householder tridiagonalization + QL): values descending, vectors as columns (row-major n × n). */
export function symEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const e = new EigenvalueDecomposition(toMatrix(A, n), { assumeSymmetric: true });
  const vals = e.realEigenvalues, V = e.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => vals[b] - vals[a]);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  order.forEach((o, j) => { values[j] = vals[o]; for (let i = 0; i < n; i++) vectors[i * n + j] = V.get(i, o); });
  return { values, vectors };
}

/** ml-matrix view of a row-major n × n Float64Array. */
function toMatrix(A: ArrayLike<number>, n: number): Matrix {
  return new Matrix(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => A[i * n + j])));
}

function fromMatrix(M: Matrix, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = M.get(i, j);
  return out;
}
