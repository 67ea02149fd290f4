/**
 * The default fit, as a user gets it: `fit()` at its defaults (ChEES, Laplace starts, warmup stopped by
 * nested R-hat, sampling until every β/sd/cor/family parameter has bulk/tail ESS ≥ 1000 and nested
 * R-hat ≤ its threshold) on the six reference GLMMs, compared with rstan (test/fixtures/
 * chees-references.json) on every reference mean and sd within 4 combined MCSE; and eight schools
 * (posteriordb) by sampleChees at its defaults with the same ESS rule on mu and tau.
 */
import { join } from 'node:path';
import { parameterMatrix, type Draws } from '../diagnostics/draws.js';
import { essBulk, essTail } from '../diagnostics/ess.js';
import { nestedRhatThreshold, rhatNested } from '../diagnostics/nested-rhat.js';
import { readCsvFile } from '../src/data/read.js';
import { fit } from '../src/fit.js';
import { DEFAULT_MIN_DRAWS } from '../src/fit/ess-target.js';
import { sampleChees } from '../src/sampler/chees.js';
import { eightSchools } from '../test/sampler/chees-targets.js';
import { compare, readFixture, REFERENCE_CASES, referenceOf, repoFile, table, type CheckRow } from './chees.js';

async function glmmSection(name: string): Promise<{ md: string; pass: boolean }> {
  const c = REFERENCE_CASES[name];
  const data = readCsvFile(repoFile(join('examples', 'data', c.file)), { factors: c.factors });
  const t0 = performance.now();
  const f = await fit({ formula: c.formula, data, family: c.family, factors: c.factors, seed: 1 });
  const secs = (performance.now() - t0) / 1000;
  const rows: CheckRow[] = [];
  for (const [pname, pref] of Object.entries(referenceOf(name).posterior)) {
    const j = f.draws.names.indexOf(pname);
    if (j < 0) throw new Error(`${name}: no parameter ${pname}`);
    rows.push(...compare(pname, parameterMatrix(f.draws, j), f.draws.nDraws, pref));
  }
  const s = f.summary.sampler!;
  const held = f.summary.parameters.filter((p) => p.class !== 'r');
  const minEss = Math.min(...held.map((p) => Math.min(p.ess_bulk ?? 0, p.ess_tail ?? 0)));
  const maxNr = Math.max(...held.map((p) => p.rhat_nested ?? Infinity));
  const pass = rows.every((r) => r.pass);
  return {
    pass,
    md: [`### ${name}: \`${c.formula}\` (${c.family})`, '',
      `fit() defaults, seed 1, ${secs.toFixed(1)} s in-process: ${s.engine}, ${s.chains} chains × ${s.draws} draws after ${s.warmup} warmup; min bulk/tail ESS ${Math.round(minEss)} (target ${s.ess_target}), max nested R-hat ${maxNr.toFixed(4)} (threshold ${s.rhat_nested_threshold?.toFixed(4)}); ${s.divergences} divergences; warnings: ${f.summary.warnings.length ? f.summary.warnings.join(' / ') : 'none'}. ${pass ? 'PASS' : 'FAIL'}`,
      '', table(rows)].join('\n'),
  };
}

/** sampleChees at its defaults (256 chains) on eight schools with the ESS-1000 rule on mu and tau: the run and its mu, tau columns. */
export async function eightSchoolsDefault(seed: number) {
  const cols = (d: Draws) => {
    const mu = parameterMatrix(d, 0);
    const tau = parameterMatrix(d, 1).map(Math.exp);
    return [mu, tau];
  };
  const rule = {
    target: 1000, minDraws: DEFAULT_MIN_DRAWS, block: 10,
    check: (d: Draws, ids: Int32Array) => {
      const thr = nestedRhatThreshold(d.nChains / new Set(ids).size);
      const [mu, tau] = cols(d);
      const ess = Math.min(...[mu, tau].flatMap((x) => [essBulk(x, d.nDraws), essTail(x, d.nDraws)]));
      const nr = Math.max(...[mu, tau].map((x) => rhatNested(x, d.nDraws, ids)));
      return { done: ess >= 1000 && nr <= thr, minEss: ess, parameter: 'mu/tau' };
    },
  };
  const r = await sampleChees(eightSchools(), { draws: 1000, seed, stopRule: rule });
  const [mu, tau] = cols(r.draws);
  return { run: r, mu, tau };
}

async function eightSchoolsSection(): Promise<{ md: string; pass: boolean }> {
  const ref = (readFixture('chees-references.json') as { eight_schools_noncentered: { reference_posterior: Record<string, { mean: number; sd?: number; mcse_mean: number; mcse_sd?: number }> } }).eight_schools_noncentered.reference_posterior;
  const { run: r, mu, tau } = await eightSchoolsDefault(2024);
  const rows = [...compare('mu', mu, r.draws.nDraws, ref.mu), ...compare('tau', tau, r.draws.nDraws, ref.tau)];
  const pass = rows.every((x) => x.pass);
  return {
    pass,
    md: ['### eight schools (non-centred), posteriordb reference draws', '',
      `sampleChees defaults (256 chains) with the ESS-1000 rule on mu and tau, seed 2024: ${r.draws.nDraws} draws after ${r.warmupIterations} warmup; min ESS ${Math.round(r.stopCheck?.minEss ?? NaN)}; ${r.divergences} divergences. ${pass ? 'PASS' : 'FAIL'}`,
      '', table(rows)].join('\n'),
  };
}

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const parts = ['## default-fit', '', 'The default fit (ESS target 1000) against rstan: |ours − ref| < 4·sqrt(mcse_ours² + mcse_ref²) for every reference mean and sd.', ''];
  const verdicts: string[] = [];
  const es = await eightSchoolsSection();
  parts.push(es.md, '');
  verdicts.push(`eight schools ${es.pass ? 'PASS' : 'FAIL'}`);
  for (const name of Object.keys(REFERENCE_CASES)) {
    process.stderr.write(`default-fit validation: ${name}...\n`);
    const g = await glmmSection(name);
    parts.push(g.md, '');
    verdicts.push(`${name} ${g.pass ? 'PASS' : 'FAIL'}`);
  }
  parts.push(`Summary: ${verdicts.join(', ')}.`, '');
  return parts.join('\n');
}
