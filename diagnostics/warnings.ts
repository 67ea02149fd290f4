/**
 * Plain-language sampler warnings, one sentence each saying what went wrong and what to try. Rules
 * (reference/algorithms.md §3, many-chain.md §3):
 * - divergences: any `divergent__` (CmdStan `diagnose`, cmdstanr);
 * - tree depth: transitions with `treedepth__ ≥ max_depth` (NUTS only);
 * - E-BFMI below 0.3 in any chain (cmdstanr's per-chain rule);
 * - R-hat above 1.01 (Vehtari et al. 2021); for many-chain samplers nested R-hat above
 *   sqrt(1 + 1/M + 1e-4) (Margossian et al. 2024, the authors' analysis code) when it is given;
 * - bulk or tail ESS below 100 per chain for NUTS (rstan, Vehtari et al. 2021), below 400 in total for
 *   many-chain samplers (Vehtari et al.'s total of 400; 100 per chain is meaningless with 1,000 chains).
 */
import { nestedRhatThreshold } from './nested-rhat.js';

/** What the warnings are computed from; every field but the chain counts is optional. */
export interface WarningInput {
  /** 'nuts' (default) or a many-chain sampler such as ChEES-HMC. */
  sampler?: 'nuts' | 'many-chain';
  nChains: number;
  /** post-warmup draws per chain */
  nDraws: number;
  /** total number of divergent post-warmup transitions */
  divergences?: number;
  /** transitions that hit the maximum tree depth */
  treedepthHits?: number;
  maxTreedepth?: number;
  /** E-BFMI per chain */
  ebfmi?: ArrayLike<number>;
  /** per-variable convergence figures (e.g. summarizeDraws output) */
  variables?: readonly { variable: string; rhat: number | null; ess_bulk: number | null; ess_tail: number | null }[];
  /** nested R-hat per variable (many-chain samplers), with M chains per superchain */
  nestedRhat?: { names: readonly string[]; values: ArrayLike<number>; chainsPerSuperchain: number };
  /**
   * How to change the parameterization, as a command that exists (e.g. "--centered none"); default
   * "reparameterize" (draws from elsewhere, e.g. `glmm diagnose` of CmdStan files). Empty: no advice.
   */
  reparameterize?: string;
  /** The many-chain sampler's target acceptance, for its divergence advice (default 0.651). */
  targetAccept?: number;
}

/** The R-hat threshold for NUTS-style chains. */
export const RHAT_THRESHOLD = 1.01;
/** The E-BFMI threshold. */
export const EBFMI_THRESHOLD = 0.3;

