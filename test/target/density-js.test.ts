/**
 * The plain-JS batched density (src/target/density-js.ts) against the float64 reference logDensity64
 * (checked against R in test/target/parameters.test.ts): the value to 1e-9 relative (both are float64;
 * the constant is fixed once at a reference point, so a wrong parameter-dependent term shows as O(1)
 * anywhere else), the gradient against central differences of logDensity64 (h = 1e-5: truncation
 * O(h²·f''') and rounding O(ε/h) ≈ 1e-11·|f| — 1e-6 relative with a 1e-6·(1 + ‖g‖∞) floor covers both),
 * for every family × link, scalar / nested / crossed / uncorrelated k = 2 terms, centred and not,
 * correlated k = 2 and 3 terms (non-centred, beside a scalar one), cs and ar1 terms, non-default priors (LKJ shape included);
 * a batch equals single calls; non-finite points give −Infinity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type ModelSpec } from '../../src/target/parameters.js';
import { logDensity64 } from '../../src/target/logDensity64.js';
import { compileJsDensity, perChainWork, useJsDensity } from '../../src/target/density-js.js';
import { LARGE_DATA_WORK } from '../../src/sampler/adaptation/chees-chains.js';
import type { FamilyName } from '../../models/families/types.js';
import { FAMILY_LINKS, JS_STRUCTURES, ZERO_PART_LINKS, ZERO_RANDOM, simulatedDesign, randomPoint, withZeroFormula, withZeroRandom } from './designs.js';

function pointFor(spec: ModelSpec, seed: string): Float64Array {
  const q = randomPoint(spec.dim, seed, 0.3);
  if (spec.link === 'identity' || spec.link === 'sqrt' || spec.link === 'inverse') q[0] = 3; // keeps μ > 0
  return q;
}

function check(spec: ModelSpec, label: string): void {
  const target = compileJsDensity(spec);
  const q = pointFor(spec, label);
  const { logp, grad } = target.logDensity(q, 1);
  const ref = logDensity64(spec, q);
  assert.ok(Number.isFinite(ref), `${label}: reference not finite`);
  assert.ok(Math.abs(logp[0] - ref) <= 1e-9 * (1 + Math.abs(ref)), `${label}: logp ${logp[0]} vs float64 ${ref}`);
  const h = 1e-5;
  const fd = Array.from({ length: spec.dim }, (_, i) => {
    const a = Float64Array.from(q), b = Float64Array.from(q);
    a[i] += h;
    b[i] -= h;
    return (logDensity64(spec, a) - logDensity64(spec, b)) / (2 * h);
  });
  const gmax = fd.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let i = 0; i < spec.dim; i++) {
    assert.ok(Math.abs(grad[i] - fd[i]) <= 1e-6 * Math.abs(fd[i]) + 1e-6 * (1 + gmax), `${label}: ∂/∂${spec.names[i]} ${grad[i]} vs ${fd[i]}`);
  }
}

const STRUCTURES = JS_STRUCTURES;

test('every family × link: value = logDensity64, gradient = central differences, centred and non-centred', () => {
  for (const [family, link] of FAMILY_LINKS) {
    const d = simulatedDesign({ n: 60, p: 2, terms: STRUCTURES.scalar, family, link, seed: `${family}-${link}`, offset: true });
    check(buildModel(d, { family, link }), `${family}/${link}`);
    check(buildModel(d, { family, link, centered: ['g'] }), `${family}/${link}/centred`);
  }
});

test('a zero part with its own formula (--zi \'~ x1 + z\'): value = logDensity64, gradient of b_zi_*/b_hu_* = central differences', () => {
  for (const [family, link] of ZERO_PART_LINKS) {
    const d = withZeroFormula(simulatedDesign({ n: 60, p: 2, terms: STRUCTURES.scalar, family, link, seed: `zf-${family}`, offset: true }), `zf-${family}-X`);
    const spec = buildModel(d, { family, link });
    assert.ok(spec.names.some((n) => /^b_(zi|hu)_z$/.test(n)), `${family}: ${spec.names.join(', ')}`);
    check(spec, `${family}/zero formula`);
    check(buildModel(d, { family, link, centered: ['g'] }), `${family}/zero formula/centred`);
  }
});

test('random effects in the zero part (--zi \'~ x1 + z + (1|g) + (1 + z|h)\'): value = logDensity64, gradient = central differences, beside a centred count term', () => {
  for (const [family, link] of ZERO_PART_LINKS) {
    for (const [zs, zterms] of Object.entries(ZERO_RANDOM)) {
      const d = withZeroRandom(simulatedDesign({ n: 60, p: 2, terms: STRUCTURES.scalar, family, link, seed: `zr-${family}`, offset: true }), `zr-${family}-X`, zterms);
      const spec = buildModel(d, { family, link });
      assert.ok(spec.names.some((n) => /^log_sd_g__(zi|hu)_Intercept$/.test(n)), `${family}: ${spec.names.join(', ')}`);
      check(spec, `${family}/zero random ${zs}`);
      check(buildModel(d, { family, link, centered: ['g'] }), `${family}/zero random ${zs}/count centred`);
    }
  }
});

/** A non-default prior on a structured term's correlation (classes cor, ar), per structure. */
const STRUCTURE_PRIOR: Record<string, string> = { cs: 'cor_g ~ uniform(-0.2, 0.9)', ar1: 'ar ~ normal(0.3, 0.5)' };

