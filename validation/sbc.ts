/**
 * Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018, "Validating
 * Bayesian inference algorithms with simulation-based calibration", arXiv:1804.06788) of the default
 * fit, one design per family (validation/sbc-cases.ts): R replications (R = 100, or $SBC_REPLICATIONS),
 * each a job of src/pool (validation/sbc-job.ts: θ and y from the SBC priors, `fit()` at its defaults
 * but for those priors, the rank of each true θ_p among L = 99 posterior draws — the last draw of 99
 * chains spread over the run's chains, so the L draws are (nearly) independent as SBC's thinning asks).
 * A simulated data set the model refuses (an empty ordinal category, a beta response rounded to 0 or 1) is
 * rejected and θ and y drawn afresh (validation/sbc-job.ts says why this keeps the ranks uniform); the
 * section shows each family's redraw counts and every failed replication with its message.
 * If the posterior draws are right the rank is uniform on 0…99; the ranks go into 10 bins of 10 and
 * Pearson's χ² test of uniformity (9 df) gives the p-value per parameter (validation/sbc-rank.ts).
 *
 * The replications run on worker threads ($VALIDATE_WORKERS, `node dist/validation/run.js sbc
 * --workers N`; default the cores; 0 in this thread), each replication's answer a function of its
 * index only, so the ranks are the same whatever the number of workers. Results are written as jobs
 * finish, one JSON line each, to validation/sbc/<family>.jsonl (src/pool/journal.ts), and a run cut
 * short resumes there ($SBC_RERUN=1 starts afresh). $SBC_FAMILIES (comma-separated; `none` renders
 * only) limits which families are fitted; the section is drawn from every family's kept results (a
 * family not yet rerun on the pool from its earlier sequential run's validation/sbc/<family>.json, and
 * the section says which).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWorkers, runJobs } from '../src/pool/pool.js';
import { SBC_CASES, type SbcCase } from './sbc-cases.js';
import { SBC_MAX_REDRAWS, type SbcRepResult, type SbcShared } from './sbc-job.js';
import { SBC_BINS, SBC_L, uniformity } from './sbc-rank.js';
import { repoFile } from './chees.js';

/** A family's replications, gathered. */
interface CaseResult { ranks: Record<string, number[]>; divergent: number; warned: number; secs: number; failed: number; reps: number; redraws?: number[]; errors?: string[]; times?: number[] }

const resultsFile = (family: string) => join(repoFile('validation'), 'sbc', `${family}.jsonl`);
/** The kept ranks of the sequential runs before the pool (minimum warmup 20), shown until a family is rerun. */
const legacyFile = (family: string) => join(repoFile('validation'), 'sbc', `${family}.json`);

