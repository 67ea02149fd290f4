/**
 * When ChEES warmup may stop: nested R-hat (Margossian et al. 2024) of every coordinate, over a
 * window of the last `window` warmup iterations of every chain, below sqrt(1 + 1/M + 1e-4)
 * (M chains per superchain; the authors' threshold, diagnostics/nested-rhat.ts `nestedRhatThreshold`).
 *
 * At stationarity with N = 1 draw per chain, nR̂² − 1 ≈ (1/M)·χ²_{K−1}/(K−1), half of the time above the
 * threshold, so a max over many coordinates would almost never pass. Over a window of N iterations the
 * superchain means average N draws: once the chains have forgotten their shared starts and mix within the
 * window, B̂_ν drops well below σ²/M, while a superchain still near its start keeps B̂_ν large. The check
 * runs every `checkEvery` iterations from `minWarmup` on; warmup ends at `maxWarmup` regardless.
 * Defaults (min 100, window 20, every 10, max 1000) are this package's choice: many-chain.md gives only
 * the maximum (BlackJAX/TFP: 1000 warmup iterations).
 */
import { nestedRhatThreshold, rhatNested } from '../../../diagnostics/nested-rhat.js';

/** Options of the stopping rule. */
export interface WarmupStopOptions {
  readonly minWarmup: number;
  readonly maxWarmup: number;
  readonly window: number;
  readonly checkEvery: number;
}

/** Ring buffer of the last `window` states with a nested-R-hat check. */
export function warmupMonitor(nChains: number, dim: number, superchainIds: Int32Array, chainsPerSuper: number, o: WarmupStopOptions) {
  const W = o.window;
  const buf = new Float64Array(W * nChains * dim);
  const threshold = nestedRhatThreshold(chainsPerSuper);
  let filled = 0;
  let last = NaN;
  const x = new Float64Array(W * nChains);
  return {
    threshold,
    /** The max over coordinates at the last check (NaN before the first check). */
    get lastNestedRhat(): number {
      return last;
    },
    /** Records the states after warmup iteration `iter` (0-based); true when warmup may stop. */
    push(q: Float64Array, iter: number): boolean {
      buf.set(q, (filled % W) * nChains * dim);
      filled++;
      const n = iter + 1;
      if (n >= o.maxWarmup) return true;
      if (n < o.minWarmup || filled < W || (n - o.minWarmup) % o.checkEvery !== 0) return false;
      let worst = 0;
      for (let i = 0; i < dim; i++) {
        for (let w = 0; w < W; w++) {
          const off = w * nChains * dim;
          for (let c = 0; c < nChains; c++) x[c * W + w] = buf[off + c * dim + i];
        }
        const r = rhatNested(x, W, superchainIds);
        worst = Number.isNaN(r) ? Infinity : Math.max(worst, r);
        if (worst >= threshold) break;
      }
      last = worst;
      return worst < threshold;
    },
  };
}
