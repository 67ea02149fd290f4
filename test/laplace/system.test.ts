/**
 * The block/Schur factorization of the penalized system against a dense ml-matrix Cholesky of
 * M = ΛᵀZᵀWZΛ + I (and the joint [u, β] system), on the crossed lots design (two terms, one
 * correlated), plus θ ↔ (sd, cor) round trips and the bounded optimizer on a known problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { caseDesign } from './cases.js';
import { natToTheta, thetaToNat } from '../../src/laplace/structure.js';
import { thetaLayout as buildStructure, thetaTemplates as templates } from '../../src/design/theta.js';
import { buildSystem } from '../../src/laplace/system.js';
import { minimizeBounded } from '../../src/laplace/optimize.js';

test('block + Schur factor equals the dense Cholesky (log det, solve) for crossed terms, u-only and joint', () => {
  const d = caseDesign('lots_visible').design;
  const s = buildStructure(d);
  const rng = seedrandom('laplace-system');
  const theta = Float64Array.from(s.theta0, (_, i) => (s.isDiag[i] ? 0.3 + rng() : rng() - 0.5));
  const T = templates(s, theta);
  const n = d.nobs;
  const w = Float64Array.from({ length: n }, () => 0.5 + 3 * rng());
  for (const joint of [false, true]) {
    const sys = buildSystem(d, s, joint);
    const dim = sys.dim;
    // dense A = [ZΛ, X] column by column via addZLu on unit vectors
    const A = new Matrix(n, dim);
    for (let j = 0; j < s.q; j++) {
      const e = new Float64Array(s.q);
      e[j] = 1;
      const col = new Float64Array(n);
      sys.addZLu(T, e, col);
      for (let i = 0; i < n; i++) A.set(i, j, col[i]);
    }
    if (joint) for (let i = 0; i < n; i++) for (let j = 0; j < d.fixed.p; j++) A.set(i, s.q + j, d.fixed.X[i * d.fixed.p + j]);
    const M0 = A.transpose().mmul(Matrix.diag(Array.from(w))).mmul(A);
    const M = M0.add(M0.transpose()).mul(0.5);
    for (let j = 0; j < s.q; j++) M.set(j, j, M.get(j, j) + 1);
    const f = sys.factor(T, w);
    const Mu = M.subMatrix(0, s.q - 1, 0, s.q - 1);
    const Lu = new CholeskyDecomposition(Mu).lowerTriangularMatrix;
    let ld = 0;
    for (let j = 0; j < s.q; j++) ld += 2 * Math.log(Lu.get(j, j));
    assert.ok(Math.abs(f.logDetU - ld) < 1e-10 * Math.abs(ld), `logdet ${f.logDetU} vs ${ld}`);
    const g = Float64Array.from({ length: dim }, () => rng() - 0.5);
    const x = Float64Array.from(g);
    f.solve(x);
    const back = M.mmul(Matrix.columnVector(Array.from(x)));
    for (let j = 0; j < dim; j++) assert.ok(Math.abs(back.get(j, 0) - g[j]) < 1e-10, `solve row ${j}`);
    if (!joint) {
      const inv = new CholeskyDecomposition(Mu).solve(Matrix.eye(s.q));
      const blocks = f.condVarBlocks();
      s.terms.forEach((t, ti) => {
        for (let l = 0; l < t.nLevels; l++) {
          for (let a = 0; a < t.k; a++) {
            for (let c = 0; c < t.k; c++) {
              const want = inv.get(t.uOffset + l * t.k + a, t.uOffset + l * t.k + c);
              assert.ok(Math.abs(blocks[ti][l * t.k * t.k + a * t.k + c] - want) < 1e-12);
            }
          }
        }
      });
    }
  }
});

test('θ ↔ (sd, cor) round trip; T = diag(sd)·chol(R)', () => {
  const s = buildStructure(caseDesign('lots_visible').design);
  const theta = Float64Array.from([0.3, 0.04, 0.06, 0.11]); // lot: T11, T21, T22; sample: T11
  const nat = thetaToNat(s, theta);
  const sd1 = Math.hypot(0.04, 0.06);
  assert.ok(Math.abs(nat[0] - 0.3) < 1e-15 && Math.abs(nat[1] - sd1) < 1e-15);
  assert.ok(Math.abs(nat[2] - 0.04 / sd1) < 1e-15); // cor = T11·T21/(sd0·sd1)
  const back = natToTheta(s, nat);
  theta.forEach((v, i) => assert.ok(Math.abs(back[i] - v) < 1e-15));
});

test('minimizeBounded: Rosenbrock to 1e-6, and an active bound', () => {
  const rosen = (x: Float64Array): number => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
  const r = minimizeBounded(rosen, [-1.2, 1], [-5, -5], [5, 5], { ftol: 1e-16 });
  assert.ok(Math.abs(r.x[0] - 1) < 1e-5 && Math.abs(r.x[1] - 1) < 1e-5, `${r.x}`);
  // constrained: x0 ≥ 1.5 makes the minimum (1.5, 2.25)
  const rb = minimizeBounded(rosen, [2, 2], [1.5, -5], [5, 5], { ftol: 1e-16 });
  assert.ok(Math.abs(rb.x[0] - 1.5) < 1e-12 && Math.abs(rb.x[1] - 2.25) < 1e-5, `${rb.x}`);
});

test('crossed terms beyond the dense limit are an input error naming the term', async () => {
  const { frameFromRows } = await import('../../src/data/read.js');
  const { buildDesign } = await import('../../src/design/design.js');
  const { fitLaplace } = await import('../../src/laplace/laplace.js');
  const { GlmmInputError } = await import('../../base/errors.js');
  const n = 6004;
  const a = Array.from({ length: n }, (_, i) => `a${i % 3002}`);
  const b = Array.from({ length: n }, (_, i) => `b${(i * 7) % 3001}`);
  const y = Array.from({ length: n }, (_, i) => i % 5);
  const d = buildDesign('y ~ 1 + (1 | a) + (1 | b)', frameFromRows({ y, a, b }), 'poisson');
  assert.throws(() => fitLaplace(d, { family: 'poisson', profile: false }), (e: Error) => e instanceof GlmmInputError && /at most 3000/.test(e.message));
});
