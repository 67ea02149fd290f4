/**
 * fitLaplace against lme4 1.1-31 (glmer, bobyqa) and glmmTMB 1.1.5 (negative binomial, gamma), golden
 * values from test/fixtures/laplace/make-golden.R. lme4's PIRLS stops at tolPwrss = 1e-7, so its own
 * reported optimum is inexact by up to ~1e-3 in the deviance; `strict` is lme4 refitted with
 * tolPwrss = 1e-13 and bobyqa rhoend = 1e-10, the exact Laplace optimum we compare estimates with.
 * Tolerances are the task's: estimates within 1e-4 relative or 1e-3 SE, SEs within 1%, logLik 1e-4,
 * deviance at lme4's point 1e-6, maximised logLik never below lme4's reported one by more than 1e-6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseDesign, GOLDEN } from './cases.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { evalDeviance } from '../../src/laplace/deviance.js';
import { makeProblem } from '../../src/laplace/problem.js';
import { getFamily } from '../../models/families/index.js';
import { getLink } from '../../models/links.js';
import type { LinkName } from '../../models/families/types.js';
import type { ThetaLayout as ReStructure } from '../../src/design/theta.js';

/** Our θ in lme4's order (lme4 sorts terms by decreasing number of levels); names as getME(, "theta"). */
function lme4ThetaOrder(s: ReStructure, theta: ArrayLike<number>, names: string[]): Float64Array {
  const ours = new Map<string, number>();
  for (const t of s.terms) {
    const c = t.term.columns;
    (t.term.cov.linearPos ?? []).forEach(([r, cc], j) => {
      const nm = r === cc ? `${t.term.group}.${c[r]}` : `${t.term.group}.${c[r]}.${c[cc]}`;
      ours.set(nm, theta[t.thetaOffset + j]);
    });
  }
  return Float64Array.from(names, (n) => {
    const v = ours.get(n);
    assert.ok(v !== undefined, `θ name ${n} not found`);
    return v;
  });
}

function close(actual: number, expected: number, se: number, what: string): void {
  const ok = Math.abs(actual - expected) <= Math.max(1e-4 * Math.abs(expected), 1e-3 * se);
  assert.ok(ok, `${what}: ${actual} vs ${expected} (SE ${se})`);
}

const glmerCases: { key: string; link?: LinkName }[] = [
  { key: 'cbpp' },
  { key: 'seeds' },
  { key: 'beitler' },
  { key: 'rcbd_poisson' },
  { key: 'lots_visible' },
  { key: 'cbpp_probit', link: 'probit' },
  { key: 'cbpp_cloglog', link: 'cloglog' },
  { key: 'lots_sqrt', link: 'sqrt' },
];