test('term structures with non-default priors (student-t, cauchy, normal and exponential sds; uniform and normal correlations of cs, ar1)', () => {
  const priors = ['b_x1 ~ student_t(4, 0.5, 2)', 'sd ~ normal(0.2, 1)', 'Intercept ~ cauchy(0, 3)'];
  for (const family of ['poisson', 'negbinomial', 'gaussian', 'gamma'] as FamilyName[]) {
    const link = family === 'gaussian' ? 'identity' : 'log';
    for (const [s, terms] of Object.entries(STRUCTURES)) {
      const d = simulatedDesign({ n: 60, p: 3, terms, family, link, seed: `${family}-${s}` });
      check(buildModel(d, { family, link, priors: [...priors, `sd_${terms[0].group} ~ exponential(1.5)`, ...(terms[0].k > 1 && terms[0].correlated !== false && (terms[0].structure ?? 'us') === 'us' ? ['cor ~ lkj(2.5)'] : []), ...(STRUCTURE_PRIOR[terms[0].structure ?? ''] ? [STRUCTURE_PRIOR[terms[0].structure ?? '']] : [])] }), `${family}/${s}`);
      if (terms[0].k === 1) check(buildModel(d, { family, link, centered: [terms[0].group] }), `${family}/${s}/centred`);
    }
  }
});

test('a batch of chains equals single calls; a non-finite point gives −Infinity and a zero gradient', () => {
  const d = simulatedDesign({ n: 40, p: 2, terms: STRUCTURES.nested, family: 'poisson', link: 'identity', seed: 'batch' });
  const spec = buildModel(d, { family: 'poisson', link: 'identity' });
  const t = compileJsDensity(spec);
  const C = 3;
  const q = new Float64Array(C * spec.dim);
  for (let c = 0; c < C; c++) q.set(pointFor(spec, `b${c}`), c * spec.dim);
  q[2 * spec.dim] = -50; // chain 3: intercept −50 makes μ < 0 under the identity link
  const all = t.logDensity(q, C);
  for (let c = 0; c < 2; c++) {
    const one = t.logDensity(q.slice(c * spec.dim, (c + 1) * spec.dim), 1);
    assert.equal(all.logp[c], one.logp[0]);
    assert.deepEqual(all.grad.subarray(c * spec.dim, (c + 1) * spec.dim), one.grad);
  }
  assert.equal(all.logp[2], -Infinity);
  assert.ok(all.grad.subarray(2 * spec.dim).every((g) => g === 0));
});

test('logDensityInto writes every entry: into arrays full of NaN, the same values and gradients as logDensity, for each structure', () => {
  for (const [name, terms] of Object.entries(STRUCTURES)) {
    for (const family of ['poisson', 'negbinomial'] as const) {
      const d = simulatedDesign({ n: 30, p: 2, terms, family, link: 'log', seed: `into-${name}` });
      const spec = buildModel(d, { family });
      const t = compileJsDensity(spec);
      const C = 3;
      const q = new Float64Array(C * spec.dim);
      for (let c = 0; c < C; c++) q.set(pointFor(spec, `into${c}`), c * spec.dim);
      const ref = t.logDensity(q, C);
      const logp = new Float64Array(C).fill(NaN);
      const grad = new Float64Array(C * spec.dim).fill(NaN);
      t.logDensityInto!(q, C, logp, grad);
      assert.deepEqual(Array.from(logp), Array.from(ref.logp), `${name}/${family}`);
      assert.deepEqual(Array.from(grad), Array.from(ref.grad), `${name}/${family}`);
    }
  }
});

test('correlated terms of every family × link: value and gradient (non-centred)', () => {
  for (const [family, link] of FAMILY_LINKS) {
    const d = simulatedDesign({ n: 60, p: 2, terms: STRUCTURES.correlated2, family, link, seed: `corr-${family}-${link}`, offset: true });
    check(buildModel(d, { family, link }), `${family}/${link}/correlated`);
  }
});

test('useJsDensity: small models with uncorrelated or non-centred correlated terms only', () => {
  const small = buildModel(simulatedDesign({ n: 16, p: 2, terms: STRUCTURES.nested, family: 'poisson', link: 'log', seed: 's' }), { family: 'poisson' });
  assert.equal(useJsDensity(small, 256), true);
  const d = simulatedDesign({ n: 16, p: 2, terms: [{ group: 'g', k: 2, nLevels: 4 }], family: 'poisson', link: 'log', seed: 'c' });
  assert.equal(useJsDensity(buildModel(d, { family: 'poisson' }), 256), true);
  const centred = buildModel(d, { family: 'poisson', centered: ['g'] });
  assert.equal(useJsDensity(centred, 256), false);
  assert.throws(() => compileJsDensity(centred), /centred correlated/);
  const big = buildModel(simulatedDesign({ n: 2000, p: 2, terms: STRUCTURES.scalar, family: 'poisson', link: 'log', seed: 'b' }), { family: 'poisson' });
  assert.equal(useJsDensity(big, 256), false);
  // large data (perChainWork ≥ LARGE_DATA_WORK): JS whatever the chains (ChEES then runs few)
  const large = buildModel(simulatedDesign({ n: 6000, p: 2, terms: STRUCTURES.scalar, family: 'poisson', link: 'log', seed: 'l' }), { family: 'poisson' });
  assert.ok(perChainWork(large) >= LARGE_DATA_WORK);
  assert.equal(useJsDensity(large, 32), true);
});
