/**
 * `glmm diagnose FILE.csv...`: posterior-style diagnostics of draws in CmdStan's CSV layout, one file
 * per chain (like CmdStan's `diagnose`/`stansummary` and R's `posterior::summarise_draws`). Sampler
 * columns (`…__`) are left out of the table but give the divergence, tree-depth and E-BFMI warnings.
 */
import { readFileSync } from 'node:fs';
import { GlmmInputError, fsErrorWords } from '../../base/errors.js';
import type { Draws } from '../../diagnostics/draws.js';
import { parameterMatrix } from '../../diagnostics/draws.js';
import { ebfmiPerChain } from '../../diagnostics/ebfmi.js';
import { nestedRhatThreshold, rhatNestedDraws } from '../../diagnostics/nested-rhat.js';
import { summarizeDraws, type VariableSummary } from '../../diagnostics/summary.js';
import { samplerWarnings } from '../../diagnostics/warnings.js';
import { parseDrawsTexts } from '../fit/io.js';

/** JSON schema version of `glmm diagnose --json`. */
export const DIAGNOSE_SCHEMA_VERSION = 1;

const JSON_KEYS = ['variable', 'rhat', 'rhat_nested', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95', 'mean', 'sd', 'median', 'mad', 'q5', 'q95'] as const;

/** A variable's diagnostics with its nested R-hat (NaN without superchains). */
type Row = VariableSummary & { rhat_nested: number };

/** Nested R-hat setting of a many-chain run: each chain's superchain, M chains in each. */
interface NestedInfo {
  readonly values: Float64Array;
  readonly chainsPerSuperchain: number;
}

/**
 * Nested R-hat of every variable when the files record each chain's superchain (`.superchain` column or
 * `# superchain = K` lines, as `glmm fit --out` writes for ChEES) in at least two equal superchains.
 */
function nestedOf(draws: Draws, superchains: number[] | null): NestedInfo | null {
  if (!superchains) return null;
  const sizes = new Map<number, number>();
  for (const k of superchains) sizes.set(k, (sizes.get(k) ?? 0) + 1);
  const m = [...sizes.values()];
  if (m.length < 2 || m.some((v) => v !== m[0])) return null;
  return { values: rhatNestedDraws(draws, superchains), chainsPerSuperchain: m[0] };
}

/**
 * Reads the draws files (one chain per file, from any sampler, `#` comment lines anywhere; a file with a
 * `.chain` column may hold several: glmm's draws.csv, posterior's draws_df, ArviZ) and returns the diagnostics of every non-sampler column: a
 * fixed-width text table followed by the warnings, or (`json: true`) `{schema_version, variables:
 * [{variable, rhat, rhat_nested, ess_bulk, …}], rhat_nested_threshold, warnings}` with NaN and ±Infinity
 * as null. When the files record superchains (a many-chain run), nested R-hat is computed per variable
 * and the verdict follows the fit's rules (nested R-hat against sqrt(1 + 1/M + 1e-4), ESS ≥ 400 in
 * total); in glmm's own files the random effects `r_…` are shown but do not raise warnings, as in the
 * fit. Throws GlmmInputError (one line naming file, line and column) on a missing file, a file that
 * looks like a data table (whole numbers only, no lp__ or .chain column; `force` reads it), columns that
 * differ between chains, or a non-numeric cell.
 */
export function diagnoseFiles(paths: string[], opts: { json: boolean; force?: boolean }): string {
  if (paths.length === 0) throw new GlmmInputError('no draws files given; pass one CmdStan CSV file per chain');
  const files = paths.map((p) => {
    try {
      return { name: p, text: readFileSync(p, 'utf8') };
    } catch (e) {
      throw new GlmmInputError(`${p}: cannot read the file (${fsErrorWords(e)}); check the path`);
    }
  });
  const { draws, sampler, comments, superchains } = parseDrawsTexts(files, { force: opts.force });
  if (draws.nDraws === 0) throw new GlmmInputError(`${paths[0]}: no draws (only a header); pass files with sampled rows`);
  const nested = nestedOf(draws, superchains);
  const summary: Row[] = summarizeDraws(draws).map((s, j) => ({ ...s, rhat_nested: nested ? nested.values[j] : NaN }));
  const ours = (comments[0] ?? []).some((l) => l.startsWith('# glmm '));
  const judged = ours ? summary.filter((s) => !s.variable.startsWith('r_')) : summary;
  const figures = samplerFigures(sampler, comments);
  const warnings = samplerWarnings({
    sampler: nested ? 'many-chain' : 'nuts',
    nChains: draws.nChains,
    nDraws: draws.nDraws,
    ...figures,
    ebfmi: nested ? undefined : figures.ebfmi,
    variables: judged,
    nestedRhat: nested ? { names: judged.map((s) => s.variable), values: judged.map((s) => s.rhat_nested), chainsPerSuperchain: nested.chainsPerSuperchain } : undefined,
  });
  const threshold = nested ? nestedRhatThreshold(nested.chainsPerSuperchain) : null;
  return opts.json ? toJson(summary, warnings, threshold) : toText(summary, warnings, draws, nested);
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

function toJson(summary: Row[], warnings: string[], threshold: number | null): string {
  const variables = summary.map((s) => {
    const row: Record<string, string | number | null> = {};
    for (const k of JSON_KEYS) row[k] = k === 'variable' ? s.variable : finiteOrNull(s[k]);
    return row;
  });
  return JSON.stringify({ schema_version: DIAGNOSE_SCHEMA_VERSION, variables, rhat_nested_threshold: threshold, warnings }, null, 2) + '\n';
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

function toText(summary: Row[], warnings: string[], draws: Draws, nestedInfo: NestedInfo | null): string {
  const nested = nestedInfo !== null;
  const perSuper = nestedInfo?.chainsPerSuperchain ?? 0;
  const threshold = nestedRhatThreshold(perSuper);
  const head = ['variable', 'mean', 'median', 'sd', 'mad', 'q5', 'q95', 'rhat', ...(nested ? ['rhat_nested'] : []), 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95'];
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
      ...(nested ? [fixed(s.rhat_nested, 3)] : []),
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
    `${draws.nChains} chain${draws.nChains === 1 ? '' : 's'} × ${draws.nDraws} draws, ${summary.length} variables` +
      (nested ? `; superchains of ${perSuper} chains: nested R-hat threshold ${threshold.toFixed(4)}` : ''),
    line(head),
    ...rows.map(line),
  ];
  out.push('');
  if (warnings.length === 0) out.push('No warnings.');
  else for (const w of warnings) out.push(`Warning: ${w}`);
  return out.join('\n') + '\n';
}
