/**
 * Latency of the answer a user gets: wall seconds of `glmm fit` at its defaults, as a spawned process
 * from start to exit, with `--out` (the README's first command), for the six reference models and the
 * other examples/data sets; beside each, the certificate it stopped on (min bulk-ESS and max nested
 * R-hat over the fixed effects, sds, correlations and family parameters, against the threshold) and
 * rstanarm's stan_glmer at its defaults on the same model (bench/stan/rstanarm.sh). Set
 * LATENCY_RSTANARM=1 (or a comma list of model names) to run rstanarm right after each of ours (same
 * minutes; needs R and rstanarm; the lines are appended to bench/stan/rstanarm.jsonl); otherwise the
 * last figures recorded there are shown with their date and load. LATENCY_MODELS=a,b runs only those models.
 * Beside each, the efficiency: min bulk-ESS per CPU-second of the glmm process against Stan's on this
 * machine (stanRate), and the ratio.
 * Targets (issue 14): RCBD ≤ 3 s, every reference model ≤ 10 s, ≤ 0.5× rstanarm's wall, ≥ 2× Stan's
 * min bulk-ESS per CPU-second.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoFile } from '../validation/chees.js';
import type { SummaryJson } from '../src/report/schema.js';

/** A model as the CLI takes it, and its name in bench/stan/rstanarm.R. */
interface LatencyCase {
  readonly name: string;
  readonly file: string;
  readonly formula: string;
  readonly family: string;
  readonly factors: string;
}

