/**
 * Random effects in the zero part's formula (issue 26, `--zi '~ mined + (1|site)'`): the design's
 * RandomTerms on the ParamFormula (`random`, lme4's mkReTrms as the count part's, term labels with the
 * parameter's prefix), the sampler's layout under brms's names (sd_site__zi_Intercept,
 * cor_site__zi_Intercept__zi_minedyes, r_site__zi[R-1,Intercept]) with the sd prior, and one line for
 * each bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readCsvFile, frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { buildModel, modelPriorLines } from '../../src/target/parameters.js';
import { GlmmInputError } from '../../base/errors.js';
import { repoRoot } from '../architecture/graph.js';

const sal = readCsvFile(join(repoRoot(), 'examples/data/glmmTMB_Salamanders.csv'), { factors: ['site', 'mined', 'spp'] });
const design = (zi: string, family: 'zipoisson' | 'hurdle_negbinomial' | 'poisson' = 'zipoisson', formula = 'count ~ mined + (1|site)') =>
  buildDesign(formula, sal, family, { factors: ['site', 'mined', 'spp'], zi });
const oneLine = (re: RegExp) => (e: Error) => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n');

test("--zi '~ mined + (1|site)': the zero part's RandomTerm on the ParamFormula, as the count part's (site's 23 levels, Z = 1), labelled zi_Intercept", () => {
  const d = design('~ mined + (1|site)');
  const pf = d.paramFormulas?.[0];
  assert.ok(pf);
  assert.deepEqual(pf.names, ['b_zi_Intercept', 'b_zi_minedyes']);
  assert.equal(pf.random?.length, 1);
  const [zt] = pf.random!;
  const [ct] = d.random;
  assert.equal(zt.group, 'site');
  assert.deepEqual(zt.terms, ['zi_Intercept']);
  assert.deepEqual(zt.columns, ['(Intercept)']);
  assert.deepEqual(zt.levels, ct.levels);
  assert.deepEqual(zt.index, ct.index);
  assert.deepEqual(zt.Z, ct.Z);
  assert.equal(zt.cov.kind, 'us');
  // without random terms the formula is as before: no `random` field
  assert.equal(design('~ mined').paramFormulas?.[0].random, undefined);
  // a zero part of random effects alone keeps its intercept
  const only = design('~ (1|site)').paramFormulas?.[0];
  assert.deepEqual(only?.names, ['b_zi_Intercept']);
  assert.equal(only?.random?.length, 1);
});

test("--zi '~ mined + (mined|site)' and '(mined||site)': correlated and split terms as lme4 builds them", () => {
  const c = design('~ mined + (mined|site)').paramFormulas![0].random!;
  assert.equal(c.length, 1);
  assert.deepEqual(c[0].terms, ['zi_Intercept', 'zi_minedyes']);
  assert.equal(c[0].k, 2);
  assert.ok(c[0].cov.correlated);
  const mined = sal.columns.get('mined')!;
  assert.ok(mined.kind === 'factor');
  for (let i = 0; i < 644; i++) assert.equal(c[0].Z[i * 2 + 1], mined.levels[mined.codes[i]] === 'yes' ? 1 : 0);
  const s = design('~ mined + (mined||site)').paramFormulas![0].random!;
  // a factor under || keeps its indicators in one (0 + mined | site) block, as lme4 does
  assert.deepEqual(s.map((t) => t.terms), [['zi_Intercept'], ['zi_minedno', 'zi_minedyes']]);
  const n = design('~ (cover||site)').paramFormulas![0].random!;
  assert.deepEqual(n.map((t) => t.terms), [['zi_Intercept'], ['zi_cover']]);
});

test('the zero part\'s random columns join the missing-value rule: a missing grouping value drops its row', () => {
  const rows = Array.from({ length: 12 }, (_, i) => ({ count: i % 3, x: i % 2, g: i === 5 ? null : `g${i % 3}`, h: `h${i % 2}` }));
  const frame = frameFromRows(rows, { factors: ['g', 'h'] });
  const d = buildDesign('count ~ x + (1|h)', frame, 'zipoisson', { factors: ['g', 'h'], zi: '~ (1|g)' });
  assert.equal(d.nobs, 11);
  assert.equal(d.droppedRows, 1);
  assert.equal(d.paramFormulas![0].random![0].index.length, 11);
});

test("the sampler's layout: brms's names for the zero part's sd, cor and effects, non-centred, the sd prior", () => {
  const spec = buildModel(design('~ mined + (mined|site)', 'zipoisson', 'count ~ spp + mined + (1|site)'), { family: 'zipoisson' });
  const names = spec.params.map((p) => p.name);
  assert.deepEqual(names.filter((n) => n.startsWith('sd_')), ['sd_site__Intercept', 'sd_site__zi_Intercept', 'sd_site__zi_minedyes']);
  assert.deepEqual(names.filter((n) => n.startsWith('cor_')), ['cor_site__zi_Intercept__zi_minedyes']);
  assert.ok(names.includes('r_site__zi[R-1,Intercept]'));
  assert.ok(names.includes('r_site__zi[R-1,minedyes]'));
  assert.ok(names.includes('r_site[R-1,Intercept]'));
  assert.ok(spec.names.includes('z_site__zi[R-1,Intercept]'));
  const zt = spec.terms.filter((t) => t.param === 'zi');
  assert.equal(zt.length, 1);
  assert.equal(zt[0].centered, false);
  assert.deepEqual(zt[0].sdPriors, [{ dist: 'student_t', df: 3, mu: 0, sigma: 2.5 }, { dist: 'student_t', df: 3, mu: 0, sigma: 2.5 }]);
  assert.equal(zt[0].lkjEta, 1);
  // the statements apply: a named sd prior reaches the zero part's sd; --centered site leaves it non-centred
  const named = buildModel(design('~ mined + (1|site)'), { family: 'zipoisson', priors: ['sd_site__zi_Intercept ~ student_t(3, 0, 1)'], centered: ['site'] });
  const z1 = named.terms.find((t) => t.param === 'zi')!;
  assert.deepEqual(z1.sdPriors, [{ dist: 'student_t', df: 3, mu: 0, sigma: 1 }]);
  assert.equal(z1.centered, false);
  assert.ok(named.terms.find((t) => !t.param)!.centered);
  // random effects only in the zero part still give the sd prior its line
  const ziOnly = buildModel(design('~ (1|site)', 'zipoisson', 'count ~ mined'), { family: 'zipoisson' });
  assert.ok(modelPriorLines(ziOnly).includes('sd ~ student_t(3, 0, 2.5)'));
});

test('bad input in --zi random terms: a missing column, a one-level grouping factor, a family without a zero part, one line each', () => {
  assert.throws(() => design('~ mined + (1|plot)'), oneLine(/unknown column 'plot' in formula term '--zi ~ mined \+ \(1\|plot\)'; columns are: /));
  assert.throws(() => design('~ (cover2|site)'), oneLine(/unknown column 'cover2' in formula term '--zi ~ \(cover2\|site\)'/));
  const rows = Array.from({ length: 8 }, (_, i) => ({ count: i % 3, g: 'a', h: `h${i % 2}` }));
  const frame = frameFromRows(rows, { factors: ['g', 'h'] });
  assert.throws(() => buildDesign('count ~ (1|h)', frame, 'zipoisson', { factors: ['g', 'h'], zi: '~ (1|g)' }), oneLine(/^--zi '~ \(1\|g\)': grouping factor 'g' in \(1 \| g\) has only 1 level \('a'\)/));
  assert.throws(() => design('~ (1|site)', 'poisson'), oneLine(/--zi '~ \(1\|site\)': the poisson family has no zero part; use one of zipoisson/));
});
