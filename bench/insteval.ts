/**
 * Crossed random effects with thousands of levels (issue 24): lme4's InstEval (73,421 ratings; 2,972
 * students × 1,128 lecturers + dept:service; examples/data/lme4_InstEval.csv) by lmer REML (in this
 * process), as a Bernoulli GLMM (y > 3) by `glmm laplace` (a spawned process, start to exit), its gaussian
 * posterior by `glmm fit` at the defaults (spawned, start to exit, with where the time went and the
 * certificate it stopped on), and a generated Poisson GLMM of 1,000,000 rows × 10,000 groups by Laplace —
 * each beside lme4 1.1-31 run in the same minutes when Rscript is on the PATH (bench/insteval-lme4.R; R is
 * never needed by tests or CI). lme4's glmer on InstEval takes ~17 minutes: the recorded golden
 * (test/fixtures/sparse/insteval-golden.json, with its date) stands beside ours unless
 * GLMM_BENCH_INSTEVAL_LME4_GLMER=1 reruns it. GLMM_BENCH_INSTEVAL=lmer,glmer,fit,poisson picks the steps
 * (default all).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { readCsvFile, frameFromRows } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { fitLmm } from '../src/lmm/lmm.js';
import { fitLaplace } from '../src/laplace/laplace.js';
import { buildModel } from '../src/target/parameters.js';
import { compileJsDensity } from '../src/target/density-js.js';
import { rpois, rnormStd } from '../models/families/random.js';
import { certificate, childCpuSeconds } from './latency.js';
import type { SummaryJson } from '../src/report/schema.js';

const FORMULA = 'service + lectage + studage + (1|s) + (1|d) + (1|dept:service)';
const FACTORS = ['s', 'd', 'studage', 'lectage', 'service', 'dept'];
const DATA = 'examples/data/lme4_InstEval.csv';

/** lme4's run of one step, or null without R: its JSON line and the process's wall seconds. */
function lme4(which: string, csv?: string): { res: Record<string, unknown>; wall: number } | null {
  const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(lme4))'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const t0 = performance.now();
  const r = spawnSync('Rscript', ['bench/insteval-lme4.R', which, ...(csv ? [csv] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) return null;
  return { res: JSON.parse(r.stdout.trim().split('\n').pop() as string), wall };
}

/** The committed lme4 goldens of the full InstEval fits (test/fixtures/sparse/insteval-golden.R), when present. */
const GOLDEN_FILE = 'test/fixtures/sparse/insteval-golden.json';
const golden: Record<string, { criterion?: number; logLik: number; sdcor: number[]; beta: number[]; seconds: number; feval: number }> & { provenance?: { date: string; lme4: string } } = existsSync(GOLDEN_FILE) ? JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) : {};

/** Our answer against the golden (criterion difference, largest relative sd difference), or '' without one. */
function againstGolden(key: string, crit: number, sds: readonly number[]): string {
  const g = golden[key];
  if (!g) return '';
  const gc = g.criterion ?? -2 * g.logLik;
  const dsd = Math.max(...g.sdcor.map((v, i) => Math.abs(sds[i] - v) / Math.abs(v)));
  return ` (golden: Δ ${(crit - gc).toExponential(1)}, sds max rel Δ ${dsd.toExponential(1)})`;
}

const fmt = (xs: ArrayLike<number>, d = 4): string => Array.from(xs, (v) => v.toFixed(d)).join(', ');
const load = (): string => loadavg()[0].toFixed(1);

