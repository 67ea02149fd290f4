/**
 * One fit on several threads (issue 24 part 3; src/target/density-js-threads.ts): first the plain-JS
 * density's batched call at 1 and 2 threads over a range of call sizes (chains × perChainWork), which
 * sets the rule that keeps small models on one thread (THREADS_MIN_WORK); then whole `glmm fit` runs,
 * wall seconds from spawn to exit, CPU seconds and peak resident memory of the process (/usr/bin/time),
 * at --threads 1 and 2 alternately in the same minutes: the 100,000-row Poisson fit (simulatedPoisson of
 * chees-100k.ts, written to a temporary CSV), lme4's VerbAgg and the README's RCBD fit. The machine is
 * shared with other processes: the ratio of runs next to each other is the figure, each repeated
 * THREADS_REPS times (default 2; 1 for the 100k fit unless THREADS_100K_REPS says more).
 * THREADS_FITS=0 skips the fits; THREADS_MODELS=verbagg,rcbd runs only those; THREADS_100K_SHORT=1 below.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoFile } from '../validation/chees.js';
import { simulatedPoisson } from './chees-100k.js';
import { LATENCY_CASES } from './latency.js';
import { frameFromRows } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { buildModel } from '../src/target/parameters.js';
import { compileJsDensity, perChainWork } from '../src/target/density-js.js';
import { compileJsDensityThreaded, THREADS_MIN_WORK } from '../src/target/density-js-threads.js';
import type { Target } from '../src/sampler/target.js';

/** Median wall ms per call of `t` over `reps` calls at `chains` chains (after one warm call). */
function msPerCall(t: Target, q: Float64Array, chains: number, reps: number): number {
  t.logDensity(q, chains);
  const ms: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    t.logDensity(q, chains);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(reps / 2)];
}

/** The batched call at 1 and 2 threads, alternating, for simulated Poisson models of growing size. */
async function handoffRows(): Promise<string[]> {
  const rows: string[] = [];
  for (const [n, groups, chains] of [[16, 4, 1024], [200, 20, 256], [2000, 100, 64], [2000, 100, 256], [7584, 316, 32], [30_000, 300, 32]]) {
    const spec = buildModel(buildDesign('y ~ x + (1|g)', frameFromRows(simulatedPoisson(n, groups)), 'poisson'), { family: 'poisson' });
    const q = Float64Array.from({ length: chains * spec.dim }, (_, i) => 0.01 * Math.sin(i));
    const one = compileJsDensity(spec);
    const two = await compileJsDensityThreaded(spec, 2, chains);
    const reps = n >= 30_000 ? 5 : 21;
    const a: number[] = [], b: number[] = [];
    for (let r = 0; r < 3; r++) {
      a.push(msPerCall(one, q, chains, reps));
      b.push(msPerCall(two, q, chains, reps));
    }
    two.dispose?.();
    const m1 = Math.min(...a), m2 = Math.min(...b);
    const work = perChainWork(spec) * chains;
    process.stderr.write(`threads: ${n} rows, ${chains} chains: ${m1.toFixed(3)} / ${m2.toFixed(3)} ms\n`);
    rows.push(`| ${n.toLocaleString('en')} rows × ${groups} groups, ${chains} chains | ${(work / 1e6).toFixed(2)}M | ${m1.toFixed(3)} | ${m2.toFixed(3)} | ${(m2 / m1).toFixed(2)} | ${work >= THREADS_MIN_WORK ? 2 : 1} |`);
  }
  return rows;
}

/** One `glmm fit` process: wall s (spawn to exit), CPU s and max RSS MB of the process (GNU time). */
function timedFit(args: readonly string[]): { wall: number; cpu: number; rssMb: number; engine: string; error: string } {
  const out = mkdtempSync(join(tmpdir(), 'threads-fit-'));
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, repoFile('dist/src/cli/main.js'), 'fit', ...args, '--out', out, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  const cpu = m ? Number(m[1]) + Number(m[2]) : NaN;
  const rssMb = m ? Number(m[3]) / 1024 : NaN;
  if (r.status !== 0) return { wall, cpu, rssMb, engine: '', error: (r.stderr ?? '').trim().split('\n').slice(-2)[0] ?? `exit ${r.status}` };
  const summary = JSON.parse(r.stdout) as { sampler?: { engine?: string } };
  return { wall, cpu, rssMb, engine: summary.sampler?.engine ?? '', error: '' };
}

/** THREADS_100K_SHORT=1: the 100k fit with --warmup 20 --draws 20 (the same work per iteration, ~1/4 of the run), when the machine is too loaded for two full runs. */
const SHORT_100K = process.env.THREADS_100K_SHORT === '1';

