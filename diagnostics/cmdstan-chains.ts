/**
 * Chains read from CmdStan-layout CSV files (`readCmdStanCsv`), stacked into chain-major Draws with the
 * sampler columns (`…__`) kept apart; a file holding several chains (a `chain`/`.chain` column) is split.
 */
import { GlmmInputError } from '../base/errors.js';
import { formatNumber, writeCmdStanCsv, type CmdStanChain } from './cmdstan-csv.js';
import type { Draws } from './draws.js';

/**
 * Splits a file that holds several chains (a `chain`/`.chain` column with more than one value, as
 * posterior's `draws_df` or an ArviZ/pandas frame written to CSV) into one chain per id, in order of
 * first appearance; a single-chain file is returned as is.
 */
export function splitByChainColumn(chain: CmdStanChain): CmdStanChain[] {
  const ids = chain.chainIds;
  if (!ids) return [withOwnSuperchain(chain, allRows(chain.nDraws))];
  const order: number[] = [];
  const rowsOf = new Map<number, number[]>();
  ids.forEach((id, r) => {
    let rows = rowsOf.get(id);
    if (!rows) {
      rowsOf.set(id, (rows = []));
      order.push(id);
    }
    rows.push(r);
  });
  if (order.length <= 1) return [withOwnSuperchain(chain, allRows(chain.nDraws))];
  const P = chain.names.length;
  return order.map((id) => {
    const rows = rowsOf.get(id)!;
    const values = new Float64Array(rows.length * P);
    rows.forEach((r, i) => values.set(chain.values.subarray(r * P, (r + 1) * P), i * P));
    return withOwnSuperchain({ names: chain.names, values, nDraws: rows.length, comments: chain.comments, superchainIds: chain.superchainIds }, rows, id);
  });
}

