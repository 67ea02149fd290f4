/**
 * Autocovariance by FFT, as posterior's `autocovariance()` (stan-dev/posterior R/convergence.R): the
 * biased estimator `acov[k] = (1/N) Σ_{t=0}^{N−1−k} (y_t − ȳ)(y_{t+k} − ȳ)` (posterior then rescales
 * to `acov[0] = var(y)·(N−1)/N`, the identity up to rounding). Any zero padding ≥ 2N − 1 gives the same values; we pad to the
 * next power of two ≥ 2N and transform two real series per complex FFT (real and imaginary parts).
 * Plans (twiddles, bit reversal) and work buffers are cached per size and reused.
 */

interface FftPlan {
  readonly n: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly rev: Uint32Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly psum: Float64Array;
}

const plans = new Map<number, FftPlan>();

function getPlan(n: number): FftPlan {
  let plan = plans.get(n);
  if (plan) return plan;
  const half = n >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const a = (2 * Math.PI * k) / n;
    cos[k] = Math.cos(a);
    sin[k] = Math.sin(a);
  }
  const rev = new Uint32Array(n);
  let bits = 0;
  while (1 << bits < n) bits++;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  plan = { n, cos, sin, rev, re: new Float64Array(n), im: new Float64Array(n), psum: new Float64Array(n) };
  plans.set(n, plan);
  return plan;
}

