/**
 * The plain-JS fast path (src/target/density-js.ts, float64, hand-derived gradient; fit() uses it for
 * small models whose terms are all uncorrelated) against the autograd tfjs path (src/target/compile.ts:
 * tf.valueAndGrads over the fused customGrad blocks) on the cpu backend, for every shape the JS path
 * accepts: every family × link, scalar / nested / crossed / uncorrelated k = 2 terms (centred and
 * non-centred), correlated k = 2 (beside a scalar term) and k = 3 terms (non-centred), with an offset,
 * default and non-default priors (LKJ shape included); 3 batches of 4 random chains each.
 *
 * Tolerances (float32): the JS value equals logDensity64 to 1e-9 (density-js.test.ts), so the difference
 * is the tfjs path's float32 rounding. Its value sums n row terms and ~dim prior terms, each rounded at
 * relative ε = 2⁻²⁴ ≈ 6e-8 from inputs rounded likewise, so the error is a few ε per unit of magnitude:
 * 2e-6 (≈ 32ε) × (|log p| + n + dim), the bound of the float64 checks (test/logdensity/float64-check.ts).
 * Each gradient coordinate is a sum over rows of g_i·x_ij plus prior terms, rounded the same way:
 * 2e-6 × (|∂_i| + n + max_j |∂_j|). The largest difference seen is 0.13 of its tolerance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type ModelSpec } from '../../src/target/parameters.js';
import { compileJsDensity } from '../../src/target/density-js.js';
import { compileLogDensity } from '../../src/target/compile.js';
import type { FamilyName } from '../../models/families/types.js';
import { FAMILY_LINKS, JS_STRUCTURES, ZERO_PART_LINKS, ZERO_RANDOM, simulatedDesign, randomPoint, withZeroFormula, withZeroRandom } from './designs.js';

const STRUCTURES = JS_STRUCTURES;

const CHAINS = 4;

/** 4 chains at random points (scale 0.3; where μ must stay positive, scale 0.15 and the intercept at 3). */
function points(spec: ModelSpec, seed: string): Float64Array {
  const q = new Float64Array(CHAINS * spec.dim);
  const positive = spec.link === 'identity' || spec.link === 'sqrt' || spec.link === 'inverse';
  for (let c = 0; c < CHAINS; c++) {
    const p = randomPoint(spec.dim, `${seed}-${c}`, positive ? 0.15 : 0.3);
    if (positive) p[0] = 3;
    q.set(p, c * spec.dim);
  }
  return q;
}

function check(spec: ModelSpec, label: string, opts: { rowSumInJs?: boolean } = {}): void {
  const js = compileJsDensity(spec);
  const tfjs = compileLogDensity(spec, { backend: 'cpu', ...opts });
  const { dim } = spec;
  const n = spec.design.nobs;
  try {
    for (let b = 0; b < 3; b++) {
      const q = points(spec, `${label}-${b}`);
      const a = js.logDensity(q, CHAINS);
      const t = tfjs.logDensity(q, CHAINS);
      for (let c = 0; c < CHAINS; c++) {
        const lp = a.logp[c];
        assert.ok(Number.isFinite(lp), `${label}: JS value not finite at chain ${c}`);
        const tol = 2e-6 * (Math.abs(lp) + n + dim);
        assert.ok(Math.abs(t.logp[c] - lp) <= tol, `${label} chain ${c}: autograd ${t.logp[c]} vs JS ${lp}`);
        const g = a.grad.subarray(c * dim, (c + 1) * dim);
        const gmax = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (let i = 0; i < dim; i++) {
          const gt = t.grad[c * dim + i];
          const gtol = 2e-6 * (Math.abs(g[i]) + n + gmax);
          assert.ok(Math.abs(gt - g[i]) <= gtol, `${label} chain ${c}: ∂/∂${spec.names[i]} autograd ${gt} vs JS ${g[i]}`);
        }
      }
    }
  } finally {
    tfjs.dispose?.();
  }
}

