/**
 * Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018, "Validating
 * Bayesian inference algorithms with simulation-based calibration", arXiv:1804.06788) of the default
 * fit, one design per family (validation/sbc-cases.ts): for replication r = 1…R (R = 100, or
 * $SBC_REPLICATIONS), draw θ from the prior and y from the model (src/inference/prior.ts
 * priorPredictive), fit y with `fit()` at its defaults but for the SBC priors (seed r; profile intervals off, they are the
 * likelihood side's and do not touch the draws), and rank each true θ_p (fixed effects, sds, cors,
 * the family parameter) among L = 99 posterior draws — the last draw of 99 chains spread over the
 * run's chains, so the L draws are (nearly) independent as SBC's thinning asks. If the posterior
 * draws are right the rank is uniform on 0…99; the ranks go into 10 bins of 10 and Pearson's χ² test
 * of uniformity (9 df) gives the p-value per parameter. The ranks of each family are kept in
 * validation/sbc/<family>.json after every replication, and a run cut short resumes at the next;
 * $SBC_FAMILIES (comma-separated; `none` renders only) limits which families are fitted, and the
 * section is drawn from every family's kept ranks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parameterMatrix } from '../diagnostics/draws.js';
import { pchisqUpper } from '../base/distributions.js';
import { getFamily } from '../models/families/getFamily.js';
import { getLink } from '../models/links.js';
import { frameFromRows } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { fit } from '../src/fit.js';
import { priorPredictive } from '../src/inference/prior.js';
import { makeRng } from '../src/sampler/rng.js';
import { buildModel } from '../src/target/parameters.js';
import { SBC_CASES, type SbcCase } from './sbc-cases.js';
import { repoFile } from './chees.js';

/** Posterior draws ranked against (L + 1 possible ranks) and the histogram's bins. */
export const SBC_L = 99;
export const SBC_BINS = 10;

/** Rank of `truth` among the last draw of L chains spread over the run (column-major iterations × chains). */
export function sbcRank(x: Float64Array, nDraws: number, nChains: number, truth: number, L = SBC_L): number {
  if (nChains < L) throw new Error(`SBC needs ≥ ${L} chains, the run has ${nChains}`);
  let rank = 0;
  for (let i = 0; i < L; i++) {
    const c = Math.floor((i * nChains) / L);
    if (x[c * nDraws + nDraws - 1] < truth) rank++;
  }
  return rank;
}

/** Counts of ranks 0…L in `bins` equal bins, Pearson's χ² against uniform and its p-value. */
export function uniformity(ranks: readonly number[], L = SBC_L, bins = SBC_BINS): { counts: number[]; chi2: number; p: number } {
  const counts = new Array<number>(bins).fill(0);
  for (const r of ranks) counts[Math.min(bins - 1, Math.floor((r * bins) / (L + 1)))]++;
  const e = ranks.length / bins;
  const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
  return { counts, chi2, p: pchisqUpper(chi2, bins - 1) };
}

/** A placeholder response the design can be built on (any valid, non-constant value: no SBC prior looks at it). */
function placeholder(c: SbcCase, i: number): number {
  return c.family === 'binomial' || c.family === 'bernoulli' ? i % 2 : i + 1;
}

/** One family's replications: ranks per held parameter, with what the runs did. */
async function runCase(c: SbcCase, reps: number, file: string, fresh: boolean) {
  const n = Object.values(c.columns)[0].length;
  const base = { ...c.columns, [c.response]: Array.from({ length: n }, (_, i) => placeholder(c, i)) };
  const design = buildDesign(c.formula, frameFromRows(base, { factors: c.factors }), c.family, { factors: c.factors });
  const spec = buildModel(design, { family: c.family, priors: c.priors });
  const family = getFamily(c.family);
  const held = spec.params.filter((p) => p.class !== 'r').map((p) => p.name);
  // kept ranks are resumed replication by replication (a run cut short keeps what it did)
  const kept = !fresh && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KeptCase) : null;
  const ranks = new Map(held.map((h) => [h, kept?.ranks[h] ?? ([] as number[])]));
  let { divergent, warned, secs, failed, reps: done } = kept ?? { divergent: 0, warned: 0, secs: 0, failed: 0, reps: 0 };
  const keep = () => writeFileSync(file, JSON.stringify({ family: c.family, formula: c.formula, priors: c.priors, date: new Date().toISOString(), ranks: Object.fromEntries(ranks), divergent, warned, secs, failed, reps: done }) + '\n');
  while (done < reps) {
    const r = done + 1;
    const rng = makeRng(20261206, r);
    const { draws, yrep } = priorPredictive(design, family, getLink(spec.link), spec.priors, 1, () => rng.uniform());
    const data = { ...base, [c.response]: Array.from(yrep.data) };
    const t0 = performance.now();
    let f;
    try {
      f = await fit({ formula: c.formula, data, family: c.family, factors: c.factors, priors: c.priors, seed: r, profile: false });
    } catch (e) {
      failed++;
      process.stderr.write(`sbc ${c.family} rep ${r}: ${(e as Error).message}\n`);
      done++;
      keep();
      continue;
    }
    secs += (performance.now() - t0) / 1000;
    if ((f.summary.sampler?.divergences ?? 0) > 0) divergent++;
    if (f.summary.warnings.length > 0) warned++;
    for (const h of held) {
      const truth = draws.data[draws.names.indexOf(h)];
      const j = f.draws.names.indexOf(h);
      ranks.get(h)!.push(sbcRank(parameterMatrix(f.draws, j), f.draws.nDraws, f.draws.nChains, truth));
    }
    done++;
    keep();
  }
  return { ranks: Object.fromEntries(ranks), divergent, warned, secs, failed, reps: done };
}

