/**
 * Base-2 Halton (van der Corput) jitter for ChEES-HMC trajectory lengths.
 *
 * `halton(t, bits)` is the radical inverse of t + 1 in base 2 truncated to `bits` bits:
 * h(t) = Σ_{b<B} bit_b(t+1) · 2^-(b+1), so t = 0, 1, 2, … gives 0.5, 0.25, 0.75, 0.125, 0.625, …
 * and h = 0 whenever t + 1 is a multiple of 2^B.
 * Reference: BlackJAX `mcmc/dynamic_hmc.py` `halton_sequence` (L205-215); TFP
 * `gradient_based_trajectory_length_adaptation.py` `_halton_sequence` (L991-994); shared/reference/many-chain.md §1.3.
 */
export function halton(t: number, bits: number): number {
  let i = t + 1;
  let f = 0.5;
  let h = 0;
  for (let b = 0; b < bits; b++) {
    if (i & 1) h += f;
    i >>>= 1;
    f *= 0.5;
  }
  return h;
}

/**
 * Number of Halton bits BlackJAX uses for a run of `nIterations` (warmup + sampling):
 * B = ceil(log2(nIterations)) (BlackJAX `chees_adaptation.py` L416), at least 1.
 */
export function haltonBits(nIterations: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, nIterations))));
}

/**
 * Jitter factor u_t = h(t) · jitterAmount + (1 − jitterAmount) (many-chain.md §1.3; jitterAmount = 1 in
 * BlackJAX and TFP). The counter t is shared by all chains, so all chains run the same number of steps.
 */
export function haltonJitter(t: number, bits: number, jitterAmount = 1): number {
  return halton(t, bits) * jitterAmount + (1 - jitterAmount);
}
