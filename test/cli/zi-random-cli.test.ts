/**
 * `glmm fit --zi '~ mined + (1|site)'` end to end (issue 26): the header prints the zero part's formula,
 * the table its sd under brms's name beside the joint Laplace fit's (glmmTMB's, test/fixtures/families/zi-random.json), and
 * summary.json and the draws CSV carry the zero part's effects r_site__zi[…]. Small sampler settings: this checks the plumbing, not the posterior
 * (test/fit/zi-random-posterior.test.ts does, against brms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, dataFile, tempDir } from './cli-helpers.js';
import { loadDraws } from '../../src/fit/io.js';
import { repoRoot } from '../architecture/graph.js';

const golden = (JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/families/zi-random.json'), 'utf8')) as { models: Record<string, { laplace: { logLik: number; varcomp: { part: string; sd: number }[] } }> }).models.salamanders_hurdle_poisson_zi_re.laplace;

test("glmm fit --zi '~ mined + (1|site)': header, table, Laplace, summary.json and draws with the zero part's random effects", async () => {
  const out = join(tempDir(), 'fit');
  const r = await runCli(['fit', '--data', dataFile('glmmTMB_Salamanders.csv'), '--formula', 'count ~ mined + (1|site)', '--family', 'hurdle_poisson',
    '--zi', '~ mined + (1|site)', '--factor', 'site,mined', '--chains', '8', '--warmup', '60', '--draws', '30', '--seed', '5', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /hu ~ mined \+ \(1\|site\) \(logit scale, --zi\)/);
  assert.match(r.stdout, /^sd_site__hu_Intercept\s/m);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { parameters: { name: string; class: string; group: string | null; term: string | null; level: string | null; laplace: { estimate: number } | null }[]; laplace: { logLik: number } | null };
  // the joint Laplace fit is glmmTMB's (truncated_poisson, ziformula = ~ mined + (1|site))
  assert.ok(summary.laplace && Math.abs(summary.laplace.logLik - golden.logLik) < 1e-4, JSON.stringify(summary.laplace));
  const sdZero = summary.parameters.find((p) => p.name === 'sd_site__hu_Intercept')?.laplace?.estimate ?? NaN;
  const sdRef = golden.varcomp.find((v) => v.part === 'zi')!.sd;
  assert.ok(Math.abs(sdZero - sdRef) < 1e-3 * sdRef, `${sdZero} vs glmmTMB ${sdRef}`);
  const r1 = summary.parameters.find((p) => p.name === 'r_site__hu[R-1,Intercept]');
  assert.deepEqual(r1 && [r1.class, r1.group, r1.term, r1.level], ['r', 'site', 'hu_Intercept', 'R-1']);
  // the draws CSV keeps them (r_site__zi.<level>.<term> columns with their level/term maps) and reads them back by name
  const back = loadDraws(out).draws;
  assert.ok(back.names.includes('r_site__hu[R-1,Intercept]') && back.names.includes('sd_site__hu_Intercept'), back.names.slice(0, 8).join(' '));
});
