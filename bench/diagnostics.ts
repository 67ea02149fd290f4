/**
 * Speed of the posterior-style diagnostics: `summarizeDraws` (mean, median, sd, mad, q5, q95, rank-
 * normalized R-hat, bulk/tail ESS, MCSE of mean and sd) on AR(0.5) draws, 4 chains × 1,000 draws ×
 * 1,000 parameters and 4 × 10,000 × 100. Target: under 5 s each. Also CmdStan CSV write + read.
 */
import { cpus, loadavg } from 'node:os';
import seedrandom from 'seedrandom';
import type { Draws } from '../diagnostics/draws.js';
import { summarizeDraws } from '../diagnostics/summary.js';
import { readCmdStanCsv, writeCmdStanCsv } from '../diagnostics/cmdstan-csv.js';

function makeDraws(nChains: number, nDraws: number, nParams: number, seed: string, phi = 0.5): Draws {
  const rng = seedrandom(seed);
  const data = new Float64Array(nChains * nDraws * nParams);
  const prev = new Float64Array(nParams);
  for (let c = 0; c < nChains; c++) {
    prev.fill(0);
    for (let d = 0; d < nDraws; d++) {
      const row = (c * nDraws + d) * nParams;
      for (let p = 0; p < nParams; p++) {
        prev[p] = phi * prev[p] + (rng() - 0.5);
        data[row + p] = prev[p];
      }
    }
  }
  return { nChains, nDraws, names: Array.from({ length: nParams }, (_, p) => `theta.${p + 1}`), data };
}

/** Wall-clock and CPU (user + system) seconds of f: CPU time is the fairer figure on a shared machine. */
function time(f: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  f();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

export async function bench(): Promise<string> {
  const rows: string[] = [];
  for (const [C, N, P, phi] of [[4, 1000, 1000, 0.5], [4, 10000, 100, 0.5], [4, 1000, 1000, 0.99], [4, 10000, 100, 0.99]] as const) {
    const draws = makeDraws(C, N, P, `bench ${C}x${N}x${P}`, phi);
    const warm = makeDraws(C, N, 2, 'warm');
    summarizeDraws(warm);
    const s = time(() => summarizeDraws(draws));
    rows.push(`| summarizeDraws, AR(${phi}) | ${C} × ${N.toLocaleString('en')} × ${P.toLocaleString('en')} | ${s.wall.toFixed(2)} | ${s.cpu.toFixed(2)} | ${s.wall < 5 ? 'yes' : 'NO'} |`);
  }
  const draws = makeDraws(1, 1000, 1000, 'csv');
  let text = '';
  const w = time(() => (text = writeCmdStanCsv(draws.names, draws.data)));
  const r = time(() => readCmdStanCsv(text, 'bench.csv'));
  rows.push(`| writeCmdStanCsv | 1 chain × 1,000 × 1,000 (${(text.length / 1e6).toFixed(1)} MB) | ${w.wall.toFixed(2)} | ${w.cpu.toFixed(2)} | |`);
  rows.push(`| readCmdStanCsv | 1 chain × 1,000 × 1,000 | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | |`);
  return [
    '## diagnostics',
    '',
    'Every measure of posterior `summarise_draws` plus mcse_mean and mcse_sd, one thread. AR(0.5) draws stop the Geyer sequence after a few lags (direct sums); AR(0.99) draws need long lags (FFT path).',
    '',
    `Load average at the end: ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (wall time includes waiting for other processes).`,
    '',
    '| what | chains × draws × parameters | wall s | CPU s | wall under 5 s |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