for (const { key, link } of glmerCases) {
  test(`${key}: Laplace fit matches lme4 (strict) and never falls below lme4's logLik`, () => {
    const c = caseDesign(key.replace(/_(probit|cloglog|sqrt)$/, (m) => (m === '_sqrt' ? '_visible' : '')));
    const g = GOLDEN[key];
    const st = g.strict;
    const fit = fitLaplace(c.design, { family: c.family, link, profile: false });
    assert.equal(fit.converged, true, fit.warnings.join('; '));
    const p = fit.beta.length;
    for (let j = 0; j < p; j++) {
      close(fit.beta[j], st.beta[j], st.se[j], `${key} β${j}`);
      assert.ok(Math.abs(fit.fixef[j].se / st.se[j] - 1) < 0.01, `${key} SE${j} ${fit.fixef[j].se} vs ${st.se[j]}`);
    }
    const names = [g.theta_names].flat() as string[];
    const prob = makeProblem(c.design, getFamily(c.family), getLink(link ?? getFamily(c.family).defaultLink));
    const th = lme4ThetaOrder(prob.structure, fit.theta, names);
    const stTheta = [st.theta].flat() as number[];
    // θ's SE from the fit's covariance is not in the golden file; 1e-3 absolute ≈ 1e-3 of a θ SE ≥ 1
    th.forEach((v, i) => assert.ok(Math.abs(v - stTheta[i]) <= Math.max(1e-4 * Math.abs(stTheta[i]), 1e-4), `${key} θ${i} ${v} vs ${stTheta[i]}`));
    assert.ok(Math.abs(fit.logLik - st.logLik) < 1e-4, `${key} logLik ${fit.logLik} vs strict ${st.logLik}`);
    assert.ok(fit.logLik >= g.logLik - 1e-6, `${key} logLik ${fit.logLik} below lme4's ${g.logLik}`);
    assert.ok(Math.abs(fit.deviance + 2 * fit.logLik) < 1e-12);
    assert.ok(Math.abs(fit.aic - (fit.deviance + 2 * fit.df)) < 1e-9);
  });

  test(`${key}: deviance at lme4's own (θ, β) equals lme4's exact-PIRLS devfun to 1e-6`, () => {
    const c = caseDesign(key.replace(/_(probit|cloglog|sqrt)$/, (m) => (m === '_sqrt' ? '_visible' : '')));
    const g = GOLDEN[key];
    const fam = getFamily(c.family);
    const prob = makeProblem(c.design, fam, getLink(link ?? fam.defaultLink));
    // lme4's θ is in its own term order: map it back to ours
    const names = [g.theta_names].flat() as string[];
    const lme4Theta = [g.theta].flat() as number[];
    const s = prob.structure;
    const theta = new Float64Array(s.nTheta);
    for (const t of s.terms) {
      const cn = t.term.columns;
      (t.term.cov.linearPos ?? []).forEach(([r, cc], j) => {
        const nm = r === cc ? `${t.term.group}.${cn[r]}` : `${t.term.group}.${cn[r]}.${cn[cc]}`;
        theta[t.thetaOffset + j] = lme4Theta[names.indexOf(nm)];
      });
    }
    const ev = evalDeviance(prob, theta, Float64Array.from(g.beta), [], new Float64Array(s.q));
    assert.ok(Math.abs(ev.deviance - g.strict.devfun_at_default_opt) < 1e-6, `${ev.deviance} vs ${g.strict.devfun_at_default_opt}`);
    // lme4's default (tolPwrss 1e-7) value is above the exact one by its PIRLS error, never below it
    assert.ok(ev.deviance <= g.devfun_at_opt + 1e-6);
  });
}

test("cbpp: lme4's published test values (tests/glmer-1.R) within lme4's tolerance 5e-4", () => {
  const fit = fitLaplace(caseDesign('cbpp').design, { family: 'binomial', profile: false });
  const fe = [-1.39854982537216, -0.992335519118859, -1.12867532780426, -1.58030423764517];
  fe.forEach((v, j) => assert.ok(Math.abs(fit.beta[j] - v) / Math.abs(v) < 5e-4, `β${j}`));
  assert.ok(Math.abs(fit.theta[0] - 0.642226809144453) / 0.642226809144453 < 5e-4);
});

for (const key of ['salamanders_nb', 'gamma_sim'] as const) {
  test(`${key}: matches glmmTMB (Laplace, exact Hessian weights) with the shape estimated jointly`, () => {
    const c = caseDesign(key);
    const g = GOLDEN[key];
    const fit = fitLaplace(c.design, { family: c.family, profile: false });
    assert.equal(fit.converged, true, fit.warnings.join('; '));
    fit.beta.forEach((v, j) => {
      close(v, g.beta[j], g.se[j], `${key} β${j}`);
      assert.ok(Math.abs(fit.fixef[j].se / g.se[j] - 1) < 0.01, `${key} SE${j}`);
    });
    const sd = fit.varpars.find((v) => v.class === 'sd')!;
    const shape = fit.varpars.find((v) => v.class === 'shape')!;
    // glmmTMB's parameters: theta = log sd, betad = log shape; their SEs are the seLog we report
    const seLogSd = sd.seLog;
    close(Math.log(sd.estimate), g.par[g.par.length - 1], seLogSd, `${key} log sd`);
    close(Math.log(shape.estimate), g.par[g.par.length - 2], shape.seLog, `${key} log shape`);
    assert.ok(Math.abs(fit.logLik - g.logLik) < 1e-4, `${key} logLik ${fit.logLik} vs ${g.logLik}`);
    assert.ok(fit.logLik >= g.logLik - 1e-6);
  });
}

