/**
 * The likelihood side of `compare`: AIC/BIC of the three rcbd models against lme4/glmmTMB and the LRTs
 * of the nested pairs with the boundary mixture (test/fixtures/loo/lrt-reference.R: anova(m0, m1)'s
 * χ² and p, halved for ½χ²₀ + ½χ²₁); nesting rules; the elpd table from --out-like directories
 * through `glmm compare` against R's loo_compare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, readFixture } from '../diagnostics/fixture.js';
import { laplaceOnly } from '../../src/fit.js';
import { readCsvFile } from '../../src/data/read.js';
import { compare } from '../../src/loo/api.js';
import { nesting } from '../../src/loo/models.js';
import { runCompare } from '../../src/cli/loo.js';
import { toJson } from '../../src/report/format.js';
import { repoPath } from '../design/repo-path.js';

interface Ic { logLik: number; df: number; AIC: number; BIC: number }
const R = readFixture<{ poisson_blocks: Ic; poisson_unit: Ic; negbinomial: Ic; anova: { Chisq: number; p: number; p_boundary: number }; lrt_pois_nb: { Chisq: number; p_boundary: number } }>('loo/lrt-reference.json');
const factors = ['trt', 'block'];
const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
const fits = {
  poisson_blocks: laplaceOnly({ formula: 'count ~ trt + (1|block)', data, family: 'poisson', factors }),
  poisson_unit: laplaceOnly({ formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson', factors }),
  negbinomial: laplaceOnly({ formula: 'count ~ trt + (1|block)', data, family: 'negbinomial', factors }),
};
const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs R ${b}`);

test('AIC, BIC and the boundary LRTs of the rcbd models match lme4 and glmmTMB', () => {
  const c = compare(...Object.entries(fits).map(([label, fit]) => ({ label, fit })));
  assert.equal(c.elpd, null); // Laplace-only fits: no draws, no LOO (said in a note)
  assert.match(c.notes.join(' '), /No loo for/);
  for (const row of c.ic!) {
    const r = R[row.label as keyof typeof fits];
    assert.equal(row.df, r.df, `${row.label} df`);
    near(row.logLik, r.logLik, 1e-5, `${row.label} logLik`);
    near(row.aic, r.AIC, 1e-5, `${row.label} AIC`);
    near(row.bic, r.BIC, 1e-5, `${row.label} BIC`);
  }
  const pu = c.lrt.find((t) => t.smaller === 'poisson_blocks' && t.larger === 'poisson_unit')!;
  near(pu.chisq, R.anova.Chisq, 1e-4, 'Chisq blocks vs unit');
  near(pu.p, R.anova.p, 1e-3, 'p');
  near(pu.pBoundary, R.anova.p_boundary, 1e-3, 'p boundary');
  assert.equal(pu.recommended, 'pBoundary');
  const pn = c.lrt.find((t) => t.smaller === 'poisson_blocks' && t.larger === 'negbinomial')!;
  near(pn.chisq, R.lrt_pois_nb.Chisq, 1e-4, 'Chisq poisson vs NB');
  near(pn.pBoundary, R.lrt_pois_nb.p_boundary, 1e-3, 'p boundary poisson vs NB');
  assert.equal(c.lrt.length, 2); // unit vs NB: not nested
});

test('nesting: added variance components and Poisson → NB are on the boundary; added fixed effects are not', () => {
  const s = (label: keyof typeof fits) => fits[label].summary;
  assert.deepEqual(nesting(s('poisson_blocks'), s('poisson_unit')), { nested: true, boundary: true });
  assert.deepEqual(nesting(s('poisson_blocks'), s('negbinomial')), { nested: true, boundary: true });
  assert.deepEqual(nesting(s('poisson_unit'), s('negbinomial')), { nested: false, boundary: false });
  const noTrt = laplaceOnly({ formula: 'count ~ 1 + (1|block)', data, family: 'poisson', factors }).summary;
  assert.deepEqual(nesting(noTrt, s('poisson_blocks')), { nested: true, boundary: false });
});

test('glmm compare on two directories gives R\'s loo_compare and the LRT', () => {
  const ref = readFixture<{ compare: { model: string[]; elpd_diff: number[]; se_diff: number[] } }>('loo/loo-reference.json').compare;
  const root = mkdtempSync(join(tmpdir(), 'glmm-compare-'));
  try {
    const dirs = (['blocks', 'unit'] as const).map((m) => {
      const dir = join(root, m);
      const summary = fits[m === 'blocks' ? 'poisson_blocks' : 'poisson_unit'].summary;
      // rstanarm's log-likelihood matrices of the same two models (loo-reference.R) stand in for our draws
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'summary.json'), toJson(summary));
      for (const c of [1, 2]) copyFileSync(fixturePath(`loo/rcbd_${m}_chain${c}.csv`), join(dir, `log_lik_chain${c}.csv`));
      return dir;
    });
    const out = JSON.parse(runCompare([...dirs, '--json', '--html', join(root, 'cmp.html')])) as { elpd: { model: string; elpd_diff: number; se_diff: number }[]; lrt: { chisq: number }[] };
    assert.deepEqual(out.elpd.map((r) => r.model), ref.model);
    out.elpd.forEach((r, j) => {
      near(r.elpd_diff, ref.elpd_diff[j], 1e-6, 'elpd_diff');
      near(r.se_diff, ref.se_diff[j], 1e-6, 'se_diff');
    });
    near(out.lrt[0].chisq, R.anova.Chisq, 1e-4, 'LRT');
    const html = readFileSync(join(root, 'cmp.html'), 'utf8');
    assert.match(html, /<h2>Expected log predictive density \(PSIS-LOO\)/);
    assert.match(html, /<td>blocks<\/td><td>-56\.8<\/td><td>13\.6<\/td>/);
    assert.match(html, /<h2>Likelihood-ratio tests of nested pairs<\/h2>/);
    const text = runCompare(dirs);
    assert.match(text, /elpd_diff/);
    assert.match(text, /k_psis > 0\.62/);
    assert.match(text, /½χ²\(0\) \+ ½χ²\(1\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