/** In-place radix-2 complex FFT of (re, im); `sign` −1 forward, +1 inverse (unnormalized). */
function fft(plan: FftPlan, re: Float64Array, im: Float64Array, sign: number): void {
  const { n, cos, sin, rev } = plan;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const halfSize = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, tw = 0; k < halfSize; k++, tw += step) {
        const wr = cos[tw];
        const wi = sign * sin[tw];
        const a = start + k;
        const b = a + halfSize;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

function paddedSize(N: number): number {
  let n = 2;
  while (n < 2 * N) n <<= 1;
  return n;
}

/**
 * Adds `weight · Σ_c acov_c[k]` (k = 0..N−1) over the chains c of the column-major N × M matrix `x`
 * into `out` (length ≥ N); with weight 1/M that is the chain-averaged autocovariance ESS uses. Chains go
 * two per forward complex FFT (real and imaginary parts); their power spectra are summed and one inverse
 * FFT gives the sum of the autocovariances. posterior rescales each chain's result to
 * `acov[0] = var(y)·(N−1)/N`, which is the identity up to rounding, so it is not repeated here.
 * A constant chain contributes zeros.
 */
export function addAutocovariances(x: Float64Array, N: number, M: number, weight: number, out: Float64Array): void {
  const plan = getPlan(paddedSize(N));
  const { n, re, im, psum } = plan;
  psum.fill(0);
  for (let c = 0; c < M; c += 2) {
    const two = c + 1 < M;
    const offA = c * N;
    const offB = (c + 1) * N;
    let ma = 0;
    let mb = 0;
    for (let t = 0; t < N; t++) ma += x[offA + t];
    ma /= N;
    if (two) {
      for (let t = 0; t < N; t++) mb += x[offB + t];
      mb /= N;
    }
    let ssA = 0;
    let ssB = 0;
    for (let t = 0; t < N; t++) {
      const a = x[offA + t] - ma;
      re[t] = a;
      ssA += a * a;
      if (two) {
        const b = x[offB + t] - mb;
        im[t] = b;
        ssB += b * b;
      } else im[t] = 0;
    }
    if (ssA === 0 && ssB === 0) continue;
    re.fill(0, N);
    im.fill(0, N);
    fft(plan, re, im, -1);
    // power spectra of the two real series: A_k = (Z_k + conj Z_{n−k})/2, B_k = (Z_k − conj Z_{n−k})/(2i)
    const useA = ssA > 0 ? 0.25 : 0;
    const useB = ssB > 0 ? 0.25 : 0;
    for (let k = 0; k <= n >> 1; k++) {
      const j = (n - k) & (n - 1);
      const zr = re[k], zi = im[k], yr = re[j], yi = im[j];
      psum[k] += useA * ((zr + yr) * (zr + yr) + (zi - yi) * (zi - yi)) + useB * ((zi + yi) * (zi + yi) + (zr - yr) * (zr - yr));
    }
  }
  for (let k = 1; k < n >> 1; k++) psum[n - k] = psum[k];
  re.set(psum);
  im.fill(0);
  fft(plan, re, im, +1);
  // re[k]/n = Σ_c Σ_t a_t a_{t+k}; the biased estimator divides by N
  const s = weight / (n * N);
  for (let k = 0; k < N; k++) out[k] += re[k] * s;
}

/**
 * posterior's `autocovariance(y)`: biased autocovariance at lags 0..N−1 (zeros if y is constant).
 * Example: `autocovariance([1,2,3,4,5])` = [2, 0.8, −0.2, −0.8, −0.8].
 */
export function autocovariance(y: ArrayLike<number>): Float64Array {
  const N = y.length;
  const out = new Float64Array(N);
  if (N === 0) return out;
  addAutocovariances(Float64Array.from(y), N, 1, 1, out);
  return out;
}

/**
 * The chain-averaged autocovariance `am[k] = mean_c acov_c[k]` of the column-major N × M matrix `x`,
 * computed on demand: the Geyer sequence in ESS usually stops after a few lags, so the first lags are
 * direct sums `Σ_t (x_t − x̄)(x_{t+k} − x̄)/N` (S multiply-adds per lag); once a lag beyond the break-even
 * point (≈ 4·log₂ of the FFT size) is asked for, or the lag-1 correlation predicts one will be, every
 * lag is computed by FFT. Both give posterior's
 * `autocovariance()` values (they differ only by rounding, ~1e-16 relative).
 */
export function lazyMeanAutocovariance(x: Float64Array, N: number, M: number): (k: number) => number {
  const am = new Float64Array(N);
  let computed = 0;
  const limit = Math.min(N, 4 * Math.log2(paddedSize(N)));
  let centered: Float64Array | null = null;
  return (k: number): number => {
    if (k < computed) return am[k];
    // with lags 0 and 1 known, a slowly decaying series (ρ₁ = φ: about ln(0.01)/ln φ lags until the
    // correlations are noise) will need the FFT anyway: go there now rather than after `limit` direct lags
    const rho1 = computed >= 2 ? am[1] / am[0] : 0;
    const predicted = rho1 > 0 && rho1 < 1 ? Math.log(0.01) / Math.log(rho1) : rho1 >= 1 ? Infinity : 0;
    if (k >= limit || predicted > limit / 2) {
      am.fill(0);
      addAutocovariances(x, N, M, 1 / M, am);
      computed = N;
      return am[k];
    }
    if (centered === null) {
      centered = new Float64Array(x.length);
      for (let c = 0; c < M; c++) {
        const off = c * N;
        let m = 0;
        for (let t = 0; t < N; t++) m += x[off + t];
        m /= N;
        for (let t = 0; t < N; t++) centered[off + t] = x[off + t] - m;
      }
    }
    const d = centered;
    // first call: lags 0 and 1 only (enough to predict); then growing batches
    const batch = computed === 0 ? 2 : Math.max(2 * computed, 8);
    const upto = Math.min(Math.ceil(limit), N, Math.max(k + 1, batch));
    const scale = 1 / (N * M);
    for (let lag = computed; lag < upto; lag++) {
      let s = 0;
      for (let c = 0; c < M; c++) {
        const off = c * N;
        const end = off + N - lag;
        for (let t = off; t < end; t++) s += d[t] * d[t + lag];
      }
      am[lag] = s * scale;
    }
    computed = upto;
    return am[k];
  };
}