export const LATENCY_CASES: readonly LatencyCase[] = [
  { name: 'rcbd', file: 'rcbd.csv', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson', factors: 'trt,block' },
  { name: 'rcbd_nb', file: 'rcbd.csv', formula: 'count ~ trt + (1|block)', family: 'negbinomial', factors: 'trt,block' },
  { name: 'beitler', file: 'beitler_landis_1985.csv', formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial', factors: 't,clinic' },
  { name: 'cbpp', file: 'lme4_cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1|herd)', family: 'binomial', factors: 'period,herd' },
  { name: 'seeds', file: 'bugs_seeds.csv', formula: 'cbind(r, n - r) ~ x1*x2 + (1|plate)', family: 'binomial', factors: 'plate' },
  { name: 'lots_visible', file: 'sim_lots_visible.csv', formula: 'count ~ amount + (amount|lot) + (1|sample)', family: 'poisson', factors: 'lot,sample' },
  { name: 'salamanders_nb', file: 'glmmTMB_Salamanders.csv', formula: 'count ~ mined + spp + (1|site)', family: 'negbinomial', factors: 'mined,spp,site' },
  { name: 'epilepsy', file: 'brms_epilepsy.csv', formula: 'count ~ zAge + zBase * Trt + (1|patient) + (1|obs)', family: 'poisson', factors: 'Trt,patient,obs' },
  { name: 'verbagg', file: 'lme4_VerbAgg.csv', formula: 'r2 ~ Anger + Gender + btype + situ + (1|id) + (1|item)', family: 'bernoulli', factors: 'id,item' },
];

/**
 * The CPU seconds (user + system) of the children of a `sh -c '…; times'` run: the last line of its
 * stderr, POSIX `times` format `0m1.230000s 0m0.040000s` (children's user and system). NaN if absent.
 */
export function childCpuSeconds(stderr: string): number {
  const last = stderr.trim().split('\n').pop() ?? '';
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(last.trim());
  return m ? 60 * Number(m[1]) + Number(m[2]) + 60 * Number(m[3]) + Number(m[4]) : NaN;
}

/**
 * One timed `glmm fit` at its defaults: wall seconds from spawn to exit, and the CPU seconds of the glmm
 * process (user + system, all its threads: POSIX sh's `times` after the child exits). `cli` is the
 * built CLI to run (another checkout's, for a before/after comparison: bench/latency-before-after.ts).
 */
export function timeFit(c: LatencyCase, extra: readonly string[] = [], cli = repoFile('dist/src/cli/main.js')): { wall: number; cpu: number; summary: SummaryJson | null; error: string } {
  const out = mkdtempSync(join(tmpdir(), `latency-${c.name}-`));
  const args = [cli, 'fit', '--data', repoFile(join('examples', 'data', c.file)), '--formula', c.formula,
    '--family', c.family, '--factor', c.factors, '--out', out, '--json', ...extra];
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', '"$@"; s=$?; times >&2; exit $s', 'sh', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  const cpu = childCpuSeconds(r.stderr || '');
  const stderr = (r.stderr || '').trim().split('\n').slice(0, -2);
  if (r.status !== 0) return { wall, cpu, summary: null, error: stderr.pop() ?? `exit ${r.status}` };
  return { wall, cpu, summary: JSON.parse(r.stdout) as SummaryJson, error: '' };
}

/** The name of a latency case in bench/stan/same-machine.json (rstan on this machine), where it differs. */
const RSTAN_NAME: Record<string, string> = { rcbd: 'rcbd_poisson' };

/**
 * Stan's min bulk-ESS per CPU-second for a model: rstan on this machine (bench/stan/same-machine.json,
 * the table of bench/stan/RESULTS.md: 4 × (1000 + 4000), sampling CPU only) when measured, else
 * rstanarm's stan_glmer at its defaults (the last line of bench/stan/rstanarm.jsonl with `cpu_seconds`:
 * the sum of its chains' warmup + sampling seconds), else null.
 */
export function stanRate(name: string): { rate: number; source: string } | null {
  try {
    const j = JSON.parse(readFileSync(repoFile('bench/stan/same-machine.json'), 'utf8')) as { rate: Record<string, number> };
    const r = j.rate[RSTAN_NAME[name] ?? name];
    if (r > 0) return { rate: r, source: 'rstan' };
  } catch {
    // no same-machine file: fall through to rstanarm
  }
  const file = join(repoFile('bench/stan'), 'rstanarm.jsonl');
  if (!existsSync(file)) return null;
  const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { model: string; min_bulk_ess: number; cpu_seconds?: number });
  const row = rows.filter((x) => x.model === name && (x.cpu_seconds ?? 0) > 0).pop();
  return row ? { rate: row.min_bulk_ess / row.cpu_seconds!, source: 'rstanarm' } : null;
}

/** The certificate of a summary: min bulk-ESS and max nested R-hat over the held parameters. */
export function certificate(s: SummaryJson): { minEss: number; essParam: string; maxNested: number; nestedParam: string } {
  let minEss = Infinity, essParam = '', maxNested = -Infinity, nestedParam = '';
  for (const p of s.parameters) {
    if (p.class === 'r') continue;
    if ((p.ess_bulk ?? -1) < minEss) { minEss = p.ess_bulk ?? NaN; essParam = p.name; }
    if ((p.rhat_nested ?? Infinity) > maxNested) { maxNested = p.rhat_nested ?? NaN; nestedParam = p.name; }
  }
  return { minEss, essParam, maxNested, nestedParam };
}

/** rstanarm figures: run now (LATENCY_RSTANARM=1) or as recorded in bench/stan/rstanarm.jsonl. */
function rstanarmFigures(name: string): { process_seconds: number; min_bulk_ess: number; date: string; load: string } | null {
  const file = join(repoFile('bench/stan'), 'rstanarm.jsonl');
  const run = process.env.LATENCY_RSTANARM ?? '';
  if (run === '1' || run.split(',').includes(name)) {
    try {
      const line = execFileSync('sh', [repoFile('bench/stan/rstanarm.sh'), name], { encoding: 'utf8', cwd: repoFile('.') }).trim().split('\n').pop();
      if (line) {
        appendFileSync(file, line + '\n');
        return JSON.parse(line);
      }
    } catch {
      return null;
    }
  }
  if (!existsSync(file)) return null;
  const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return rows.filter((r) => r.model === name).pop() ?? null;
}

export async function bench(): Promise<string> {
  const rows = [
    '| model | wall s (glmm fit, defaults) | engine | chains × draws (warmup) | min bulk-ESS (param) | max nested R-hat (param) / threshold | rstanarm wall s (min bulk-ESS; when, load) | ratio | CPU s (glmm process) | min bulk-ESS per CPU-s | Stan\'s (source) | ESS/CPU-s ratio | sampler s (warmup + sampling) | sampler min bulk-ESS per s | sampler ratio |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const only = (process.env.LATENCY_MODELS ?? '').split(',').filter(Boolean);
  for (const c of LATENCY_CASES) {
    if (only.length > 0 && !only.includes(c.name)) continue;
    if (!existsSync(repoFile(join('examples', 'data', c.file)))) continue;
    const load = loadavg()[0];
    const r = timeFit(c);
    const stan = rstanarmFigures(c.name);
    const stanCell = stan ? `${stan.process_seconds.toFixed(1)} (${stan.min_bulk_ess}; ${stan.date}, load ${stan.load})` : '–';
    const ratio = stan ? `${(r.wall / stan.process_seconds).toFixed(2)}×` : '–';
    if (!r.summary) {
      rows.push(`| ${c.name} | ${r.wall.toFixed(1)} | – | failed: ${r.error} | – | – | ${stanCell} | – | – | – | – | – | – | – | – |`);
      continue;
    }
    const s = r.summary.sampler!;
    const cert = certificate(r.summary);
    const rate = cert.minEss / r.cpu;
    const sr = stanRate(c.name);
    const effCells = `${r.cpu.toFixed(2)} | ${Math.round(rate)} | ${sr ? `${sr.rate >= 10 ? Math.round(sr.rate) : sr.rate.toPrecision(3)} (${sr.source})` : '–'} | ${sr ? `${(rate / sr.rate).toFixed(1)}×` : '–'}`;
    const samplerSeconds = (s.seconds?.warmup ?? NaN) + (s.seconds?.sampling ?? NaN);
    const samplerRate = cert.minEss / samplerSeconds;
    const samplerCells = `${samplerSeconds.toFixed(2)} | ${Math.round(samplerRate)} | ${sr ? `${(samplerRate / sr.rate).toFixed(1)}×` : '–'}`;
    rows.push(`| ${c.name} | ${r.wall.toFixed(2)} (load ${load.toFixed(1)}) | ${s.engine} | ${s.chains} × ${s.draws} (${s.warmup}) | ${Math.round(cert.minEss)} (${cert.essParam}) | ${cert.maxNested.toFixed(4)} (${cert.nestedParam}) / ${s.rhat_nested_threshold?.toFixed(4) ?? '–'} | ${stanCell} | ${ratio} | ${effCells} | ${samplerCells} |`);
  }
  return ['## latency: `glmm fit` at its defaults, process start to exit', '', ...rows, '',
    'Wall seconds of a spawned `node dist/src/cli/main.js fit … --out DIR --json` (README\'s first command), the load average when it started; rstanarm: `sh bench/stan/rstanarm.sh` (Rscript start to exit: stan_glmer at its defaults, 4 chains × 2000, mc.cores 2, its own default priors). Targets: RCBD ≤ 3 s, every reference model ≤ 10 s, ratio ≤ 0.5. Efficiency: min bulk-ESS over the held parameters per CPU-second of the whole glmm process (start to exit: Laplace fit, sampling, summary and `--out` files included; user + system from sh\'s `times`), against Stan\'s min bulk-ESS per CPU-second on this machine (rstan: bench/stan/same-machine.json, sampling CPU only; rstanarm: its chains\' warmup + sampling seconds, bench/stan/rstanarm.jsonl); target ≥ 2× on every model. The sampler columns count what Stan\'s figure counts: the seconds of ChEES warmup + sampling as summary.json records them (sampler.seconds; one thread, so wall ≈ CPU on a quiet machine), without node\'s start, the Laplace fit, the summary and the files.'].join('\n');
}
