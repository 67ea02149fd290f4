/**
 * Parameter layout, names, transforms and the float64 reference density:
 * names against DESIGN's brms names (RCBD via buildDesign), constrain∘unconstrain = id,
 * Stan's cholesky_corr log-Jacobian against log|det J| by central differences (K = 2, 3, 4),
 * LKJ-on-Cholesky + Jacobian integrating to 1 over y (K = 2), logDensity64 against R 4.2.2
 * (dpois/dnorm/dt/beta written out in R; script in the comments).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/target/parameters.js';
import { logDensity64 } from '../../src/target/logDensity64.js';
import { constrain, constrainDraws, unconstrain, MIN_SD } from '../../src/target/constrain.js';
import { choleskyCorrConstrain, choleskyCorrFree } from '../../src/design/covariance/choleskyCorr.js';
import { lkjCholeskyLogDensity } from '../../models/priors.js';
import { frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Design } from '../../src/design/types.js';
import { simulatedDesign, randomPoint } from './designs.js';
import { makeCovariance } from '../../src/design/covariance/make.js';

// glmm-references.json rcbd_data
const rcbd = { block: [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8], trt: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1], count: [1, 5, 21, 7, 2, 6, 0, 19, 36, 109, 30, 48, 0, 2, 5, 26] };

test('RCBD layout and names follow DESIGN (b, sd, r; level-major z)', () => {
  const d = buildDesign('count ~ trt + (1|block) + (1|block:trt)', frameFromRows(rcbd, { factors: ['block', 'trt'] }), 'poisson', { factors: ['block', 'trt'] });
  const spec = buildModel(d, { family: 'poisson' });
  assert.equal(spec.dim, 2 + 2 + 8 + 16);
  const names = spec.params.map((p) => p.name);
  assert.deepEqual(names.slice(0, 4), ['b_Intercept', 'b_trt1', 'sd_block__Intercept', 'sd_block:trt__Intercept']);
  assert.equal(names[4], 'r_block[1,Intercept]');
  assert.equal(names[12], 'r_block:trt[1:0,Intercept]');
  assert.deepEqual(spec.params[12], { name: 'r_block:trt[1:0,Intercept]', class: 'r', group: 'block:trt', term: 'Intercept', term2: null, level: '1:0' });
  assert.deepEqual(spec.names.slice(2, 5), ['log_sd_block__Intercept', 'log_sd_block:trt__Intercept', 'z_block[1,Intercept]']);
  assert.deepEqual(spec.priors.map((p) => `${p.class}`), ['b', 'Intercept', 'sd']);
});

function corDesign(): Design {
  return simulatedDesign({ n: 60, p: 3, terms: [{ group: 'lot', k: 3, nLevels: 5 }, { group: 'g', k: 1, nLevels: 4 }], family: 'negbinomial', link: 'log', seed: 'cor' });
}

test('correlated layout: sd per column, cor in brms order, aux, then z', () => {
  const spec = buildModel(corDesign(), { family: 'negbinomial', centered: ['g'] });
  const names = spec.params.map((p) => p.name);
  assert.deepEqual(names.slice(0, 10), ['b_Intercept', 'b_x1', 'b_x2', 'sd_lot__Intercept', 'sd_lot__x1', 'sd_lot__x2', 'sd_g__Intercept',
    'cor_lot__Intercept__x1', 'cor_lot__Intercept__x2', 'cor_lot__x1__x2']);
  assert.equal(names[10], 'shape');
  assert.equal(names[11], 'r_lot[1,Intercept]');
  assert.equal(names[12], 'r_lot[1,x1]');
  assert.equal(spec.names[spec.terms[1].zOffset], 'r_g[1,Intercept]'); // centred: q holds r
  assert.equal(spec.dim, 3 + 4 + 3 + 1 + 15 + 4);
});

test('a user prior replaces the default of its class in the printed list (one shape and one b statement, the user\'s)', () => {
  const spec = buildModel(corDesign(), { family: 'negbinomial', priors: ['shape ~ gamma(2, 0.1)', 'b ~ normal(0, 1)', 'sd_g ~ normal(0, 1)'] });
  const shown = spec.priors.map((p) => `${p.class}${p.group ? `_${p.group}` : ''}:${p.source}`);
  assert.deepEqual(shown.filter((t) => t.startsWith('shape')), ['shape:user']);
  assert.deepEqual(shown.filter((t) => t.startsWith('b:')), ['b:user']);
  // a group's statement does not override the class-wide default: both still apply to something
  assert.deepEqual(shown.filter((t) => t.startsWith('sd')), ['sd:default', 'sd_g:user']);
});

test('constrain ∘ unconstrain = id and unconstrain ∘ constrain = id (1e-12)', () => {
  const spec = buildModel(corDesign(), { family: 'negbinomial', centered: ['g'] });
  const q = randomPoint(spec.dim, 'roundtrip', 0.7);
  const v = constrain(spec, q);
  const q2 = unconstrain(spec, v);
  for (let i = 0; i < spec.dim; i++) assert.ok(Math.abs(q2[i] - q[i]) < 1e-12, `${spec.names[i]}: ${q2[i]} vs ${q[i]}`);
  const v2 = constrain(spec, q2);
  for (let i = 0; i < v.length; i++) assert.ok(Math.abs(v2[i] - v[i]) < 1e-12 * (1 + Math.abs(v[i])));
  // correlations are a valid correlation matrix's entries and r = diag(sd)·L·z
  for (const p of spec.params) if (p.class === 'cor') assert.ok(Math.abs(v[spec.params.indexOf(p)]) < 1);
  // constrainDraws applies constrain per draw
  const draws = constrainDraws(spec, { nChains: 2, nDraws: 1, names: spec.names, data: Float64Array.from([...q, ...q2]) });
  assert.deepEqual(draws.names, spec.params.map((p) => p.name));
  for (let i = 0; i < v.length; i++) assert.ok(Math.abs(draws.data[v.length + i] - v[i]) < 1e-12 * (1 + Math.abs(v[i])));
});

test('unconstrain clamps a zero sd to MIN_SD and a singular correlation to a valid one', () => {
  const spec = buildModel(corDesign(), { family: 'negbinomial' });
  const v = constrain(spec, randomPoint(spec.dim, 'clamp'));
  const iSd = spec.params.findIndex((p) => p.name === 'sd_g__Intercept');
  const iCor = spec.params.findIndex((p) => p.class === 'cor');
  v[iSd] = 0;
  v[iCor] = 1;
  const q = unconstrain(spec, v);
  assert.ok(q.every(Number.isFinite));
  assert.ok(Math.abs(constrain(spec, q)[iSd] - MIN_SD) < 1e-15);
});

/** log|det| of a square matrix by Gaussian elimination with partial pivoting. */
function logAbsDet(A: number[][]): number {
  const M = A.map((r) => r.slice());
  const n = M.length;
  let s = 0;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    s += Math.log(Math.abs(M[c][c]));
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k < n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return s;
}

