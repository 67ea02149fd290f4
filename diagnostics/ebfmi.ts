/**
 * Energy Bayesian fraction of missing information (Betancourt 2016, "Diagnosing suboptimal cotangent
 * disintegrations in Hamiltonian Monte Carlo", arXiv:1604.00695), per chain:
 * `E-BFMI = Σ_{n=2}^{N} (E_n − E_{n−1})² / Σ_{n=1}^{N} (E_n − Ē)²` over the post-warmup `energy__`.
 * Equals ArviZ `bfmi`; cmdstanr/rstan report (N−1)/N times this. Values below 0.3 signal trouble.
 */

/** E-BFMI of one chain's energies. NaN if N < 2 or the energies are constant or non-finite. */
export function ebfmi(energy: ArrayLike<number>): number {
  const N = energy.length;
  if (N < 2) return NaN;
  let m = 0;
  for (let i = 0; i < N; i++) m += energy[i];
  m /= N;
  let num = 0;
  let den = 0;
  for (let i = 0; i < N; i++) {
    const d = energy[i] - m;
    den += d * d;
    if (i > 0) {
      const diff = energy[i] - energy[i - 1];
      num += diff * diff;
    }
  }
  if (!(den > 0) || !Number.isFinite(den) || !Number.isFinite(num)) return NaN;
  return num / den;
}

/** E-BFMI of every chain of a column-major iterations × chains energy matrix. */
export function ebfmiPerChain(energy: Float64Array, nDraws: number): Float64Array {
  const M = energy.length / nDraws;
  const out = new Float64Array(M);
  for (let c = 0; c < M; c++) out[c] = ebfmi(energy.subarray(c * nDraws, (c + 1) * nDraws));
  return out;
}