/** Wall and CPU seconds of f (this process: user + system). */
function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** Our row and lme4's beside it, with the ratios of the fits' wall and CPU seconds and the largest sd difference. */
function pair(step: string, ours: { wall: number; cpu: number; crit: number; sds: number[]; evals: number; extra?: string; golden?: string }, which: string, lmeCrit: (r: Record<string, unknown>) => number, csv?: string): string[] {
  const rows = [`| ${step} | ours | ${ours.wall.toFixed(1)} | ${ours.cpu.toFixed(1)} | | ${ours.crit.toFixed(4)}${ours.golden ?? ''} | ${fmt(ours.sds)}${ours.extra ?? ''} | ${ours.evals} | ${load()} |`];
  const l0 = load();
  const r = lme4(which, csv);
  if (!r) return rows;
  // one sd comes back from R's jsonlite as a number, not a list
  const fit = r.res.fit as number, fitCpu = r.res.fitCpu as number, sds = ([] as number[]).concat(r.res.sdcor as number | number[]);
  const dsd = Math.max(...sds.map((s, i) => Math.abs(ours.sds[i] - s) / Math.abs(s)));
  rows.push(`| ${step} | lme4 | ${r.wall.toFixed(1)} (fit ${fit.toFixed(1)}) | fit ${fitCpu.toFixed(1)} | ${(ours.wall / fit).toFixed(2)} wall, ${(ours.cpu / fitCpu).toFixed(2)} CPU | ${lmeCrit(r.res).toFixed(4)} (Δ ${(ours.crit - lmeCrit(r.res)).toExponential(1)}) | ${fmt(sds)} (max rel Δ ${dsd.toExponential(1)}) | ${r.res.feval} | ${l0}–${load()} |`);
  return rows;
}

/** InstEval lmer REML: ours and lme4's. */
function lmerRows(): string[] {
  const t = timed(() => fitLmm(buildDesign(`y ~ ${FORMULA}`, readCsvFile(DATA, { factors: FACTORS }), 'gaussian')));
  const fit = t.value;
  const sds = fit.varcomp.map((v) => v.sdcor);
  return pair('lmer REML InstEval', { wall: t.wall, cpu: t.cpu, crit: fit.deviance, sds, evals: fit.evaluations, golden: againstGolden('insteval_reml', fit.deviance, sds) }, 'lmer', (r) => r.criterion as number);
}

/** One spawned `glmm` command: wall seconds from spawn to exit, the process's CPU seconds (all threads), its stdout. */
function glmm(args: readonly string[]): { wall: number; cpu: number; stdout: string; error: string } {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', '"$@"; s=$?; times >&2; exit $s', 'sh', process.execPath, 'dist/src/cli/main.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  const err = (r.stderr || '').trim().split('\n').slice(0, -2);
  return { wall, cpu: childCpuSeconds(r.stderr || ''), stdout: r.stdout, error: r.status === 0 ? '' : err.pop() ?? `exit ${r.status}` };
}

/** The Laplace estimates of a summary.json by class. */
const laplaceOf = (s: SummaryJson, cls: string): number[] => s.parameters.filter((p) => p.class === cls).map((p) => p.laplace?.estimate ?? NaN);

/** InstEval as a Bernoulli GLMM by `glmm laplace` (process start to exit), against lme4's glmer (nAGQ = 1): rerun, or its golden. */
function glmerRows(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-bench-insteval-'));
  const csv = join(dir, 'insteval-y3.csv');
  const lines = readFileSync(DATA, 'utf8').trim().split('\n');
  writeFileSync(csv, [lines[0] + ',"y3"', ...lines.slice(1).map((l) => `${l},${Number(l.slice(l.lastIndexOf(',') + 1)) > 3 ? 1 : 0}`)].join('\n') + '\n');
  const l0 = load();
  const r = glmm(['laplace', '--data', csv, '--family', 'binomial', '--factor', FACTORS.join(','), '--formula', `y3 ~ ${FORMULA}`, '--json']);
  rmSync(dir, { recursive: true, force: true });
  if (r.error) return [`| glmer Laplace InstEval y > 3 | ours (glmm laplace) | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | | failed: ${r.error} | | | ${l0}–${load()} |`];
  const sum = JSON.parse(r.stdout) as SummaryJson;
  const crit = -2 * (sum.laplace?.logLik ?? NaN), sds = laplaceOf(sum, 'sd'), beta = laplaceOf(sum, 'b');
  const g = golden.insteval_glmer;
  const vsGolden = g ? ` (golden: Δ ${(crit + 2 * g.logLik).toExponential(1)}, sds max rel Δ ${Math.max(...g.sdcor.map((v, i) => Math.abs(sds[i] - v) / v)).toExponential(1)}, β max Δ ${Math.max(...g.beta.map((b, j) => Math.abs(beta[j] - b))).toExponential(1)})` : '';
  const rows = [`| glmer Laplace InstEval y > 3 | ours (glmm laplace, process) | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | | ${crit.toFixed(4)}${vsGolden} | ${fmt(sds)} | | ${l0}–${load()} |`];
  if (process.env.GLMM_BENCH_INSTEVAL_LME4_GLMER === '1') {
    const l1 = load();
    const lr = lme4('glmer');
    if (lr) {
      const fit = lr.res.fit as number, lsds = lr.res.sdcor as number[];
      rows.push(`| glmer Laplace InstEval y > 3 | lme4 | ${lr.wall.toFixed(1)} (fit ${fit.toFixed(1)}) | fit ${(lr.res.fitCpu as number).toFixed(1)} | ${(r.wall / lr.wall).toFixed(3)} wall (process/process) | ${(-2 * (lr.res.logLik as number)).toFixed(4)} | ${fmt(lsds)} | ${lr.res.feval} | ${l1}–${load()} |`);
    }
  } else if (g) {
    rows.push(`| glmer Laplace InstEval y > 3 | lme4 (recorded ${golden.provenance?.date ?? '?'}, insteval-golden.json; not rerun) | ${g.seconds.toFixed(1)} (fit) | | ${(r.wall / g.seconds).toFixed(3)} wall | ${(-2 * g.logLik).toFixed(4)} | ${fmt(g.sdcor)} | ${g.feval} | ~1 |`);
  }
  return rows;
}

