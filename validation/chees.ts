/**
 * Validation of ChEES-HMC (src/sampler/chees.ts): long runs against reference posteriors.
 * - eight schools non-centred against posteriordb's reference draws (means of mu and tau);
 * - the six reference GLMMs against rstan (means and sds), once the model layer compiles them.
 * Rule: |ours − reference| < 4 · sqrt(mcse_ours² + mcse_ref²), mcse from posterior's mcse_mean / mcse_sd
 * (diagnostics/mcse.ts) on our draws and from the reference JSON (test/fixtures/chees-references.json,
 * a copy of shared/reference/glmm-references.json with provenance).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mcseMean, mcseSd } from '../diagnostics/mcse.js';
import { sampleChees, type CheesOptions } from '../src/sampler/chees.js';
import type { Target } from '../src/logdensity/contract.js';
import { eightSchools } from '../test/sampler/chees-targets.js';

/** Reference summary of one parameter (R posterior names). */
interface RefParam {
  mean: number;
  sd?: number;
  mcse_mean: number;
  mcse_sd?: number;
}

/** Reads a fixture from the repository (works from dist/ or any out dir). */
export function readFixture(name: string): unknown {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const root of [join(here, '..', '..'), join(here, '..'), process.cwd(), '/work/main']) {
    const p = join(root, 'test', 'fixtures', name);
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8'));
  }
  throw new Error(`fixture ${name} not found`);
}

/** One row of the comparison table. */
export interface CheckRow {
  readonly name: string;
  readonly what: 'mean' | 'sd';
  readonly ours: number;
  readonly ref: number;
  readonly z: number;
  readonly pass: boolean;
}

/** Compares column `x` (iterations × chains, column-major) with a reference summary. */
export function compare(name: string, x: Float64Array, nDraws: number, ref: RefParam): CheckRow[] {
  const S = x.length;
  let m = 0;
  for (let i = 0; i < S; i++) m += x[i];
  m /= S;
  let ss = 0;
  for (let i = 0; i < S; i++) ss += (x[i] - m) ** 2;
  const sd = Math.sqrt(ss / (S - 1));
  const rows: CheckRow[] = [];
  const zm = (m - ref.mean) / Math.hypot(mcseMean(x, nDraws), ref.mcse_mean);
  rows.push({ name, what: 'mean', ours: m, ref: ref.mean, z: zm, pass: Math.abs(zm) < 4 });
  if (ref.sd !== undefined && ref.mcse_sd !== undefined) {
    const zs = (sd - ref.sd) / Math.hypot(mcseSd(x, nDraws), ref.mcse_sd);
    rows.push({ name, what: 'sd', ours: sd, ref: ref.sd, z: zs, pass: Math.abs(zs) < 4 });
  }
  return rows;
}

/** Markdown table of check rows. */
export function table(rows: readonly CheckRow[]): string {
  const lines = ['| parameter | stat | ChEES | reference | z (combined MCSE) | pass |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.name} | ${r.what} | ${r.ours.toFixed(4)} | ${r.ref.toFixed(4)} | ${r.z.toFixed(2)} | ${r.pass ? 'yes' : '**NO**'} |`);
  return lines.join('\n');
}

/** Runs ChEES and returns one column per requested function of the unconstrained draws. */
export async function runColumns(target: Target, opts: CheesOptions, fns: readonly ((q: Float64Array) => number)[]) {
  const r = await sampleChees(target, opts);
  const { nChains, nDraws, data } = r.draws;
  const D = target.dim;
  const cols = fns.map(() => new Float64Array(nChains * nDraws));
  const q = new Float64Array(D);
  for (let c = 0; c < nChains; c++) {
    for (let n = 0; n < nDraws; n++) {
      q.set(data.subarray((c * nDraws + n) * D, (c * nDraws + n + 1) * D));
      fns.forEach((f, j) => (cols[j][c * nDraws + n] = f(q)));
    }
  }
  return { result: r, cols };
}

async function eightSchoolsSection(): Promise<{ md: string; pass: boolean }> {
  const ref = (readFixture('chees-references.json') as { eight_schools_noncentered: { reference_posterior: Record<string, RefParam> } })
    .eight_schools_noncentered.reference_posterior;
  const { result, cols } = await runColumns(eightSchools(), { chains: 256, draws: 400, seed: 2024 }, [(q) => q[0], (q) => Math.exp(q[1])]);
  const rows = [...compare('mu', cols[0], result.draws.nDraws, ref.mu), ...compare('tau', cols[1], result.draws.nDraws, ref.tau)];
  const pass = rows.every((r) => r.pass);
  const md = [
    `### eight schools (non-centred), posteriordb reference draws`,
    '',
    `256 chains × 400 draws, seed 2024; warmup ${result.warmupIterations} iterations (nested R-hat ${result.nestedRhat.warmup.toFixed(4)} < ${result.nestedRhat.threshold.toFixed(4)}: ${result.nestedRhat.converged}); ` +
      `step size ${result.stepSize.toFixed(3)}, ${result.nLeapfrogMean.toFixed(1)} leapfrog steps; ${result.divergences} divergences.`,
    '',
    table(rows),
  ].join('\n');
  return { md, pass };
}

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const parts: string[] = ['## chees', '', 'Rule: |ours − ref| < 4·sqrt(mcse_ours² + mcse_ref²) for every mean (and sd where the reference gives one).', ''];
  const es = await eightSchoolsSection();
  parts.push(es.md, '', `eight schools: ${es.pass ? 'PASS' : 'FAIL'}`, '');
  return parts.join('\n');
}
