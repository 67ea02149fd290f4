/**
 * Crossed random effects with thousands of levels (issue 24): lme4's InstEval (73,421 ratings; 2,972
 * students × 1,128 lecturers + dept:service; examples/data/lme4_InstEval.csv) by lmer REML and as a
 * Bernoulli GLMM (y > 3) by Laplace, and a generated Poisson GLMM of 1,000,000 rows × 10,000 groups by
 * Laplace — each beside lme4 1.1-31 run in the same minutes when Rscript is on the PATH
 * (bench/insteval-lme4.R; R is never needed by tests or CI). Wall times are of the whole step, data
 * read to answer, in this process; lme4's are its fit alone and its process from start to exit.
 * GLMM_BENCH_INSTEVAL_GLMER=0 skips the InstEval glmer pair (the longest step).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { readCsvFile, frameFromRows } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { fitLmm } from '../src/lmm/lmm.js';
import { fitLaplace } from '../src/laplace/laplace.js';
import { rpois, rnormStd } from '../models/families/random.js';

const FORMULA = 'service + lectage + studage + (1|s) + (1|d) + (1|dept:service)';
const FACTORS = ['s', 'd', 'studage', 'lectage', 'service', 'dept'];

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

const fmt = (xs: ArrayLike<number>, d = 4): string => Array.from(xs, (v) => v.toFixed(d)).join(', ');

/** InstEval lmer REML: ours and lme4's. */
function lmerRows(): string[] {
  const t0 = performance.now();
  const design = buildDesign(`y ~ ${FORMULA}`, readCsvFile('examples/data/lme4_InstEval.csv', { factors: FACTORS }), 'gaussian');
  const fit = fitLmm(design);
  const s = (performance.now() - t0) / 1000;
  const sds = fit.varcomp.map((v) => v.sdcor);
  const rows = [`| lmer REML InstEval | ours | ${s.toFixed(1)} | | ${fit.deviance.toFixed(4)} | ${fmt(sds)} | ${fit.evaluations} |`];
  const r = lme4('lmer');
  if (r) rows.push(`| lmer REML InstEval | lme4 | ${r.wall.toFixed(1)} | ${(r.res.fit as number).toFixed(1)} | ${(r.res.criterion as number).toFixed(4)} | ${fmt(r.res.sdcor as number[])} | ${r.res.feval} |`);
  return rows;
}

/** InstEval as a Bernoulli GLMM by Laplace: ours and lme4's glmer (nAGQ = 1). */
function glmerRows(): string[] {
  const t0 = performance.now();
  const frame = readCsvFile('examples/data/lme4_InstEval.csv', { factors: FACTORS });
  const y = (frame.columns.get('y') as { values: Float64Array }).values;
  const cols = new Map(frame.columns);
  cols.set('y3', { kind: 'numeric', name: 'y3', values: Float64Array.from(y, (v) => (v > 3 ? 1 : 0)) });
  const design = buildDesign(`y3 ~ ${FORMULA}`, { ...frame, columns: cols }, 'binomial');
  const fit = fitLaplace(design, { family: 'binomial', profile: false });
  const s = (performance.now() - t0) / 1000;
  const rows = [`| glmer Laplace InstEval y > 3 | ours | ${s.toFixed(1)} | | ${(-2 * fit.logLik).toFixed(4)} | ${fmt(fit.varpars.map((v) => v.estimate))} | ${fit.optimizer.evals} |`];
  const r = lme4('glmer');
  if (r) rows.push(`| glmer Laplace InstEval y > 3 | lme4 | ${r.wall.toFixed(1)} | ${(r.res.fit as number).toFixed(1)} | ${(-2 * (r.res.logLik as number)).toFixed(4)} | ${fmt(r.res.sdcor as number[])} | ${r.res.feval} |`);
  return rows;
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
  const t0 = performance.now();
  const design = buildDesign('y ~ x + (1 | g)', frameFromRows({ y, x, g }), 'poisson');
  const fit = fitLaplace(design, { family: 'poisson', profile: false });
  const s = (performance.now() - t0) / 1000;
  const rows = [`| glmer Laplace Poisson 1,000,000 × 10,000 | ours | ${s.toFixed(1)} | | ${(-2 * fit.logLik).toFixed(4)} | ${fmt(fit.varpars.map((v) => v.estimate))}; β ${fmt(fit.beta)} | ${fit.optimizer.evals} |`];
  const r = lme4('poisson', csv);
  if (r) rows.push(`| glmer Laplace Poisson 1,000,000 × 10,000 | lme4 | ${r.wall.toFixed(1)} | ${(r.res.fit as number).toFixed(1)} | ${(-2 * (r.res.logLik as number)).toFixed(4)} | ${fmt(r.res.sdcor as number[])}; β ${fmt(r.res.beta as number[])} | ${r.res.feval} |`);
  return rows;
}

export async function bench(): Promise<string> {
  const rows = ['| step | program | wall s | lme4 fit s | −2 logLik (REML criterion) | sds | evaluations |', '|---|---|---|---|---|---|---|', ...lmerRows()];
  if (process.env.GLMM_BENCH_INSTEVAL_GLMER !== '0') rows.push(...glmerRows());
  rows.push(...poissonRows());
  return `## insteval\n\nCrossed and large random effects on the blocked sparse Cholesky (src/linalg/blocked-*.ts), lme4 1.1-31 beside it
(our wall: data read to answer in this process; lme4's wall: its Rscript process, start to exit, with its fit alone beside).
lme4's −2 logLik of a GLMM here is −2·logLik(m), the same quantity as ours.\n\n${rows.join('\n')}\n`;
}
