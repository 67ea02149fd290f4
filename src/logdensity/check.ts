/**
 * Gradient and value checks of a compiled Target against a float64 reference log density
 * (e.g. src/target/logDensity64.ts): never finite-difference through float32 tfjs (DESIGN.md).
 * Central differences of the float64 reference with step h; errors reported relative and absolute.
 */
import type { Target } from '../sampler/target.js';

/** Result of checkTarget: the worst errors at one point. */
export interface CheckResult {
  readonly logp: number;
  readonly reference: number;
  readonly valueError: number;
  /** max_i |grad_i − fd_i| / (|fd_i| + floor) with floor the absolute floor passed in. */
  readonly maxGradError: number;
  /** Index of the worst gradient coordinate. */
  readonly worst: number;
}

/** Central-difference gradient of a float64 function at q with step h (error O(h²) + O(ε/h)). */
export function centralDifference(f: (q: Float64Array) => number, q: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(q.length);
  const a = Float64Array.from(q);
  for (let i = 0; i < q.length; i++) {
    a[i] = q[i] + h;
    const up = f(a);
    a[i] = q[i] - h;
    const down = f(a);
    a[i] = q[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Compares target's value and gradient at one point q with the float64 reference `ref`. */
export function checkTarget(target: Target, ref: (q: Float64Array) => number, q: Float64Array, gradFloor = 1e-4): CheckResult {
  const { logp, grad } = target.logDensity(q, 1);
  const reference = ref(q);
  const fd = centralDifference(ref, q);
  let maxGradError = 0;
  let worst = -1;
  for (let i = 0; i < q.length; i++) {
    const e = Math.abs(grad[i] - fd[i]) / (Math.abs(fd[i]) + gradFloor);
    if (e > maxGradError) {
      maxGradError = e;
      worst = i;
    }
  }
  return { logp: logp[0], reference, valueError: Math.abs(logp[0] - reference), maxGradError, worst };
}
