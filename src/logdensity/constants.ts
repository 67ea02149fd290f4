/**
 * The constant tensors of a compiled log density (src/target/compile.ts and the steps it calls): float32
 * constants kept until the density is disposed, and the 0/1 selection matrices they are often built from.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';

/** Float32 constant tensors, kept until dispose. */
export class Constants {
  readonly kept: Tensor[] = [];
  readonly disposers: (() => void)[] = [];
  /** A [r, c] constant. */
  k2(v: ArrayLike<number>, shape: [number, number]): Tensor {
    const t = tf.tensor2d(Float32Array.from(v), shape);
    this.kept.push(t);
    return t;
  }
  /** The transpose [c, r] of a row-major [r, c] constant, stored (tfjs-wasm's transposed matMul is slow). */
  k2T(v: ArrayLike<number>, [r, c]: [number, number]): Tensor {
    const out = new Float32Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j];
    return this.k2(out, [c, r]);
  }
  dispose(): void {
    tf.dispose(this.kept);
    for (const d of this.disposers) d();
  }
}

/** A [dim, cols.length] 0/1 matrix selecting coordinates `cols` (q·S = q[:, cols]). */
export function selection(dim: number, cols: number[]): Float32Array {
  const S = new Float32Array(dim * cols.length);
  cols.forEach((c, j) => (S[c * cols.length + j] = 1));
  return S;
}
