/**
 * Adaptive Gauss–Hermite quadrature (nAGQ = 5, 10 on cbpp) and profile-likelihood intervals against
 * lme4 1.1-31 (golden values: test/fixtures/laplace/make-golden.R).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseDesign, GOLDEN } from './cases.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { ghRule } from '../../src/laplace/agq.js';
import { getFamily } from '../../models/families/index.js';
import { GlmmInputError } from '../../base/errors.js';

test('ghRule: GHrule(3) is z = ±√3, 0 with weights 1/6, 2/3, 1/6; n nodes integrate z^(2n−2) exactly', () => {
  const r3 = ghRule(3);
  assert.ok(Math.abs(r3.z[0] + Math.sqrt(3)) < 1e-14 && r3.z[1] === 0 && Math.abs(r3.z[2] - Math.sqrt(3)) < 1e-14);
  assert.ok(Math.abs(r3.w[0] - 1 / 6) < 1e-14 && Math.abs(r3.w[1] - 2 / 3) < 1e-14);
  for (const n of [5, 10, 25]) {
    const { z, w } = ghRule(n);
    // E z^(2k) = (2k − 1)!! under N(0, 1), exact for 2k ≤ 2n − 1
    let dfact = 1;
    for (let k = 0; 2 * k <= 2 * n - 2; k++) {
      if (k > 0) dfact *= 2 * k - 1;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * z[i] ** (2 * k);
      assert.ok(Math.abs(s / dfact - 1) < 1e-11, `n=${n} k=${k}: ${s} vs ${dfact}`);
    }
  }
});

for (const n of [5, 10]) {
  test(`cbpp nAGQ = ${n}: estimates and SEs as lme4's; logLik differs only by lme4's omitted saturated constant`, () => {
    const c = caseDesign('cbpp');
    const g = GOLDEN[`cbpp_agq${n}`];
    const st = g.strict;
    const fit = fitLaplace(c.design, { family: 'binomial', nAGQ: n, profile: false });
    assert.equal(fit.method, `AGQ(${n})`);
    fit.beta.forEach((v, j) => {
      assert.ok(Math.abs(v - st.beta[j]) <= Math.max(1e-4 * Math.abs(st.beta[j]), 1e-3 * st.se[j]), `β${j} ${v} vs ${st.beta[j]}`);
      assert.ok(Math.abs(fit.fixef[j].se / st.se[j] - 1) < 0.01);
    });
    assert.ok(Math.abs(fit.theta[0] - st.theta) < 1e-4 * st.theta);
    // lme4's AGQ deviance sums deviance residuals (drops Σ −2 log p(y | μ = y)); ours keeps every constant
    const fam = getFamily('binomial');
    const { y, trials } = c.design.response;
    let sat = 0;
    for (let i = 0; i < y.length; i++) sat += fam.logLik(y[i], y[i] / trials![i], [], trials![i]);
    assert.ok(Math.abs(fit.logLik - (st.logLik + sat)) < 1e-4, `${fit.logLik} vs ${st.logLik} + ${sat}`);
  });
}

test('nAGQ > 1 with two terms is an input error naming the rule', () => {
  const c = caseDesign('beitler');
  assert.throws(() => fitLaplace(c.design, { family: 'binomial', nAGQ: 5 }), (e: Error) => e instanceof GlmmInputError && /one scalar/.test(e.message));
});

test('a link the family does not have is an input error', () => {
  const c = caseDesign('cbpp');
  assert.throws(() => fitLaplace(c.design, { family: 'binomial', link: 'log' }), GlmmInputError);
});

// lme4's confint(method = "profile") interpolates a spline through ζ on a grid (about 8 steps per
// side, cut-off 1.96): its limits carry that interpolation error (~1e-3 relative in these fits); ours
// are root-found. Tolerance: 2e-3 relative on the sd/cor scale, a bound (0 or 1) exactly.
const PROFILE_TOL = 2e-3;
for (const key of ['cbpp', 'seeds', 'rcbd_poisson']) {
  test(`${key}: profile 95% intervals of the sds as lme4's confint(method = "profile")`, () => {
    const c = caseDesign(key);
    const g = GOLDEN[key].profile_ci;
    const fit = fitLaplace(c.design, { family: c.family });
    const names = [g.names].flat() as string[];
    const lo = [g.lower].flat() as number[];
    const hi = [g.upper].flat() as number[];
    names.forEach((nm, i) => {
      // lme4: "sd_(Intercept)|herd" → ours "sd_herd__Intercept"
      const m = /^sd_\(Intercept\)\|(.+)$/.exec(nm)!;
      const v = fit.varpars.find((p) => p.name === `sd_${m[1]}__Intercept`)!;
      if (lo[i] === 0) assert.equal(v.lower, 0, `${nm} lower`);
      else assert.ok(Math.abs(v.lower / lo[i] - 1) < PROFILE_TOL, `${nm} lower ${v.lower} vs ${lo[i]}`);
      assert.ok(Math.abs(v.upper / hi[i] - 1) < PROFILE_TOL, `${nm} upper ${v.upper} vs ${hi[i]}`);
    });
  });
}
