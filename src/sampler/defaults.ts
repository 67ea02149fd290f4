/**
 * The samplers' defaults in one table, read by the samplers themselves, by fit() (src/fit/options.ts)
 * and by the CLI's usage text. NUTS: CmdStan's (4 chains × 1000 draws after 1000 warmup, adapt_delta
 * 0.8, max_depth 10, diagonal metric). ChEES-HMC: 256 chains (an upper bound: chooseChains lowers it for
 * big models) × 100 draws, warmup at most 1000 (stopped by nested R-hat), and BlackJAX's target
 * acceptance 0.651 (Hoffman, Radul & Sountsov 2021).
 */

/** The samplers. */
export type SamplerName = 'nuts' | 'chees';

/** The defaults table. */
export const SAMPLER_DEFAULTS = {
  sampler: 'chees' as SamplerName,
  seed: 1,
  init: 'laplace' as const,
  nuts: { chains: 4, warmup: 1000, draws: 1000, adaptDelta: 0.8, maxTreedepth: 10, metric: 'diag' as const },
  chees: { chains: 256, warmup: 1000, draws: 100, adaptDelta: 0.651, maxTreedepth: 10, metric: 'diag' as const },
} as const;
