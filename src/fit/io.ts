/**
 * Export and reload of a fit (DESIGN.md §CLI `--out DIR`): summary.json plus the draws in CmdStan's CSV
 * layout, and the reverse, so draws can be checked with CmdStan/R tools or summarized again.
 *
 * Two draws layouts, both read back by {@link loadDraws} and `glmm diagnose`:
 * - `per-chain`: `draws_chainK.csv`, one file per chain, as CmdStan writes (NUTS' default; a
 *   many-chain run adds a `# superchain = K` line to each);
 * - `combined`: one `draws.csv` with posterior's `.chain,.iteration,.draw` columns and `.superchain`
 *   (many-chain runs' default). Measured on the RCBD model (28 variables, 256 chains × 100 draws, load ~9
 *   on 2 cores): combined one file of 16.2 MB, written in 1.3 s and read in 0.8–1.1 s; per-chain 256
 *   files of 16.1 MB in all, 1.0–1.7 s and 0.7–0.8 s. The size and time are the same; one file is what
 *   a user can handle, and R's posterior and ArviZ read it as a data frame.
 *
 * The text builders ({@link fitOutputFiles}, {@link drawsCsvFiles}) are pure (a browser can offer them
 * as downloads); {@link saveFit} writes them through `out-dir.ts` (a temporary directory moved into place).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chainToCmdStanCsv, combineChains, combinedCsvChunks, splitByChainColumn, superchainNumbers } from '../../diagnostics/cmdstan-chains.js';
import { readCmdStanCsv, type CmdStanChain } from '../../diagnostics/cmdstan-csv.js';
import type { Draws } from '../../diagnostics/draws.js';
import { GlmmInputError, fsErrorWords } from '../../base/errors.js';
import { toJson } from '../report/format.js';
import type { SummaryJson } from '../report/schema.js';
import { openOutDir, type OutputFile } from './out-dir.js';

export { outputText, type OutputFile } from './out-dir.js';

/** How the draws are split into CSV files (see the module comment). */
export type DrawsLayout = 'per-chain' | 'combined';

/** What is saved of a fit. */
export interface SavableFit {
  readonly summary: SummaryJson;
  readonly draws: Draws;
  readonly samplerDraws?: Draws;
  /** Each chain's superchain (many-chain runs), written so that nested R-hat can be recomputed. */
  readonly superchains?: ArrayLike<number>;
}

/** `combined` for a many-chain run (superchains known), `per-chain` otherwise. */
export function defaultDrawsLayout(f: SavableFit): DrawsLayout {
  return f.superchains ? 'combined' : 'per-chain';
}

/** The draws CSV files of a fit as text, in `layout` (default {@link defaultDrawsLayout}). */
export function drawsCsvFiles(f: SavableFit, layout: DrawsLayout = defaultDrawsLayout(f)): OutputFile[] {
  const m = f.summary.model;
  const comments = [`# glmm ${f.summary.package_version}: ${m.formula} (${m.family}, ${m.link})`];
  if (layout === 'combined') {
    const content: Iterable<string> = { [Symbol.iterator]: () => combinedCsvChunks(f.draws, { sampler: f.samplerDraws, comments, superchains: f.superchains }) };
    return [{ name: 'draws.csv', content }];
  }
  const sup = f.superchains && superchainNumbers(f.superchains);
  // each file's text is made only when it is written (a large run never holds all of them at once)
  return Array.from({ length: f.draws.nChains }, (_, c) => ({
    name: `draws_chain${c + 1}.csv`,
    content: { *[Symbol.iterator]() { yield chainToCmdStanCsv(f.draws, c, { sampler: f.samplerDraws, comments, superchain: sup?.[c] }); } },
  }));
}

/** summary.json and the draws CSVs of a fit, as text. */
export function fitOutputFiles(f: SavableFit, layout?: DrawsLayout): OutputFile[] {
  return [{ name: 'summary.json', content: toJson(f.summary) + '\n' }, ...drawsCsvFiles(f, layout)];
}

/**
 * Writes summary.json and the draws CSVs (and `extra` files) into `dir`, replacing the files of any
 * earlier run there and nothing else (out-dir.ts).
 */
export function saveFit(dir: string, f: SavableFit, opts: { layout?: DrawsLayout; extra?: readonly OutputFile[] } = {}): void {
  const out = openOutDir(dir);
  try {
    for (const file of [...fitOutputFiles(f, opts.layout), ...(opts.extra ?? [])]) out.write(file);
    out.commit();
  } finally {
    out.abort();
  }
}