/** Sums the replications' results (in replication order). */
function gather(results: readonly (SbcRepResult | undefined)[]): CaseResult {
  const out: CaseResult = { ranks: {}, divergent: 0, warned: 0, secs: 0, failed: 0, reps: 0, redraws: [], errors: [], times: [] };
  for (const [i, r] of results.entries()) {
    if (!r) continue;
    out.reps++;
    out.secs += r.secs;
    out.times!.push(r.secs);
    // a record from before redraws existed that has ranks was fitted on its first draw (a refused one failed)
    const redraws = r.redraws ?? (r.ranks ? 0 : undefined);
    if (redraws !== undefined) out.redraws!.push(redraws);
    if (!r.ranks) { out.failed++; out.errors!.push(`replication ${i + 1}: ${r.error ?? 'no ranks'}`); continue; }
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

/**
 * Which defaults each family's recorded run used (2026-12-07): the rule's first ESS check moved from 20 to 40
 * draws per chain and a family parameter whose ML estimate has no SE or lies > 20 nats out now starts at the
 * grid's best (src/fit/family-start.ts); the families rerun since are named.
 */
const DEFAULTS_NOTE = 'Rerun at today\'s defaults (first ESS check at 40 draws per chain, src/fit/ess-target.ts; a family parameter with an infinite or far-out ML estimate started at the best grid value of the log density, src/fit/family-start.ts; 2026-12-07): betabinomial (before: p < 0.001 on phi, 36 fits with divergences, whose chains started at phi = 1e8–1e12; now 2), negbinomial, zipoisson, student, gamma. The others ran at the first check at 20 draws and the Laplace start: for poisson, binomial and bernoulli (no family parameter) today\'s run is that run continued by at most 20 transitions per chain of the same π-invariant kernel, which cannot move the last draw\'s distribution away from the posterior; gaussian, lognormal, beta and cumulative can also differ in their start where a family parameter\'s ML estimate runs off, and were not rerun.';

/** The section's opening paragraph: the method, and what `pValues` p-values over `families` families lead one to expect. */
function preamble(reps: number, pValues: number, families: number): string {
  const any = 1 - 0.999 ** pValues;
  return `Simulation-based calibration of the default fit (Talts et al. 2018), one design per family (validation/sbc-cases.ts, which says why the priors are the SBC ones, not the defaults; the sampler is the default): ${reps} replications on the worker pool (src/pool; the ranks do not depend on the number of workers), rank of the true value among ${SBC_L} posterior draws (the last draw of ${SBC_L} chains), ${SBC_BINS} bins of ${(SBC_L + 1) / SBC_BINS} ranks; p = Pearson χ² test of uniform bins (${SBC_BINS - 1} df). ` +
    `A simulated data set the model cannot take (an ordinal category with no row, a beta response that rounds to 0 or 1) is rejected and θ and y are drawn afresh, up to ${SBC_MAX_REDRAWS} times, the counts shown per family: this samples the joint p(θ, y) restricted to the data event A, whose posterior p(θ | y, A) equals the fit's p(θ | y) for y in A, so the rank stays uniform (redrawing y alone with θ kept would weight θ by 1/P(A | θ) and break it; validation/sbc-job.ts). ` +
    `With ${pValues} p-values in all (${families} families), about ${(pValues * 0.05).toFixed(1)} below 0.05 are expected by chance, and at least one below 0.001 with probability ${any.toFixed(2)} (were they independent); a p below 0.001 is a failure.`;
}

/** The redraw counts of a family's replications ("0 ×93, 1 ×6, 3 ×1"), when any was redrawn. */
function redrawLine(r: CaseResult): string[] {
  const counts = new Map<number, number>();
  for (const k of r.redraws ?? []) counts.set(k, (counts.get(k) ?? 0) + 1);
  if (![...counts.keys()].some((k) => k > 0)) return [];
  const shown = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k} ×${n}`).join(', ');
  const total = (r.redraws ?? []).reduce((a, k) => a + k, 0);
  return ['', `Simulated data sets refused and drawn afresh (θ and y), per replication: ${shown} (redraws × replications; ${total} in all, over ${r.redraws!.length} replications).`];
}

/** ", median 2.9 s, longest 748 s" of the fits' times (nothing for a record without them). */
function medianText(times: readonly number[] | undefined): string {
  if (!times?.length) return '';
  const t = [...times].sort((a, b) => a - b);
  const m = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  return `, median ${m.toFixed(1)} s, longest ${t[t.length - 1].toFixed(0)} s`;
}

/** Each failed replication with its message (a failure is never silent). */
function failureLines(r: CaseResult): string[] {
  return r.errors?.length ? ['', 'Failed replications:', '', ...r.errors.map((e) => `- ${e}`)] : [];
}

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const reps = Number(process.env.SBC_REPLICATIONS ?? 100);
  const wanted = process.env.SBC_FAMILIES?.split(',');
  const workers = workersWanted();
  const parts: string[] = [];
  let pValues = 0;
  const verdicts: string[] = [];
  const legacy: string[] = [];
  mkdirSync(join(repoFile('validation'), 'sbc'), { recursive: true });
  for (const c of SBC_CASES) {
    const file = resultsFile(c.family);
    let r: CaseResult;
    if (!wanted || wanted.includes(c.family)) {
      process.stderr.write(`sbc: ${c.family} (${c.like}) on ${workers} workers...\n`);
      r = await runCase(c, reps, file, process.env.SBC_RERUN === '1', workers);
    } else if (existsSync(file)) {
      r = gather(keptResults(file));
    } else if (existsSync(legacyFile(c.family))) {
      r = JSON.parse(readFileSync(legacyFile(c.family), 'utf8')) as CaseResult;
      legacy.push(c.family);
    } else continue;
    if (r.reps - r.failed < 2) continue;
    const rows: string[] = [];
    let worst = 1;
    for (const [name, rk] of Object.entries(r.ranks)) {
      const u = uniformity(rk);
      worst = Math.min(worst, u.p);
      rows.push(`| ${name} | ${u.counts.join(' ')} | ${u.chi2.toFixed(1)} | ${u.p.toFixed(3)} |`);
      pValues++;
    }
    const done = r.reps - r.failed;
    parts.push(`### ${c.family}: \`${c.formula}\`, like ${c.like}`, '',
      `SBC priors (simulation and fit): ${c.priors.map((p) => `\`${p}\``).join(', ')}. ${done} of ${r.reps} fits ran${r.reps < reps ? ` (of ${reps} asked: the run was cut short)` : ''} (${r.failed} failed); ${r.divergent} with divergences, ${r.warned} with a warning; ${(r.secs / Math.max(1, r.reps)).toFixed(1)} s per fit${medianText(r.times)} (in its worker). Smallest p ${worst.toFixed(3)}: ${worst >= 0.001 ? 'PASS' : 'FAIL'}.`,
      ...redrawLine(r), ...failureLines(r), '', '| parameter | rank histogram (10 bins) | χ² | p |', '|---|---|---|---|', ...rows, '');
    verdicts.push(`${c.family} ${worst >= 0.001 ? 'PASS' : 'FAIL'}`);
  }
  parts.unshift('## sbc', '', preamble(reps, pValues, verdicts.length), '', DEFAULTS_NOTE, '');
  parts.push(`Summary: ${verdicts.join(', ')}.`, '');
  if (legacy.length) parts.push(`Not rerun since ChEES's minimum warmup went from 20 to 100 (validation/calibration.ts): ${legacy.join(', ')} — their ranks are those of the sequential run before the pool (validation/sbc/<family>.json, warmup minimum 20).`, '');
  return parts.join('\n');
}