function percent(count: number, total: number): string {
  return (Math.round((count * 10000) / total) / 100).toFixed(2) + '%';
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "a, b and 3 more": the first three names of a worst-first list. */
function nameList(names: string[]): string {
  const head = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${head} and ${names.length - 3} more` : head;
}

/** All warnings for a run, in a fixed order (divergences, tree depth, E-BFMI, R-hat, ESS). */
export function samplerWarnings(input: WarningInput): string[] {
  const out: string[] = [];
  const many = input.sampler === 'many-chain';
  const total = input.nChains * input.nDraws;
  const div = input.divergences ?? 0;
  const reparam = input.reparameterize ?? 'reparameterize';
  const or = reparam ? ` or ${reparam}` : '';
  if (div > 0) {
    // ChEES: a higher target acceptance gives smaller steps, as adapt_delta does for NUTS
    const target = input.targetAccept ?? 0.651;
    const raise = many ? `raise the target acceptance (now ${target}) with --adapt-delta ${target < 0.9 ? 0.9 : target < 0.95 ? 0.95 : 0.99}` : 'raise --adapt-delta (e.g. 0.95)';
    out.push(
      `${div} of ${total} transitions (${percent(div, total)}) ended with a divergence: the sampler missed part of the posterior; ${raise}${or}.`,
    );
  }
  const hits = input.treedepthHits ?? 0;
  if (!many && hits > 0) {
    const depth = input.maxTreedepth ?? 10;
    out.push(
      `${hits} of ${total} transitions (${percent(hits, total)}) stopped at the maximum tree depth of ${depth}: sampling is slow but not wrong; raise --max-treedepth (e.g. ${depth + 2})${or}.`,
    );
  }
  if (input.ebfmi) {
    const low: string[] = [];
    for (let c = 0; c < input.ebfmi.length; c++) {
      const v = input.ebfmi[c];
      if (v < EBFMI_THRESHOLD) low.push(`chain ${c + 1}: ${fmt(v, 2)}`);
    }
    if (low.length > 0) {
      out.push(
        `E-BFMI is below ${EBFMI_THRESHOLD} in ${low.length} of ${input.ebfmi.length} chains (${low.join(', ')}): the sampler explores the energy distribution poorly and may miss the tails; ${input.reparameterize ?? 'reparameterize (e.g. non-centered random effects)'}${input.reparameterize === '' ? '' : ' or'} run a longer warmup (--warmup 2000).`,
      );
    }
  }
  const vars = input.variables ?? [];
  const nested = input.nestedRhat;
  if (many && nested) {
    const thr = nestedRhatThreshold(nested.chainsPerSuperchain);
    const bad = worst(nested.names.map((n, i) => [n, nested.values[i]] as [string, number]), (v) => v > thr, -1);
    if (bad.length > 0) {
      out.push(
        `${plural(bad.length, 'parameter')} ${bad.length === 1 ? 'has' : 'have'} nested R-hat above ${thr.toFixed(4)} (the threshold for ${nested.chainsPerSuperchain} chains per superchain), worst ${bad[0][0]} at ${fmt(bad[0][1], 3)} (${nameList(bad.map((b) => b[0]))}): the chains still remember where they started; run a longer warmup (e.g. --warmup 2000)${or}.`,
      );
    }
  } else {
    const bad = worst(vars.map((v) => [v.variable, v.rhat ?? NaN] as [string, number]), (v) => v > RHAT_THRESHOLD, -1);
    if (bad.length > 0) {
      out.push(
        `${plural(bad.length, 'parameter')} ${bad.length === 1 ? 'has' : 'have'} R-hat above ${RHAT_THRESHOLD}, worst ${bad[0][0]} at ${fmt(bad[0][1], 3)} (${nameList(bad.map((b) => b[0]))}): the chains disagree, so the estimates are unreliable; run more iterations (e.g. --warmup 2000 --draws 2000)${or}.`,
      );
    }
  }
  const minEss = many ? 400 : 100 * input.nChains;
  const essOf = (v: { ess_bulk: number | null; ess_tail: number | null }) =>
    Math.min(v.ess_bulk ?? Infinity, v.ess_tail ?? Infinity);
  const lowEss = worst(vars.map((v) => [v.variable, essOf(v)] as [string, number]), (e) => e < minEss, 1);
  if (lowEss.length > 0) {
    const rule = many ? `${minEss} in total` : `${minEss} (100 per chain)`;
    out.push(
      `${plural(lowEss.length, 'parameter')} ${lowEss.length === 1 ? 'has' : 'have'} bulk or tail ESS below ${rule}, lowest ${lowEss[0][0]} at ${Math.round(lowEss[0][1])} (${nameList(lowEss.map((b) => b[0]))}): means, quantiles and their MCSEs are imprecise; run more draws (e.g. --draws ${2 * input.nDraws}).`,
    );
  }
  return out;
}

/** Entries whose value passes `bad`, sorted worst first (`order` −1: largest first, 1: smallest first). */
function worst(entries: [string, number][], bad: (v: number) => boolean, order: 1 | -1): [string, number][] {
  return entries.filter(([, v]) => bad(v)).sort((a, b) => order * (a[1] - b[1]));
}
