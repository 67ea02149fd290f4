/**
 * Row order of the compiled log density. The log density is a sum over rows, so the rows may be
 * evaluated in any order. On the gather path (large data) the rows are reordered so that one scalar
 * random-effect term's levels occupy equal consecutive blocks, when the design is balanced in that term
 * (every level has the same number of rows): its gather and segment sum then become a broadcast and a
 * block sum (src/logdensity/ops.ts buildBlockGather), several times faster on wasm than a general gather.
 * The term with the most levels is chosen; unbalanced designs keep the data order and the general gather.
 */
import type { ModelSpec } from './parameters.js';

/** A reordering of the rows: `perm[i]` is the data row evaluated at position i; `term` is blocked. */
export interface RowOrder {
  readonly perm: Int32Array;
  /** Index into spec.terms of the blocked term. */
  readonly term: number;
  readonly blockSize: number;
}

/** The balanced scalar term with the most levels (≥ 2, each level with the same number ≥ 2 of rows), or null. */
export function blockRowOrder(spec: ModelSpec): RowOrder | null {
  const n = spec.design.nobs;
  let best = -1;
  spec.terms.forEach((t, ti) => {
    if (t.k !== 1 || t.nLevels < 2 || n % t.nLevels !== 0 || n / t.nLevels < 2) return;
    const counts = new Int32Array(t.nLevels);
    for (let i = 0; i < n; i++) counts[t.index[i]]++;
    if (counts.every((c) => c === n / t.nLevels) && (best < 0 || t.nLevels > spec.terms[best].nLevels)) best = ti;
  });
  if (best < 0) return null;
  const t = spec.terms[best];
  const m = n / t.nLevels;
  const perm = new Int32Array(n);
  const next = Int32Array.from({ length: t.nLevels }, (_, j) => j * m);
  for (let i = 0; i < n; i++) perm[next[t.index[i]]++] = i;
  return { perm, term: best, blockSize: m };
}

/** Values per row (`width` per row) in the order `perm`. */
export function permuteRows<T extends Float64Array | Int32Array>(v: T, perm: Int32Array, width = 1): T {
  const out = new (v.constructor as new (n: number) => T)(v.length);
  for (let i = 0; i < perm.length; i++) for (let a = 0; a < width; a++) out[i * width + a] = v[perm[i] * width + a];
  return out;
}
