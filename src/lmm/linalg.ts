/**
 * Small dense float64 linear algebra for the linear mixed model (row-major Float64Array).
 * Matrices here are at most (number of random effects)² or n², so plain loops are enough.
 */

/**
 * In-place lower Cholesky factor of the n × n symmetric positive definite A (upper part zeroed); returns
 * log det A. Throws when A is not positive definite. Envelope (skyline) aware: row i of L starts at the
 * first non-zero of row i of A, so a block-diagonal A (one random term) costs O(n k²), not O(n³).
 */
export function cholesky(A: Float64Array, n: number): number {
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
        if (!(t > 0)) throw new Error(`matrix is not positive definite (pivot ${i})`);
        A[i * n + i] = Math.sqrt(t);
        logdet += Math.log(t);
      }
    }
    for (let j = i + 1; j < n; j++) A[i * n + j] = 0;
  }
  return logdet;
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

/** Inverse of the n × n symmetric positive definite A (A is not modified). */
export function invSpd(A: Float64Array, n: number): Float64Array {
  const L = Float64Array.from(A);
  cholesky(L, n);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  solveLower(L, n, I, n);
  solveLowerT(L, n, I, n);
  return I;
}

/** Inverse of a general n × n matrix by Gauss–Jordan elimination with partial pivoting. */
export function invGeneral(A: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    if (M[piv * n + c] === 0) throw new Error('matrix is singular');
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        [M[c * n + j], M[piv * n + j]] = [M[piv * n + j], M[c * n + j]];
        [I[c * n + j], I[piv * n + j]] = [I[piv * n + j], I[c * n + j]];
      }
    }
    const d = M[c * n + c];
    for (let j = 0; j < n; j++) { M[c * n + j] /= d; I[c * n + j] /= d; }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r * n + c];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) { M[r * n + j] -= f * M[c * n + j]; I[r * n + j] -= f * I[c * n + j]; }
    }
  }
  return I;
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

/** Eigen-decomposition of a symmetric n × n matrix by cyclic Jacobi rotations: values descending, vectors as columns (row-major n × n). */
export function symEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const M = Float64Array.from(A);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += M[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = M[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const tau = (M[q * n + q] - M[p * n + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = M[k * n + p], mkq = M[k * n + q];
          M[k * n + p] = c * mkp - s * mkq; M[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = M[p * n + k], mqk = M[q * n + k];
          M[p * n + k] = c * mpk - s * mqk; M[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq; V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => M[b * n + b] - M[a * n + a]);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  order.forEach((o, j) => { values[j] = M[o * n + o]; for (let i = 0; i < n; i++) vectors[i * n + j] = V[i * n + o]; });
  return { values, vectors };
}
