/**
 * The latency bench (bench/latency.ts: `glmm fit` at its defaults, wall seconds from spawn to exit) on two
 * builds interleaved — for each round and model, the before build's CLI then this build's (ABAB…) — so that
 * the drift of a shared machine's load falls on both. Used for issue 22's before/after note
 * (bench/families-before-after.md). From the repository root after `npm run build`, with the before
 * commit checked out and built in DIR (bench/families-before-after.sh makes one the same way):
 *   `node dist/bench/latency-before-after.js DIR [rounds=3] [AFTER_DIR]` (LATENCY_MODELS=a,b as for latency.ts);
 * AFTER_DIR (default this checkout) is another built checkout to time as "after".
 * Prints one markdown row per model: each side's walls, the ratio of medians and of minima, the load
 * average over its runs, and whether both builds drew the same posterior (same engine, chains × draws and
 * min bulk-ESS: the defaults and the seed are the same, so a refactor that keeps the arithmetic keeps them).
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { LATENCY_CASES, certificate, timeFit } from './latency.js';
import { repoFile } from '../validation/chees.js';
import type { SummaryJson } from '../src/report/schema.js';

interface Side { walls: number[]; loads: number[]; signature: string }

const median = (x: readonly number[]) => {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** What a run sampled: engine, chains × draws (warmup) and min bulk-ESS, equal for equal arithmetic. */
function signature(s: SummaryJson | null, error: string): string {
  if (!s) return `failed: ${error}`;
  const c = certificate(s);
  return `${s.sampler!.engine} ${s.sampler!.chains}×${s.sampler!.draws} (${s.sampler!.warmup}) ESS ${c.minEss.toFixed(1)}`;
}

/** One run of a model on one side, its wall time and the 1-minute load average when it started. */
function runOnce(side: Side, c: (typeof LATENCY_CASES)[number], cli: string): void {
  side.loads.push(loadavg()[0]);
  const r = timeFit(c, [], cli);
  side.walls.push(r.wall);
  const sig = signature(r.summary, r.error);
  side.signature = side.signature === '' || side.signature === sig ? sig : `${side.signature} | ${sig}`;
}

export function latencyBeforeAfter(beforeRoot: string, rounds: number, afterRoot?: string): string[] {
  const only = (process.env.LATENCY_MODELS ?? '').split(',').filter(Boolean);
  const cases = LATENCY_CASES.filter((c) => only.length === 0 || only.includes(c.name));
  const clis = { before: join(beforeRoot, 'dist/src/cli/main.js'), after: afterRoot ? join(afterRoot, 'dist/src/cli/main.js') : repoFile('dist/src/cli/main.js') };
  const rows = [
    '| model | before wall s (runs) | after wall s (runs) | after/before, medians | after/before, minima | load (1-min) over the runs | same draws |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of cases) {
    const before: Side = { walls: [], loads: [], signature: '' };
    const after: Side = { walls: [], loads: [], signature: '' };
    for (let r = 0; r < rounds; r++) {
      runOnce(before, c, clis.before);
      runOnce(after, c, clis.after);
    }
    const loads = [...before.loads, ...after.loads];
    const fmt = (s: Side) => s.walls.map((w) => w.toFixed(2)).join(', ');
    const row = `| ${c.name} | ${fmt(before)} | ${fmt(after)} | ${(median(after.walls) / median(before.walls)).toFixed(3)} | ${(Math.min(...after.walls) / Math.min(...before.walls)).toFixed(3)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | ${before.signature === after.signature ? `yes (${after.signature})` : `no: before ${before.signature}; after ${after.signature}`} |`;
    process.stderr.write(row + '\n');
    rows.push(row);
  }
  return rows;
}

if (process.argv[1]?.endsWith('latency-before-after.js')) {
  const [beforeRoot, rounds, afterRoot] = process.argv.slice(2);
  if (!beforeRoot) throw new Error('usage: node dist/bench/latency-before-after.js BEFORE_CHECKOUT [rounds=3] [AFTER_CHECKOUT]');
  console.log(latencyBeforeAfter(beforeRoot, Number(rounds ?? 3), afterRoot).join('\n'));
}