test('cholesky_corr log-Jacobian = log|det ∂L_lower/∂y| by central differences (K = 2, 3, 4)', () => {
  for (const K of [2, 3, 4]) {
    const m = (K * (K - 1)) / 2;
    const y = randomPoint(m, `jac${K}`, 0.9);
    const L = new Float64Array(K * K);
    const logJ = choleskyCorrConstrain(y, 0, K, L);
    const lower = (yy: Float64Array): number[] => {
      const LL = new Float64Array(K * K);
      choleskyCorrConstrain(yy, 0, K, LL);
      const out: number[] = [];
      for (let i = 1; i < K; i++) for (let j = 0; j < i; j++) out.push(LL[i * K + j]);
      return out;
    };
    const h = 1e-6;
    const J: number[][] = Array.from({ length: m }, () => new Array(m).fill(0));
    for (let c = 0; c < m; c++) {
      const a = Float64Array.from(y);
      const b = Float64Array.from(y);
      a[c] += h;
      b[c] -= h;
      const la = lower(a);
      const lb = lower(b);
      for (let r = 0; r < m; r++) J[r][c] = (la[r] - lb[r]) / (2 * h);
    }
    // central-difference error O(h²) ≈ 1e-12 per entry: 1e-7 on the log-determinant is ample and tight
    assert.ok(Math.abs(logAbsDet(J) - logJ) < 1e-7, `K=${K}: ${logAbsDet(J)} vs ${logJ}`);
    // free ∘ constrain = id
    const back = new Float64Array(m);
    choleskyCorrFree(L, K, back, 0);
    for (let i = 0; i < m; i++) assert.ok(Math.abs(back[i] - y[i]) < 1e-12);
  }
});