function allRows(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * The chain with `superchain` set from its rows' `.superchain` values (which must agree), or from the
 * file's `# superchain = K` line; the per-row ids are dropped.
 */
function withOwnSuperchain(chain: CmdStanChain, rows: number[], chainId?: number): CmdStanChain {
  const { superchainIds, chainIds: _ids, ...rest } = chain;
  void _ids;
  if (!superchainIds || rows.length === 0) return chain.superchain === undefined ? rest : { ...rest, superchain: chain.superchain };
  const s = superchainIds[rows[0]];
  for (const r of rows) {
    if (superchainIds[r] !== s) {
      throw new GlmmInputError(`chain ${chainId ?? 1}: rows name superchains ${s} and ${superchainIds[r]}; every draw of a chain belongs to one superchain`);
    }
  }
  return { ...rest, superchain: s };
}

/** Draws split into model variables and sampler (`__`) columns, as read from one CSV per chain. */
export interface CmdStanDraws {
  /** every column not ending in `__` */
  readonly draws: Draws;
  /** the sampler columns (lp__, divergent__, energy__, …), same chains and draws */
  readonly sampler: Draws;
  /** each chain's comment lines */
  readonly comments: string[][];
  /** each chain's superchain, when every chain names one (many-chain runs; see nested R-hat) */
  readonly superchains: number[] | null;
}

/** True for CmdStan's sampler/diagnostic columns (`lp__`, `energy__`, …). */
export function isSamplerColumn(name: string): boolean {
  return name.endsWith('__');
}

/**
 * Stacks chains read by `readCmdStanCsv` into chain-major Draws. All chains must have the same columns
 * in the same order and the same number of draws; otherwise GlmmInputError names the two files.
 */
export function combineChains(chains: readonly CmdStanChain[], sources: readonly string[]): CmdStanDraws {
  if (chains.length === 0) throw new GlmmInputError('no draws files given; pass one CSV file per chain');
  const first = chains[0];
  for (let c = 1; c < chains.length; c++) {
    const ch = chains[c];
    const a = first.names;
    const b = ch.names;
    const j = a.findIndex((n, i) => b[i] !== n);
    if (a.length !== b.length || j >= 0) {
      const col = j >= 0 ? j : Math.min(a.length, b.length);
      throw new GlmmInputError(
        `${sources[c]}: column ${col + 1} is "${b[col] ?? '(none)'}" but ${sources[0]} has "${a[col] ?? '(none)'}"; every chain file must have the same columns`,
      );
    }
    if (ch.nDraws !== first.nDraws) {
      throw new GlmmInputError(
        `${sources[c]}: has ${ch.nDraws} draws but ${sources[0]} has ${first.nDraws}; every chain file must have the same number of draws`,
      );
    }
  }
  const P = first.names.length;
  const modelCols: number[] = [];
  const samplerCols: number[] = [];
  first.names.forEach((n, j) => (isSamplerColumn(n) ? samplerCols : modelCols).push(j));
  const nChains = chains.length;
  const nDraws = first.nDraws;
  const pick = (cols: number[]) => {
    const data = new Float64Array(nChains * nDraws * cols.length);
    let k = 0;
    for (const ch of chains) {
      for (let d = 0; d < nDraws; d++) for (const j of cols) data[k++] = ch.values[d * P + j];
    }
    return { nChains, nDraws, names: cols.map((j) => first.names[j]), data };
  };
  const superchains = chains.every((c) => c.superchain !== undefined) ? chains.map((c) => c.superchain!) : null;
  return { draws: pick(modelCols), sampler: pick(samplerCols), comments: chains.map((c) => c.comments), superchains };
}

/** Superchain numbers as written to CSV: 1-based, in order of first appearance of the ids. */
export function superchainNumbers(ids: ArrayLike<number>): number[] {
  const seen = new Map<number, number>();
  return Array.from(ids, (id) => {
    if (!seen.has(id)) seen.set(id, seen.size + 1);
    return seen.get(id)!;
  });
}

/**
 * All chains of `draws` in one CSV text (the compact layout of `glmm fit --out` for many-chain runs):
 * CmdStan's columns (sampler columns of `sampler` first, then the variables) followed by posterior's
 * draws_df bookkeeping `.chain,.iteration,.draw` (1-based) and, when `superchains` is given (the
 * superchain id of each chain), `.superchain` (1-based, in order of first appearance), which nested
 * R-hat needs. R's `posterior::as_draws_df(read.csv(f, comment.char = "#"))` and this package's readers
 * take it as is. {@link combinedCsvChunks} gives the same text in pieces (one per chain).
 */
export function drawsToCombinedCsv(draws: Draws, opts: CombinedCsvOptions = {}): string {
  return [...combinedCsvChunks(draws, opts)].join('');
}

/** Options of {@link drawsToCombinedCsv}. */
export interface CombinedCsvOptions {
  readonly sampler?: Draws;
  readonly comments?: readonly string[];
  readonly superchains?: ArrayLike<number>;
}

/** The text of {@link drawsToCombinedCsv} as a lazy sequence: the comments and header, then one piece per chain. */
export function* combinedCsvChunks(draws: Draws, opts: CombinedCsvOptions = {}): Generator<string> {
  const { nChains, nDraws, names } = draws;
  const S = opts.sampler;
  if (S && (S.nChains !== nChains || S.nDraws !== nDraws)) {
    throw new RangeError(`drawsToCombinedCsv: sampler has ${S.nChains} × ${S.nDraws} draws, variables ${nChains} × ${nDraws}`);
  }
  if (opts.superchains && opts.superchains.length !== nChains) {
    throw new RangeError(`drawsToCombinedCsv: ${opts.superchains.length} superchain ids for ${nChains} chains`);
  }
  const sup = opts.superchains ? superchainNumbers(opts.superchains) : null;
  const Q = S ? S.names.length : 0;
  const P = names.length;
  const book = ['.chain', '.iteration', '.draw', ...(sup ? ['.superchain'] : [])];
  // the comment block and header exactly as writeCmdStanCsv writes them (no rows)
  yield writeCmdStanCsv([...(S ? S.names : []), ...names, ...book], [], opts.comments ?? []);
  const row = new Array<string>(Q + P + book.length);
  for (let c = 0; c < nChains; c++) {
    const lines: string[] = [];
    for (let d = 0; d < nDraws; d++) {
      const i = c * nDraws + d;
      for (let j = 0; j < Q; j++) row[j] = formatNumber(S!.data[i * Q + j]);
      for (let j = 0; j < P; j++) row[Q + j] = formatNumber(draws.data[i * P + j]);
      row[Q + P] = String(c + 1);
      row[Q + P + 1] = String(d + 1);
      row[Q + P + 2] = String(i + 1);
      if (sup) row[Q + P + 3] = String(sup[c]);
      lines.push(row.join(','));
    }
    yield lines.length > 0 ? lines.join('\n') + '\n' : '';
  }
}

/**
 * One chain of `draws` as a CmdStan CSV text (e.g. `draws_chainK.csv` of `glmm fit --out`): the sampler
 * columns of `sampler` (lp__, accept_stat__, …; same chains and draws) first, as CmdStan writes them, then
 * the variables. `chain` is 0-based. Random effects get the `r_g.i.j` names and their map block.
 */
export function chainToCmdStanCsv(
  draws: Draws,
  chain: number,
  opts: { sampler?: Draws; comments?: readonly string[]; superchain?: number } = {},
): string {
  const { nDraws, names } = draws;
  const S = opts.sampler;
  if (S && (S.nChains !== draws.nChains || S.nDraws !== nDraws)) {
    throw new RangeError(`chainToCmdStanCsv: sampler has ${S.nChains} × ${S.nDraws} draws, variables ${draws.nChains} × ${nDraws}`);
  }
  const Q = S ? S.names.length : 0;
  const P = names.length;
  const values = new Float64Array(nDraws * (Q + P));
  for (let d = 0; d < nDraws; d++) {
    const row = d * (Q + P);
    if (S) values.set(S.data.subarray((chain * nDraws + d) * Q, (chain * nDraws + d + 1) * Q), row);
    values.set(draws.data.subarray((chain * nDraws + d) * P, (chain * nDraws + d + 1) * P), row + Q);
  }
  const comments = [...(opts.comments ?? []), ...(opts.superchain !== undefined ? [`# superchain = ${opts.superchain}`] : [])];
  return writeCmdStanCsv([...(S ? S.names : []), ...names], values, comments);
}