interface FitCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly reps: number;
}

function fitCases(dir: string): FitCase[] {
  const reps = Number(process.env.THREADS_REPS ?? 2);
  const csv = join(dir, 'sim100k.csv');
  const d = simulatedPoisson();
  const lines = ['y,x,g'];
  for (let i = 0; i < d.y.length; i++) lines.push(`${d.y[i]},${d.x[i]},${d.g[i]}`);
  writeFileSync(csv, lines.join('\n') + '\n');
  const latency = (name: string): string[] => {
    const c = LATENCY_CASES.find((x) => x.name === name)!;
    return ['--data', repoFile(join('examples', 'data', c.file)), '--formula', c.formula, '--family', c.family, '--factor', c.factors];
  };
  return [
    { name: 'rcbd', args: latency('rcbd'), reps: reps + 1 },
    { name: 'verbagg', args: latency('verbagg'), reps },
    { name: 'poisson100k', args: ['--data', csv, '--formula', 'y ~ x + (1|g)', '--family', 'poisson', '--factor', 'g', ...(SHORT_100K ? ['--warmup', '20', '--draws', '20'] : [])], reps: Number(process.env.THREADS_100K_REPS ?? 1) },
  ];
}

const LABEL: Record<string, string> = {
  rcbd: 'RCBD (README: `count ~ trt + (1|block) + (1|block:trt)`, 16 rows)',
  verbagg: "lme4's VerbAgg (`r2 ~ Anger + Gender + btype + situ + (1|id) + (1|item)`, 7,584 rows)",
  poisson100k: `simulated Poisson \`y ~ x + (1|g)\`, 100,000 rows × 1,000 groups${SHORT_100K ? ' (--warmup 20 --draws 20)' : ''}`,
};

async function fitRows(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'threads-bench-'));
  const only = process.env.THREADS_MODELS?.split(',');
  const rows: string[] = [];
  try {
    for (const c of fitCases(dir).filter((x) => !only || only.includes(x.name))) {
      for (let r = 0; r < c.reps; r++) {
        process.stderr.write(`threads: ${c.name} rep ${r + 1}...\n`);
        const load = loadavg()[0];
        // alternate which goes first, so a change of load in the minutes does not favour one
        const order = r % 2 === 0 ? [1, 2] : [2, 1];
        const res = new Map(order.map((t) => [t, timedFit([...c.args, '--seed', '1', '--threads', String(t)])]));
        const [a, b] = [res.get(1)!, res.get(2)!];
        if (a.error || b.error) {
          rows.push(`| ${LABEL[c.name]} | ${r + 1} | error: ${a.error || b.error} | | | | | | |`);
          continue;
        }
        rows.push(`| ${LABEL[c.name]} | ${r + 1} | ${a.wall.toFixed(1)} | ${b.wall.toFixed(1)} | **${(b.wall / a.wall).toFixed(2)}** | ${a.cpu.toFixed(1)} / ${b.cpu.toFixed(1)} | ${a.rssMb.toFixed(0)} / ${b.rssMb.toFixed(0)} | ${b.engine} | ${load.toFixed(1)} |`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export async function bench(): Promise<string> {
  const parts = [
    '## threads (one fit on several threads)',
    '',
    `The plain-JS density's batched call, 1 against 2 threads (split by chains; min over 3 alternating rounds of the median of many calls, wall ms). Simulated Poisson \`y ~ x + (1|g)\`; the rule: 2 threads from a call of ${(THREADS_MIN_WORK / 1e6).toFixed(1)}M work (chains × rows × (1 + p + Σk)).`,
    '',
    '| model, chains | work per call | 1 thread ms | 2 threads ms | ratio | rule |',
    '|---|---|---|---|---|---|',
    ...(await handoffRows()),
  ];
  if (process.env.THREADS_FITS !== '0') {
    parts.push('', '`glmm fit` at its defaults (--seed 1, --out), `--threads 1` and `--threads 2` back to back (the order alternating), wall seconds from spawn to exit; CPU s (user + system, all threads) and peak RSS from GNU time; targets (issue 24): 100k ≤ 0.6×, VerbAgg ≤ 0.65×, RCBD not slower, peak memory of the 100k fit < 600 MB. The draws of both runs are identical (test/target/density-js-threads.test.ts).', '',
      '| fit | rep | wall s, 1 thread | wall s, 2 threads | ratio | CPU s 1 / 2 | peak RSS MB 1 / 2 | engine (2) | load before |',
      '|---|---|---|---|---|---|---|---|---|',
      ...(await fitRows()));
  }
  return parts.join('\n');
}
