/**
 * `glmm laplace --json` end to end (child process): summary.json's schema (DESIGN.md §Contracts) with the
 * posterior fields null, and the numbers of the likelihood answer against R.
 *
 * Golden values, copied here with their provenance:
 * - LME4_DEFAULT: /work/shared/reference/glmm-references.json case `rcbd_poisson` (lme4 glmer nAGQ = 1,
 *   default control). lme4's PIRLS stops at tolPwrss = 1e-7, so its reported optimum is inexact:
 *   its β sit 0.0021 (0.004 SE) from the exact Laplace optimum and its logLik 3.5e-4 below it.
 * - LME4_STRICT: test/fixtures/laplace/laplace-golden.json `rcbd_poisson.strict` and `.profile_ci`
 *   (test/fixtures/laplace/make-golden.R: R 4.2.2, lme4 1.1-31 refitted with tolPwrss = 1e-13, bobyqa
 *   rhoend = 1e-10; confint(method = "profile")): the exact optimum.
 * - CBPP_RANEF: test/fixtures/laplace/laplace-golden-ranef.json `cbpp` (make-golden-ranef.R, same R/lme4,
 *   strict tolerances): ranef(condVar = TRUE) modes and conditional sds of herds 1–3, Pearson χ².
 * - LMER: test/fixtures/lmm/lmm-golden.json `rcbd_balanced_reml` / `rcbd_balanced_ml` (lmm-golden.R:
 *   R 4.2.2, lme4 1.1-31); the REML logLik −67.46838 is also glmm-references.json `rcbd_gaussian_lmm`.
 * Tolerances are the Laplace tests' (test/laplace/fit.test.ts): estimates within 1e-4 relative or 1e-3
 * SE of the strict optimum, SEs 1%, logLik 1e-4; profile limits 2e-3 relative (lme4 interpolates a
 * spline through the profile, ours are root-found).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SummaryJson, ParameterSummary } from '../../src/report/schema.js';
import { assertNoStack, dataFile, runCli } from './cli-helpers.js';

const LME4_DEFAULT = {
  b_Intercept: 1.41795885107836, b_trt1: 1.24112716100044, logLik: -61.4580523908125,
  se: { b_Intercept: 0.536838813394084, b_trt1: 0.59340866467796 },
};
const LME4_STRICT = {
  b_Intercept: 1.41582947472353, b_trt1: 1.24275008255609,
  se: { b_Intercept: 0.543370834684869, b_trt1: 0.599660142918937 },
  sd: { 'sd_block:trt__Intercept': 1.09114677742693, sd_block__Intercept: 0.88479607341821 },
  logLik: -61.457702027969,
  profile: { 'sd_block:trt__Intercept': [0.597960444715197, 2.12684660596793], sd_block__Intercept: [0, 2.09908699679758] },
};
const CBPP_RANEF = {
  mode: [0.590020010378922, -0.298897220363553, 0.406255557638089],
  condSd: [0.348265053171389, 0.365558201675949, 0.297318485060023],
  pearsonChisq: 63.0782859959958, n: 56, nPar: 5, // 4 fixed effects + 1 θ
};
const LMER = {
  reml: { logLik: -67.4683767071965, beta: [7.625, 24.375], vcovDiag: [83.4453161640697, 163.283150453965], sigma: 25.5564591016803, sdBlock: 3.79867443941922 },
  ml: { logLik: -73.6619604767372, beta: [7.625, 24.375], vcovDiag: [73.0146516435509, 142.872756648125], sigma: 23.9058784944728, sdBlock: 3.5533345685298 },
};

const RCBD = dataFile('rcbd.csv');
const POSTERIOR_FIELDS = ['mean', 'sd', 'median', 'mad', 'q5', 'q95', 'rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95', 'lower', 'upper'] as const;

async function laplaceJson(args: string[]): Promise<SummaryJson> {
  const r = await runCli(['laplace', ...args, '--json']);
  assertNoStack(r);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing but errors on stderr');
  return JSON.parse(r.stdout) as SummaryJson; // JSON.parse also proves there is no NaN/Infinity token
}

function param(s: SummaryJson, name: string): ParameterSummary {
  const p = s.parameters.find((q) => q.name === name);
  assert.ok(p, `parameter ${name} missing (have ${s.parameters.map((q) => q.name).join(', ')})`);
  return p;
}

function close(actual: number, expected: number, se: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.max(1e-4 * Math.abs(expected), 1e-3 * se), `${what}: ${actual} vs ${expected} (SE ${se})`);
}

test('laplace --json, rcbd Poisson with block and unit effects: schema, names and lme4 numbers', async () => {
  const s = await laplaceJson(['--data', RCBD, '--formula', 'count ~ trt + (1|block) + (1|block:trt)', '--family', 'poisson', '--factor', 'trt,block']);
  // schema (DESIGN §Contracts summary.json)
  assert.deepEqual(Object.keys(s).sort(), ['laplace', 'model', 'package_version', 'parameters', 'prob', 'sampler', 'schema_version', 'warnings'].sort());
  assert.equal(s.schema_version, 1);
  assert.match(s.package_version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(s.model, {
    formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson', link: 'log', nobs: 16, dropped_rows: 0,
    groups: { block: 8, 'block:trt': 16 }, priors: [],
  });
  assert.equal(s.sampler, null);
  assert.deepEqual(s.warnings, []);
  assert.deepEqual(s.parameters.slice(0, 4).map((p) => [p.name, p.class, p.group, p.term, p.term2, p.level]), [
    ['b_Intercept', 'b', null, 'Intercept', null, null],
    ['b_trt1', 'b', null, 'trt1', null, null],
    ['sd_block__Intercept', 'sd', 'block', 'Intercept', null, null],
    ['sd_block:trt__Intercept', 'sd', 'block:trt', 'Intercept', null, null],
  ]);
  const r = s.parameters.filter((p) => p.class === 'r');
  assert.equal(r.length, 8 + 16);
  assert.deepEqual([r[0].name, r[0].group, r[0].term, r[0].level], ['r_block[1,Intercept]', 'block', 'Intercept', '1']);
  // block:trt levels as R's interaction of factors: "1:0" … ; a random effect per level
  assert.ok(r.some((p) => p.name === 'r_block:trt[8:1,Intercept]' && p.level === '8:1' && p.group === 'block:trt'), r.map((p) => p.name).join(' '));
  for (const p of s.parameters) {
    for (const k of POSTERIOR_FIELDS) assert.equal(p[k], null, `${p.name}.${k}`);
    assert.ok(p.laplace, `${p.name} has a Laplace estimate`);
    assert.ok(Number.isFinite(p.laplace.estimate));
  }

  // fixed effects: the exact Laplace optimum (lme4 strict), and lme4's default fit within its PIRLS error
  for (const name of ['b_Intercept', 'b_trt1'] as const) {
    const l = param(s, name).laplace!;
    close(l.estimate, LME4_STRICT[name], LME4_STRICT.se[name], `${name} vs lme4 strict`);
    assert.ok(Math.abs(l.se! / LME4_STRICT.se[name] - 1) < 0.01, `${name} SE ${l.se} vs ${LME4_STRICT.se[name]}`);
    // lme4's default estimate is off the optimum by 0.004 SE here (PIRLS stops at tolPwrss 1e-7): 1e-2 SE
    assert.ok(Math.abs(l.estimate - LME4_DEFAULT[name]) < 1e-2 * LME4_DEFAULT.se[name], `${name} ${l.estimate} vs lme4 default ${LME4_DEFAULT[name]}`);
    // Wald interval: estimate ± z(0.975)·SE
    assert.ok(Math.abs(l.lower! - (l.estimate - 1.959963984540054 * l.se!)) < 1e-12);
    assert.ok(Math.abs(l.upper! - (l.estimate + 1.959963984540054 * l.se!)) < 1e-12);
  }
  for (const [name, est] of Object.entries(LME4_STRICT.sd)) {
    const l = param(s, name).laplace!;
    assert.ok(Math.abs(l.estimate - est) <= 1e-4 * est, `${name} ${l.estimate} vs ${est}`);
    const [lo, hi] = LME4_STRICT.profile[name as keyof typeof LME4_STRICT.profile];
    if (lo === 0) assert.equal(l.lower, 0);
    else assert.ok(Math.abs(l.lower! / lo - 1) < 2e-3, `${name} profile lower ${l.lower} vs ${lo}`);
    assert.ok(Math.abs(l.upper! / hi - 1) < 2e-3, `${name} profile upper ${l.upper} vs ${hi}`);
  }
  const fitStats = s.laplace!;
  assert.ok(Math.abs(fitStats.logLik - LME4_STRICT.logLik) < 1e-4, `logLik ${fitStats.logLik}`);
  // never below lme4's own (inexact) optimum, and within 1e-3 of it
  assert.ok(fitStats.logLik >= LME4_DEFAULT.logLik - 1e-6 && fitStats.logLik - LME4_DEFAULT.logLik < 1e-3, `logLik ${fitStats.logLik}`);
  assert.equal(fitStats.deviance, -2 * fitStats.logLik, 'deviance is −2·logLik exactly');
  // 4 parameters (2 fixed effects, 2 sds), 16 rows
  assert.ok(Math.abs(fitStats.aic - (fitStats.deviance + 2 * 4)) < 1e-9);
  assert.ok(Math.abs(fitStats.bic - (fitStats.deviance + 4 * Math.log(16))) < 1e-9);
  assert.equal(fitStats.converged, true);
  assert.equal(fitStats.singular, false);
  assert.match(fitStats.method, /Laplace/);
  assert.ok(Number.isFinite(fitStats.pearson_chisq_df) && fitStats.pearson_chisq_df > 0);
});

test('laplace --json, cbpp binomial: conditional modes and sds per herd under r_herd[level,Intercept], Pearson χ²/df', async () => {
  const s = await laplaceJson(['--data', dataFile('lme4_cbpp.csv'), '--formula', 'cbind(incidence, size - incidence) ~ period + (1|herd)', '--family', 'binomial', '--factor', 'herd,period']);
  assert.deepEqual(s.model.groups, { herd: 15 });
  CBPP_RANEF.mode.forEach((m, i) => {
    const p = param(s, `r_herd[${i + 1},Intercept]`);
    assert.equal(p.level, String(i + 1));
    close(p.laplace!.estimate, m, CBPP_RANEF.condSd[i], `herd ${i + 1} mode`);
    assert.ok(Math.abs(p.laplace!.se! / CBPP_RANEF.condSd[i] - 1) < 0.01, `herd ${i + 1} conditional sd`);
  });
  const want = CBPP_RANEF.pearsonChisq / (CBPP_RANEF.n - CBPP_RANEF.nPar);
  assert.ok(Math.abs(s.laplace!.pearson_chisq_df / want - 1) < 1e-4, `${s.laplace!.pearson_chisq_df} vs ${want}`);
});

for (const method of ['reml', 'ml'] as const) {
  test(`laplace --json, gaussian rcbd count ~ trt + (1|block): ${method === 'reml' ? 'REML by default' : '--ml'} as lme4's lmer`, async () => {
    const args = ['--data', RCBD, '--formula', 'count ~ trt + (1|block)', '--family', 'gaussian', '--factor', 'trt,block'];
    const s = await laplaceJson(method === 'ml' ? [...args, '--ml'] : args);
    const g = LMER[method];
    const l = s.laplace!;
    assert.match(l.method, method === 'reml' ? /^REML/ : /^ML/);
    // lmer's optimum of a profiled (RE)ML criterion is exact to its optimizer tolerance: logLik 1e-6
    assert.ok(Math.abs(l.logLik - g.logLik) < 1e-6, `logLik ${l.logLik} vs ${g.logLik}`);
    if (method === 'reml') assert.ok(Math.abs(l.logLik - -67.46838) < 5e-6, 'glmm-references.json rcbd_gaussian_lmm (5 decimals)');
    assert.equal(l.deviance, -2 * l.logLik);
    ['b_Intercept', 'b_trt1'].forEach((name, j) => {
      const p = param(s, name).laplace!;
      const se = Math.sqrt(g.vcovDiag[j]);
      close(p.estimate, g.beta[j], se, name);
      assert.ok(Math.abs(p.se! / se - 1) < 0.01, `${name} SE ${p.se} vs ${se}`);
    });
    assert.ok(Math.abs(param(s, 'sigma').laplace!.estimate / g.sigma - 1) < 1e-4);
    assert.ok(Math.abs(param(s, 'sd_block__Intercept').laplace!.estimate / g.sdBlock - 1) < 1e-4);
    assert.deepEqual(param(s, 'sigma').class, 'sigma');
  });
}
