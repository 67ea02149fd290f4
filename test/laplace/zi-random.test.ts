/**
 * The Laplace fit of a zero-inflated / hurdle GLMM whose zero formula has random effects (issue 26;
 * src/laplace/joint.ts, joint-fit.ts) against glmmTMB's in test/fixtures/families/zi-random.json
 * (script zi-random.R beside it): logLik within 1e-4, estimates within 1e-3 relative or 1e-4, SEs
 * (sqrt(diag(vcov(fit, full = TRUE)))) within 1%, conditional modes of both parts within 1e-3 and their
 * conditional sds (ranef(condVar = TRUE)) within 1%. Then the inner Newton's gradient and Hessian and
 * the rows' W against finite differences of the log-likelihood, and the dispatch from fitLaplace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { laplaceInit } from '../../src/laplace/init.js';
import { familyFor } from '../../models/families/index.js';
import { jointGradientHessian, jointObjective } from '../../src/laplace/joint.js';
import { fixedParts, jointModel, rowDerivatives, splitJoint, zLambda } from '../../src/laplace/joint-model.js';
import { glmmTmbStart, jointDeviance, jointValueGradient } from '../../src/laplace/joint-fit.js';
import { analyticCoordinates } from '../../src/laplace/joint-gradient.js';
import { GlmmInputError } from '../../base/errors.js';
import type { LaplaceFit } from '../../src/laplace/types.js';
import { ziRandomDesign, ziRandomGoldens, type ZiRandomGolden } from './zi-random-cases.js';

const goldens = ziRandomGoldens();
const coefName = (r: string, dpar = ''): string => `b_${dpar ? `${dpar}_` : ''}${r === '(Intercept)' ? 'Intercept' : r}`;

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.max(1e-3 * Math.abs(expected), 1e-4), `${what}: ${actual} vs glmmTMB ${expected}`);
}
function nearSe(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual / expected - 1) < 0.01, `${what}: SE ${actual} vs glmmTMB ${expected}`);
}

/** Every number of the fixture model against the fit. */
function checkAgainstGlmmTmb(fit: LaplaceFit, g: ZiRandomGolden): void {
  const L = g.laplace;
  const dpar = fit.varpars.find((v) => v.name.startsWith('b_hu_')) ? 'hu' : 'zi';
  assert.ok(Math.abs(fit.logLik - L.logLik) < 1e-4, `logLik ${fit.logLik} vs ${L.logLik}`);
  assert.equal(fit.df, L.df);
  for (const [r, e] of Object.entries(L.fixef)) {
    const f = fit.fixef.find((x) => x.name === coefName(r));
    assert.ok(f, `no ${coefName(r)}`);
    near(f.estimate, e.estimate, r);
    nearSe(f.se, e.se, r);
  }
  for (const [r, e] of Object.entries(L.zi_fixef)) {
    const v = fit.varpars.find((x) => x.name === coefName(r, dpar));
    assert.ok(v, `no ${coefName(r, dpar)}`);
    near(v.estimate, e.estimate, v.name);
    nearSe(v.se, e.se, v.name);
  }
  for (const vc of L.varcomp) {
    const name = vc.part === 'cond' ? `sd_${vc.group}__Intercept` : `sd_${vc.group}__${dpar}_Intercept`;
    const v = fit.varpars.find((x) => x.name === name);
    assert.ok(v, `no ${name}`);
    near(v.estimate, vc.sd, name);
    nearSe(v.seLog, vc.se_log, `log ${name}`);
  }
  const fp = L.family_params as { shape?: number; se_log_shape?: number };
  if (fp.shape !== undefined) {
    const v = fit.varpars.find((x) => x.name === 'shape');
    assert.ok(v, 'no shape');
    near(v.estimate, fp.shape, 'shape');
    nearSe(v.seLog, fp.se_log_shape as number, 'log shape');
  }
  for (const part of ['cond', 'zi'] as const) {
    for (const [group, re] of Object.entries(L.ranef[part])) {
      re.levels.forEach((lev, i) => {
        const name = part === 'cond' ? `r_${group}[${lev},Intercept]` : `r_${group}__${dpar}[${lev},Intercept]`;
        const r = fit.ranef.find((x) => x.name === name);
        assert.ok(r, `no ${name}`);
        assert.ok(Math.abs(r.estimate - re.estimate[i]) < 1e-3, `${name}: ${r.estimate} vs glmmTMB ${re.estimate[i]}`);
        nearSe(r.condSd, re.condsd[i], `${name} conditional sd`);
      });
    }
  }
}

// every fixture model: salamanders_zipoisson_zi_re_only has random effects in the zero part only (count ~ mined:
// glmmTMB's start alone); salamanders_zinegbinomial_spp_zi_re's first start lets b_zi_sppEC-L run to −22 without
// converging, and glmmTMB's start gives glmmTMB's optimum
const TESTED = Object.keys(goldens);

