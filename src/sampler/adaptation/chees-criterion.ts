/**
 * Gradient of the ChEES criterion with respect to log trajectory length, combined over chains.
 *
 * ChEES = ¼ E[(‖q′ − E q′‖² − ‖q − E q‖²)²] (Hoffman, Radul & Sountsov 2021). Both means are estimated
 * across chains and held constant: q (the start of the transition) is centred by its plain cross-chain
 * mean μ0, q′ (the proposal, before accept/reject) by the acceptance-weighted mean μ′ = Σ a_i q′_i / (Σ a_i + 1e-20).
 * Per chain, with x_i = q′_i − μ′, y_i = q_i − μ0 and the end velocity v′_i = M⁻¹ p′_i (the momentum at
 * the END of the trajectory, NOT flipped),
 *   g_i = (x_i·x_i − y_i·y_i) · (x_i·v′_i)                                         (∂/∂t of the criterion)
 *   G   = u·T · Σ_{¬div} a_i g_i / Σ_{¬div} (a_i + 1e-20)                          (∂/∂log T, t = u·T)
 * Divergent chains and chains with a non-finite coordinate get weight 0 (their coordinates count as 0).
 * Sign: G > 0 means a longer trajectory increases ChEES, so the caller steps log T UP along G (BlackJAX
 * flips p′ before this formula and then descends; see many-chain.md §1.1 "sign trap").
 * References: BlackJAX `adaptation/chees_adaptation.py` L178-212; TFP
 * `gradient_based_trajectory_length_adaptation.py` L1013-1069; shared/reference/many-chain.md §1.1.
 */
export function cheesGradient(args: {
  /** Chain-major start states q (C × D). */
  readonly qStart: Float64Array;
  /** Chain-major proposals q′ (C × D). */
  readonly qProposal: Float64Array;
  /** Chain-major end momenta p′ (C × D), not flipped. */
  readonly pProposal: Float64Array;
  /** Inverse metric diagonal (D). */
  readonly invMetric: Float64Array;
  /** Acceptance probabilities a_i (C). */
  readonly accept: Float64Array;
  /** Divergence flags (C). */
  readonly divergent: Uint8Array;
  /** Jitter factor u and trajectory length T of this transition (t = u·T). */
  readonly jitter: number;
  readonly trajectoryLength: number;
  readonly nChains: number;
  readonly dim: number;
}): number {
  const { qStart, qProposal, pProposal, invMetric, accept, divergent, jitter, trajectoryLength, nChains: C, dim: D } = args;
  const w = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let ok = divergent[c] === 0 && Number.isFinite(accept[c]);
    if (ok) {
      const off = c * D;
      for (let i = 0; i < D; i++) {
        if (!Number.isFinite(qProposal[off + i]) || !Number.isFinite(pProposal[off + i])) { ok = false; break; }
      }
    }
    w[c] = ok ? accept[c] : 0;
  }
  const mu0 = new Float64Array(D);
  const muP = new Float64Array(D);
  let sw = 0;
  for (let c = 0; c < C; c++) {
    const off = c * D;
    const ok = w[c] > 0;
    sw += w[c];
    for (let i = 0; i < D; i++) {
      mu0[i] += qStart[off + i];
      if (ok) muP[i] += w[c] * qProposal[off + i];
    }
  }
  for (let i = 0; i < D; i++) {
    mu0[i] /= C;
    muP[i] /= sw + 1e-20;
  }
  let num = 0;
  let den = 0;
  for (let c = 0; c < C; c++) {
    if (divergent[c] !== 0) continue;
    den += w[c] + 1e-20;
    if (w[c] === 0) continue;
    const off = c * D;
    let xx = 0;
    let yy = 0;
    let xv = 0;
    for (let i = 0; i < D; i++) {
      const x = qProposal[off + i] - muP[i];
      const y = qStart[off + i] - mu0[i];
      xx += x * x;
      yy += y * y;
      xv += x * invMetric[i] * pProposal[off + i];
    }
    num += w[c] * (xx - yy) * xv;
  }
  const G = (jitter * trajectoryLength * num) / den;
  return Number.isFinite(G) ? G : NaN;
}
