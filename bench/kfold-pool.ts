/**
 * K-fold of the RCBD model comparison (examples/rcbd-compare.ts: three models, 8 folds by block, ChEES
 * at adapt_delta 0.95, seed 1) on the pool of worker threads (src/pool): the 24 refits on 1 worker
 * thread, then on 2, wall and CPU seconds of each, and whether the two answers are byte-identical.
 * Issue 27's target: 2 workers ≤ 0.6 × the one-worker wall. The machine may be shared: the load average
 * is recorded, and CPU seconds (process.cpuUsage, every thread) show the work done.
 */
import { loadavg } from 'node:os';
import { readCsvFile } from '../src/data/read.js';
import type { FitOptions } from '../src/fit.js';
import { kfold } from '../src/loo/kfold.js';
import { toJson } from '../src/report/format.js';
import { repoPath } from '../test/design/repo-path.js';

const factors = ['trt', 'block'];
const MODELS: { label: string; formula: string; family: FitOptions['family'] }[] = [
  { label: 'poisson_blocks', formula: 'count ~ trt + (1|block)', family: 'poisson' },
  { label: 'poisson_unit', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson' },
  { label: 'negbinomial', formula: 'count ~ trt + (1|block)', family: 'negbinomial' },
];

async function allFolds(workers: number): Promise<{ json: string; wall: number; cpu: number; load: number }> {
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
  const t0 = performance.now(), c0 = process.cpuUsage();
  const parts: string[] = [];
  for (const m of MODELS) {
    const opts: FitOptions = { formula: m.formula, data, family: m.family, factors, seed: 1, adaptDelta: 0.95 };
    parts.push(toJson(await kfold(opts, { K: 8, group: 'block', seed: 1, workers })));
  }
  const c = process.cpuUsage(c0);
  return { json: parts.join('\n'), wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, load: loadavg()[0] };
}

/** The benchmark section. */
export async function bench(): Promise<string> {
  const one = await allFolds(1);
  const two = await allFolds(2);
  const ratio = two.wall / one.wall;
  return [
    '## kfold-pool (K-fold refits on worker threads)',
    '',
    'K-fold by block of the three RCBD models of examples/rcbd-compare.ts (8 folds each, 24 ChEES refits at the sampler defaults, adapt_delta 0.95, seed 1), `kfold(…, { workers })` from src/pool:',
    '',
    '| workers | wall s | CPU s (all threads) | load at end |',
    '|---|---|---|---|',
    `| 1 | ${one.wall.toFixed(1)} | ${one.cpu.toFixed(1)} | ${one.load.toFixed(1)} |`,
    `| 2 | ${two.wall.toFixed(1)} | ${two.cpu.toFixed(1)} | ${two.load.toFixed(1)} |`,
    '',
    `2 workers / 1 worker wall: **${ratio.toFixed(2)}×** (target ≤ 0.6×: ${ratio <= 0.6 ? 'met' : 'not met'}); the two runs' kfold JSON ${one.json === two.json ? 'byte-identical' : 'DIFFER'}.`,
  ].join('\n');
}
