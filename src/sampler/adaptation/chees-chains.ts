/**
 * Work of one chain's gradient (rows × (1 + p + Σk) + dim, target/density-js.ts perChainWork) from which
 * a model counts as large data: then every gradient costs in proportion to the chains (no per-op
 * overhead left to share), and ChEES runs LARGE_DATA_CHAINS chains. Why 32: the run is warmup (≈ 25–40
 * iterations, every chain) plus sampling until ESS 1000 (≈ 1000/(ESS per draw) draws in all, at least
 * 20 per chain for the first check), so many chains only multiply the warmup. Measured on lme4's VerbAgg
 * (7,584 rows, work 68.6k per chain; plain-JS density, ~0.6 ms per chain-gradient; precondition.ts),
 * whole `glmm fit` runs to the ESS target, same minutes, load 4.1–4.7 on 2 cores: 16 chains 47.3 CPU-s
 * (25 warmup + 190 draws), 32 chains 43.1 (25 + 90), 64 chains 57.5 (20 + 150); at 256 chains the
 * 25 warmup iterations alone are ~80k chain-gradients (~50 CPU-s) before the 20 draws the first ESS
 * check needs. The reference models have work ≤ 7k and keep 256 chains.
 */
export const LARGE_DATA_WORK = 20_000;

/** Chains of a large-data ChEES run (see LARGE_DATA_WORK). */
export const LARGE_DATA_CHAINS = 32;

/**
 * How many chains ChEES-HMC runs for a model of a given size (large data: LARGE_DATA_CHAINS).
 *
 * The largest tensor of a batched GLMM log density is chains × rows float32 values (η, μ and the
 * per-row log likelihood), 4 bytes each; keep it under `maxTensorBytes` (100 MB by default). The result
 * is a power of two (so it splits into equal superchains) between 64 and `maxChains` (≤ 1024, the default).
 * Small models get 1024 chains because the batched call is dominated by tfjs's per-op overhead: measured
 * CPU per call of the seeds GLMM on wasm (src/target/compile.ts, 2 shared cores): 1.44 ms at 128 chains,
 * 1.81 at 256, 1.93 at 512, 3.27 at 1024, i.e. 11.3, 7.1, 3.8, 3.2 µs per chain-gradient.
 * With `draws` (per chain) given, the kept draws (chains × draws × dim float64) also stay under
 * `maxDrawBytes` (400 MB by default).
 */
export function chooseChains(
  size: { rows: number; dim: number; draws?: number; work?: number },
  opts: { maxChains?: number; maxTensorBytes?: number; maxDrawBytes?: number } = {},
): number {
  if ((size.work ?? 0) >= LARGE_DATA_WORK) return LARGE_DATA_CHAINS;
  const maxChains = Math.min(1024, Math.max(64, opts.maxChains ?? 1024));
  const budget = opts.maxTensorBytes ?? 100e6;
  const width = Math.max(1, size.rows, size.dim);
  // the kept draws are chains × draws × dim float64 values: keep them under maxDrawBytes (default 400 MB)
  const drawBytes = size.draws ? size.draws * Math.max(1, size.dim) * 8 : 0;
  const drawBudget = opts.maxDrawBytes ?? 400e6;
  let c = 64;
  while (c * 2 <= maxChains && c * 2 * width * 4 <= budget && c * 2 * drawBytes <= drawBudget) c *= 2;
  return c;
}

/**
 * Default number of superchains for `nChains` chains: 16 when it leaves at least 4 chains per
 * superchain and divides evenly, else the largest power of two that does (at least 2).
 * Nested R-hat (Margossian et al. 2024) needs equal-sized superchains of chains sharing a start.
 */
export function chooseSuperchains(nChains: number): number {
  for (let k = 16; k >= 2; k /= 2) if (nChains % k === 0 && nChains / k >= 4) return k;
  return nChains >= 2 ? 2 : 1;
}
