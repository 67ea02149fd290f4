/**
 * The compiled tfjs log density (src/target/compile.ts) against the float64 reference logDensity64
 * (itself checked against R in test/target/parameters.test.ts):
 * (a) values for every family × link and for scalar, correlated (K = 2, 3), nested, crossed and
 *     centred terms, dense and gather paths; (b) gradients against central differences of
 *     logDensity64; (c) no tensor leak over 10,000 calls; (d) a batch of C chains equals C single
 *     calls; (e) cpu and wasm agree; non-finite points give −Infinity, never a throw.
 *
 * Tolerances. float32 has unit roundoff u = 2⁻²⁴ ≈ 6e-8. Every per-row and prior term passes through
 * at most ~30 rounded operations on numbers no larger than the term's biggest intermediate, so the
 * value error is below 30u·S with S = Σ|terms| ≤ |logp| + Σ_i(|y_i η_i| + μ_i) — we bound S by
 * 4·(|logp| + n + dim) for these moderate simulated data and use VALUE_TOL = 2e-6·(|logp| + n + dim)
 * (≈ 30u·4·(…)/… rounded up). The observed errors are ~10× smaller; a wrong term is off by O(1).
 * Gradients: relative 1e-3, with an absolute floor 1e-4·(1 + ‖g‖∞): a gradient component that is a
 * difference of n row contributions of size ≤ ‖g‖∞ carries a float32 error up to ~n·u·‖g‖∞
 * (≈ 4e-6·‖g‖∞ for n = 60), and the float64 central difference (h = 1e-5) errs by O(h²) + O(ε₆₄/h),
 * below 1e-8 here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type ModelSpec } from '../../src/target/parameters.js';
import { logDensity64 } from '../../src/target/logDensity64.js';
import { compileLogDensity } from '../../src/target/compile.js';
import { useBackend, tf } from '../../src/logdensity/tfjs.js';
import type { FamilyName } from '../../models/families/types.js';
import { FAMILY_LINKS, ZERO_PART_LINKS, ZERO_RANDOM, simulatedDesign, randomPoint, withZeroFormula, withZeroRandom, type TermSpec } from '../target/designs.js';
import { checkAgainstFloat64, valueTol } from './float64-check.js';


function pointFor(spec: ModelSpec, seed: string): Float64Array {
  const q = randomPoint(spec.dim, seed, 0.3);
  if (spec.link === 'identity' || spec.link === 'sqrt' || spec.link === 'inverse') q[0] = 3; // keeps μ > 0
  return q;
}


function check(spec: ModelSpec, label: string, opts: Parameters<typeof compileLogDensity>[1] = {}): void {
  checkAgainstFloat64(spec, label, pointFor(spec, label), opts);
}

const STRUCTURES: Record<string, TermSpec[]> = {
  scalar: [{ group: 'g', k: 1, nLevels: 6 }],
  correlated2: [{ group: 'g', k: 2, nLevels: 5 }],
  correlated3: [{ group: 'g', k: 3, nLevels: 5 }],
  nested: [{ group: 'a', k: 1, nLevels: 4 }, { group: 'a:b', k: 1, nLevels: 12 }],
  crossed: [{ group: 'a', k: 1, nLevels: 5 }, { group: 'b', k: 1, nLevels: 6, index: (i) => Math.floor(i / 5) % 6 }],
  // 60 rows in 7 levels: no equal blocks, so the gather path keeps the data order (rowOrder.ts)
  unbalanced: [{ group: 'g', k: 1, nLevels: 7 }],
};

test.before(async () => {
  await useBackend('cpu');
});

test('(a, b) every family × link: value = logDensity64, gradient = central differences (scalar and correlated terms)', () => {
  for (const [family, link] of FAMILY_LINKS) {
    for (const s of ['scalar', 'correlated2']) {
      const d = simulatedDesign({ n: 60, p: 2, terms: STRUCTURES[s], family, link, seed: `${family}-${link}-${s}`, offset: true });
      check(buildModel(d, { family, link }), `${family}/${link}/${s}`);
    }
  }
});

test('(a, b) a zero part with its own formula (--zi \'~ x1 + z\'): value = logDensity64, gradient = central differences, dense and gather, rows summed in tfjs and in float64', () => {
  // scalar: balanced, so the gather path reorders the rows (and the zero formula's X with them); unbalanced: data order
  for (const [family, link] of ZERO_PART_LINKS) {
    for (const s of ['scalar', 'unbalanced']) {
      const d = withZeroFormula(simulatedDesign({ n: 60, p: 2, terms: STRUCTURES[s], family, link, seed: `cz-${family}-${s}`, offset: true }), `cz-${family}-${s}-X`);
      const spec = buildModel(d, { family, link });
      check(spec, `${family}/${s}/zero formula`);
      check(spec, `${family}/${s}/zero formula/gather`, { mode: 'gather' });
      check(spec, `${family}/${s}/zero formula/rows in float64`, { rowSumInJs: true });
    }
  }
});

test('(a, b) random effects in the zero part (--zi \'~ x1 + z + (1|g) + (1 + z|h)\'): value = logDensity64, gradient = central differences, rows summed in tfjs and in float64; the gather path refuses in one line', () => {
  for (const [family, link] of ZERO_PART_LINKS) {
    for (const s of ['scalar', 'correlated2']) {
      for (const [zs, zterms] of Object.entries(ZERO_RANDOM)) {
        const d = withZeroRandom(simulatedDesign({ n: 60, p: 2, terms: STRUCTURES[s], family, link, seed: `czr-${family}-${s}`, offset: true }), `czr-${family}-${s}-X`, zterms);
        const spec = buildModel(d, { family, link });
        check(spec, `${family}/${s}/zero random ${zs}`);
        check(spec, `${family}/${s}/zero random ${zs}/rows in float64`, { rowSumInJs: true });
        assert.throws(() => compileLogDensity(spec, { backend: 'cpu', mode: 'gather' }), /random effects in --zi: the tfjs density takes them on its dense path only .* needs --backend js/);
      }
    }
  }
});

test('(a, b) term structures × dense/gather × centred, with non-default priors', () => {
  const priors = ['b_x1 ~ student_t(4, 0.5, 2)', 'sd ~ normal(0.2, 1)', 'Intercept ~ cauchy(0, 3)'];
  for (const family of ['poisson', 'negbinomial', 'gaussian'] as FamilyName[]) {
    const link = family === 'gaussian' ? 'identity' : 'log';
    for (const [s, terms] of Object.entries(STRUCTURES)) {
      const d = simulatedDesign({ n: 60, p: 3, terms, family, link, seed: `${family}-${s}` });
      // gather: rows in level blocks where a term is balanced (every structure but `unbalanced`), and in data order
      for (const [mode, blockRows] of [['dense', true], ['gather', true], ['gather', false]] as const) {
        const label = `${family}/${s}/${mode}${blockRows ? '' : '/data-order'}`;
        check(buildModel(d, { family, link, priors: [...priors, ...(terms[0].k > 1 ? ['cor ~ lkj(2.5)'] : ['sd_' + terms[0].group + ' ~ exponential(1.5)'])] }), label, { mode, blockRows });
        check(buildModel(d, { family, link, centered: [terms[0].group] }), `${label}/centred`, { mode, blockRows });
      }
    }
  }
});

test('(a, b) correlated terms of dimension 1 to 6 (non-centred and centred, dense and gather): value and gradient', () => {
  // issue 13.5: a fixed 16-slot buffer gave −∞ for K ≥ 5 on the default path
  for (let k = 1; k <= 6; k++) {
    const d = simulatedDesign({ n: 60, p: 7, terms: [{ group: 'g', k, nLevels: 5 }], family: 'poisson', link: 'log', seed: `dim-${k}` });
    for (const mode of ['dense', 'gather'] as const) {
      check(buildModel(d, { family: 'poisson', priors: k > 1 ? ['cor ~ lkj(1.5)'] : [] }), `K=${k}/${mode}`, { mode });
      check(buildModel(d, { family: 'poisson', centered: ['g'] }), `K=${k}/${mode}/centred`, { mode });
    }
  }
});

test('(a) float64 row sums equal tfjs sums, dense and gather', () => {
  const d = simulatedDesign({ n: 60, p: 3, terms: STRUCTURES.crossed, family: 'gamma', link: 'log', seed: 'paths' });
  const spec = buildModel(d, { family: 'gamma' });
  check(spec, 'gamma/rowsum', { rowSumInJs: true, mode: 'gather' });
  check(spec, 'gamma/rowsum/dense', { rowSumInJs: true });
});

test('(d) a batch of C chains equals C single calls (float32 tolerance)', () => {
  for (const s of ['scalar', 'correlated3']) {
    const d = simulatedDesign({ n: 60, p: 3, terms: STRUCTURES[s], family: 'negbinomial', link: 'log', seed: `batch-${s}` });
    const spec = buildModel(d, { family: 'negbinomial' });
    const target = compileLogDensity(spec);
    const C = 5;
    const q = randomPoint(C * spec.dim, `batch-${s}`, 0.3);
    const all = target.logDensity(q, C);
    for (let c = 0; c < C; c++) {
      const one = target.logDensity(q.slice(c * spec.dim, (c + 1) * spec.dim), 1);
      assert.ok(Math.abs(one.logp[0] - all.logp[c]) <= valueTol(one.logp[0], spec), `${s} chain ${c}`);
      const gmax = one.grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (let i = 0; i < spec.dim; i++) assert.ok(Math.abs(one.grad[i] - all.grad[c * spec.dim + i]) <= 1e-5 * (1 + gmax));
    }
    target.dispose?.();
  }
});

test('(c) live tensors do not grow over 15,000 calls (5,000 non-centred, 10,000 with centred terms); dispose frees the compiled tensors', () => {
  const d = simulatedDesign({ n: 16, p: 2, terms: [{ group: 'a', k: 1, nLevels: 8 }, { group: 'b', k: 2, nLevels: 4 }], family: 'poisson', link: 'log', seed: 'leak' });
  const before = tf.memory().numTensors;
  for (const centered of [[], ['a'], ['a', 'b']]) {
    const spec = buildModel(d, { family: 'poisson', centered });
    const target = compileLogDensity(spec);
    const q = randomPoint(4 * spec.dim, 'leak', 0.3);
    target.logDensity(q, 4);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 5000; i++) target.logDensity(q, 4);
    assert.equal(tf.memory().numTensors, start, centered.join());
    target.dispose?.();
  }
  assert.equal(tf.memory().numTensors, before);
});

test('non-finite points give logp = −Infinity and a finite gradient, never a throw', () => {
  const d = simulatedDesign({ n: 30, p: 2, terms: STRUCTURES.scalar, family: 'poisson', link: 'identity', seed: 'nonfinite' });
  const spec = buildModel(d, { family: 'poisson', link: 'identity' });
  const target = compileLogDensity(spec);
  const q = new Float64Array(2 * spec.dim);
  q[0] = -5; // μ < 0 in chain 0
  q[spec.dim] = 3;
  q[spec.dim + 2] = 800; // sd = e^800 = ∞ in chain 1
  const r = target.logDensity(q, 2);
  assert.equal(r.logp[0], -Infinity);
  assert.equal(r.logp[1], -Infinity);
  assert.ok(r.grad.every(Number.isFinite));
  assert.equal(logDensity64(spec, q.slice(0, spec.dim)), -Infinity);
  target.dispose?.();
});

test('(e) cpu and wasm backends agree to float32 tolerance', async () => {
  const d = simulatedDesign({ n: 60, p: 3, terms: [{ group: 'a', k: 1, nLevels: 5 }, { group: 'b', k: 2, nLevels: 4 }], family: 'negbinomial', link: 'log', seed: 'backends' });
  for (const centered of [[], ['a'], ['a', 'b']]) {
    const spec = buildModel(d, { family: 'negbinomial', centered });
    const q = randomPoint(3 * spec.dim, 'backends', 0.3);
    const res: { logp: Float64Array; grad: Float64Array }[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const target = compileLogDensity(spec, { backend });
      res.push(target.logDensity(q, 3));
      target.dispose?.();
    }
    await useBackend('cpu');
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(res[0].logp[c] - res[1].logp[c]) <= valueTol(res[0].logp[c], spec));
    const gmax = res[0].grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < res[0].grad.length; i++) assert.ok(Math.abs(res[0].grad[i] - res[1].grad[i]) <= 1e-4 * (1 + gmax));
  }
});
