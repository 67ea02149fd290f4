/**
 * The log-density check shared by the compiler and user-term tests: the tfjs value against the float64
 * reference density (logDensity64), the autograd gradient against its central finite differences.
 */
import assert from 'node:assert/strict';
import type { ModelSpec } from '../../src/target/parameters.js';
import { logDensity64 } from '../../src/target/logDensity64.js';
import { compileLogDensity } from '../../src/target/compile.js';

/** float32 value tolerance: relative to |log p| plus one unit per row and per parameter. */
export const valueTol = (lp: number, spec: ModelSpec) => 2e-6 * (Math.abs(lp) + spec.design.nobs + spec.dim);

/** Central finite differences (h = 1e-5) of the float64 density. */
export function fdGrad(spec: ModelSpec, q: Float64Array): Float64Array {
  const h = 1e-5;
  return Float64Array.from({ length: spec.dim }, (_, i) => {
    const a = Float64Array.from(q);
    const b = Float64Array.from(q);
    a[i] += h;
    b[i] -= h;
    return (logDensity64(spec, a) - logDensity64(spec, b)) / (2 * h);
  });
}

/** Compiles `spec`, evaluates at `q`, and asserts value and gradient against the float64 twin. */
export function checkAgainstFloat64(spec: ModelSpec, label: string, q: Float64Array, opts: Parameters<typeof compileLogDensity>[1] = {}): void {
  const target = compileLogDensity(spec, opts);
  try {
    const { logp, grad } = target.logDensity(q, 1);
    const ref = logDensity64(spec, q);
    assert.ok(Number.isFinite(ref), `${label}: reference not finite`);
    assert.ok(Math.abs(logp[0] - ref) <= valueTol(ref, spec), `${label}: logp ${logp[0]} vs float64 ${ref}`);
    const fd = fdGrad(spec, q);
    const gmax = fd.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < spec.dim; i++) {
      assert.ok(Math.abs(grad[i] - fd[i]) <= 1e-3 * Math.abs(fd[i]) + 1e-4 * (1 + gmax), `${label}: ∂/∂${spec.names[i]} ${grad[i]} vs ${fd[i]}`);
    }
  } finally {
    target.dispose?.();
  }
}