/** Draws read back from CSV: the model variables, the sampler columns and, if recorded, each chain's superchain. */
export interface LoadedDraws {
  readonly summary: SummaryJson | null;
  readonly draws: Draws;
  readonly sampler: Draws;
  readonly superchains: number[] | null;
  readonly comments: string[][];
}

/**
 * Refuses only what cannot be draws. Any table of numbers can be (R's posterior takes any numeric data
 * frame, one file per chain: another sampler's CSVs need neither `lp__` nor a chain column), so a file
 * is refused only when nothing marks it as draws (no `lp__`, no `.chain`/`chain` column) and every cell
 * is a whole number, as in a data table of counts and codes (the usual mistake: the `--data` CSV);
 * `force` reads it anyway (draws of integer-valued quantities only).
 */
function refuseNonDraws(chain: CmdStanChain, name: string, force: boolean): void {
  if (force || chain.names.includes('lp__') || chain.chainIds) return;
  if (!chain.values.every((v) => Number.isInteger(v))) return;
  const cols = chain.names.slice(0, 5).join(', ') + (chain.names.length > 5 ? `, … (${chain.names.length} in all)` : '');
  throw new GlmmInputError(
    `${name}: every cell is a whole number and there is no lp__ or .chain column, so this looks like a data table, not posterior draws (read ${chain.nDraws} rows of columns ${cols}); pass the draws CSVs of a fit (glmm fit --out DIR) or of a sampler, one file per chain, or --force to read it as draws`,
  );
}

/** How {@link parseDrawsTexts} reads files. */
export interface ParseDrawsOptions {
  /** read files as draws even when they look like a data table ({@link refuseNonDraws}) */
  readonly force?: boolean;
}

/**
 * Parses draws CSV texts into one set of chains: each text is one chain (CmdStan, other samplers'
 * per-chain CSVs, comment lines anywhere) unless it has a `.chain` column, which splits it into several.
 */
export function parseDrawsTexts(files: readonly { name: string; text: string }[], opts: ParseDrawsOptions = {}): Omit<LoadedDraws, 'summary'> {
  const chains: CmdStanChain[] = [];
  const sources: string[] = [];
  for (const f of files) {
    const chain = readCmdStanCsv(f.text, f.name);
    refuseNonDraws(chain, f.name, opts.force ?? false);
    const parts = splitByChainColumn(chain);
    parts.forEach((c, k) => {
      chains.push(c);
      sources.push(parts.length > 1 ? `${f.name} (chain ${k + 1})` : f.name);
    });
  }
  return combineChains(chains, sources);
}

/** The draws files of an --out directory: draws.csv, or draws_chainK.csv in chain order. */
function drawsFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new GlmmInputError(`${dir}: cannot read the directory (${fsErrorWords(e)}); pass the --out directory of a fit`);
  }
  const perChain = names.filter((f) => /^draws_chain\d+\.csv$/.test(f));
  perChain.sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
  const combined = names.includes('draws.csv');
  if (combined && perChain.length > 0) {
    throw new GlmmInputError(`${dir}: holds both draws.csv and draws_chainK.csv files, from different runs; rerun the fit into an empty directory`);
  }
  if (!combined && perChain.length === 0) throw new GlmmInputError(`${dir}: no draws.csv or draws_chainK.csv; pass the --out directory of a fit`);
  return combined ? ['draws.csv'] : perChain;
}

/**
 * Reads back what {@link saveFit} wrote (either layout): the summary and the draws (sampler columns
 * separate, superchains when recorded). Throws GlmmInputError when the files do not belong together
 * (a chain count other than summary.json's).
 */
export function loadDraws(dir: string): LoadedDraws {
  const files = drawsFilesIn(dir).map((name) => {
    const path = join(dir, name);
    try {
      return { name: path, text: readFileSync(path, 'utf8') };
    } catch (e) {
      throw new GlmmInputError(`${path}: cannot read the file (${fsErrorWords(e)})`);
    }
  });
  const parsed = parseDrawsTexts(files);
  let summary: SummaryJson | null = null;
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
  } catch {
    summary = null;
  }
  const chains = summary?.sampler?.chains;
  if (typeof chains === 'number' && chains !== parsed.draws.nChains) {
    throw new GlmmInputError(`${dir}: summary.json says ${chains} chains but the draws files hold ${parsed.draws.nChains}; the files come from different runs — rerun the fit`);
  }
  return { summary, ...parsed };
}
