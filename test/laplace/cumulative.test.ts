/**
 * The Laplace fit of the cumulative (ordinal) family against ordinal::clmm (nAGQ = 1) on the wine data
 * (test/fixtures/families/cumulative.json, script cumulative.R): logLik with every constant, thresholds,
 * β and the judge sd with their SEs, logit and probit. Tolerances as test/laplace/new-families.test.ts:
 * estimates within 1e-4 relative or 1e-3 SE, SEs within 1% (clmm's are from a finite-difference
 * Hessian of its own), logLik within 1e-4 (clmm stops at max|gradient| ~1e-5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { fitLaplace } from '../../src/laplace/laplace.js';
import type { LinkName } from '../../models/families/types.js';
import { repoRoot } from '../architecture/graph.js';

interface Est { estimate: number; se: number }
interface Golden {
  data: string; factors: string[]; formula: string; link: string;
  laplace: { logLik: number; df: number; thresholds: Record<string, Est>; fixef: Record<string, Est>; varcomp: { sd: number }[]; log_sd: { judge: Est }; sd_se_delta: number };
}
const root = repoRoot();
const models = (JSON.parse(readFileSync(join(root, 'test/fixtures/families/cumulative.json'), 'utf8')) as { models: Record<string, Golden> }).models;

function near(actual: number, expected: number, se: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.max(1e-4 * Math.abs(expected), 1e-3 * se), `${what}: ${actual} vs ${expected} (SE ${se})`);
}
const seNear = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual / expected - 1) < 0.01, `${what}: SE ${actual} vs ${expected}`);

for (const [key, g] of Object.entries(models)) {
  test(`${key}: Laplace fit equals ordinal::clmm's (logLik, thresholds, β, sd with SEs)`, () => {
    const design = buildDesign(g.formula, readCsvFile(join(root, g.data), { factors: g.factors }), 'cumulative');
    const fit = fitLaplace(design, { family: 'cumulative', link: g.link as LinkName, profile: false });
    const L = g.laplace;
    assert.ok(fit.converged, fit.warnings.join('; '));
    assert.ok(Math.abs(fit.logLik - L.logLik) < 1e-4, `logLik ${fit.logLik} vs ${L.logLik}`);
    assert.equal(fit.df, L.df);
    Object.values(L.thresholds).forEach((e, k) => {
      const v = fit.varpars.find((p) => p.name === `b_Intercept[${k + 1}]`);
      assert.ok(v, `no b_Intercept[${k + 1}]`);
      near(v.estimate, e.estimate, e.se, `${key} threshold ${k + 1}`);
      seNear(v.se, e.se, `${key} threshold ${k + 1}`);
    });
    for (const [r, e] of Object.entries(L.fixef)) {
      const f = fit.fixef.find((x) => x.name === `b_${r}`);
      assert.ok(f, `no b_${r}`);
      near(f.estimate, e.estimate, e.se, `${key} ${r}`);
      seNear(f.se, e.se, `${key} ${r}`);
    }
    const sd = fit.varpars.find((p) => p.class === 'sd' && p.group === 'judge');
    assert.ok(sd);
    near(sd.estimate, L.varcomp[0].sd, L.sd_se_delta, `${key} sd(judge)`);
    seNear(sd.seLog, L.log_sd.judge.se, `${key} se(log sd)`);
  });
}
