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
import { mean, variance } from '../diagnostics/basic-stats.js';
import { sampleChees, type CheesOptions } from '../src/sampler/chees.js';
import type { Target } from '../src/sampler/target.js';
import { eightSchools } from '../test/sampler/chees-targets.js';
import { readCsvFile } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { buildModel, type ModelSpec } from '../src/target/parameters.js';
import { constrainDraws } from '../src/target/constrain.js';
import { compileLogDensity } from '../src/target/compile.js';
import { fastestBackend, useBackend, type BackendName } from '../src/logdensity/tfjs.js';
import type { FamilyName } from '../models/families/types.js';
import { parameterMatrix } from '../diagnostics/draws.js';
import { chooseChains } from '../src/sampler/adaptation/chees-chains.js';

/** Reference summary of one parameter (R posterior names). */
interface RefParam {
  mean: number;
  sd?: number;
  mcse_mean: number;
  mcse_sd?: number;
}

/** Finds a file of the repository (works from dist/ or any out dir). */
export function repoFile(rel: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const root of [join(here, '..', '..'), join(here, '..'), process.cwd()]) {
    const p = join(root, rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`${rel} not found from ${here} or ${process.cwd()}`);
}

/** Reads a fixture of test/fixtures/. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(repoFile(join('test', 'fixtures', name)), 'utf8'));
}

/** The six reference GLMMs: data file (examples/data), formula, family, factor columns. */
export const REFERENCE_CASES: Record<string, { file: string; formula: string; family: FamilyName; factors: string[] }> = {
  rcbd_poisson: { file: 'rcbd.csv', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson', factors: ['trt', 'block'] },
  beitler: { file: 'beitler_landis_1985.csv', formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial', factors: ['t', 'clinic'] },
  cbpp: { file: 'lme4_cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1|herd)', family: 'binomial', factors: ['period', 'herd'] },
  seeds: { file: 'bugs_seeds.csv', formula: 'cbind(r, n - r) ~ x1*x2 + (1|plate)', family: 'binomial', factors: ['plate'] },
  lots_visible: { file: 'sim_lots_visible.csv', formula: 'count ~ amount + (amount|lot) + (1|sample)', family: 'poisson', factors: ['lot', 'sample'] },
  salamanders_nb: { file: 'glmmTMB_Salamanders.csv', formula: 'count ~ mined + spp + (1|site)', family: 'negbinomial', factors: ['mined', 'spp', 'site'] },
};

/** Reference posterior and Stan figures of a case (test/fixtures/chees-references.json). */
export function referenceOf(name: string): { posterior: Record<string, RefParam>; stan: { min_bulk_ess_per_cpu_second: number; cpu_seconds: number } } {
  return (readFixture('chees-references.json') as { cases: Record<string, never> }).cases[name];
}

/** Builds the model of a reference case and compiles its batched log density on `backend`. */
export async function loadCase(name: string, backend?: BackendName): Promise<{ spec: ModelSpec; target: Target; backend: BackendName }> {
  const c = REFERENCE_CASES[name];
  const df = readCsvFile(repoFile(join('examples', 'data', c.file)), { factors: c.factors });
  const design = buildDesign(c.formula, df, c.family, { factors: c.factors });
  const spec = buildModel(design, { family: c.family });
  const used = backend ? await useBackend(backend) : await fastestBackend();
  const target = compileLogDensity(spec, { backend: used });
  return { spec, target, backend: used };
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
  const m = mean(x);
  const sd = Math.sqrt(variance(x));
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

/** One reference GLMM: ChEES draws constrained, compared with rstan on every reference parameter. */
async function glmmSection(name: string): Promise<{ md: string; pass: boolean }> {
  const { spec, target, backend } = await loadCase(name);
  const ref = referenceOf(name).posterior;
  // correctness, not speed: 256 chains × 200 draws give bulk ESS of 10⁴ or more (bench/chees.ts uses chooseChains)
  const chains = chooseChains({ rows: spec.design.nobs, dim: spec.dim }, { maxChains: 256 });
  const r = await sampleChees(target, { chains, draws: 200, seed: 1 });
  target.dispose?.();
  const cd = constrainDraws(spec, r.draws);
  const rows: CheckRow[] = [];
  for (const [pname, pref] of Object.entries(ref)) {
    const j = cd.names.indexOf(pname);
    if (j < 0) throw new Error(`${name}: the model has no parameter ${pname} (has ${cd.names.filter((n) => !n.startsWith('r_')).join(', ')})`);
    rows.push(...compare(pname, parameterMatrix(cd, j), cd.nDraws, { mean: pref.mean, sd: pref.sd, mcse_mean: pref.mcse_mean, mcse_sd: pref.mcse_sd }));
  }
  const pass = rows.every((x) => x.pass);
  const md = [
    `### ${name}: \`${REFERENCE_CASES[name].formula}\` (${REFERENCE_CASES[name].family})`,
    '',
    `${chains} chains × 200 draws on ${backend}, seed 1; warmup ${r.warmupIterations} iterations (nested R-hat ${r.nestedRhat.warmup.toFixed(4)} vs ${r.nestedRhat.threshold.toFixed(4)}, converged: ${r.nestedRhat.converged}); ` +
      `step size ${r.stepSize.toPrecision(3)}, n* ${r.nLeapfrogMean.toFixed(1)}; ${r.divergences} divergences of ${chains * 200}. ${pass ? 'PASS' : 'FAIL'}`,
    '',
    table(rows),
  ].join('\n');
  return { md, pass };
}

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const parts: string[] = ['## chees', '', 'Rule: |ours − ref| < 4·sqrt(mcse_ours² + mcse_ref²) for every mean (and sd where the reference gives one); mcse_ours from posterior\'s mcse_mean/mcse_sd over all chains.', ''];
  const es = await eightSchoolsSection();
  parts.push(es.md, '', `eight schools: ${es.pass ? 'PASS' : 'FAIL'}`, '');
  const verdicts: string[] = [];
  for (const name of Object.keys(REFERENCE_CASES)) {
    process.stderr.write(`chees validation: ${name}...\n`);
    const g = await glmmSection(name);
    parts.push(g.md, '');
    verdicts.push(`${name} ${g.pass ? 'PASS' : 'FAIL'}`);
  }
  parts.push(`Summary: ${verdicts.join(', ')}.`, '');
  return parts.join('\n');
}
