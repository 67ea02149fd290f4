/**
 * Chains read from CmdStan-layout CSV files (`readCmdStanCsv`), stacked into chain-major Draws with the
 * sampler columns (`…__`) kept apart; a file holding several chains (a `chain`/`.chain` column) is split.
 */
import { GlmmInputError } from '../base/errors.js';
import { writeCmdStanCsv, type CmdStanChain } from './cmdstan-csv.js';
import type { Draws } from './draws.js';

/**
 * Splits a file that holds several chains (a `chain`/`.chain` column with more than one value, as
 * posterior's `draws_df` or an ArviZ/pandas frame written to CSV) into one chain per id, in order of
 * first appearance; a single-chain file is returned as is.
 */
export function splitByChainColumn(chain: CmdStanChain): CmdStanChain[] {
  const ids = chain.chainIds;
  if (!ids) return [chain];
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
  if (order.length <= 1) return [chain];
  const P = chain.names.length;
  return order.map((id) => {
    const rows = rowsOf.get(id)!;
    const values = new Float64Array(rows.length * P);
    rows.forEach((r, i) => values.set(chain.values.subarray(r * P, (r + 1) * P), i * P));
    return { names: chain.names, values, nDraws: rows.length, comments: chain.comments };
  });
}

/** Draws split into model variables and sampler (`__`) columns, as read from one CSV per chain. */
export interface CmdStanDraws {
  /** every column not ending in `__` */
  readonly draws: Draws;
  /** the sampler columns (lp__, divergent__, energy__, …), same chains and draws */
  readonly sampler: Draws;
  /** each chain's comment lines */
  readonly comments: string[][];
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
  return { draws: pick(modelCols), sampler: pick(samplerCols), comments: chains.map((c) => c.comments) };
}

/**
 * One chain of `draws` as a CmdStan CSV text (e.g. `draws_chainK.csv` of `glmm fit --out`): the sampler
 * columns of `sampler` (lp__, accept_stat__, …; same chains and draws) first, as CmdStan writes them, then
 * the variables. `chain` is 0-based. Random effects get the `r_g.i.j` names and their map block.
 */
export function chainToCmdStanCsv(draws: Draws, chain: number, opts: { sampler?: Draws; comments?: readonly string[] } = {}): string {
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
  return writeCmdStanCsv([...(S ? S.names : []), ...names], values, opts.comments ?? []);
}