const fits = new Map<string, LaplaceFit>();
/** The fixture model's fit (once per model). */
function fitOf(key: string): LaplaceFit {
  const g = goldens[key];
  if (!fits.has(key)) fits.set(key, fitLaplace(ziRandomDesign(g), { family: g.family, profile: false }));
  return fits.get(key) as LaplaceFit;
}

for (const key of TESTED) {
  const g = goldens[key];
  test(`${key}: the joint Laplace fit equals glmmTMB's (logLik, both parts' β, sds, shape, SEs, ranef with condVar)`, () => {
    assert.ok(g.laplace.convergence.pdHess, 'the fixture model converged in glmmTMB');
    const fit = fitOf(key);
    assert.ok(fit.converged, `converged (${fit.warnings.join('; ')})`);
    checkAgainstGlmmTmb(fit, g);
  });
}

test('zero-inflated NB, ziformula ~ (1|site): the start without the zero terms reaches a lower deviance with a non-PD Hessian; the fit keeps glmmTMB\'s optimum and says so', () => {
  const fit = fitOf('salamanders_zinegbinomial_zi_re');
  assert.ok(fit.warnings.some((w) => w.startsWith('another start reached a lower deviance')), fit.warnings.join('; '));
});

/** The ZIP model's joint problem at glmmTMB's start, with u off the mode. */
function zipProblem() {
  const g = goldens.salamanders_zipoisson_spp_zi_re;
  const fl = familyFor(g.family, 'log');
  const m = jointModel(ziRandomDesign(g), fl.family, fl.link);
  const x = glmmTmbStart(m);
  x[m.nTheta] = 0.5; // an intercept away from 0 so that rows differ
  const pt = splitJoint(m, x);
  const fp = fixedParts(m, pt), zl = zLambda(m, pt.theta);
  const u = Float64Array.from({ length: m.q }, (_, j) => 0.3 * Math.sin(j + 1));
  return { m, x, fp, zl, u };
}

test('inner problem: the gradient and H = I + ΛᵀZᵀWZΛ = −∇²f equal finite differences of f(u) = Σℓ − ½‖u‖²', () => {
  const { m, fp, zl, u } = zipProblem();
  const { grad, H, value } = jointGradientHessian(m, fp, zl, u);
  assert.ok(Math.abs(value - jointObjective(m, fp, zl, u)) < 1e-9);
  const f = (v: Float64Array) => jointObjective(m, fp, zl, v);
  const h = 1e-4;
  const at = (j: number, s: number, k = -1, t = 0) => {
    const v = Float64Array.from(u);
    v[j] += s * h;
    if (k >= 0) v[k] += t * h;
    return f(v);
  };
  for (const j of [0, 5, 22, 23, 30, 45]) {
    const gj = (at(j, 1) - at(j, -1)) / (2 * h);
    assert.ok(Math.abs(grad[j] - gj) < 1e-6 * Math.max(1, Math.abs(gj)), `∂f/∂u${j}: ${grad[j]} vs ${gj}`);
    // the count and the zero effect of the same site (j and j + 23) are coupled through W_ηζ
    for (const k of [j, (j + 23) % m.q, (j + 1) % m.q]) {
      const hjk = k === j ? (at(j, 1) - 2 * f(u) + at(j, -1)) / (h * h) : (at(j, 1, k, 1) - at(j, 1, k, -1) - at(j, -1, k, 1) + at(j, -1, k, -1)) / (4 * h * h);
      assert.ok(Math.abs(H[j * m.q + k] + hjk) < 1e-4 * Math.max(1, Math.abs(hjk)), `H[${j},${k}] ${H[j * m.q + k]} vs ${-hjk}`);
    }
  }
  assert.ok(Math.abs(H[0 * m.q + 23]) > 1e-3, 'the count and zero effects of site 1 are coupled');
});

