/**
 * Random effects in the zero part (issue 26): our default posterior of the zero-inflated Poisson
 * `count ~ spp + mined + (1|site)`, `--zi '~ mined + (1|site)'` on glmmTMB's Salamanders against brms's
 * `bf(count ~ spp + mined + (1|site), zi ~ mined + (1|site))`, zero_inflated_poisson(), 4 chains × 50,000
 * draws with the same priors (test/fixtures/families/zi-random-posterior.json, script zi-random-posterior.R beside it; the
 * priors read from the brms run's prior_summary). fit() at its defaults (ChEES to its ESS target) and a
 * fixed seed, as test/fit/families-posterior.test.ts.
 *
 * Rule: for every fixed effect of both parts and both sds (sd_site__Intercept, sd_site__zi_Intercept),
 * the posterior mean and sd each satisfy |z| < 4, z = (ours − brms) / √(mcse_ours² + mcse_brms²), with
 * posterior's mcse_mean and mcse_sd on both sides. brms's names spell a level's '-' as 'M' (b_sppECMA is
 * our b_sppEC-A).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { fit } from '../../src/fit.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { repoRoot } from '../architecture/graph.js';

interface BrmsSummary { mean: number; sd: number; mcse_mean: number; mcse_sd: number; ess_bulk: number }
interface BrmsPrior { prior: string; class: string; coef: string; group: string; dpar: string }
interface Golden {
  data: string; factors: string[]; formula: string; zi: string; family: string; link: string;
  posterior: { priors: BrmsPrior[]; draws_per_chain: number; chains: number; summary: Record<string, BrmsSummary> };
}
const root = repoRoot();
const golden = JSON.parse(readFileSync(join(root, 'test/fixtures/families/zi-random-posterior.json'), 'utf8')) as { models: Record<string, Golden> };

/** A fit() seed fixed for these tests. */
const SEED = 26;

/**
 * brms's class-level priors as our statements. In the `0 + Intercept` form the intercept is a `b`
 * coefficient, so class b sets ours `b` and `Intercept`; the zero part's b (dpar zi) is our b prior (its
 * coefficients b_zi_* take it) and its sd our sd prior, so brms's must equal the count part's.
 */
function priorsOf(rows: readonly BrmsPrior[]): string[] {
  const out: string[] = [];
  const classLevel = rows.filter((r) => r.prior !== '' && r.coef === '' && r.group === '');
  for (const r of classLevel) {
    if (r.dpar !== '') {
      const count = classLevel.find((c) => c.class === r.class && c.dpar === '');
      assert.equal(r.prior, count?.prior, `brms's ${r.class} prior of dpar ${r.dpar} differs from the count part's: not expressible`);
      continue;
    }
    if (r.class === 'b') out.push(`b ~ ${r.prior}`, `Intercept ~ ${r.prior}`);
    else if (r.class === 'L') out.push(`cor ~ ${r.prior.replace('lkj_corr_cholesky', 'lkj')}`);
    else out.push(`${r.class} ~ ${r.prior}`);
  }
  return out;
}

for (const [key, g] of Object.entries(golden.models)) {
  const post = g.posterior;
  test(`${key}: posterior mean and sd equal brms's (${post.chains} × ${post.draws_per_chain}) within |z| < 4 of the combined MCSE`, async () => {
    const data = readCsvFile(join(root, g.data), { factors: g.factors });
    const f = await fit({ formula: g.formula, zi: g.zi, data, factors: g.factors, family: g.family as FamilyName, link: g.link as LinkName, priors: priorsOf(post.priors), seed: SEED });
    const bad: string[] = [];
    const compared: string[] = [];
    for (const [name, ref] of Object.entries(post.summary)) {
      if (name.startsWith('r_')) continue;
      const p = f.summary.parameters.find((x) => x.name.replace(/-/g, 'M') === name);
      assert.ok(p, `${key}: no parameter ${name} in our summary`);
      const zMean = ((p.mean as number) - ref.mean) / Math.hypot(p.mcse_mean as number, ref.mcse_mean);
      const zSd = ((p.sd as number) - ref.sd) / Math.hypot(p.mcse_sd as number, ref.mcse_sd);
      if (process.env.FAMILIES_POSTERIOR_VERBOSE) console.log(`${key}\t${name}\tmean ${p.mean} vs ${ref.mean} z ${zMean.toFixed(2)}\tsd ${p.sd} vs ${ref.sd} z ${zSd.toFixed(2)}\tess ${p.ess_bulk}`);
      if (!(Math.abs(zMean) < 4)) bad.push(`${name} mean ${p.mean} vs brms ${ref.mean} (z ${zMean.toFixed(2)})`);
      if (!(Math.abs(zSd) < 4)) bad.push(`${name} sd ${p.sd} vs brms ${ref.sd} (z ${zSd.toFixed(2)})`);
      compared.push(name);
    }
    assert.ok(compared.includes('sd_site__zi_Intercept') && compared.includes('b_zi_minedyes'), `${key}: compared ${compared.join(', ')}`);
    assert.deepEqual(bad, [], `${key}: ${bad.join('; ')}`);
  });
}
