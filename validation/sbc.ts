/**
 * Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018, "Validating
 * Bayesian inference algorithms with simulation-based calibration", arXiv:1804.06788) of the default
 * fit, one design per family (validation/sbc-cases.ts): R replications (R = 100, or $SBC_REPLICATIONS),
 * each a job of src/pool (validation/sbc-job.ts: θ and y from the SBC priors, `fit()` at its defaults
 * but for those priors, the rank of each true θ_p among L = 99 posterior draws — the last draw of 99
 * chains spread over the run's chains, so the L draws are (nearly) independent as SBC's thinning asks).
 * If the posterior draws are right the rank is uniform on 0…99; the ranks go into 10 bins of 10 and
 * Pearson's χ² test of uniformity (9 df) gives the p-value per parameter (validation/sbc-rank.ts).
 *
 * The replications run on worker threads ($VALIDATE_WORKERS, `node dist/validation/run.js sbc
 * --workers N`; default the cores; 0 in this thread), each replication's answer a function of its
 * index only, so the ranks are the same whatever the number of workers. Results are written as jobs
 * finish, one JSON line each, to validation/sbc/<family>.jsonl (src/pool/journal.ts), and a run cut
 * short resumes there ($SBC_RERUN=1 starts afresh). $SBC_FAMILIES (comma-separated; `none` renders
 * only) limits which families are fitted; the section is drawn from every family's kept results.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWorkers, runJobs } from '../src/pool/pool.js';
import { SBC_CASES, type SbcCase } from './sbc-cases.js';
import type { SbcRepResult, SbcShared } from './sbc-job.js';
import { SBC_BINS, SBC_L, uniformity } from './sbc-rank.js';
import { repoFile } from './chees.js';

/** A family's replications, gathered. */
interface CaseResult { ranks: Record<string, number[]>; divergent: number; warned: number; secs: number; failed: number; reps: number }

const resultsFile = (family: string) => join(repoFile('validation'), 'sbc', `${family}.jsonl`);

/** Sums the replications' results (in replication order). */
function gather(results: readonly (SbcRepResult | undefined)[]): CaseResult {
  const out: CaseResult = { ranks: {}, divergent: 0, warned: 0, secs: 0, failed: 0, reps: 0 };
  for (const r of results) {
    if (!r) continue;
    out.reps++;
    out.secs += r.secs;
    if (!r.ranks) { out.failed++; continue; }
    if (r.divergent) out.divergent++;
    if (r.warned) out.warned++;
    for (const [k, v] of Object.entries(r.ranks)) (out.ranks[k] ??= []).push(v);
  }
  return out;
}

/** The kept results of a family's results file, in replication order (without running anything). */
function keptResults(file: string): (SbcRepResult | undefined)[] {
  const byIndex: (SbcRepResult | undefined)[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (line === '') continue;
    try {
      const e = JSON.parse(line) as { index: number; result: SbcRepResult };
      byIndex[e.index] = e.result;
    } catch { break; } // a line cut short by a kill
  }
  return byIndex;
}

/** Runs (or resumes) a family's replications on the pool. */
async function runCase(c: SbcCase, reps: number, file: string, fresh: boolean, workers: number): Promise<CaseResult> {
  if (fresh && existsSync(file)) rmSync(file);
  const jobs = Array.from({ length: reps }, (_, i) => ({ rep: i + 1 }));
  let last = 0;
  const out = await runJobs<SbcShared, { rep: number }, SbcRepResult>({
    module: new URL('./sbc-job.js', import.meta.url).href, shared: { case: c }, jobs, workers, results: file, resume: true,
    onResult: (p) => { if (p.done - last >= 10 || p.done === p.total) { last = p.done; process.stderr.write(`sbc ${c.family}: ${p.done}/${p.total}\n`); } },
  });
  return gather(out.results);
}

/** The workers of `--workers N` (validation/run.ts puts it in $VALIDATE_WORKERS), else the cores. */
function workersWanted(): number {
  const w = process.env.VALIDATE_WORKERS;
  return w === undefined ? defaultWorkers() : Number(w);
}

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const reps = Number(process.env.SBC_REPLICATIONS ?? 100);
  const wanted = process.env.SBC_FAMILIES?.split(',');
  const workers = workersWanted();
  const parts = ['## sbc', '',
    `Simulation-based calibration of the default fit (Talts et al. 2018), one design per family (validation/sbc-cases.ts, which says why the priors are the SBC ones, not the defaults; the sampler is the default): ${reps} replications on the worker pool (src/pool; the ranks do not depend on the number of workers), rank of the true value among ${SBC_L} posterior draws (the last draw of ${SBC_L} chains), ${SBC_BINS} bins of ${(SBC_L + 1) / SBC_BINS} ranks; p = Pearson χ² test of uniform bins (${SBC_BINS - 1} df). With ~40 p-values in all, two below 0.05 are expected by chance; a p below 0.001 is a failure.`, ''];
  const verdicts: string[] = [];
  mkdirSync(join(repoFile('validation'), 'sbc'), { recursive: true });
  for (const c of SBC_CASES) {
    const file = resultsFile(c.family);
    let r: CaseResult;
    if (!wanted || wanted.includes(c.family)) {
      process.stderr.write(`sbc: ${c.family} (${c.like}) on ${workers} workers...\n`);
      r = await runCase(c, reps, file, process.env.SBC_RERUN === '1', workers);
    } else if (existsSync(file)) {
      r = gather(keptResults(file));
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
      `SBC priors (simulation and fit): ${c.priors.map((p) => `\`${p}\``).join(', ')}. ${done} of ${r.reps} fits ran${r.reps < reps ? ` (of ${reps} asked: the run was cut short)` : ''} (${r.failed} failed); ${r.divergent} with divergences, ${r.warned} with a warning; ${(r.secs / Math.max(1, r.reps)).toFixed(1)} s per fit (in its worker). Smallest p ${worst.toFixed(3)}: ${worst >= 0.001 ? 'PASS' : 'FAIL'}.`,
      '', '| parameter | rank histogram (10 bins) | χ² | p |', '|---|---|---|---|', ...rows, '');
    verdicts.push(`${c.family} ${worst >= 0.001 ? 'PASS' : 'FAIL'}`);
  }
  parts.push(`Summary: ${verdicts.join(', ')}.`, '');
  return parts.join('\n');
}
