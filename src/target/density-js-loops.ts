/**
 * The plain-JS kernel's loops over rows (density-js-kernel.ts), one module-level function per loop.
 *
 * Why not inline in the kernel: V8 optimizes a long-running function by on-stack replacement in the
 * middle of its first long loop, before the later loops have run once, so the optimized code meets
 * them without type feedback, bails out, and is recompiled, several times over. Which code it settles
 * on depends on the order of events, and so differs between threads: on the 100,000-row Poisson fit a
 * worker thread's linear predictor ran at half the main thread's speed, 47 ms against 32 ms per call
 * of 16 chains (`--trace-deopt`: "Insufficient type feedback"), and two threads gained 0.79× where the
 * density call alone gains 0.5×. A function of one loop has seen all of its code by the time it is hot.
 * Each takes typed arrays only, so every call site is monomorphic. The arithmetic, and its order, is
 * the kernel's as before.
 */
import type { RowLikelihood } from '../../models/families/types.js';

/** η[i] = offset[i] + X[i,·]·β, X n × p row-major. */
export function fixedEta(X: Float64Array, beta: Float64Array, offset: Float64Array, eta: Float64Array, n: number, p: number): void {
  for (let i = 0, r = 0; i < n; i++, r += p) {
    let e = offset[i];
    for (let j = 0; j < p; j++) e += X[r + j] * beta[j];
    eta[i] = e;
  }
}

/** acc[i] += f·q[base + index[i]]: a scalar term with Z = 1. */
export function addUnit(acc: Float64Array, q: Float64Array, base: number, index: Int32Array, f: number, n: number): void {
  for (let i = 0; i < n; i++) acc[i] += f * q[base + index[i]];
}

/** acc[i] += Σ_a Z[i,a]·(centred ? q : sd[a]·q)[base + index[i]·k + a]: an uncorrelated term. */
export function addScaled(acc: Float64Array, q: Float64Array, base: number, index: Int32Array, Z: Float64Array, k: number, sd: Float64Array, centered: boolean, n: number): void {
  for (let i = 0; i < n; i++) {
    const lv = base + index[i] * k;
    for (let a = 0; a < k; a++) acc[i] += Z[i * k + a] * (centered ? q[lv + a] : sd[a] * q[lv + a]);
  }
}

/** acc[i] += Σ_a Z[i,a]·r[index[i]·k + a]: a correlated term's effects r. */
export function addEffects(acc: Float64Array, Z: Float64Array, r: Float64Array, index: Int32Array, k: number, n: number): void {
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) acc[i] += Z[i * k + a] * r[index[i] * k + a];
}

/** out[j] = Σ_i g[i]·X[i,j] (out zeroed here). */
export function crossprod(X: Float64Array, g: Float64Array, out: Float64Array, n: number, p: number): void {
  for (let j = 0; j < p; j++) out[j] = 0;
  for (let i = 0, r = 0; i < n; i++, r += p) {
    const gi = g[i];
    for (let j = 0; j < p; j++) out[j] += gi * X[r + j];
  }
}

/** grad[base + index[i]] += g[i]: a scalar term with Z = 1. */
export function scatterUnit(grad: Float64Array, base: number, index: Int32Array, g: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) grad[base + index[i]] += g[i];
}

/** grad[base + index[i]·k + a] += g[i]·Z[i,a]. */
export function scatterZ(grad: Float64Array, base: number, index: Int32Array, Z: Float64Array, k: number, g: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const lv = base + index[i] * k;
    for (let a = 0; a < k; a++) grad[lv + a] += g[i] * Z[i * k + a];
  }
}

/**
 * s0 + Σ_i ℓ_i (added in row order) for a family of at most one coordinate: g[i] = ∂ℓ_i/∂η; the family
 * coordinate's gradient sum is in out[2] on return.
 */
export function rowsOneCoordinate(row: RowLikelihood, eta: Float64Array, u: Float64Array, out: Float64Array, g: Float64Array, n: number, s0: number): number {
  let s = s0;
  let gAux = 0;
  for (let i = 0; i < n; i++) {
    row(i, eta[i], u, out);
    s += out[0];
    g[i] = out[1];
    gAux += out[2];
  }
  out[2] = gAux;
  return s;
}

/** s0 + Σ_i ℓ_i (in row order) for a family of m > 1 coordinates: g[i] = ∂ℓ_i/∂η, gf[k] += Σ_i ∂ℓ_i/∂u_k. */
export function rowsManyCoordinates(row: RowLikelihood, eta: Float64Array, u: Float64Array, out: Float64Array, g: Float64Array, gf: Float64Array, m: number, n: number, s0: number): number {
  let s = s0;
  for (let i = 0; i < n; i++) {
    row(i, eta[i], u, out);
    s += out[0];
    g[i] = out[1];
    for (let k = 0; k < m; k++) gf[k] += out[2 + k];
  }
  return s;
}
