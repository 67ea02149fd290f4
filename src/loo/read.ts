/**
 * The log-likelihood matrix from CmdStan-layout CSVs (CmdStan, cmdstanr, posterior's draws_df, our own
 * `glmm fit --out DIR` log_lik_chainK.csv): the columns `log_lik.1 … log_lik.N` (or `log_lik[1]`…, or
 * another prefix), one file per chain or a file with a chain column, in the order of their index.
 */
import { readFileSync } from 'node:fs';
import { combineChains, splitByChainColumn } from '../../diagnostics/cmdstan-chains.js';
import { readCmdStanCsv, type CmdStanChain } from '../../diagnostics/cmdstan-csv.js';
import type { Draws } from '../../diagnostics/draws.js';
import { GlmmInputError } from '../../base/errors.js';

/** Reads the chains of the given files (as `glmm diagnose` does), every column kept. */
export function readChains(paths: readonly string[]): Draws {
  if (paths.length === 0) throw new GlmmInputError('no CSV files given; pass one CmdStan CSV file per chain');
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
    const parts = splitByChainColumn(readCmdStanCsv(text, p));
    parts.forEach((c, k) => {
      chains.push(c);
      sources.push(parts.length > 1 ? `${p} (chain ${k + 1})` : p);
    });
  }
  return combineChains(chains, sources).draws;
}

/**
 * The S × N matrix of the columns `<variable>.i` or `<variable>[i]` (i = 1..N, all present), ordered by i.
 * GlmmInputError when there is none or an index is missing.
 */
export function selectLogLik(d: Draws, variable = 'log_lik', source = 'the CSV files'): Draws {
  const re = new RegExp(`^${variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.(\\d+)|\\[(\\d+)\\])$`);
  const cols: [number, number][] = [];
  d.names.forEach((name, j) => {
    const m = re.exec(name);
    if (m) cols.push([Number(m[1] ?? m[2]), j]);
  });
  if (cols.length === 0) throw new GlmmInputError(`${source} have no ${variable} columns (${variable}.1, ${variable}.2, …); write the pointwise log-likelihood (glmm fit --out writes log_lik_chainK.csv; in Stan a generated quantity vector[N] ${variable})`);
  cols.sort((a, b) => a[0] - b[0]);
  cols.forEach(([i], k) => {
    if (i !== k + 1) throw new GlmmInputError(`${source}: column ${variable}.${k + 1} is missing (found ${variable}.${i}); pass every observation's column`);
  });
  if (d.nDraws === 0) throw new GlmmInputError(`${source} have no draws (only a header)`);
  const P = d.names.length, N = cols.length, S = d.nChains * d.nDraws;
  const data = new Float64Array(S * N);
  for (let s = 0; s < S; s++) for (let i = 0; i < N; i++) data[s * N + i] = d.data[s * P + cols[i][1]];
  return { nChains: d.nChains, nDraws: d.nDraws, names: cols.map(([i]) => `${variable}.${i}`), data };
}

/** {@link readChains} then {@link selectLogLik}. */
export function readLogLik(paths: readonly string[], variable = 'log_lik'): Draws {
  return selectLogLik(readChains(paths), variable, paths.length === 1 ? paths[0] : `${paths[0]} …`);
}
