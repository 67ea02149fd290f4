/**
 * When ChEES warmup may stop: nested R-hat (Margossian et al. 2024) of every coordinate, over the
 * last half of the warmup iterations so far (at least `window`), below sqrt(1 + 1/M + 1e-4)
 * (M chains per superchain; the authors' threshold, diagnostics/nested-rhat.ts `nestedRhatThreshold`).
 *
 * Why a window and why half: at stationarity with N = 1 draw per chain, nR̂² − 1 ≈ (1/M)·χ²_{K−1}/(K−1),
 * half of the time above the threshold, so a max over many coordinates would almost never pass. Over a
 * window of N iterations the superchain means average N draws per chain, so B̂_ν ≈ σ²·τ/(M·N) once the
 * chains have forgotten their shared starts (τ the autocorrelation time): the rule passes when the
 * window spans a few τ, while a superchain still near its start keeps B̂_ν large. Discarding the first
 * half of warmup is the usual burn-in convention (Gelman & Rubin 1992). The check runs every
 * `checkEvery` iterations from `minWarmup` on; warmup ends at `maxWarmup` regardless. States are kept
 * as float32 in a ring buffer of at most `maxBufferBytes` (default 100 MB), which caps the window.
 * Defaults (sampler/chees.ts: min 100, window ≥ 20, every 5, max 1000) are this package's choice:
 * many-chain.md gives only the maximum (BlackJAX/TFP: 1000 warmup iterations).
 */
import { nestedRhatThreshold, rhatNested } from '../../../diagnostics/nested-rhat.js';

/** Options of the stopping rule. */
export interface WarmupStopOptions {
  readonly minWarmup: number;
  readonly maxWarmup: number;
  /** Smallest window (iterations); the window is max(window, ⌊iterations/2⌋). */
  readonly window: number;
  readonly checkEvery: number;
  readonly maxBufferBytes?: number;
}

/** Ring buffer of recent states with the nested-R-hat check. */
export function warmupMonitor(nChains: number, dim: number, superchainIds: Int32Array, chainsPerSuper: number, o: WarmupStopOptions) {
  const slot = nChains * dim;
  const byBytes = Math.floor((o.maxBufferBytes ?? 100e6) / (4 * slot));
  const cap = Math.max(Math.min(o.window, o.maxWarmup), Math.min(Math.ceil(o.maxWarmup / 2), byBytes));
  const buf = new Float32Array(cap * slot);
  const threshold = nestedRhatThreshold(chainsPerSuper);
  let filled = 0;
  let last = NaN;
  return {
    threshold,
    /** The max over coordinates at the last check (NaN before the first check). */
    get lastNestedRhat(): number {
      return last;
    },
    /** Records the states after warmup iteration `iter` (0-based); true when warmup may stop. */
    push(q: Float64Array, iter: number): boolean {
      buf.set(q, (filled % cap) * slot);
      filled++;
      const n = iter + 1;
      if (n >= o.maxWarmup) return true;
      if (n < o.minWarmup || (n - o.minWarmup) % o.checkEvery !== 0) return false;
      const W = Math.min(cap, filled, Math.max(o.window, Math.floor(n / 2)));
      if (W < 2) return false;
      const x = new Float64Array(W * nChains);
      let worst = 0;
      for (let i = 0; i < dim; i++) {
        for (let w = 0; w < W; w++) {
          const off = ((filled - 1 - w) % cap) * slot + i;
          for (let c = 0; c < nChains; c++) x[c * W + w] = buf[off + c * dim];
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
