/**
 * The covariance structures (src/design/covariance): each structure's maps checked against their
 * definitions — T Tᵀ = D R D with R_ab = ρ^|a−b| (ar1) or ρ (cs), the sampler's factor L·Lᵀ = R,
 * the reverse pass against central differences, the inverses; toep's Jacobian, region volume and prior
 * draws — and the formula and data checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCovariance } from '../../src/design/covariance/make.js';
import type { CovarianceKind } from '../../src/formula/terms.js';
import { termsOf } from '../../src/formula/terms.js';
import { buildDesign } from '../../src/design/design.js';
import { frameFromRows } from '../../src/data/read.js';

const KINDS: [CovarianceKind, number][] = [['us', 3], ['diag', 3], ['cs', 3], ['cs', 4], ['ar1', 4], ['toep', 3], ['toep', 4]];

function gram(T: Float64Array, k: number): Float64Array {
  const S = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let c = 0; c < k; c++) S[a * k + b] += T[a * k + c] * T[b * k + c];
  return S;
}

test('ar1 and cs templates: T Tᵀ = D R D with R_ab = ρ^|a−b| (ar1) or ρ (cs)', () => {
  for (const [kind, k] of [['ar1', 4], ['cs', 3]] as const) {
    const cov = makeCovariance(kind, k, 'visit');
    const nat = kind === 'ar1' ? [0.7, -0.45] : [0.5, 1.2, 0.9, 0.3];
    const theta = cov.fromNatural(nat, 0);
    const T = new Float64Array(k * k);
    cov.template(theta, 0, T);
    const S = gram(T, k);
    const sd = (a: number) => nat[cov.sdIndex(a)];
    const rho = nat[nat.length - 1];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      const R = a === b ? 1 : kind === 'ar1' ? rho ** Math.abs(a - b) : rho;
      assert.ok(Math.abs(S[a * k + b] - sd(a) * sd(b) * R) < 1e-12, `${kind} Σ[${a},${b}]`);
    }
    assert.deepEqual(cov.toNatural(theta, 0).map((v) => +v.toFixed(12)), nat);
  }
});

test('every structure: factor gives a correlation Cholesky factor, free inverts it, correlationMatrix inverts correlationsOf', () => {
  for (const [kind, k] of KINDS) {
    const cov = makeCovariance(kind, k, 'x');
    const y = Float64Array.from({ length: cov.nReal }, (_, i) => 0.3 - 0.4 * i);
    const L = new Float64Array(k * k);
    cov.factor(y, 0, L);
    const R = gram(L, k);
    for (let a = 0; a < k; a++) assert.ok(Math.abs(R[a * k + a] - 1) < 1e-12, `${kind}: unit diagonal`);
    const back = new Float64Array(cov.nReal);
    cov.free(L, back, 0);
    back.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-9, `${kind}: free(factor(y)) = y`));
    const R2 = cov.correlationMatrix(cov.correlationsOf(L), 0);
    R2.forEach((v, i) => assert.ok(Math.abs(v - R[i]) < 1e-9, `${kind}: correlationMatrix`));
  }
});

test('factorBackward: the gradient of ⟨W, L(y)⟩ + log|J| + log prior equals central differences', () => {
  for (const [kind, k] of KINDS) {
    const cov = makeCovariance(kind, k, 'x');
    if (cov.nReal === 0) continue;
    const W = Float64Array.from({ length: k * k }, (_, i) => Math.sin(1 + 3 * i));
    const F = (y: Float64Array): number => {
      const L = new Float64Array(k * k);
      const lj = cov.factor(y, 0, L);
      let s = lj + cov.logPrior(L, 1.7) - cov.priorConstant(1.7);
      for (let i = 0; i < k * k; i++) s += W[i] * L[i];
      return s;
    };
    const y = Float64Array.from({ length: cov.nReal }, (_, i) => 0.2 + 0.3 * i);
    const dy = new Float64Array(cov.nReal);
    const v = cov.factorBackward(y, 0, 1.7, W, dy, 0);
    const L = new Float64Array(k * k);
    const lj = cov.factor(y, 0, L);
    assert.ok(Math.abs(v - (lj + cov.logPrior(L, 1.7) - cov.priorConstant(1.7))) < 1e-10, `${kind}: value`);
    for (let i = 0; i < cov.nReal; i++) {
      const h = 1e-6, up = Float64Array.from(y), dn = Float64Array.from(y);
      up[i] += h; dn[i] -= h;
      const fd = (F(up) - F(dn)) / (2 * h);
      assert.ok(Math.abs(dy[i] - fd) < 1e-6 * (1 + Math.abs(fd)), `${kind}: ∂/∂y${i} ${dy[i]} vs ${fd}`);
    }
  }
});

test('formula: ar1(t + 0 | g), cs(), diag(), us() as glmmTMB writes them', () => {
  const f = termsOf('y ~ x + ar1(visit + 0 | patient) + cs(0 + visit | patient) + diag(1 + x | g) + us(x | g)');
  assert.deepEqual(f.random.map((r) => [r.structure, r.text]), [
    ['ar1', 'ar1(0 + visit | patient)'], ['cs', 'cs(0 + visit | patient)'], ['diag', 'diag(1 + x | g)'], ['us', '(1 + x | g)'],
  ]);
  assert.throws(() => termsOf('y ~ ar1(visit || patient)'), /single bar/);
});

test('ar1 data checks: unequal spacing, an intercept or a numeric time are one-line errors naming the term', () => {
  const rows = (visits: number[]) => frameFromRows({ y: visits.map((_, i) => i % 3), visit: visits, g: visits.map((_, i) => Math.floor(i / visits.length * 3)) }, { factors: ['visit', 'g'] });
  const gap = [1, 2, 4, 1, 2, 4, 1, 2, 4];
  assert.throws(() => buildDesign('y ~ 1 + ar1(visit + 0 | g)', rows(gap), 'poisson'), /ar1\(0 \+ visit \| g\): ar1\(\) needs equally spaced levels of 'visit' but they are 1, 2, 4/);
  assert.throws(() => buildDesign('y ~ 1 + ar1(visit | g)', rows([1, 2, 3, 1, 2, 3, 1, 2, 3]), 'poisson'), /no intercept/);
  const numeric = frameFromRows({ y: [0, 1, 2, 0, 1, 2], t: [1, 2, 3, 1, 2, 3], g: [1, 1, 1, 2, 2, 2] }, { factors: ['g'] });
  assert.throws(() => buildDesign('y ~ 1 + ar1(t + 0 | g)', numeric, 'poisson'), /factor/);
  const d = buildDesign('y ~ 1 + ar1(visit + 0 | g)', rows([1, 2, 3, 1, 2, 3, 1, 2, 3]), 'poisson');
  assert.equal(d.random[0].cov.kind, 'ar1');
  assert.deepEqual(d.random[0].cov.natural('g', d.random[0].terms).map((p) => p.name), ['sd_g__visit1', 'ar_g__visit']);
});

test('toep template: T Tᵀ = D R D with R_ab = ρ_|a−b|; natural parameters round-trip; a non-positive-definite ρ gives NaN θ', () => {
  const k = 4;
  const cov = makeCovariance('toep', k, 'visit');
  const nat = [0.5, 1.2, 0.9, 0.3, 0.7, 0.45, 0.2];
  const theta = cov.fromNatural(nat, 0);
  const T = new Float64Array(k * k);
  cov.template(theta, 0, T);
  const S = gram(T, k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    const R = a === b ? 1 : nat[k + Math.abs(a - b) - 1];
    assert.ok(Math.abs(S[a * k + b] - nat[a] * nat[b] * R) < 1e-12, `toep Σ[${a},${b}]`);
  }
  cov.toNatural(theta, 0).forEach((v, i) => assert.ok(Math.abs(v - nat[i]) < 1e-12));
  assert.deepEqual(cov.natural('patient', ['visit1', 'visit2', 'visit3', 'visit4']).map((p) => p.name).slice(4),
    ['cor_patient__visit__lag1', 'cor_patient__visit__lag2', 'cor_patient__visit__lag3']);
  // ρ1 = 0.9, ρ2 = −0.5 is not a correlation matrix (ρ2 < 2ρ1² − 1)
  assert.ok(cov.fromNatural([1, 1, 1, 1, 0.9, -0.5, 0], 0).slice(4).some(Number.isNaN));
});

test('toep likelihood θ: a partial autocorrelation beyond ±1 is its mirror (|dφ/dθ| = 1, no saturation); foldSigns keeps T Tᵀ', () => {
  const k = 4;
  const cov = makeCovariance('toep', k, 'visit');
  const theta = Float64Array.from(cov.fromNatural([0.5, 1.2, 0.9, 0.3, 0.7, 0.45, 0.2], 0));
  // θ_j and 2 − θ_j (mirror at 1), −2 − θ_j (mirror at −1), θ_j + 4 (period) give the same Σ
  const moved = Float64Array.from(theta);
  moved[4] = 2 - theta[4];
  moved[5] = -2 - theta[5];
  moved[6] = theta[6] + 4;
  const [A, B] = [theta, moved].map((th) => { const T = new Float64Array(k * k); cov.template(th, 0, T); return gram(T, k); });
  A.forEach((v, i) => assert.ok(Math.abs(v - B[i]) < 1e-12, `Σ entry ${i}`));
  cov.foldSigns(moved, 0);
  moved.forEach((v, i) => assert.ok(Math.abs(v - theta[i]) < 1e-12, `folded θ${i} ${v} vs ${theta[i]}`));
  // the partial autocorrelation is θ itself inside [−1, 1]: the slope of ρ_1 in θ_1 is 1 near the boundary too
  const h = 1e-6, near = Float64Array.from(theta);
  near[4] = 0.999;
  const r0 = cov.toNatural(near, 0)[4];
  near[4] += h;
  assert.ok(Math.abs((cov.toNatural(near, 0)[4] - r0) / h - 1) < 1e-6);
});

test('toep sampler map: exp(log|J|) equals the determinant of ∂ρ/∂y by central differences; the region\'s volume (k = 3: 8/3)', () => {
  for (const k of [3, 4, 5]) {
    const cov = makeCovariance('toep', k, 'x');
    const p = k - 1;
    const y = Float64Array.from({ length: p }, (_, i) => 0.4 - 0.35 * i);
    const rhoAt = (v: Float64Array) => { const L = new Float64Array(k * k); cov.factor(v, 0, L); return cov.correlationsOf(L); };
    const J: number[][] = Array.from({ length: p }, () => new Array(p).fill(0));
    for (let m = 0; m < p; m++) {
      const h = 1e-6, up = Float64Array.from(y), dn = Float64Array.from(y);
      up[m] += h; dn[m] -= h;
      const a = rhoAt(up), b = rhoAt(dn);
      for (let n = 0; n < p; n++) J[n][m] = (a[n] - b[n]) / (2 * h);
    }
    const det = (M: number[][]): number => (M.length === 1 ? M[0][0] : M[0].reduce((s, v, j) => s + (j % 2 ? -1 : 1) * v * det(M.slice(1).map((r) => r.filter((_, c) => c !== j))), 0));
    const logJ = cov.factor(y, 0, new Float64Array(k * k));
    assert.ok(Math.abs(Math.log(Math.abs(det(J))) - logJ) < 1e-6, `k = ${k}: log|J| ${logJ} vs ${Math.log(Math.abs(det(J)))}`);
  }
  // k = 3: {(ρ1, ρ2): |ρ1| < 1, 2ρ1² − 1 < ρ2 < 1} has area ∫(2 − 2ρ1²) dρ1 = 8/3
  assert.ok(Math.abs(makeCovariance('toep', 3, 'x').priorConstant(1) + Math.log(8 / 3)) < 1e-12);
});

test('toep prior draws are uniform on the positive-definite region (k = 3: P(ρ1 > 0.5) = 5/32)', () => {
  const cov = makeCovariance('toep', 3, 'x');
  let s = 1;
  const rng = () => { s = (s * 16807) % 2147483647; return s / 2147483647; };
  const N = 4000;
  let above = 0;
  for (let i = 0; i < N; i++) {
    const [r1, r2] = cov.drawCorrelations(rng);
    assert.ok(Math.abs(r1) < 1 && r2 < 1 && r2 > 2 * r1 * r1 - 1, 'inside the region');
    if (r1 > 0.5) above++;
  }
  // binomial sd √(5/32 · 27/32 / 4000) = 0.0057: within 4 sd
  assert.ok(Math.abs(above / N - 5 / 32) < 0.023, `${above / N}`);
});

test('toep data checks: the time factor\'s spacing and intercept as ar1', () => {
  const rows = (visits: number[]) => frameFromRows({ y: visits.map((_, i) => i % 3), visit: visits, g: visits.map((_, i) => Math.floor(i / visits.length * 3)) }, { factors: ['visit', 'g'] });
  assert.throws(() => buildDesign('y ~ 1 + toep(visit + 0 | g)', rows([1, 2, 4, 1, 2, 4, 1, 2, 4]), 'poisson'), /toep\(0 \+ visit \| g\): toep\(\) needs equally spaced levels of 'visit' but they are 1, 2, 4/);
  assert.throws(() => buildDesign('y ~ 1 + toep(visit | g)', rows([1, 2, 3, 1, 2, 3, 1, 2, 3]), 'poisson'), /toep\(\) needs one time factor and no intercept/);
  const d = buildDesign('y ~ 1 + toep(visit + 0 | g)', rows([1, 2, 3, 1, 2, 3, 1, 2, 3]), 'poisson');
  assert.equal(d.random[0].cov.kind, 'toep');
});