test('LKJ(η) on the Cholesky factor + Jacobian is a normalised density over y (K = 2; trapezoid on [−15, 15])', () => {
  for (const eta of [0.7, 1, 3]) {
    let s = 0;
    const h = 1e-3;
    const L = new Float64Array(4);
    for (let y = -15; y <= 15; y += h) {
      const lj = choleskyCorrConstrain([y], 0, 2, L);
      s += Math.exp(lkjCholeskyLogDensity(L, 2, eta) + lj) * h;
    }
    assert.ok(Math.abs(s - 1) < 1e-6, `eta ${eta}: ${s}`);
  }
});

test('logDensity64 equals the density written out in R (scalar and correlated terms)', () => {
  const mk = (y: number[], X: number[][], g: number[], Z: number[][], k: number): Design => ({
    formula: 'test', family: 'poisson', nobs: y.length, droppedRows: 0, response: { label: 'y', y: Float64Array.from(y), trials: null },
    fixed: { X: Float64Array.from(X.flat()), p: 2, columns: ['(Intercept)', 'x'], names: ['b_Intercept', 'b_x'], dropped: [], hasIntercept: true },
    random: [{ group: 'g', terms: k === 1 ? ['Intercept'] : ['Intercept', 'x'], columns: k === 1 ? ['(Intercept)'] : ['(Intercept)', 'x'], k, cov: makeCovariance('us', k, ''), levels: ['1', '2'], index: Int32Array.from(g), Z: Float64Array.from(Z.flat()) }],
    offset: null, groups: { g: 2 },
  });
  // R 4.2.2: y <- c(1,5,21,7); X <- cbind(1, c(0,0,1,1)); g <- c(1,2,1,2); b <- c(1.2, 0.5); sd <- exp(-0.3); z <- c(0.4, -1.1)
  // eta <- X %*% b + sd * z[g]; sum(dpois(y, exp(eta), log=TRUE)) + sum(dnorm(b, 0, 5, log=TRUE)) + log(2*dt(sd/2.5, 3)/2.5) + (-0.3) + sum(dnorm(z, log=TRUE))
  const d1 = mk([1, 5, 21, 7], [[1, 0], [1, 0], [1, 1], [1, 1]], [0, 1, 0, 1], [[1], [1], [1], [1]], 1);
  const s1 = buildModel(d1, { family: 'poisson' });
  assert.ok(Math.abs(logDensity64(s1, Float64Array.from([1.2, 0.5, -0.3, 0.4, -1.1])) - -32.067769201935327) < 1e-12);
  // R: x <- c(-1,0.5,1,-0.3,0.2,0.8); q <- c(1.1, 0.2, -0.4, -1.2, 0.7, 0.3, -0.8, 1.4, 0.25); r <- tanh(q[5]);
  // L <- matrix(c(1, r, 0, sqrt(1-r^2)), 2); Zm <- matrix(q[6:9], 2, byrow=TRUE); R <- t(diag(s) %*% L %*% t(Zm));
  // eta <- X %*% b + R[g,1] + R[g,2]*x; sum(dpois(...)) + sum(dnorm(b,0,5,log=TRUE)) + sum(log(2*dt(s/2.5,3)/2.5)) + sum(q[3:4])
  //   + log((1-r^2)^(2-1) / (2^(2*2-1)*beta(2,2))) + log(1-r^2) + sum(dnorm(q[6:9], log=TRUE))
  const x = [-1, 0.5, 1, -0.3, 0.2, 0.8];
  const d2 = mk([1, 5, 21, 7, 3, 9], x.map((v) => [1, v]), [0, 1, 0, 1, 0, 1], x.map((v) => [1, v]), 2);
  const s2 = buildModel(d2, { family: 'poisson', priors: ['cor ~ lkj(2)'] });
  assert.ok(Math.abs(logDensity64(s2, Float64Array.from([1.1, 0.2, -0.4, -1.2, 0.7, 0.3, -0.8, 1.4, 0.25])) - -47.369543338427434) < 1e-12);
});

