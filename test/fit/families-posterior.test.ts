/**
 * The posterior of each family added by issue 22 against brms's (Stan NUTS) in
 * test/fixtures/families/new-families.json (script new-families.R beside it; 4 chains × 50,000 draws
 * where recorded, else as the JSON's draws_per_chain says; and betabinomial-underdispersed.json, a data set
 * whose ML phi is infinite), with the same priors, read from the brms run's
 * prior_summary. fit() at its defaults (ChEES to its ESS target) and a fixed seed.
 *
 * Rule: for every fixed effect, sd, correlation and family parameter brms reports, the posterior mean
 * and the posterior sd each satisfy |z| < 4, z = (ours − brms) / √(mcse_ours² + mcse_brms²), with
 * posterior's mcse_mean and mcse_sd on both sides. A brms run recorded before mcse_sd was kept has its
 * mcse_sd taken as ours scaled by √(ess_ours / ess_brms) (bulk-ESS: the same posterior, the MCSE falling
 * as 1/√ESS). Iterates the fixture, so every model of a family in the family table is checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { fit } from '../../src/fit.js';
import { FAMILY_NAMES } from '../../models/families/getFamily.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { repoRoot } from '../architecture/graph.js';

interface BrmsSummary { mean: number; sd: number; mcse_mean: number; mcse_sd?: number; ess_bulk: number }
interface BrmsPrior { prior: string; class: string; coef: string; group: string }
interface Golden {
  data: string; factors: string | string[]; formula: string; family: string; link: string;
  posterior?: { priors: BrmsPrior[]; draws_per_chain: number; chains: number; summary: Record<string, BrmsSummary> };
}
const root = repoRoot();
const fixture = (file: string) => (JSON.parse(readFileSync(join(root, 'test/fixtures/families', file), 'utf8')) as { models: Record<string, Golden> }).models;
/** new-families.json, and a beta-binomial data set whose ML phi is infinite (betabinomial-underdispersed.R: the chains' start, src/fit/family-start.ts). */
const models = { ...fixture('new-families.json'), ...fixture('betabinomial-underdispersed.json') };

/** A fit() seed fixed for these tests. */
const SEED = 22;

/**
 * brms's class-level priors (prior_summary rows with a prior and no coef or group) as our prior
 * statements. In brms's `0 + Intercept` form the intercept is a `b` coefficient, so class b sets
 * ours `b` and `Intercept`; brms's Cholesky-factor class L (lkj_corr_cholesky(η)) is our `cor ~ lkj(η)`.
 */
function priorsOf(rows: readonly BrmsPrior[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.prior === '' || r.coef !== '' || r.group !== '') continue;
    if (r.class === 'b') out.push(`b ~ ${r.prior}`, `Intercept ~ ${r.prior}`);
    else if (r.class === 'L') out.push(`cor ~ ${r.prior.replace('lkj_corr_cholesky', 'lkj')}`);
    else out.push(`${r.class} ~ ${r.prior}`);
  }
  return out;
}

/**
 * Models whose comparison fails and is under investigation: run and reported (node:test `todo`), not
 * counted as a suite failure. None now. usairlines_beta was one against brms's 4 × 5,000 run (posterior sd
 * of b_Intercept 0.0758 there, ~0.070 ours): the 4 × 50,000 rerun (2026-12-07, seed 20261206) gives 0.0711
 * ± 0.0005, and ours passes beside it; the short reference was the side that was off.
 */
const KNOWN: Record<string, string> = {};

/** brms's variable names that our summary holds too (not the r_ random effects). */
const held = (name: string) => !name.startsWith('r_');

for (const [key, g] of Object.entries(models)) {
  const post = g.posterior;
  if (!post || !(FAMILY_NAMES as readonly string[]).includes(g.family)) continue;
  test(`${key}: posterior mean and sd equal brms's (${post.chains} × ${post.draws_per_chain}) within |z| < 4 of the combined MCSE`, { todo: KNOWN[key] }, async () => {
    const factors = ([] as string[]).concat(g.factors);
    const data = readCsvFile(join(root, g.data), { factors });
    const f = await fit({ formula: g.formula, data, factors, family: g.family as FamilyName, link: g.link as LinkName, priors: priorsOf(post.priors), seed: SEED });
    const bad: string[] = [];
    for (const [name, ref] of Object.entries(post.summary)) {
      if (!held(name)) continue;
      const p = f.summary.parameters.find((x) => x.name === name);
      assert.ok(p, `${key}: no parameter ${name} in our summary`);
      const mcseSdRef = ref.mcse_sd ?? (p.mcse_sd as number) * Math.sqrt((p.ess_bulk as number) / ref.ess_bulk);
      const zMean = ((p.mean as number) - ref.mean) / Math.hypot(p.mcse_mean as number, ref.mcse_mean);
      const zSd = ((p.sd as number) - ref.sd) / Math.hypot(p.mcse_sd as number, mcseSdRef);
      if (process.env.FAMILIES_POSTERIOR_VERBOSE) console.log(`${key}\t${name}\tmean ${p.mean} vs ${ref.mean} z ${zMean.toFixed(2)}\tsd ${p.sd} vs ${ref.sd} z ${zSd.toFixed(2)}\tess ${p.ess_bulk}`);
      if (!(Math.abs(zMean) < 4)) bad.push(`${name} mean ${p.mean} vs brms ${ref.mean} (z ${zMean.toFixed(2)})`);
      if (!(Math.abs(zSd) < 4)) bad.push(`${name} sd ${p.sd} vs brms ${ref.sd} (z ${zSd.toFixed(2)})`);
    }
    assert.deepEqual(bad, [], `${key}: ${bad.join('; ')}`);
  });
}
