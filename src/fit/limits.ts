/**
 * The size limit of a run, checked before any sampling: `--chains 1e9` or `--draws 1e9` must be refused
 * at once in words, not run for minutes and die with "Invalid typed array length" or an out-of-memory
 * crash. The limit is derived from this machine's memory (os.totalmem) and from the largest array the
 * JavaScript engine allocates (buffer.constants.MAX_LENGTH bytes, 4 GiB in Node 22).
 */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import { GlmmInputError } from '../../base/errors.js';

/** What sets a run's memory: chains, kept draws per chain, unconstrained dimension, parameters, data rows. */
export interface RunSize {
  readonly chains: number;
  readonly draws: number;
  readonly dim: number;
  readonly params: number;
  readonly rows: number;
}

/**
 * Most chains of one run (a documented limit; the default is 256 and the size-based choice at most
 * 1024): beyond it the per-chain bookkeeping (a seeded stream each, the draws files) dominates.
 */
export const MAX_CHAINS = 16384;

/** Sampler columns kept per draw (lp__, accept_stat__, …). */
const SAMPLER_COLUMNS = 8;
/** float32 vectors of chains × rows the batched log density and its gradient hold at once (η, μ, terms, …). */
const TENSOR_COPIES = 16;

/** Largest array of one run: the draws, chains × draws × max(dim, params) float64 values. */
function largestArrayBytes(s: RunSize): number {
  return s.chains * s.draws * Math.max(s.dim, s.params, SAMPLER_COLUMNS) * 8;
}

/** Bytes a run holds: unconstrained and constrained draws with the sampler columns, and the batched tensors. */
export function runBytes(s: RunSize): number {
  const perChain = s.draws * (s.dim + s.params + SAMPLER_COLUMNS) * 8 + Math.max(s.rows, s.dim) * 4 * TENSOR_COPIES;
  return s.chains * perChain;
}

function gb(bytes: number): string {
  if (bytes >= 1e12) return `${Math.round(bytes / 1e9)} GB`;
  return bytes >= 1e9 ? `${(bytes / 1e9).toPrecision(3)} GB` : `${Math.ceil(bytes / 1e6)} MB`;
}

/**
 * Throws GlmmInputError when the run would not fit: more than half of this machine's memory, or an
 * array longer than the engine allows. The message names the largest --chains (and --draws) that fit.
 */
export function checkRunSize(s: RunSize, memoryBytes = totalmem(), maxArrayBytes = constants.MAX_LENGTH): void {
  if (s.chains > MAX_CHAINS) {
    throw new GlmmInputError(`--chains ${s.chains} is more than the limit of ${MAX_CHAINS} chains; the default is 256 (ChEES) or 4 (NUTS)`);
  }
  const budget = memoryBytes / 2;
  const need = runBytes(s);
  const array = largestArrayBytes(s);
  if (need <= budget && array <= maxArrayBytes) return;
  const perChain = runBytes({ ...s, chains: 1 });
  const maxChains = Math.max(0, Math.min(Math.floor(budget / perChain), Math.floor(maxArrayBytes / largestArrayBytes({ ...s, chains: 1 }))));
  const one = runBytes({ ...s, draws: 1 }) - runBytes({ ...s, draws: 0 });
  const maxDraws = Math.max(0, Math.min(
    Math.floor((budget - runBytes({ ...s, draws: 0 })) / one),
    Math.floor(maxArrayBytes / largestArrayBytes({ ...s, draws: 1 })),
  ));
  const why = array > maxArrayBytes
    ? `its draws need one array of ${gb(array)}, more than the ${gb(maxArrayBytes)} JavaScript allows`
    : `it needs about ${gb(need)}, more than half of this machine's ${gb(memoryBytes)}`;
  const fixes = [maxChains >= 1 ? `at most ${maxChains} chains at ${s.draws} draws` : '', maxDraws >= 1 ? `at most ${maxDraws} draws at ${s.chains} chains` : ''].filter((x) => x);
  throw new GlmmInputError(
    `${s.chains} chains × ${s.draws} draws of ${s.params} parameters is too large: ${why}; use ${fixes.length > 0 ? fixes.join(', or ') : 'fewer chains and draws'}`,
  );
}
