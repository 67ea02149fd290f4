/**
 * Nested R-hat (Margossian, Hoffman, Sountsov, Riou-Durand, Vehtari & Gelman 2024, "Nested R-hat:
 * assessing the convergence of Markov chain Monte Carlo when running many short chains", Bayesian
 * Analysis, doi:10.1214/24-BA1453), exactly as posterior's `rhat_nested()` (stan-dev/posterior
 * `R/nested_rhat.R`, `.rhat_nested`). Chains that start from one shared initial point form a superchain.
 */
import type { Draws } from './draws.js';
import { parameterMatrix } from './draws.js';
import { shouldReturnNA } from './basic-stats.js';

/**
 * Nested R-hat of one scalar quantity.
 *
 * Input layout: `x` is an iterations × chains matrix stored column-major, i.e. chain c is
 * `x.subarray(c * nDraws, (c + 1) * nDraws)` (the layout `parameterMatrix` returns), so
 * `nChains = x.length / nDraws`. `superchainIds[c]` names the superchain of chain c (any numbers;
 * chains with equal ids share a superchain and need not be contiguous).
 *
 * With K superchains of M chains of N draws each (posterior's eq. 4–8 of the paper):
 * - `B̂_ν = var_k(θ̄_··k)` (denominator K − 1), θ̄_··k the mean of all draws of superchain k;
 * - `B̂_k = var_m(θ̄_·mk)` (denominator M − 1; 0 if M = 1);
 * - `Ŵ_k = mean_m var_n(θ_nmk)` (denominator N − 1; 0 if N = 1);
 * - `Ŵ_ν = mean_k(B̂_k + Ŵ_k)`, `nR̂ = sqrt(1 + B̂_ν / Ŵ_ν)`.
 *
 * Returns NaN where posterior returns NA: any non-finite draw, all draws equal (posterior's
 * `should_return_NA`), superchains of unequal size, or a single superchain (R's `var` of one value).
 * Throws a RangeError when `x.length` is not `nDraws · superchainIds.length` (a caller bug).
 */
export function rhatNested(x: Float64Array, nDraws: number, superchainIds: ArrayLike<number>): number {
  const nChains = superchainIds.length;
  if (!(nDraws >= 1) || x.length !== nDraws * nChains) {
    throw new RangeError(`rhatNested: x has ${x.length} values, expected nDraws (${nDraws}) × ${nChains} chains`);
  }
  if (shouldReturnNA(x)) return NaN;
  // group chains by superchain id, in order of first appearance (R's unique())
  const ids = new Map<number, number[]>();
  for (let c = 0; c < nChains; c++) {
    const k = superchainIds[c];
    let list = ids.get(k);
    if (!list) ids.set(k, (list = []));
    list.push(c);
  }
  const groups = [...ids.values()];
  const K = groups.length;
  const M = groups[0].length;
  for (const g of groups) if (g.length !== M) return NaN;
  if (K < 2) return NaN;
  const N = nDraws;

  const chainMean = new Float64Array(nChains);
  const chainVar = new Float64Array(nChains);
  for (let c = 0; c < nChains; c++) {
    const off = c * N;
    let s = 0;
    for (let n = 0; n < N; n++) s += x[off + n];
    const m = s / N;
    let ss = 0;
    for (let n = 0; n < N; n++) {
      const d = x[off + n] - m;
      ss += d * d;
    }
    chainMean[c] = m;
    chainVar[c] = N > 1 ? ss / (N - 1) : 0;
  }

  const superMean = new Float64Array(K);
  let withinSuper = 0;
  for (let k = 0; k < K; k++) {
    const g = groups[k];
    let s = 0;
    for (const c of g) {
      const off = c * N;
      for (let n = 0; n < N; n++) s += x[off + n];
    }
    superMean[k] = s / (M * N);
    // B̂_k: variance of the chain means inside superchain k, around their own mean
    let bk = 0;
    if (M > 1) {
      let cm = 0;
      for (const c of g) cm += chainMean[c];
      cm /= M;
      for (const c of g) bk += (chainMean[c] - cm) ** 2;
      bk /= M - 1;
    }
    let wk = 0;
    for (const c of g) wk += chainVar[c];
    wk /= M;
    withinSuper += bk + wk;
  }
  withinSuper /= K;

  let om = 0;
  for (let k = 0; k < K; k++) om += superMean[k];
  om /= K;
  let between = 0;
  for (let k = 0; k < K; k++) between += (superMean[k] - om) ** 2;
  between /= K - 1;
  return Math.sqrt(1 + between / withinSuper);
}

/**
 * Nested R-hat of every parameter of `draws`, with chain c in superchain `superchainIds[c]`
 * (for contiguous superchains of M chains use `superchainsOf(nChains, M)`). NaN where posterior gives NA.
 */
export function rhatNestedDraws(draws: Draws, superchainIds: ArrayLike<number>): Float64Array {
  const out = new Float64Array(draws.names.length);
  for (let p = 0; p < out.length; p++) out[p] = rhatNested(parameterMatrix(draws, p), draws.nDraws, superchainIds);
  return out;
}

/** Superchain ids `[0,…,0, 1,…,1, …]` for `nChains` chains in contiguous superchains of `chainsPerSuperchain`. */
export function superchainsOf(nChains: number, chainsPerSuperchain: number): Int32Array {
  if (!(chainsPerSuperchain >= 1) || nChains % chainsPerSuperchain !== 0) {
    throw new RangeError(`superchainsOf: ${nChains} chains do not split into superchains of ${chainsPerSuperchain}`);
  }
  const ids = new Int32Array(nChains);
  for (let c = 0; c < nChains; c++) ids[c] = Math.floor(c / chainsPerSuperchain);
  return ids;
}

/**
 * The convergence threshold for nested R-hat with M chains per superchain: `sqrt(1 + 1/M + 1e-4)`,
 * from the authors' analysis code (charlesm93/nested-rhat `analyze_results.ipynb`, τ = 1e-4;
 * reference/many-chain.md §3). For independent stationary draws nR̂² ≈ 1 + 1/M, so a fixed 1.01
 * cannot be met below about 50 chains per superchain. M = 16 → 1.0308, 64 → 1.0078, 1024 → 1.0005.
 */
export function nestedRhatThreshold(chainsPerSuperchain: number): number {
  return Math.sqrt(1 + 1 / chainsPerSuperchain + 1e-4);
}
