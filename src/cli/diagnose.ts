/**
 * `glmm diagnose FILE.csv...`: posterior-style diagnostics of draws in CmdStan's CSV layout, one file
 * per chain (like CmdStan's `diagnose`/`stansummary` and R's `posterior::summarise_draws`). Sampler
 * columns (`…__`) are left out of the table but give the divergence, tree-depth and E-BFMI warnings.
 */
import { readFileSync } from 'node:fs';
import { GlmmInputError } from '../../base/errors.js';
import { readCmdStanCsv, type CmdStanChain } from '../../diagnostics/cmdstan-csv.js';
import { combineChains, splitByChainColumn } from '../../diagnostics/cmdstan-chains.js';
import type { Draws } from '../../diagnostics/draws.js';
import { parameterMatrix } from '../../diagnostics/draws.js';
import { ebfmiPerChain } from '../../diagnostics/ebfmi.js';
import { summarizeDraws, type VariableSummary } from '../../diagnostics/summary.js';
import { samplerWarnings } from '../../diagnostics/warnings.js';

/** JSON schema version of `glmm diagnose --json`. */
export const DIAGNOSE_SCHEMA_VERSION = 1;

const JSON_KEYS = ['variable', 'rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95', 'mean', 'sd', 'median', 'mad', 'q5', 'q95'] as const;

/**
 * Reads one CSV per chain (a file with a `chain`/`.chain` column may hold several) and returns the diagnostics of every non-sampler column: a fixed-width text
 * table followed by the warnings, or (`json: true`) `{schema_version, variables: [{variable, rhat,
 * ess_bulk, ess_tail, mcse_mean, mcse_sd, mcse_q5, mcse_median, mcse_q95, mean, sd, median, mad, q5, q95}], warnings}` with NaN and
 * ±Infinity as null. Throws GlmmInputError (one line naming file, line and column) on a missing file,
 * columns that differ between chains, or a non-numeric cell.
 */
export function diagnoseFiles(paths: string[], opts: { json: boolean }): string {
  if (paths.length === 0) throw new GlmmInputError('no draws files given; pass one CmdStan CSV file per chain');
  const chains: CmdStanChain[] = [];
  const sources: string[] = [];
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new GlmmInputError(`${p}: cannot read the file (${code === 'ENOENT' ? 'not found' : code ?? 'error'}); check the path`);
    }
    // one chain per file, or a file with a chain column (posterior draws_df, ArviZ) holding several
    const parts = splitByChainColumn(readCmdStanCsv(text, p));
    parts.forEach((c, k) => {
      chains.push(c);
      sources.push(parts.length > 1 ? `${p} (chain ${k + 1})` : p);
    });
  }
  const { draws, sampler, comments } = combineChains(chains, sources);
  if (draws.nDraws === 0) throw new GlmmInputError(`${paths[0]}: no draws (only a header); pass files with sampled rows`);
  const summary = summarizeDraws(draws);
  const warnings = samplerWarnings({
    sampler: 'nuts',
    nChains: draws.nChains,
    nDraws: draws.nDraws,
    ...samplerFigures(sampler, comments),
    variables: summary,
  });
  return opts.json ? toJson(summary, warnings) : toText(summary, warnings, draws);
}

/** Divergences, tree-depth hits and E-BFMI from the sampler columns, where present. */
function samplerFigures(sampler: Draws, comments: string[][]) {
  const col = (name: string) => {
    const j = sampler.names.indexOf(name);
    return j < 0 ? null : parameterMatrix(sampler, j);
  };
  const out: { divergences?: number; treedepthHits?: number; maxTreedepth?: number; ebfmi?: Float64Array } = {};
  const div = col('divergent__');
  if (div) out.divergences = div.reduce((s, v) => s + (v > 0 ? 1 : 0), 0);
  const depth = col('treedepth__');
  if (depth) {
    // CmdStan's configuration block: "#       max_depth = 10 (Default)"
    let max = 10;
    for (const line of comments[0] ?? []) {
      const m = /^#\s*max_depth\s*=\s*(\d+)/.exec(line);
      if (m) max = Number(m[1]);
    }
    out.maxTreedepth = max;
    out.treedepthHits = depth.reduce((s, v) => s + (v >= max ? 1 : 0), 0);
  }
  const energy = col('energy__');
  if (energy) out.ebfmi = ebfmiPerChain(energy, sampler.nDraws);
  return out;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function toJson(summary: VariableSummary[], warnings: string[]): string {
  const variables = summary.map((s) => {
    const row: Record<string, string | number | null> = {};
    for (const k of JSON_KEYS) row[k] = k === 'variable' ? s.variable : finiteOrNull(s[k]);
    return row;
  });
  return JSON.stringify({ schema_version: DIAGNOSE_SCHEMA_VERSION, variables, warnings }, null, 2) + '\n';
}

/** Decimals showing 3 significant digits of `scale` (posterior's print rule: digits of the spread). */
function decimals(scale: number): number {
  if (!Number.isFinite(scale) || scale === 0) return 2;
  return Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(scale)))));
}

function fixed(v: number, d: number): string {
  if (Number.isNaN(v)) return 'NA';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
  const s = v.toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function sig(v: number, n: number): string {
  if (Number.isNaN(v)) return 'NA';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
  return Number(v.toPrecision(n)).toString();
}

function toText(summary: VariableSummary[], warnings: string[], draws: Draws): string {
  const head = ['variable', 'mean', 'median', 'sd', 'mad', 'q5', 'q95', 'rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95'];
  const rows = summary.map((s) => {
    const d = decimals(s.sd);
    return [
      s.variable,
      fixed(s.mean, d),
      fixed(s.median, d),
      fixed(s.sd, d),
      fixed(s.mad, d),
      fixed(s.q5, d),
      fixed(s.q95, d),
      fixed(s.rhat, 3),
      fixed(s.ess_bulk, 0),
      fixed(s.ess_tail, 0),
      sig(s.mcse_mean, 2),
      sig(s.mcse_sd, 2),
      sig(s.mcse_q5, 2),
      sig(s.mcse_median, 2),
      sig(s.mcse_q95, 2),
    ];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  const out = [
    `${draws.nChains} chain${draws.nChains === 1 ? '' : 's'} × ${draws.nDraws} draws, ${summary.length} variables`,
    line(head),
    ...rows.map(line),
  ];
  out.push('');
  if (warnings.length === 0) out.push('No warnings.');
  else for (const w of warnings) out.push(`Warning: ${w}`);
  return out.join('\n') + '\n';
}