test('bad options: link, centred group and prior targets give one-line GlmmInputErrors', () => {
  const d = corDesign();
  const bad: [() => unknown, string][] = [
    [() => buildModel(d, { family: 'negbinomial', link: 'logit' }), "link 'logit'"],
    [() => buildModel(d, { family: 'negbinomial', centered: ['plate'] }), "'plate'"],
    [() => buildModel(d, { family: 'negbinomial', priors: ['b_x9 ~ normal(0, 1)'] }), "'x9'"],
    [() => buildModel(d, { family: 'negbinomial', priors: ['sd_plate ~ exponential(1)'] }), "'plate'"],
    [() => buildModel(d, { family: 'negbinomial', priors: ['sigma ~ exponential(1)'] }), 'sigma'],
    [() => buildModel(d, { family: 'negbinomial', priors: ['sd_lot__x7 ~ exponential(1)'] }), "'x7'"],
  ];
  for (const [f, needle] of bad) assert.throws(f, (e: unknown) => e instanceof GlmmInputError && e.message.includes(needle) && !e.message.includes('\n'));
});

test('priors: a user statement overrides the default for its target only', () => {
  const spec = buildModel(corDesign(), { family: 'negbinomial', priors: ['sd_g ~ exponential(2)', 'b_x1 ~ student_t(3, 0, 1)'] });
  assert.deepEqual(spec.terms[1].sdPriors[0], { dist: 'exponential', rate: 2 });
  assert.deepEqual(spec.terms[0].sdPriors[0], { dist: 'student_t', df: 3, mu: 0, sigma: 2.5 });
  assert.deepEqual(spec.bPriors[1], { dist: 'student_t', df: 3, mu: 0, sigma: 1 });
  assert.deepEqual(spec.bPriors[2], { dist: 'normal', mu: 0, sigma: 5 });
});

test('choleskyCorrBackward = central differences of F(L(y)) + log|J| + LKJ kernel (K = 2, 3, 4)', async () => {
  const { choleskyCorrBackward } = await import('../../src/design/covariance/choleskyCorr.js');
  for (const K of [2, 3, 4]) {
    const m = (K * (K - 1)) / 2;
    const y = randomPoint(m, `bw${K}`, 0.8);
    const W = randomPoint(K * K, `w${K}`, 1); // F(L) = Σ W ⊙ L
    const eta = 1.7;
    const F = (yy: Float64Array): number => {
      const L = new Float64Array(K * K);
      let v = choleskyCorrConstrain(yy, 0, K, L);
      for (let i = 1; i < K; i++) v += (K - (i + 1) + 2 * eta - 2) * Math.log(L[i * K + i]);
      for (let i = 0; i < K * K; i++) v += W[i] * L[i];
      return v;
    };
    const dy = new Float64Array(m);
    const value = choleskyCorrBackward(y, 0, K, eta, W, dy, 0);
    const L = new Float64Array(K * K);
    choleskyCorrConstrain(y, 0, K, L);
    let fl = 0;
    for (let i = 0; i < K * K; i++) fl += W[i] * L[i];
    assert.ok(Math.abs(value - (F(y) - fl)) < 1e-12, `K=${K} value`);
    const h = 1e-6;
    for (let i = 0; i < m; i++) {
      const a = Float64Array.from(y);
      const b = Float64Array.from(y);
      a[i] += h;
      b[i] -= h;
      const fd = (F(a) - F(b)) / (2 * h);
      assert.ok(Math.abs(dy[i] - fd) < 1e-7 * (1 + Math.abs(fd)), `K=${K} dy[${i}] ${dy[i]} vs ${fd}`);
    }
  }
});

