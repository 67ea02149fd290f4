/**
 * `glmm laplace --family gaussian` prints and writes the seed's ANOVA and LS means end to end (child
 * process): Type III F with Kenward–Roger df by default, `--ddf satterthwaite`, `--means trt`, and t
 * intervals for the fixed effects of an lmer fit; `--means` of a GLMM on the data scale.
 *
 * Golden values with their provenance:
 * - SEED: /work/shared/reference/glmm-references.json `rcbd_gaussian_lmm.seed_table` (the seed's JMP
 *   Pro Mixed Model table, printed precision): F 3.6387 on 1 and 7 df, p 0.0981; LS means 7.625 and
 *   32.0, SE 9.1348406, df 13.993, limits −11.96814 to 27.218143 and 12.40686 to 51.593143.
 * - LMERTEST: test/fixtures/lmm/lmm-golden.json `rcbd_balanced_reml` (lmm-golden.R: R 4.2.2, lme4
 *   1.1-31, lmerTest, pbkrtest, emmeans): anova(type = 3) under both df methods, emmeans rows, the
 *   per-coefficient KR df. These are at lmer's optimum; the CLI reports its own, where the flat REML
 *   criterion leaves F 2e-6 relative from lmerTest's (p 3e-6, the per-coefficient KR df 1e-7); at
 *   lmer's θ the implementation matches to 1e-8 (test/lmm/kenward-roger.test.ts, satterthwaite.test.ts).
 *   Hence 1e-5 here. The Satterthwaite den df of this balanced design is exactly 7 (lmerTest's
 *   7.000168 is lmer's θ plus numerical derivatives; ours at our optimum 7 + 1.5e-6).
 * - RCBD_POISSON: test/fixtures/lmm/lmm-golden.json `rcbd_poisson` (emmeans type = "response" on lme4's
 *   default-tolerance glmer fit, whose β are 0.004 SE from the exact optimum we report).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SummaryJson } from '../../src/report/schema.js';
import { assertNoStack, dataFile, repoPath, runCli } from './cli-helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const G: Record<string, any> = JSON.parse(readFileSync(repoPath('test/fixtures/lmm/lmm-golden.json'), 'utf8'));
const RCBD = dataFile('rcbd.csv');
const GAUSS = ['laplace', '--data', RCBD, '--formula', 'count ~ trt + (1|block)', '--family', 'gaussian', '--factor', 'trt,block'];

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  assertNoStack(r);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

test('glmm laplace --family gaussian --means trt prints the seed\'s F table and LS means (Kenward–Roger)', async () => {
  const out = await ok([...GAUSS, '--means', 'trt']);
  assert.match(out, /Type III tests of fixed effects \(Kenward–Roger df\):\n\s+Term\s+F\s+num df\s+den df\s+Pr\(>F\)\n\s+trt\s+3\.6387\s+1\s+7\.000\s+0\.0981\d*\n/);
  assert.match(out, /Means of trt on the data scale \(REML \(lmer\): t, Kenward–Roger df; random effects at 0\):/);
  assert.match(out, /\n\s+0\s+7\.625\s+9\.135\s+13\.993\s+\[-11\.968, 27\.218\]\n/);
  assert.match(out, /\n\s+1\s+32\.000\s+9\.135\s+13\.993\s+\[12\.407, 51\.593\]\n/);
  assert.match(out, /b_\* intervals are t with Kenward–Roger df/);
});

test('summary.json: anova and means as lmerTest/emmeans (Kenward–Roger), fixed-effect intervals t with KR df', async () => {
  const s = JSON.parse(await ok([...GAUSS, '--means', 'trt', '--json'])) as SummaryJson;
  const g = G.rcbd_balanced_reml;
  assert.equal(s.anova!.type, 'III');
  assert.equal(s.anova!.ddf, 'kenward-roger');
  const [row] = s.anova!.rows;
  assert.equal(row.term, 'trt');
  assert.equal(row.num_df, 1);
  assert.ok(rel(row.F, g.kenward_roger.F) < 1e-5 && Math.abs(row.den_df! - 7) < 1e-8 && rel(row.p, g.kenward_roger.p) < 1e-5, JSON.stringify(row));
  assert.deepEqual([row.F.toFixed(4), row.den_df!.toFixed(0), row.p.toFixed(4)], ['3.6387', '7', '0.0981']);
  const m = s.means![0];
  assert.equal(m.factor, 'trt');
  assert.equal(m.posterior, null);
  m.laplace!.forEach((r, a) => {
    const e = g.emmeans_kenward_roger[a];
    assert.equal(r.level, e.level);
    for (const [ours, theirs] of [[r.estimate, e.emmean], [r.se, e.SE], [r.df!, e.df], [r.lower, e.lower], [r.upper, e.upper]]) {
      assert.ok(Math.abs(ours - theirs) < 1e-6 * Math.max(1, Math.abs(theirs)), `level ${r.level}: ${ours} vs ${theirs}`);
    }
  });
  // the seed's printed table
  assert.deepEqual(m.laplace!.map((r) => [r.estimate.toFixed(3), r.se.toFixed(4), r.df!.toFixed(3), r.lower.toFixed(3), r.upper.toFixed(3)]),
    [['7.625', '9.1348', '13.993', '-11.968', '27.218'], ['32.000', '9.1348', '13.993', '12.407', '51.593']]);
  // b_Intercept is the LS mean of trt 0: same t interval; b_trt1's df is pbkrtest's 7
  const b0 = s.parameters.find((p) => p.name === 'b_Intercept')!.laplace!;
  const b1 = s.parameters.find((p) => p.name === 'b_trt1')!.laplace!;
  assert.ok(Math.abs(b0.lower! - g.emmeans_kenward_roger[0].lower) < 1e-6 && Math.abs(b0.upper! - g.emmeans_kenward_roger[0].upper) < 1e-6);
  assert.ok(rel(b0.df!, g.kr_coef_df[0]) < 1e-5 && rel(b1.df!, g.kr_coef_df[1]) < 1e-5, `${b0.df} ${b1.df}`);
  assert.equal(s.laplace!.ddf, 'kenward-roger');
});

test('--ddf satterthwaite gives lmerTest\'s Satterthwaite table; a bad --ddf is a usage error', async () => {
  const s = JSON.parse(await ok([...GAUSS, '--ddf', 'satterthwaite', '--json'])) as SummaryJson;
  const g = G.rcbd_balanced_reml;
  const [row] = s.anova!.rows;
  assert.equal(s.anova!.ddf, 'satterthwaite');
  assert.ok(rel(row.F, g.satterthwaite.F) < 1e-5 && Math.abs(row.den_df! - 7) < 1e-5 && rel(row.p, g.kenward_roger.p) < 1e-5, JSON.stringify(row));
  assert.equal(s.means, undefined);
  const r = await runCli([...GAUSS, '--ddf', 'kr']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--ddf kr: expected one of kenward-roger, satterthwaite/);
  const bad = await runCli([...GAUSS, '--means', 'block']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: factor 'block' is not among the fixed effects \(trt\); name a factor of the model\n$/);
});

test('--means trt of a Poisson GLMM: emmeans type = "response" rates (delta method, limits back-transformed)', async () => {
  const s = JSON.parse(await ok(['laplace', '--data', RCBD, '--formula', 'count ~ trt + (1|block) + (1|block:trt)', '--family', 'poisson', '--factor', 'trt,block', '--means', 'trt', '--json'])) as SummaryJson;
  assert.equal(s.anova, undefined);
  const m = s.means![0];
  const b0 = s.parameters.find((p) => p.name === 'b_Intercept')!.laplace!;
  // level 0 is exp(b_Intercept): emmeans' formulas on our own fit
  const r0 = m.laplace![0];
  assert.ok(rel(r0.estimate, Math.exp(b0.estimate)) < 1e-12 && rel(r0.se, Math.exp(b0.estimate) * b0.se!) < 1e-9);
  assert.ok(rel(r0.lower, Math.exp(b0.lower!)) < 1e-9 && rel(r0.upper, Math.exp(b0.upper!)) < 1e-9);
  assert.equal(r0.df, null);
  // against emmeans on lme4's default-tolerance fit: β differ by 0.0021 (0.4% of SE), rates by e^0.0021 − 1 = 0.2%
  m.laplace!.forEach((r, a) => assert.ok(rel(r.estimate, G.rcbd_poisson.emmeans_response[a].rate) < 3e-3, `${r.estimate}`));
});
