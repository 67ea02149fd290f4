/**
 * Power by simulation (src/power) against exact and R answers:
 * - the Gaussian RCBD's Type III F test: simulated power within the Monte Carlo interval of the exact
 *   noncentral-F power (R's pf(qf(.95), 3, 3(b − 1), ncp = b Σ(τ − τ̄)²/σ²));
 * - a Poisson RCBD, Wald z of b_trt2 and the LRT against y ~ 1 + (1|block): simulated power within
 *   Monte Carlo error of the same simulation done with lme4's glmer in R (simr's method;
 *   test/fixtures/power/power-lme4.R);
 * - pnfUpper/qfUpper and the Clopper–Pearson/Wilson intervals against R;
 * - the same answer inline and on 2 worker threads; a data design extended along a factor as simr's
 *   extend(); bad settings as one clear error before any simulation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pnfUpper, qfUpper } from '../../base/distributions.js';
import { GlmmInputError } from '../../base/errors.js';
import { readCsvFile } from '../../src/data/read.js';
import { powerFrame } from '../../src/power/design.js';
import { binomialInterval } from '../../src/power/interval.js';
import { power } from '../../src/power/power.js';
import { fixturePath } from '../diagnostics/fixture.js';
import { repoPath } from '../design/repo-path.js';

interface Golden {
  poisson: { formula: string; null: string; values: Record<string, number>; alpha: number; rows: { blocks: number; nsim: number; wald_rejections: number; lrt_rejections: number; failed: number }[] };
  gaussian_exact: { taus: number[]; rows: { blocks: number; df1: number; df2: number; ncp: number; fcrit: number; power: number }[] };
  intervals: { x: number; n: number; clopper_pearson: number[]; wilson: number[] }[];
}
const golden = JSON.parse(readFileSync(fixturePath('power/power-lme4.json'), 'utf8')) as Golden;

test('pnfUpper and qfUpper equal R\'s pf(ncp =) and qf', () => {
  for (const r of golden.gaussian_exact.rows) {
    assert.ok(Math.abs(qfUpper(0.05, r.df1, r.df2) - r.fcrit) < 1e-10 * r.fcrit);
    assert.ok(Math.abs(pnfUpper(r.fcrit, r.df1, r.df2, r.ncp) - r.power) < 1e-9, `${pnfUpper(r.fcrit, r.df1, r.df2, r.ncp)} vs ${r.power}`);
  }
});

test('Clopper–Pearson and Wilson intervals equal R\'s binom.test and prop.test(correct = FALSE)', () => {
  for (const g of golden.intervals) {
    const cp = binomialInterval(g.x, g.n, 'clopper-pearson'), w = binomialInterval(g.x, g.n, 'wilson');
    for (let k = 0; k < 2; k++) {
      assert.ok(Math.abs(cp[k] - g.clopper_pearson[k]) < 1e-9, `CP ${g.x}/${g.n}: ${cp} vs ${g.clopper_pearson}`);
      assert.ok(Math.abs(w[k] - g.wilson[k]) < 1e-9, `Wilson ${g.x}/${g.n}: ${w} vs ${g.wilson}`);
    }
  }
});

const gaussianSet = { b_Intercept: 10, b_trt2: 0.5, b_trt3: 1, b_trt4: 0, sd_block__Intercept: 1, sigma: 1 };

test('Gaussian RCBD F test: simulated power within its 99% Monte Carlo interval of the exact noncentral-F power', async () => {
  const exact = golden.gaussian_exact.rows.find((r) => r.blocks === 8)!;
  const r = await power({ formula: 'y ~ trt + (1|block)', family: 'gaussian', design: { levels: { block: 8, trt: 4 } }, set: gaussianSet, test: { rule: 'wald', effect: 'trt' }, nsim: 200, seed: 11, level: 0.99 });
  const row = r.rows[0];
  assert.equal(row.nsim, 200);
  assert.equal(row.failed, 0);
  assert.ok(row.lower <= exact.power && exact.power <= row.upper, `exact ${exact.power} outside [${row.lower}, ${row.upper}] (power ${row.power})`);
});

test('Poisson RCBD: Wald and LRT power agree with lme4\'s glmer simulation within Monte Carlo error', async () => {
  const g = golden.poisson;
  const common = { formula: g.formula, family: 'poisson' as const, design: { levels: { block: 4, trt: 4 } }, set: g.values, nsim: 150, seed: 5, along: { factor: 'block', sizes: g.rows.map((r) => r.blocks) } };
  const wald = await power({ ...common, test: { rule: 'wald', effect: 'b_trt2', alpha: g.alpha } });
  const lrt = await power({ ...common, test: { rule: 'lrt', null: g.null, alpha: g.alpha } });
  for (const [a, ref] of g.rows.entries()) {
    for (const [mine, x] of [[wald.rows[a], ref.wald_rejections], [lrt.rows[a], ref.lrt_rejections]] as const) {
      const pR = x / (ref.nsim - ref.failed);
      // |difference| below 3.3 combined Monte Carlo SEs (two-sided 0.1%)
      const se = Math.sqrt((pR * (1 - pR)) / (ref.nsim - ref.failed) + (mine.power * (1 - mine.power)) / mine.nsim);
      assert.ok(Math.abs(mine.power - pR) < 3.3 * se, `blocks ${ref.blocks}: ${mine.power} vs lme4 ${pR} (se ${se})`);
      assert.equal(mine.failed, 0);
    }
  }
  assert.ok(wald.rows[1].power > wald.rows[0].power && lrt.rows[1].power > lrt.rows[0].power, 'power grows with the blocks');
});

test('the same result inline and on 2 worker threads', async () => {
  const o = { formula: 'y ~ trt + (1|block)', family: 'poisson' as const, design: { levels: { block: 4, trt: 4 } }, set: golden.poisson.values, test: { rule: 'wald' as const, effect: 'b_trt2' }, nsim: 12, along: { factor: 'block', sizes: [4, 6] } };
  assert.equal(JSON.stringify(await power({ ...o, workers: 2 })), JSON.stringify(await power({ ...o, workers: 0 })));
});

test('a data design extended along block copies existing blocks\' rows under new labels (simr extend)', () => {
  const rcbd = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors: ['trt', 'block'] });
  const f = powerFrame(rcbd, 'count', (v) => v >= 0, { factor: 'block', n: 12 });
  assert.equal(f.nrow, 24); // rcbd.csv: 8 blocks × 2 rows
  const block = f.columns.get('block');
  assert.ok(block?.kind === 'factor');
  assert.deepEqual(block.levels, ['1', '2', '3', '4', '5', '6', '7', '8', '1.2', '2.2', '3.2', '4.2']);
  const small = powerFrame(rcbd, 'count', (v) => v >= 0, { factor: 'block', n: 4 });
  assert.equal(small.nrow, 8);
});

test('bad settings: one error before any simulation, naming what to add or change', async () => {
  const o = { formula: 'y ~ trt + (1|block)', family: 'poisson' as const, design: { levels: { block: 4, trt: 4 } }, test: { rule: 'wald' as const, effect: 'b_trt2' }, nsim: 5 };
  const fails = async (p: Promise<unknown>, re: RegExp) => assert.rejects(p, (e: unknown) => e instanceof GlmmInputError && re.test(e.message));
  await fails(power({ ...o, set: { b_Intercept: 1, b_trt2: 0.3, b_trt3: 0, b_trt4: 0 } }), /no assumed value for sd_block__Intercept; add --set sd_block__Intercept=VALUE/);
  await fails(power({ ...o, set: { ...golden.poisson.values, b_trt9: 1 } }), /--set b_trt9 is not a parameter of this model/);
  await fails(power({ ...o, set: golden.poisson.values, test: { rule: 'wald', effect: 'b_dose' } }), /b_dose is not a coefficient/);
  await fails(power({ ...o, set: golden.poisson.values, test: { rule: 'wald', effect: 'trt' } }), /for a poisson GLMM name a coefficient .* or use --rule lrt/);
  await fails(power({ ...o, formula: 'cbind(y, n - y) ~ trt + (1|block)', family: 'binomial', set: golden.poisson.values }), /one response column/);
  await fails(power({ ...o, set: golden.poisson.values, along: { factor: 'plot', sizes: [4] } }), /--along plot: not a factor of the design/);
});