test('zero-part families: zi and hu on the logit scale with beta(1, 1) priors; --zi \'~1\' is the default; bad --zi input is one clear line', () => {
  const frame = frameFromRows(rcbd, { factors: ['block', 'trt'] });
  const d = (family: 'poisson' | 'zinegbinomial' | 'hurdle_poisson', zi?: string) => buildDesign('count ~ trt + (1|block)', frame, family, { factors: ['block', 'trt'], zi });
  const zinb = buildModel(d('zinegbinomial', '~ 1'), { family: 'zinegbinomial' });
  assert.deepEqual(zinb.names.slice(3, 5), ['log_shape', 'logit_zi']);
  assert.deepEqual(zinb.familyBlock.priors[1], { dist: 'beta', a: 1, b: 1 });
  assert.ok(Number.isFinite(logDensity64(zinb, new Float64Array(zinb.dim))));
  const hu = buildModel(d('hurdle_poisson'), { family: 'hurdle_poisson' });
  assert.deepEqual(hu.params.filter((p) => p.class === 'hu').map((p) => p.name), ['hu']);
  const oneLine = (re: RegExp) => (e: Error) => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n');
  assert.throws(() => d('poisson', '~1'), oneLine(/--zi '~1': the poisson family has no zero part; use one of zipoisson, zinegbinomial, hurdle_poisson, hurdle_negbinomial/));
  assert.throws(() => d('hurdle_poisson', '~ dose'), oneLine(/unknown column 'dose' in formula term '--zi ~ dose'; columns are: /));
  assert.throws(() => d('hurdle_poisson', 'count ~ trt'), oneLine(/--zi 'count ~ trt': the zero part's formula is one-sided; drop 'count' on the left, e.g. --zi '~ trt'/));
  assert.throws(() => d('zinegbinomial', '~ trt +'), oneLine(/^--zi '~ trt \+': formula: /));
  assert.throws(() => buildModel(d('hurdle_poisson'), { family: 'hurdle_poisson', priors: ['hu ~ normal(0, 1)'] }), /hu lies in \(0, 1\): its prior is beta\(a, b\)/);
  assert.throws(() => buildModel(d('hurdle_poisson'), { family: 'hurdle_poisson', priors: ['sd ~ beta(2, 2)'] }), /beta\(\) is only for a family parameter in \(0, 1\)/);
});

test('--zi \'~ trt\': the zero part\'s coefficients b_hu_Intercept, b_hu_trt2, … in the family block (identity, b prior), the hu statement dropped', () => {
  const frame = frameFromRows(rcbd, { factors: ['block', 'trt'] });
  const design = buildDesign('count ~ trt + (1|block)', frame, 'hurdle_poisson', { factors: ['block', 'trt'], zi: '~ trt' });
  const spec = buildModel(design, { family: 'hurdle_poisson' });
  const coefs = design.fixed.names.map((n) => n.replace(/^b_/, 'b_hu_'));
  assert.deepEqual(spec.params.filter((p) => p.class === 'hu').map((p) => p.name), coefs);
  assert.deepEqual(spec.names.slice(spec.familyBlock.offset, spec.familyBlock.offset + coefs.length), coefs);
  assert.deepEqual(spec.familyBlock.priors, [{ dist: 'normal', mu: 0, sigma: 5 }]);
  assert.ok(!spec.priors.some((p) => p.class === 'hu'));
  assert.deepEqual(design.paramFormulas?.[0].X, design.fixed.X, 'the same right-hand side gives the same model matrix');
  assert.throws(() => buildModel(design, { family: 'hurdle_poisson', priors: ['hu ~ beta(2, 2)'] }), (e: Error) => e instanceof GlmmInputError && /prior 'hu ~ beta\(2, 2\)': with a --zi formula hu is given by its coefficients b_hu_Intercept, b_hu_trt1/.test(e.message));
  const tight = buildModel(design, { family: 'hurdle_poisson', priors: ['b ~ normal(0, 2.5)'] });
  assert.deepEqual(tight.familyBlock.priors, [{ dist: 'normal', mu: 0, sigma: 2.5 }]);
});