test('every family × link with an offset, centred and non-centred: the JS fast path equals autograd (cpu)', () => {
  for (const [family, link] of FAMILY_LINKS) {
    const d = simulatedDesign({ n: 60, p: 2, terms: STRUCTURES.scalar, family, link, seed: `ja-${family}-${link}`, offset: true });
    check(buildModel(d, { family, link }), `${family}/${link}`);
    check(buildModel(d, { family, link, centered: ['g'] }), `${family}/${link}/centred`);
    const dc = simulatedDesign({ n: 60, p: 2, terms: STRUCTURES.correlated2, family, link, seed: `ja-corr-${family}-${link}`, offset: true });
    check(buildModel(dc, { family, link }), `${family}/${link}/correlated`);
  }
});

test('a zero part with its own formula (--zi \'~ x1 + z\'), scalar and correlated terms: the JS fast path equals autograd (cpu)', () => {
  for (const [family, link] of ZERO_PART_LINKS) {
    for (const s of ['scalar', 'correlated2'] as const) {
      const d = withZeroFormula(simulatedDesign({ n: 60, p: 2, terms: STRUCTURES[s], family, link, seed: `jz-${family}-${s}`, offset: true }), `jz-${family}-${s}-X`);
      check(buildModel(d, { family, link }), `${family}/${s}/zero formula`);
    }
  }
});

test('random effects in the zero part (--zi \'~ x1 + z + (1|g) + (1 + z|h)\'), beside scalar and correlated count terms: the JS fast path equals autograd (cpu), dense and with the rows in float64', () => {
  for (const [family, link] of ZERO_PART_LINKS) {
    for (const s of ['scalar', 'correlated2'] as const) {
      for (const [zs, zterms] of Object.entries(ZERO_RANDOM)) {
        const d = withZeroRandom(simulatedDesign({ n: 60, p: 2, terms: STRUCTURES[s], family, link, seed: `jzr-${family}-${s}`, offset: true }), `jzr-${family}-${s}-X`, zterms);
        const spec = buildModel(d, { family, link });
        check(spec, `${family}/${s}/zero random ${zs}`);
        check(spec, `${family}/${s}/zero random ${zs}/rows in float64`, { rowSumInJs: true });
      }
    }
  }
});

/** A non-default prior on a structured term's correlation (classes cor, ar), per structure. */
const STRUCTURE_PRIOR: Record<string, string> = { cs: 'cor ~ normal(0.1, 0.3)', ar1: 'ar_g ~ uniform(-0.5, 0.95)' };

test('term structures × non-default priors (student-t, cauchy, normal and exponential sds; cs/ar1 correlations): JS equals autograd (cpu)', () => {
  const priors = ['b_x1 ~ student_t(4, 0.5, 2)', 'sd ~ normal(0.2, 1)', 'Intercept ~ cauchy(0, 3)'];
  for (const family of ['poisson', 'binomial', 'negbinomial', 'gaussian', 'gamma'] as FamilyName[]) {
    const link = family === 'gaussian' ? 'identity' : family === 'binomial' ? 'logit' : 'log';
    for (const [s, terms] of Object.entries(STRUCTURES)) {
      const d = simulatedDesign({ n: 60, p: 3, terms, family, link, seed: `ja-${family}-${s}`, offset: s === 'crossed' });
      check(buildModel(d, { family, link }), `${family}/${s}`);
      const correlated = terms[0].k > 1 && terms[0].correlated !== false;
      const lkj = correlated && (terms[0].structure ?? 'us') === 'us';
      check(buildModel(d, { family, link, priors: [...priors, `sd_${terms[0].group} ~ exponential(1.5)`, ...(lkj ? ['cor ~ lkj(2.5)'] : []), ...(STRUCTURE_PRIOR[terms[0].structure ?? ''] ? [STRUCTURE_PRIOR[terms[0].structure ?? '']] : [])] }), `${family}/${s}/priors`);
      // the JS path takes correlated terms non-centred only
      if (!correlated) check(buildModel(d, { family, link, centered: terms.map((t) => t.group) }), `${family}/${s}/centred`);
    }
  }
});