/** Parameters whose posterior mean is furthest from the Laplace (lmer) estimate, in posterior sds. */
function againstLaplace(s: SummaryJson): string {
  let worst = 0, name = '';
  for (const p of s.parameters) {
    if (p.class === 'r' || !p.laplace || p.mean === null || !p.sd) continue;
    const z = Math.abs(p.mean - p.laplace.estimate) / p.sd;
    if (z > worst) { worst = z; name = p.name; }
  }
  return `${name} ${worst.toFixed(2)}`;
}

/** The gaussian posterior of InstEval by `glmm fit` at its defaults (process start to exit) and the certificate it stopped on. */
let fitText = '';
function fitRows(): string[] {
  const out = mkdtempSync(join(tmpdir(), 'glmm-bench-insteval-fit-'));
  const l0 = load();
  const r = glmm(['fit', '--data', DATA, '--family', 'gaussian', '--factor', FACTORS.join(','), '--formula', `y ~ ${FORMULA}`, '--out', out, '--json']);
  rmSync(out, { recursive: true, force: true });
  if (r.error) return [`| posterior InstEval gaussian (glmm fit, defaults) | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | failed: ${r.error} | | | | ${l0}–${load()} |`];
  const s = JSON.parse(r.stdout) as SummaryJson;
  const c = certificate(s), sm = s.sampler;
  const thr = sm?.rhat_nested_threshold ?? NaN;
  const ok = c.minEss >= (sm?.ess_target ?? 1000) && c.maxNested <= thr;
  fitText = ok ? 'certified' : 'not certified';
  return [`| posterior InstEval gaussian (glmm fit, defaults) | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${sm ? `${sm.engine}, ${sm.sampler}, ${sm.chains} chains × ${sm.draws} draws after ${sm.warmup} warmup; ${sm.seconds.warmup.toFixed(1)} s warmup + ${sm.seconds.sampling.toFixed(1)} s sampling` : ''} | ${c.minEss.toFixed(0)} (${c.essParam}) | ${c.maxNested.toFixed(4)} (${c.nestedParam}; threshold ${thr.toFixed(4)}) | ${fitText}; furthest from lmer: ${againstLaplace(s)} posterior sd | ${l0}–${load()} |`];
}

