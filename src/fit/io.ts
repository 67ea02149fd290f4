/**
 * Export and reload of a fit: summary.json plus one CmdStan-layout CSV per chain (DESIGN.md §CLI
 * `--out DIR`), and the reverse, so draws can be checked with CmdStan/R tools or summarized again.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chainToCmdStanCsv, combineChains } from '../../diagnostics/cmdstan-chains.js';
import { readCmdStanCsv } from '../../diagnostics/cmdstan-csv.js';
import type { Draws } from '../../diagnostics/draws.js';
import { GlmmInputError } from '../../base/errors.js';
import { toJson } from '../report/format.js';
import type { SummaryJson } from '../report/schema.js';

/** Writes summary.json and draws_chainK.csv (K = 1..chains) into `dir`. */
export function saveFit(dir: string, f: { summary: SummaryJson; draws: Draws; samplerDraws?: Draws }): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new GlmmInputError(`${dir}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path`);
  }
  writeFileSync(join(dir, 'summary.json'), toJson(f.summary) + '\n');
  const m = f.summary.model;
  const comments = [`# glmm ${f.summary.package_version}: ${m.formula} (${m.family}, ${m.link})`];
  for (let c = 0; c < f.draws.nChains; c++) {
    writeFileSync(join(dir, `draws_chain${c + 1}.csv`), chainToCmdStanCsv(f.draws, c, { sampler: f.samplerDraws, comments }));
  }
}

/** Reads back what {@link saveFit} wrote: the summary and the draws (sampler columns separate). */
export function loadDraws(dir: string): { summary: SummaryJson | null; draws: Draws; sampler: Draws } {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^draws_chain\d+\.csv$/.test(f));
  } catch {
    throw new GlmmInputError(`${dir}: cannot read the directory; pass the --out directory of a fit`);
  }
  files.sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
  if (files.length === 0) throw new GlmmInputError(`${dir}: no draws_chainK.csv files; pass the --out directory of a fit`);
  const paths = files.map((f) => join(dir, f));
  const chains = paths.map((p) => readCmdStanCsv(readFileSync(p, 'utf8'), p));
  const { draws, sampler } = combineChains(chains, paths);
  let summary: SummaryJson | null = null;
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
  } catch {
    summary = null;
  }
  return { summary, draws, sampler };
}
