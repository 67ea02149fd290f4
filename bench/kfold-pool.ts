/**
 * K-fold of the RCBD model comparison (examples/rcbd-compare.ts: three models, 8 folds by block, ChEES
 * at adapt_delta 0.95, seed 1) on the pool of worker threads (src/pool): the 24 refits on 1 worker
 * thread and on 2 (interleaved 1, 2, 2, 1), wall and CPU seconds of each, and whether the answers are byte-identical.
 * Issue 27's target: 2 workers ≤ 0.6 × the one-worker wall. The machine may be shared: the load average
 * is recorded, and CPU seconds (process.cpuUsage, every thread) show the work done.
 */
import { loadavg } from 'node:os';
import { readCsvFile } from '../src/data/read.js';
import type { FitOptions } from '../src/fit.js';
import { kfold } from '../src/loo/kfold.js';
import { toJson } from '../src/report/format.js';
import { repoPath } from '../test/design/repo-path.js';
import { closeWorkerPool } from '../src/pool/worker-pool.js';

const factors = ['trt', 'block'];
const MODELS: { label: string; formula: string; family: FitOptions['family'] }[] = [
  { label: 'poisson_blocks', formula: 'count ~ trt + (1|block)', family: 'poisson' },
  { label: 'poisson_unit', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson' },
  { label: 'negbinomial', formula: 'count ~ trt + (1|block)', family: 'negbinomial' },
];

async function allFolds(workers: number): Promise<{ json: string; wall: number; cpu: number; load: number }> {
  await closeWorkerPool(); // each configuration starts its own threads (once: they serve all 24 refits)
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
  const t0 = performance.now(), c0 = process.cpuUsage();
  // the three models' K-folds together on the process's pool (as examples/rcbd-compare.ts runs them)
  const parts = await Promise.all(MODELS.map(async (m) => {
    const opts: FitOptions = { formula: m.formula, data, family: m.family, factors, seed: 1, adaptDelta: 0.95 };
    return toJson(await kfold(opts, { K: 8, group: 'block', seed: 1, workers }));
  }));
  const c = process.cpuUsage(c0);
  return { json: parts.join('\n'), wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, load: loadavg()[0] };
}

/** The benchmark section: 1 and 2 workers interleaved (1, 2, 2, 1: a load that drifts hits both alike). */
export async function bench(): Promise<string> {
  const order = [1, 2, 2, 1];
  const runs: { workers: number; r: Awaited<ReturnType<typeof allFolds>> }[] = [];
  for (const workers of order) runs.push({ workers, r: await allFolds(workers) });
  const wall = (w: number) => runs.filter((x) => x.workers === w).reduce((s, x) => s + x.r.wall, 0);
  const ratio = wall(2) / wall(1);
  const identical = new Set(runs.map((x) => x.r.json)).size === 1;
  return [
    '## kfold-pool (K-fold refits on worker threads)',
    '',
    'K-fold by block of the three RCBD models of examples/rcbd-compare.ts (8 folds each, 24 ChEES refits at the sampler defaults, adapt_delta 0.95, seed 1), the three `kfold(…, { workers })` calls together on the process\'s worker pool (src/pool/worker-pool.ts: threads started once per configuration, costliest refit first), 1 and 2 workers interleaved:',
    '',
    '| run | workers | wall s | CPU s (all threads) | load at end |',
    '|---|---|---|---|---|',
    ...runs.map((x, i) => `| ${i + 1} | ${x.workers} | ${x.r.wall.toFixed(1)} | ${x.r.cpu.toFixed(1)} | ${x.r.load.toFixed(1)} |`),
    '',
    `2 workers / 1 worker wall (sums over the runs of each): **${ratio.toFixed(2)}×** (target ≤ 0.6×: ${ratio <= 0.6 ? 'met' : 'not met'}); the runs' kfold JSON ${identical ? 'byte-identical' : 'DIFFER'}.`,
  ].join('\n');
}