/** y ~ Poisson(exp(0.5 + 0.3 x + b_g)), b_g ~ N(0, 0.5²), 1,000,000 rows × 10,000 groups (seeded), written for lme4 too. */
function poissonRows(): string[] {
  const n = 1_000_000, groups = 10_000;
  const rng = seedrandom('insteval-bench-poisson-1m');
  const b = Array.from({ length: groups }, () => 0.5 * rnormStd(rng));
  const g = new Array<string>(n), x = new Float64Array(n), y = new Float64Array(n);
  const lines = ['y,x,g'];
  for (let i = 0; i < n; i++) {
    const j = i % groups;
    g[i] = `g${j}`; x[i] = rnormStd(rng); y[i] = rpois(rng, Math.exp(0.5 + 0.3 * x[i] + b[j]));
    lines.push(`${y[i]},${x[i]},${g[i]}`);
  }
  const csv = join(mkdtempSync(join(tmpdir(), 'glmm-bench-')), 'poisson-1m.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  const design = buildDesign('y ~ x + (1 | g)', frameFromRows({ y, x, g }), 'poisson');
  const t = timed(() => fitLaplace(design, { family: 'poisson', profile: false }));
  const fit = t.value;
  posteriorCall = densityCallSeconds(design);
  return pair('glmer Laplace Poisson 1,000,000 × 10,000', { wall: t.wall, cpu: t.cpu, crit: -2 * fit.logLik, sds: fit.varpars.map((v) => v.estimate), evals: fit.optimizer.evals, extra: `; β ${fmt(fit.beta)}` },
    'poisson', (r) => -2 * (r.logLik as number), csv);
}

/** The 1M-row model's plain-JS density + gradient: seconds of one call over 32 chains (fit()'s large-data chains), median of 3. */
let posteriorCall: number | null = null;
function densityCallSeconds(design: ReturnType<typeof buildDesign>): number {
  const target = compileJsDensity(buildModel(design, { family: 'poisson' }));
  const chains = 32;
  const rng = seedrandom('insteval-bench-density');
  const q = Float64Array.from({ length: target.dim * chains }, () => 0.1 * rnormStd(rng));
  const times = [0, 1, 2].map(() => { const t0 = performance.now(); target.logDensity(q, chains); return (performance.now() - t0) / 1000; });
  return times.sort((a, b) => a - b)[1];
}

/** GLMM_BENCH_INSTEVAL=lmer,glmer,fit,poisson (the default: all four) picks the steps. */
export async function bench(): Promise<string> {
  if (!existsSync(DATA)) return `## insteval\n\nskipped: ${DATA} not found (run from the repository root)\n`;
  const steps = (process.env.GLMM_BENCH_INSTEVAL ?? 'lmer,glmer,fit,poisson').split(',');
  const rows = ['| step | program | wall s | CPU s | ours / lme4 (fit alone) | −2 logLik (REML criterion) | sds | evaluations | load |', '|---|---|---|---|---|---|---|---|---|'];
  if (steps.includes('lmer')) rows.push(...lmerRows());
  if (steps.includes('glmer')) rows.push(...glmerRows());
  if (steps.includes('poisson')) rows.push(...poissonRows());
  const fitTable = steps.includes('fit') ? ['| step | wall s | CPU s | sampler | min bulk-ESS | max nested R-hat | verdict | load |', '|---|---|---|---|---|---|---|---|', ...fitRows()].join('\n') + '\n' : '';
  return `## insteval\n\nCrossed and large random effects on the blocked sparse Cholesky (src/linalg/blocked-*.ts), lme4 1.1-31 beside it in the
same minutes, both under the bench's nice level (our wall and CPU: data read to answer, in this process; lme4's: its Rscript process
start to exit, and its fit alone, whose seconds the ratios use; CPU = user + system). The machine is shared, so the wall
ratio moves with the load (1-minute load average before and after each lme4 run); the CPU ratio moves less.
lme4's −2 logLik of a GLMM here is −2·logLik(m), the same quantity as ours. Our GLMM evaluations include the
Hessian's (the GLMM with scalar terms on a canonical link: 2d + 1 gradient evaluations; otherwise 2d² + 1 deviances, as lme4's
calc.derivs, which feval does not count).\n\n${rows.join('\n')}\n${fitTable ? `
The gaussian posterior (\`glmm fit\` at its defaults: process start to exit, certified when min bulk-ESS ≥ the target and
max nested R-hat ≤ its threshold over the b, sd and sigma parameters):

${fitTable}` : ''}${posteriorCall === null ? '' : `
Posterior of the 1,000,000-row model (estimated, not run here): one plain-JS log density + gradient call over 32 chains (fit()'s
large-data chain count) takes ${posteriorCall.toFixed(2)} s wall at load ${load()}. The 100,000-row fit of the same model made 696
batched calls for 130 warmup iterations and 100 draws (section chees-100k); at least as many here puts one posterior fit at
≥ ${(696 * posteriorCall / 60).toFixed(0)} min wall on this machine, before sampling to ESS 1,000 (which took the 100,000-row fit several times that).\n`}`;
}