test('gaussian (identity) Laplace is exact: equals lmer(REML = FALSE)', () => {
  const g = GOLDEN.rcbd_gaussian_ml;
  const fit = fitLaplace(caseDesign('rcbd_gaussian_ml').design, { family: 'gaussian', profile: false });
  assert.ok(Math.abs(fit.logLik - g.logLik) < 1e-6, `${fit.logLik} vs ${g.logLik}`);
  fit.beta.forEach((v, j) => close(v, g.beta[j], g.se[j], `β${j}`));
  const sigma = fit.varpars.find((v) => v.name === 'sigma')!;
  const sd = fit.varpars.find((v) => v.name === 'sd_block__Intercept')!;
  assert.ok(Math.abs(sigma.estimate / g.sigma - 1) < 1e-4);
  // the block sd is poorly determined (seLog ≈ 8): compare on the scale of its SE
  assert.ok(Math.abs(sd.estimate - g.sd_block) < 1e-3 * sd.se, `${sd.estimate} vs ${g.sd_block}`);
  // lmer's vcov is conditional on θ; the Hessian-based one differs in the 5th digit here
  fit.fixef.forEach((f, j) => assert.ok(Math.abs(f.se / g.se[j] - 1) < 0.01));
});

test('Wald SEs of log sd and log shape equal glmmTMB vcov(full = TRUE) within 1% (make-golden-tmbse.R)', async () => {
  const { readFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const here = dirname(fileURLToPath(import.meta.url));
  const file = [join(here, '..', 'fixtures', 'laplace'), join(here, '..', '..', '..', 'test', 'fixtures', 'laplace'), '/work/main/test/fixtures/laplace']
    .map((d) => join(d, 'laplace-golden-tmbse.json'))
    .find((f) => {
      try {
        readFileSync(f);
        return true;
      } catch {
        return false;
      }
    })!;
  const G = JSON.parse(readFileSync(file, 'utf8'));
  for (const key of ['salamanders_nb', 'gamma_sim']) {
    const c = caseDesign(key);
    const fit = fitLaplace(c.design, { family: c.family, profile: false });
    const se = G[key].se as number[];
    const sd = fit.varpars.find((v) => v.class === 'sd')!;
    const shape = fit.varpars.find((v) => v.class === 'shape')!;
    assert.ok(Math.abs(sd.seLog / se[se.length - 1] - 1) < 0.01, `${key} log-sd SE ${sd.seLog} vs ${se[se.length - 1]}`);
    assert.ok(Math.abs(shape.seLog / se[se.length - 2] - 1) < 0.01, `${key} log-shape SE ${shape.seLog} vs ${se[se.length - 2]}`);
  }
});

test('bernoulli on cbpp expanded to 0/1 rows: same estimates as binomial, logLik differs by Σ log C(n, y)', async () => {
  const { readCsvFile, frameFromRows } = await import('../../src/data/read.js');
  const { buildDesign } = await import('../../src/design/design.js');
  const { lchoose } = await import('../../base/gamma.js');
  const bin = caseDesign('cbpp');
  const fb = fitLaplace(bin.design, { family: 'binomial', profile: false });
  const { y, trials } = bin.design.response;
  // rebuild rows from the design's own response and factor levels
  const herd: string[] = [];
  const period: string[] = [];
  const yy: number[] = [];
  const herdTerm = bin.design.random[0];
  const X = bin.design.fixed.X;
  let shift = 0;
  for (let i = 0; i < y.length; i++) {
    let per = '1';
    for (let j = 1; j < 4; j++) if (X[i * 4 + j] === 1) per = String(j + 1);
    for (let t = 0; t < trials![i]; t++) {
      herd.push(herdTerm.levels[herdTerm.index[i]]);
      period.push(per);
      yy.push(t < y[i] ? 1 : 0);
    }
    shift += lchoose(trials![i], y[i]);
  }
  void readCsvFile;
  const d = buildDesign('y ~ period + (1 | herd)', frameFromRows({ y: yy, period, herd }, { factors: ['period', 'herd'] }), 'bernoulli');
  const f = fitLaplace(d, { family: 'bernoulli', profile: false });
  f.beta.forEach((v, j) => assert.ok(Math.abs(v - fb.beta[j]) < 1e-4 * fb.fixef[j].se, `β${j}`));
  assert.ok(Math.abs(f.theta[0] - fb.theta[0]) < 1e-5);
  assert.ok(Math.abs(f.logLik - (fb.logLik - shift)) < 1e-6, `${f.logLik} vs ${fb.logLik - shift}`);
  f.fixef.forEach((x, j) => assert.ok(Math.abs(x.se / fb.fixef[j].se - 1) < 1e-3));
});

test('poisson identity link on sim_identity.csv: as lme4 (make-golden-links.R, strict tolerances)', async () => {
  const { readFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { readCsvFile } = await import('../../src/data/read.js');
  const { buildDesign } = await import('../../src/design/design.js');
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = [join(here, '..', 'fixtures', 'laplace'), join(here, '..', '..', '..', 'test', 'fixtures', 'laplace'), '/work/main/test/fixtures/laplace'].find((d) => {
    try {
      readFileSync(join(d, 'laplace-golden-links.json'));
      return true;
    } catch {
      return false;
    }
  })!;
  const g = JSON.parse(readFileSync(join(dir, 'laplace-golden-links.json'), 'utf8')).sim_identity;
  const d = buildDesign('y ~ x + (1 | g)', readCsvFile(join(dir, 'sim_identity.csv'), { factors: ['g'] }), 'poisson');
  const fit = fitLaplace(d, { family: 'poisson', link: 'identity', profile: false });
  fit.beta.forEach((v, j) => close(v, g.beta[j], g.se[j], `β${j}`));
  fit.fixef.forEach((f, j) => assert.ok(Math.abs(f.se / g.se[j] - 1) < 0.01, `SE${j} ${f.se} vs ${g.se[j]}`));
  assert.ok(Math.abs(fit.theta[0] / g.theta - 1) < 1e-4, `θ ${fit.theta[0]} vs ${g.theta}`);
  assert.ok(Math.abs(fit.logLik - g.logLik) < 1e-4, `${fit.logLik} vs ${g.logLik}`);
});

test('gaussian with log link (non-canonical, observed-Hessian Laplace) as glmmTMB (make-golden-links.R)', async () => {
  const { readFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = [join(here, '..', 'fixtures', 'laplace'), join(here, '..', '..', '..', 'test', 'fixtures', 'laplace'), '/work/main/test/fixtures/laplace'].find((d) => {
    try {
      readFileSync(join(d, 'laplace-golden-links.json'));
      return true;
    } catch {
      return false;
    }
  })!;
  const g = JSON.parse(readFileSync(join(dir, 'laplace-golden-links.json'), 'utf8')).rcbd_gaussian_log;
  const fit = fitLaplace(caseDesign('rcbd_gaussian_ml').design, { family: 'gaussian', link: 'log', profile: false });
  assert.equal(fit.converged, true, fit.warnings.join('; '));
  fit.beta.forEach((v, j) => close(v, g.beta[j], g.se[j], `β${j}`));
  fit.fixef.forEach((f, j) => assert.ok(Math.abs(f.se / g.se[j] - 1) < 0.01, `SE${j} ${f.se} vs ${g.se[j]}`));
  assert.ok(Math.abs(fit.logLik - g.logLik) < 1e-4, `${fit.logLik} vs ${g.logLik}`);
  const sigma = fit.varpars.find((v) => v.name === 'sigma')!;
  const sd = fit.varpars.find((v) => v.class === 'sd')!;
  assert.ok(Math.abs(sigma.estimate / g.sigma - 1) < 1e-4 && Math.abs(sd.estimate / g.sd - 1) < 1e-4);
});