test('rows: W (central differences of the analytic first derivatives) equals −∇² of ℓ by differences of its values', () => {
  const { m, fp } = zipProblem();
  const g = new Float64Array(2), w = new Float64Array(3), g2 = new Float64Array(2), w2 = new Float64Array(3);
  const h = 1e-3;
  const l = (i: number, e: number, z: number) => rowDerivatives(m, fp, i, e, z, g2, w2);
  for (const i of [0, 1, 100, 300, 643]) {
    for (const [e, z] of [[0.3, -0.5], [1.7, 0.8], [-1, 2]]) {
      const v = rowDerivatives(m, fp, i, e, z, g, w);
      const dEE = (l(i, e + h, z) - 2 * v + l(i, e - h, z)) / (h * h);
      const dZZ = (l(i, e, z + h) - 2 * v + l(i, e, z - h)) / (h * h);
      const dEZ = (l(i, e + h, z + h) - l(i, e + h, z - h) - l(i, e - h, z + h) + l(i, e - h, z - h)) / (4 * h * h);
      const gE = (l(i, e + h, z) - l(i, e - h, z)) / (2 * h), gZ = (l(i, e, z + h) - l(i, e, z - h)) / (2 * h);
      const tol = (a: number) => 1e-5 * Math.max(1, Math.abs(a));
      assert.ok(Math.abs(g[0] - gE) < tol(gE) && Math.abs(g[1] - gZ) < tol(gZ), `row ${i} gradient`);
      assert.ok(Math.abs(w[0] + dEE) < tol(dEE), `row ${i} W_ηη ${w[0]} vs ${-dEE}`);
      assert.ok(Math.abs(w[1] + dEZ) < tol(dEZ), `row ${i} W_ηζ ${w[1]} vs ${-dEZ}`);
      assert.ok(Math.abs(w[2] + dZZ) < tol(dZZ), `row ${i} W_ζζ ${w[2]} vs ${-dZZ}`);
    }
  }
});

for (const key of ['salamanders_zipoisson_spp_zi_re', 'salamanders_hurdle_negbinomial_zi_re']) {
  test(`${key} outer: the gradient of the Laplace deviance (analytic in β and β_zi, differences in θ and shape) equals a 5-point difference`, () => {
    const g0 = goldens[key];
    const fl = familyFor(g0.family, 'log');
    const m = jointModel(ziRandomDesign(g0), fl.family, fl.link);
    const x = glmmTmbStart(m);
    x[m.nTheta] = 0.5;
    x[0] = 0.7;
    const f = jointDeviance(m);
    const lower = new Float64Array(x.length).fill(-Infinity);
    const g = new Float64Array(x.length);
    jointValueGradient(m, f, lower)(x).gradient(g);
    const h = 1e-3;
    const analytic = analyticCoordinates(m, x.length);
    assert.equal(analytic.filter(Boolean).length, m.design.fixed.p + 2, 'β and β_zi analytic');
    for (let i = 0; i < x.length; i++) {
      const at = (s: number) => { const v = Float64Array.from(x); v[i] += s * h; return f(v); };
      const g5 = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * h);
      assert.ok(Math.abs(g[i] - g5) < 1e-5 * Math.max(1, Math.abs(g5)), `∂D/∂x${i}${analytic[i] ? ' (analytic)' : ''}: ${g[i]} vs ${g5}`);
    }
  });
}

test('fitLaplace: nAGQ > 1 with zero-part random effects is a one-line input error; laplaceInit reads the joint fit', () => {
  const g = goldens.salamanders_hurdle_poisson_zi_re;
  const design = ziRandomDesign(g);
  assert.throws(() => fitLaplace(design, { family: g.family, nAGQ: 5 }), (e: unknown) => e instanceof GlmmInputError && /nAGQ = 5 .*zero formula has random effects.*nAGQ = 1$/.test(e.message) && !e.message.includes('\n'));
  const fit = fitLaplace(design, { family: g.family });
  const init = laplaceInit(fit);
  const sdZ = fit.varpars.find((v) => v.name === 'sd_site__hu_Intercept')!;
  assert.ok(sdZ.lower < sdZ.estimate && sdZ.estimate < sdZ.upper, 'Wald log-scale interval of the zero part\'s sd');
  near(sdZ.upper, sdZ.estimate * Math.exp(1.959963984540054 * sdZ.seLog), 'upper limit');
  const r = fit.ranef.find((x) => x.name === 'r_site__hu[R-1,Intercept]')!;
  assert.ok(Math.abs(init.point['z_site__hu[R-1,Intercept]'] - r.estimate / sdZ.estimate) < 1e-12, 'z = b / sd for the zero part');
  assert.ok(Math.abs(init.invMetric['sd_site__hu_Intercept'] - sdZ.seLog ** 2) < 1e-12);
  assert.equal(fit.mode.logSd.length, 2);
});

test('jointModel: more random effects than the dense joint Laplace handles is a one-line error naming the terms', () => {
  const g = goldens.salamanders_hurdle_poisson_zi_re;
  const d = ziRandomDesign(g);
  const [pf] = d.paramFormulas ?? [];
  const term = pf.random![0];
  const big = { ...term, levels: Array.from({ length: 3001 }, (_, i) => `L${i}`) };
  const fl = familyFor(g.family, 'log');
  assert.throws(() => jointModel({ ...d, paramFormulas: [{ ...pf, random: [big] }] }, fl.family, fl.link),
    (e: unknown) => e instanceof GlmmInputError && e.message.includes("the count part's (1 | site) and the zero part's (1 | site) give 3024") && e.message.includes('3000'));
});
