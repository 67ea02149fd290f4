/**
 * Profile intervals and Wald SEs of the variance parameters of lmer fits (src/fit/lmm-profile.ts)
 * against lme4 1.1-31's confint(method = "profile") and glmmTMB 1.1.5's REML standard errors
 * (test/fixtures/lmm/lmm-profile-golden.R, lmm-tmb-se.R). lme4 interpolates a spline through its profile, so its
 * limits carry an interpolation error: 2e-3 relative, as the GLMM profile tests; where that spline
 * misses (the correlated lots fit, by 10%), against the exact roots of d(ψ) − d̂ = χ²₁(0.95) of lme4's
 * own ML deviance (uniroot, tol 1e-10, on a Nelder–Mead inner minimum): 1e-5 relative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmmProfileIntervals, lmmVarparSe } from '../../src/fit/lmm-profile.js';
import { fitLmm } from '../../src/lmm/lmm.js';
import { rcbdDesign, lotsDesign, hessianflyDesign, readJson } from '../lmm/lmm-designs.js';
import type { Design } from '../../src/design/types.js';

const G = readJson('lmm-profile-golden.json');
const TMB = readJson('lmm-tmb-se.json');
/** lme4's names (sd_(Intercept)|block, cor_amount.(Intercept)|lot, sigma) → ours. */
const ourName = (r: string): string => {
  if (r === 'sigma') return r;
  const m = /^(sd|cor)_(.+)\|(.+)$/.exec(r.replace(/\(Intercept\)/g, 'Intercept'))!;
  if (m[1] === 'sd') return `sd_${m[3]}__${m[2]}`;
  const [a, b] = m[2].split('.');
  return `cor_${m[3]}__${b}__${a}`;
};

function compare(d: Design, key: string, tol: number, exactKey?: string): void {
  const ours = lmmProfileIntervals(d);
  const g = G[key];
  const ex = exactKey ? G[exactKey] : null;
  g.names.forEach((r: string, i: number) => {
    const got = ours[ourName(r)];
    assert.ok(got, `${r} missing (${Object.keys(ours).join(', ')})`);
    for (const side of [0, 1] as const) {
      const lme4 = side === 0 ? g.lower[i] : g.upper[i];
      const exact = ex ? (side === 0 ? ex.lower[i] : ex.upper[i]) : null;
      // where the exact root differs from lme4's spline, the exact root is the reference
      const ref = exact !== null && Math.abs(exact - lme4) > 1e-9 * Math.max(1, Math.abs(lme4)) ? exact : lme4;
      const t = ref === exact ? 1e-5 : tol;
      if (ref === 0 || Math.abs(ref) === 1) assert.equal(got[side], ref, `${key} ${r} limit ${side}`);
      else assert.ok(Math.abs(got[side] / ref - 1) < t, `${key} ${r} limit ${side}: ${got[side]} vs ${ref}`);
    }
  });
}

test('balanced RCBD: sd_block [0, 26.436], sigma [15.684, 35.745] as lme4 (ML profile also for the REML fit)', () => compare(rcbdDesign(), 'rcbd_reml', 2e-3));
test('Hessian fly: sd_block lower limit 0, sigma limits as lme4', () => compare(hessianflyDesign(), 'hessianfly_reml', 2e-3));
test('correlated lots (amount|lot): sds, correlation (upper 1) and sigma; the exact roots where lme4\'s spline misses', () =>
  compare(lotsDesign(), 'lots_slope_reml', 2e-3, 'lots_slope_reml_exact'));

test('Wald SEs of log sd and log sigma from the REML criterion equal glmmTMB\'s (REML = TRUE) to 1%', () => {
  for (const [key, d] of [['rcbd', rcbdDesign()], ['hessianfly', hessianflyDesign()]] as const) {
    const se = lmmVarparSe(d, fitLmm(d));
    const g = TMB[key];
    assert.ok(Math.abs(se.sigma! / g.log_sigma - 1) < 0.01, `${key} sigma ${se.sigma} vs ${g.log_sigma}`);
    assert.ok(Math.abs(se.sd_block__Intercept! / g.log_sd - 1) < 0.01, `${key} sd ${se.sd_block__Intercept} vs ${g.log_sd}`);
  }
});
