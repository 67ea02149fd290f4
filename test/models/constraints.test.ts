/**
 * The family parameters' constraints (models/families/constraints.ts) against their definitions by
 * central differences: unconstrain inverts constrain, `jacobian` is ∂x/∂u, `logJacobian` is
 * log|det ∂x/∂u|, and `pullback` is Jᵀ·gx + ∇ log|det J|; and the layout of a family's list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_TRANSFORM, LOGIT_TRANSFORM, ORDERED_TRANSFORM, logAbove, type Constraint } from '../../models/families/constraints.js';
import { familyLayout, familyValueNames, familyCoordNames, constrainFamily, unconstrainFamily } from '../../models/families/layout.js';
import type { Family } from '../../models/families/types.js';
import { getFamily } from '../../models/families/getFamily.js';

const cases: [string, Constraint, number[]][] = [
  ['log', LOG_TRANSFORM, [0.3, -1.2]],
  ['log above 1 (Student-t nu)', logAbove(1), [0.3, -1.2]],
  ['logit', LOGIT_TRANSFORM, [0.4, -2.5, 9]],
  ['ordered', ORDERED_TRANSFORM, [-0.7, 0.2, -1.1, 0.5]],
];

/** Determinant of a small square matrix (Gaussian elimination). */
function det(A: Float64Array, n: number): number {
  const M = Float64Array.from(A);
  let d = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[piv * n + k]] = [M[piv * n + k], M[c * n + k]];
      d = -d;
    }
    d *= M[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
    }
  }
  return d;
}

for (const [label, c, u] of cases) {
  test(`${label}: unconstrain(constrain(u)) = u, jacobian, logJacobian and pullback equal central differences`, () => {
    const n = u.length;
    const x = new Float64Array(n);
    c.constrain(u, 0, n, x, 0);
    const back = new Float64Array(n);
    c.unconstrain(x, 0, n, back, 0);
    u.forEach((v, k) => assert.ok(Math.abs(back[k] - v) < 1e-9, `${label} roundtrip ${k}: ${back[k]} vs ${v}`));
    const J = new Float64Array(n * n);
    c.jacobian(u, 0, n, J);
    const h = 1e-6;
    for (let k = 0; k < n; k++) {
      const up = u.map((v, j) => (j === k ? v + h : v));
      const um = u.map((v, j) => (j === k ? v - h : v));
      const xp = new Float64Array(n), xm = new Float64Array(n);
      c.constrain(up, 0, n, xp, 0);
      c.constrain(um, 0, n, xm, 0);
      for (let j = 0; j < n; j++) assert.ok(Math.abs(J[j * n + k] - (xp[j] - xm[j]) / (2 * h)) < 1e-7, `${label} J[${j},${k}]`);
    }
    assert.ok(Math.abs(c.logJacobian(u, 0, n) - Math.log(Math.abs(det(J, n)))) < 1e-9, `${label} logJacobian`);
    // pullback of gx = (1, 2, …) against the derivative of Σ gx_j x_j(u) + log|det J(u)|
    const gx = u.map((_, j) => j + 1);
    const f = (v: number[]): number => {
      const xv = new Float64Array(n);
      c.constrain(v, 0, n, xv, 0);
      return gx.reduce((s, g, j) => s + g * xv[j], 0) + c.logJacobian(v, 0, n);
    };
    const gu = new Float64Array(n + 1).fill(0.5);
    c.pullback(u, 0, n, gx, gu, 1);
    assert.equal(gu[0], 0.5, 'pullback writes at its offset only');
    for (let k = 0; k < n; k++) {
      const d = (f(u.map((v, j) => (j === k ? v + h : v))) - f(u.map((v, j) => (j === k ? v - h : v)))) / (2 * h);
      assert.ok(Math.abs(gu[1 + k] - 0.5 - d) < 1e-6 * Math.max(1, Math.abs(d)), `${label} pullback ${k}: ${gu[1 + k] - 0.5} vs ${d}`);
    }
  });
}

test('familyLayout lays out a list of scalars and a vector sized from the data, with their names', () => {
  const base = getFamily('gaussian');
  const fam: Family = {
    ...base,
    params: [
      base.params[0],
      { ...base.params[0], name: 'nu', constraint: LOG_TRANSFORM },
      { ...base.params[0], name: 'phi', constraint: ORDERED_TRANSFORM, size: (y) => Math.max(...y) - 1 },
    ],
  };
  const layout = familyLayout(fam, Float64Array.from([1, 4, 2]));
  assert.equal(layout.dim, 5);
  assert.deepEqual(layout.slots.map((s) => [s.offset, s.size]), [[0, 1], [1, 1], [2, 3]]);
  assert.deepEqual(familyValueNames(layout), ['sigma', 'nu', 'phi[1]', 'phi[2]', 'phi[3]']);
  assert.deepEqual(familyCoordNames(layout), ['log_sigma', 'log_nu', 'phi[1]', 'log_diff_phi[2]', 'log_diff_phi[3]']);
  const u = Float64Array.from([0.1, 1.2, -0.3, 0.4, -2]);
  const x = constrainFamily(layout, u, 0, new Float64Array(5));
  assert.ok(x[2] < x[3] && x[3] < x[4]);
  const back = unconstrainFamily(layout, x, 0, new Float64Array(5));
  back.forEach((v, k) => assert.ok(Math.abs(v - u[k]) < 1e-12));
});
