/**
 * The Laplace fit of the families added by issue 22 against glmmTMB's (and, for lognormal, lmer's on
 * log y) maximum-likelihood fits in test/fixtures/families/new-families.json (script new-families.R
 * beside it), and of the zero-inflated and hurdle families (issue 26) against glmmTMB's with
 * ziformula = ~1 and ~mined (--zi '~mined': the zero part's own coefficients b_zi_… or b_hu_… and their
 * SEs) in zero-inflated.json (script zero-inflated.R). Tolerances are those of test/laplace/fit.test.ts: estimates within 1e-4 relative or
 * 1e-3 SE, SEs within 1%, logLik (every constant) within 1e-4. Iterates the fixture, so each model of a
 * family in the table is checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { FAMILY_NAMES } from '../../models/families/getFamily.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { repoRoot } from '../architecture/graph.js';

interface Est { estimate: number; se: number | null }
interface Golden {
  data: string; factors: string | string[]; formula: string; family: string; link: string;
  laplace: {
    logLik: number | null; fixef: Record<string, Est>; convergence: { pdHess?: boolean };
    varcomp: { group: string; terms: string | string[]; sd: number | number[]; corr?: number | number[] }[];
    family_params: Record<string, number> | null;
    /** glmmTMB's internal parameters' Wald SEs (psi = log nu) and, for a zero part, its logit-scale coefficients. */
    tmb?: { se_names: string[]; se: number[] } | null;
    zi_fixef?: Record<string, Est>;
  };
}
const root = repoRoot();
const read = (f: string) => (JSON.parse(readFileSync(join(root, 'test/fixtures/families', f), 'utf8')) as { models: Record<string, Golden & { zi?: string }> }).models;
// the zero-inflated and hurdle families (zero-inflated.R: glmmTMB ziformula = ~1, one zero probability, and ~mined)
const models: Record<string, Golden & { zi?: string }> = { ...read('new-families.json'), ...read('zero-inflated.json') };

/** R's fixef name → ours (`(Intercept)` → b_Intercept, `Days` → b_Days). */
const bName = (r: string) => `b_${r === '(Intercept)' ? 'Intercept' : r}`;

function near(actual: number, expected: number, se: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.max(1e-4 * Math.abs(expected), 1e-3 * se), `${what}: ${actual} vs ${expected} (SE ${se})`);
}

