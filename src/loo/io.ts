/**
 * The pointwise log-likelihood on disk, beside a fit's draws (`glmm fit --log-lik --out DIR`):
 * log_lik_chainK.csv (CmdStan layout, columns log_lik.1..N, one file per chain, so draws_chainK.csv
 * stay small) and log_lik_rows.csv (per observation: its data row, 1-based, and its level of each
 * grouping factor, for leave-one-group-out from the directory alone).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chainToCmdStanCsv } from '../../diagnostics/cmdstan-chains.js';
import type { Draws } from '../../diagnostics/draws.js';
import { readCsv } from '../data/read.js';
import type { Design } from '../design/types.js';
import { GlmmInputError } from '../../base/errors.js';
import { groupsFromLabels, type RowGroups } from './group.js';
import { readLogLik } from './read.js';

/** Quotes a CSV cell when needed. */
function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes log_lik_chainK.csv (K = 1..chains) and log_lik_rows.csv into `dir` (which exists). */
export function saveLogLik(dir: string, ll: Draws, design: Design, comment: string): void {
  for (let c = 0; c < ll.nChains; c++) writeFileSync(join(dir, `log_lik_chain${c + 1}.csv`), chainToCmdStanCsv(ll, c, { comments: [comment] }));
  const rows = design.rows ?? Int32Array.from({ length: design.nobs }, (_, i) => i);
  const groups = [...new Map(design.random.map((t) => [t.group, t])).values()];
  const lines = [['row', ...groups.map((t) => t.group)].map(cell).join(',')];
  for (let i = 0; i < design.nobs; i++) lines.push([String(rows[i] + 1), ...groups.map((t) => t.levels[t.index[i]])].map(cell).join(','));
  writeFileSync(join(dir, 'log_lik_rows.csv'), lines.join('\n') + '\n');
}

/** The log_lik_chainK.csv files of a directory, in chain order (empty when there are none). */
export function logLikFiles(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^log_lik_chain\d+\.csv$/.test(f));
  } catch {
    throw new GlmmInputError(`${dir}: cannot read the directory; pass a --out directory of glmm fit`);
  }
  return files.sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''))).map((f) => join(dir, f));
}

/** Reads the log-likelihood of a --out directory; GlmmInputError saying how to write it when absent. */
export function loadLogLik(dir: string): Draws {
  const files = logLikFiles(dir);
  if (files.length === 0) throw new GlmmInputError(`${dir}: no log_lik_chainK.csv files; refit with glmm fit --log-lik --out ${dir}`);
  return readLogLik(files);
}

/** The level of each observation of grouping `g` from a directory's log_lik_rows.csv, or a data CSV's column g (row i = observation i). */
export function groupsFromCsv(path: string, g: string): RowGroups {
  if (!existsSync(path)) throw new GlmmInputError(`${path}: not found; pass the data file (--data) whose rows match the log_lik columns`);
  const frame = readCsv(readFileSync(path, 'utf8'));
  const col = frame.columns.get(g);
  if (!col) throw new GlmmInputError(`${path} has no column '${g}'; its columns are ${[...frame.columns.keys()].join(', ')}`);
  const labels = Array.from({ length: frame.nrow }, (_, i) => (col.kind === 'factor' ? (col.codes[i] < 0 ? null : col.levels[col.codes[i]]) : Number.isNaN(col.values[i]) ? null : String(col.values[i])));
  return groupsFromLabels(g, labels);
}
