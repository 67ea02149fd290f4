/**
 * Crossed random effects with thousands of levels (issue 24): lme4's InstEval (73,421 ratings; 2,972
 * students × 1,128 lecturers + dept:service; examples/data/lme4_InstEval.csv) by lmer REML and as a
 * Bernoulli GLMM (y > 3) by Laplace, and a generated Poisson GLMM of 1,000,000 rows × 10,000 groups by
 * Laplace — each beside lme4 1.1-31 run in the same minutes when Rscript is on the PATH
 * (bench/insteval-lme4.R; R is never needed by tests or CI). Wall times are of the whole step, data
 * read to answer, in this process; lme4's are its fit alone and its process from start to exit.
 * GLMM_BENCH_INSTEVAL=lmer,glmer,poisson picks the steps (default all).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const golden: Record<string, { criterion?: number; logLik: number; sdcor: number[] }> = existsSync(GOLDEN_FILE) ? JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) : {};

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
  const fit = r.res.fit as number, fitCpu = r.res.fitCpu as number, sds = r.res.sdcor as number[];
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

/** InstEval as a Bernoulli GLMM by Laplace: ours and lme4's glmer (nAGQ = 1). */
function glmerRows(): string[] {
  const t = timed(() => {
    const frame = readCsvFile(DATA, { factors: FACTORS });
    const y = (frame.columns.get('y') as { values: Float64Array }).values;
    const cols = new Map(frame.columns);
    cols.set('y3', { kind: 'numeric', name: 'y3', values: Float64Array.from(y, (v) => (v > 3 ? 1 : 0)) });
    return fitLaplace(buildDesign(`y3 ~ ${FORMULA}`, { ...frame, columns: cols }, 'binomial'), { family: 'binomial', profile: false });
  });
  const fit = t.value;
  const sds = fit.varpars.map((v) => v.estimate);
  return pair('glmer Laplace InstEval y > 3', { wall: t.wall, cpu: t.cpu, crit: -2 * fit.logLik, sds, evals: fit.optimizer.evals, golden: againstGolden('insteval_glmer', -2 * fit.logLik, sds) }, 'glmer', (r) => -2 * (r.logLik as number));
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

/** GLMM_BENCH_INSTEVAL=lmer,glmer,poisson (the default: all three) picks the steps. */
export async function bench(): Promise<string> {
  if (!existsSync(DATA)) return `## insteval\n\nskipped: ${DATA} not found (run from the repository root)\n`;
  const steps = (process.env.GLMM_BENCH_INSTEVAL ?? 'lmer,glmer,poisson').split(',');
  const rows = ['| step | program | wall s | CPU s | ours / lme4 (fit alone) | −2 logLik (REML criterion) | sds | evaluations | load |', '|---|---|---|---|---|---|---|---|---|'];
  if (steps.includes('lmer')) rows.push(...lmerRows());
  if (steps.includes('glmer')) rows.push(...glmerRows());
  if (steps.includes('poisson')) rows.push(...poissonRows());
  return `## insteval\n\nCrossed and large random effects on the blocked sparse Cholesky (src/linalg/blocked-*.ts), lme4 1.1-31 beside it in the
same minutes, both under the bench's nice level (our wall and CPU: data read to answer, in this process; lme4's: its Rscript process
start to exit, and its fit alone, whose seconds the ratios use; CPU = user + system). The machine is shared, so the wall
ratio moves with the load (1-minute load average before and after each lme4 run); the CPU ratio moves less.
lme4's −2 logLik of a GLMM here is −2·logLik(m), the same quantity as ours. Our GLMM evaluations include the
Hessian's (2d² + 1, lme4's calc.derivs does the same but does not count them in feval).\n\n${rows.join('\n')}\n${posteriorCall === null ? '' : `
Posterior of the 1,000,000-row model (estimated, not run here): one plain-JS log density + gradient call over 32 chains (fit()'s
large-data chain count) takes ${posteriorCall.toFixed(2)} s wall at load ${load()}. The 100,000-row fit of the same model made 696
batched calls for 130 warmup iterations and 100 draws (section chees-100k); at least as many here puts one posterior fit at
≥ ${(696 * posteriorCall / 60).toFixed(0)} min wall on this machine, before sampling to ESS 1,000 (which took the 100,000-row fit several times that).\n`}`;
}