for (const [key, g] of Object.entries(models)) {
  if (!(FAMILY_NAMES as readonly string[]).includes(g.family)) continue;
  const L = g.laplace;
  const logLik = L.logLik;
  if (logLik === null || L.convergence.pdHess === false) continue; // no finite ML answer (see the fixture's notes)
  test(`${key}: Laplace fit equals glmmTMB's (logLik 1e-4, β 1e-4 rel or 1e-3 SE, SEs 1%, sds, family parameter)`, () => {
    const design = buildDesign(g.formula, readCsvFile(join(root, g.data), { factors: ([] as string[]).concat(g.factors) }), g.family as FamilyName, { zi: g.zi });
    const fit = fitLaplace(design, { family: g.family as FamilyName, link: g.link as LinkName, profile: false });
    assert.ok(Math.abs(fit.logLik - logLik) < 1e-4, `logLik ${fit.logLik} vs ${logLik}`);
    for (const [r, e] of Object.entries(L.fixef)) {
      const f = fit.fixef.find((x) => x.name === bName(r));
      assert.ok(f, `no ${bName(r)}`);
      near(f.estimate, e.estimate, e.se as number, `${key} ${r}`);
      assert.ok(Math.abs(f.se / (e.se as number) - 1) < 0.01, `${key} se(${r}) ${f.se} vs ${e.se}`);
    }
    for (const vc of L.varcomp) {
      const terms = ([] as string[]).concat(vc.terms);
      const sds = ([] as number[]).concat(vc.sd);
      terms.forEach((t, i) => {
        const v = fit.varpars.find((p) => p.class === 'sd' && p.group === vc.group && p.term === (t === '(Intercept)' ? 'Intercept' : t));
        assert.ok(v, `no sd ${vc.group} ${t}`);
        // an sd on the boundary (glmmTMB's log sd ends near −9): both at 0 to 1e-3
        if (sds[i] < 1e-3) assert.ok(v.estimate < 1e-3, `${key} sd ${vc.group} ${t} ${v.estimate} vs ${sds[i]} (boundary)`);
        else near(v.estimate, sds[i], v.se, `${key} sd ${vc.group} ${t}`);
      });
    }
    for (const [name, value] of Object.entries(L.family_params ?? {})) {
      const v = fit.varpars.find((p) => p.name === name);
      assert.ok(v, `no family parameter ${name}`);
      near(v.estimate, value, v.se, `${key} ${name}`);
    }
    // family parameters' SEs (the delta method through each constraint): ν's from glmmTMB's SE of log ν,
    // zi/hu's logit-scale SE equal to that of glmmTMB's zero-part intercept (1%)
    const nuSe = L.tmb?.se[L.tmb.se_names.indexOf('Student-t df')];
    const nu = fit.varpars.find((p) => p.name === 'nu');
    if (nu && nuSe !== undefined) assert.ok(Math.abs(nu.se / (nu.estimate * nuSe) - 1) < 0.01, `${key} se(nu) ${nu.se} vs ${nu.estimate * nuSe}`);
    const zeroPart = fit.varpars.filter((p) => p.class === 'zi' || p.class === 'hu');
    if (g.zi === '~1') {
      const zero = zeroPart[0];
      const ziSe = L.zi_fixef?.['(Intercept)']?.se;
      if (zero && ziSe !== undefined && ziSe !== null) assert.ok(Math.abs(zero.seLog / ziSe - 1) < 0.01, `${key} se(logit ${zero.name}) ${zero.seLog} vs ${ziSe}`);
    } else if (g.zi !== undefined) {
      // --zi '~mined': b_zi_Intercept, b_zi_minedyes (b_hu_* for a hurdle) as glmmTMB's zero-part coefficients, estimates and SEs
      assert.equal(zeroPart.length, Object.keys(L.zi_fixef ?? {}).length, `${key}: ${zeroPart.map((p) => p.name).join(', ')}`);
      for (const [r, e] of Object.entries(L.zi_fixef ?? {})) {
        const v = zeroPart.find((p) => p.name === `b_${p.class}_${r === '(Intercept)' ? 'Intercept' : r}`);
        assert.ok(v, `${key}: no zero-part coefficient for ${r} (${zeroPart.map((p) => p.name).join(', ')})`);
        near(v.estimate, e.estimate, e.se as number, `${key} zi ${r}`);
        assert.ok(Math.abs(v.se / (e.se as number) - 1) < 0.01, `${key} se(zi ${r}) ${v.se} vs ${e.se}`);
      }
    }
  });
}

/**
 * A model where glmmTMB's φ runs to ∞ (no finite ML point; the fixture gives the binomial limit and the
 * φ profile at 1e4): our fit's logLik lies between the profile at φ = 1e4 and the limit (the profile
 * increases towards it), with φ beyond 1e4.
 */
for (const [key, g] of Object.entries(models)) {
  const m = g as Golden & { binomial_limit_glmmTMB?: { logLik: number }; fixed_phi_1e4?: { logLik: number } };
  if (!(FAMILY_NAMES as readonly string[]).includes(g.family) || !m.binomial_limit_glmmTMB || !m.fixed_phi_1e4) continue;
  test(`${key}: φ → ∞ as glmmTMB's; logLik between the φ = 1e4 profile and the binomial limit`, () => {
    const design = buildDesign(g.formula, readCsvFile(join(root, g.data), { factors: ([] as string[]).concat(g.factors) }), g.family as FamilyName);
    const fit = fitLaplace(design, { family: g.family as FamilyName, link: g.link as LinkName, profile: false });
    const lim = (m.binomial_limit_glmmTMB as { logLik: number }).logLik;
    const at1e4 = (m.fixed_phi_1e4 as { logLik: number }).logLik;
    assert.ok(fit.logLik >= at1e4 && fit.logLik <= lim + 1e-6, `logLik ${fit.logLik} outside [${at1e4}, ${lim}]`);
    assert.ok((fit.varpars.find((p) => p.name === 'phi')?.estimate ?? 0) > 1e4);
  });
}
