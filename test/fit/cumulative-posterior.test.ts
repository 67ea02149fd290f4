/**
 * The posterior of the cumulative (ordinal) family against brms's (Stan NUTS, 4 chains × 50,000 draws)
 * on the wine data, test/fixtures/families/cumulative.json (script cumulative.R), with the same priors
 * (the package's defaults for cumulative, stated: thresholds Intercept ~ student_t(3, 0, 2.5), b ~
 * normal(0, 5), sd ~ student_t(3, 0, 2.5); brms with center = FALSE so its priors are on the same
 * uncentred thresholds). fit() at its defaults (ChEES to its ESS target) and a fixed seed.
 *
 * Rule (as test/fit/families-posterior.test.ts): for every threshold, fixed effect and sd brms reports,
 * the posterior mean and sd each satisfy |z| < 4, z = (ours − brms) / √(mcse_ours² + mcse_brms²); brms's
 * mcse_sd, not recorded, is ours scaled by √(ess_ours / ess_brms) (bulk ESS; the same posterior). The
 * category probabilities at u = 0 per condition likewise against brms's posterior means (probs_at_u0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { fit } from '../../src/fit.js';
import { derive } from '../../src/fit/quantities.js';
import { categoryProbs, latentCdf } from '../../models/families/cumulative-math.js';
import type { LinkName } from '../../models/families/types.js';
import { repoRoot } from '../architecture/graph.js';

interface BrmsSummary { mean: number; sd: number; mcse_mean: number; ess_bulk: number }
interface Golden {
  data: string; factors: string[]; formula: string; link: string;
  posterior?: { chains: number; draws_per_chain: number; summary: Record<string, BrmsSummary>; probs_at_u0: { temp: string; contact: string; mean: number[]; mcse: number[] }[] };
}
const root = repoRoot();
const models = (JSON.parse(readFileSync(join(root, 'test/fixtures/families/cumulative.json'), 'utf8')) as { models: Record<string, Golden> }).models;
const PRIORS = ['Intercept ~ student_t(3, 0, 2.5)', 'b ~ normal(0, 5)', 'sd ~ student_t(3, 0, 2.5)'];
const SEED = 26;

for (const [key, g] of Object.entries(models)) {
  const post = g.posterior;
  if (!post) continue;
  test(`${key}: posterior mean and sd equal brms's (${post.chains} × ${post.draws_per_chain}) within |z| < 4; category probabilities too`, async () => {
    const data = readCsvFile(join(root, g.data), { factors: g.factors });
    const f = await fit({ formula: g.formula, data, factors: g.factors, family: 'cumulative', link: g.link as LinkName, priors: PRIORS, seed: SEED });
    const bad: string[] = [];
    for (const [name, ref] of Object.entries(post.summary)) {
      if (name.startsWith('r_')) continue;
      const p = f.summary.parameters.find((x) => x.name === name);
      assert.ok(p, `${key}: no parameter ${name} in our summary`);
      const mcseSdRef = (p.mcse_sd as number) * Math.sqrt((p.ess_bulk as number) / ref.ess_bulk);
      const zMean = ((p.mean as number) - ref.mean) / Math.hypot(p.mcse_mean as number, ref.mcse_mean);
      const zSd = ((p.sd as number) - ref.sd) / Math.hypot(p.mcse_sd as number, mcseSdRef);
      if (process.env.FAMILIES_POSTERIOR_VERBOSE) console.log(`${key}\t${name}\tmean ${p.mean} vs ${ref.mean} z ${zMean.toFixed(2)}\tsd ${p.sd} vs ${ref.sd} z ${zSd.toFixed(2)}`);
      if (!(Math.abs(zMean) < 4)) bad.push(`${name} mean ${p.mean} vs brms ${ref.mean} (z ${zMean.toFixed(2)})`);
      if (!(Math.abs(zSd) < 4)) bad.push(`${name} sd ${p.sd} vs brms ${ref.sd} (z ${zSd.toFixed(2)})`);
    }
    const cdf = latentCdf(g.link);
    for (const r of post.probs_at_u0) {
      r.mean.forEach((want, k) => {
        const d = derive(f, `P${k + 1}`, (p) => {
          const eta = (r.temp === 'warm' ? p.b_tempwarm : 0) + (r.contact === 'yes' ? p.b_contactyes : 0);
          return categoryProbs(cdf, eta, [1, 2, 3, 4].map((j) => p[`b_Intercept[${j}]`]))[k];
        }).posterior;
        assert.ok(d);
        const z = (d.mean - want) / Math.hypot(d.mcse_mean, r.mcse[k]);
        if (process.env.FAMILIES_POSTERIOR_VERBOSE) console.log(`${key}\tP(${k + 1} | ${r.temp}, ${r.contact})\t${d.mean} vs ${want} z ${z.toFixed(2)}`);
        if (!(Math.abs(z) < 4)) bad.push(`P(rating = ${k + 1} | ${r.temp}, ${r.contact}) ${d.mean} vs brms ${want} (z ${z.toFixed(2)})`);
      });
    }
    assert.deepEqual(bad, [], `${key}: ${bad.join('; ')}`);
  });
}