/** What validation/sbc/<family>.json keeps. */
interface KeptCase { ranks: Record<string, number[]>; divergent: number; warned: number; secs: number; failed: number; reps: number }
type CaseResult = KeptCase;

const cacheFile = (family: string) => join(repoFile('validation'), 'sbc', `${family}.json`);

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const reps = Number(process.env.SBC_REPLICATIONS ?? 100);
  // $SBC_FAMILIES limits which families are fitted (`none` renders only); kept ranks are resumed unless $SBC_RERUN=1
  const wanted = process.env.SBC_FAMILIES?.split(',');
  const parts = ['## sbc', '',
    `Simulation-based calibration of the default fit (Talts et al. 2018), one design per family (validation/sbc-cases.ts, which says why the priors are the SBC ones, not the defaults; the sampler is the default): ${reps} replications, rank of the true value among ${SBC_L} posterior draws (the last draw of ${SBC_L} chains), ${SBC_BINS} bins of ${(SBC_L + 1) / SBC_BINS} ranks; p = Pearson χ² test of uniform bins (${SBC_BINS - 1} df). With ~30 p-values in all, one below 0.05 is expected by chance; a p below 0.001 is a failure.`, ''];
  const verdicts: string[] = [];
  for (const c of SBC_CASES) {
    const file = cacheFile(c.family);
    mkdirSync(join(repoFile('validation'), 'sbc'), { recursive: true });
    let r: CaseResult;
    if (!wanted || wanted.includes(c.family)) {
      process.stderr.write(`sbc: ${c.family} (${c.like})...\n`);
      r = await runCase(c, reps, file, process.env.SBC_RERUN === '1');
    } else if (existsSync(file)) {
      r = JSON.parse(readFileSync(file, 'utf8')) as CaseResult;
    } else continue;
    if (r.reps - r.failed < 2) continue;
    const rows: string[] = [];
    let worst = 1;
    for (const [name, rk] of Object.entries(r.ranks)) {
      const u = uniformity(rk);
      worst = Math.min(worst, u.p);
      rows.push(`| ${name} | ${u.counts.join(' ')} | ${u.chi2.toFixed(1)} | ${u.p.toFixed(3)} |`);
    }
    const done = r.reps - r.failed;
    parts.push(`### ${c.family}: \`${c.formula}\`, like ${c.like}`, '',
      `SBC priors (simulation and fit): ${c.priors.map((p) => `\`${p}\``).join(', ')}. ${done} of ${r.reps} fits ran${r.reps < reps ? ` (of ${reps} asked: the run was cut short)` : ''} (${r.failed} failed); ${r.divergent} with divergences, ${r.warned} with a warning; ${(r.secs / Math.max(1, done)).toFixed(1)} s per fit. Smallest p ${worst.toFixed(3)}: ${worst >= 0.001 ? 'PASS' : 'FAIL'}.`,
      '', '| parameter | rank histogram (10 bins) | χ² | p |', '|---|---|---|---|', ...rows, '');
    verdicts.push(`${c.family} ${worst >= 0.001 ? 'PASS' : 'FAIL'}`);
  }
  parts.push(`Summary: ${verdicts.join(', ')}.`, '');
  return parts.join('\n');
}
