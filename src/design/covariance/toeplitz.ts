/**
 * The heterogeneous Toeplitz covariance `toep(t + 0 | g)` (glmmTMB's toep: k sds and one correlation
 * per lag, R_ab = ρ_|a−b|, 2k − 1 parameters; SAS TYPE=TOEPH), for equally spaced levels of t.
 *
 * The lag correlations ρ_1…ρ_p (p = k − 1) of a positive-definite Toeplitz correlation matrix are
 * parameterised by the partial autocorrelations φ_j = tanh(y_j) ∈ (−1, 1), which map one to one onto
 * that region (the Durbin–Levinson recursion; Barndorff-Nielsen & Schou 1973, "On the
 * parametrization of autoregressive models by partial autocorrelations", J. Multivariate Anal. 3).
 * On the likelihood side θ = (σ_1…σ_k, t_1…t_p) and T(θ) = diag(σ)·chol(R(ρ(φ(t)))) with φ_j = t_j
 * reflected into [−1, 1] (a triangle wave: φ = t on [−1, 1], mirrored at ±1 as σ is at 0), not
 * tanh(t): tanh saturates, so on the singular boundary |φ_j| → 1 the gradient in t is (1 − φ²)·∂f/∂φ
 * ≈ 1e-10 and the quasi-Newton stops there as if at a maximum (the gaussian epilepsy toep model
 * stopped at φ_3 = tanh(11.7), logLik −223.479, short of glmmTMB's interior −223.318). The reflection
 * keeps |∂φ/∂t| = 1, so the optimizer comes back from the boundary. glmmTMB itself writes each ρ_lag
 * as a/√(1 + a²) and may leave the region, but the two reach the same maximum.
 *
 * The sampler's prior is uniform on the region in ρ (`cor ~ uniform(-1, 1)` read on the positive-definite
 * part): ρ_n is linear in φ_n with slope v_{n−1} = Π_{j<n}(1 − φ_j²), so the Jacobian of φ → ρ is
 * triangular and log|∂ρ/∂y| = Σ_j (p − j + 1)·log(1 − φ_j²). The region's volume is
 * Π_{m=0}^{p−1} B(1/2, m + 1) (the integral of that Jacobian over φ), and a prior draw takes
 * (1 + φ_j)/2 ~ Beta(p − j + 1, p − j + 1).
 */
import { cholesky } from '../../linalg/cholesky.js';
import { lgamma } from '../../../base/gamma.js';
import { GlmmInputError } from '../../../base/errors.js';
import { formatDist } from '../../../models/priors.js';
import type { Covariance, NaturalParam } from './types.js';
import { choleskyDirectional } from './common.js';

/** φ (length p) → ρ_1…ρ_p and, with `J`, J[n·p + m] = ∂ρ_{n+1}/∂φ_{m+1} (Durbin–Levinson in forward mode). */
export function acfOfPacf(phi: ArrayLike<number>, p: number, J: Float64Array | null = null): Float64Array {
  const rho = new Float64Array(p);
  let a = new Float64Array(p), da = new Float64Array(p * p); // φ_{n,j} and ∂φ_{n,j}/∂φ_m
  let v = 1;
  const dv = new Float64Array(p);
  const drho = J ?? new Float64Array(p * p);
  for (let n = 0; n < p; n++) {
    const f = phi[n];
    // ρ_n = Σ_{j<n} φ_{n−1,j} ρ_{n−1−j} + φ_n v_{n−1}
    let r = f * v;
    for (let m = 0; m < p; m++) drho[n * p + m] = f * dv[m] + (m === n ? v : 0);
    for (let j = 0; j < n; j++) {
      r += a[j] * rho[n - 1 - j];
      for (let m = 0; m < p; m++) drho[n * p + m] += da[j * p + m] * rho[n - 1 - j] + a[j] * drho[(n - 1 - j) * p + m];
    }
    rho[n] = r;
    // φ_{n,j} = φ_{n−1,j} − φ_n φ_{n−1,n−1−j}, φ_{n,n} = φ_n; v_n = v_{n−1}(1 − φ_n²)
    const a2 = new Float64Array(p), da2 = new Float64Array(p * p);
    for (let j = 0; j < n; j++) {
      a2[j] = a[j] - f * a[n - 1 - j];
      for (let m = 0; m < p; m++) da2[j * p + m] = da[j * p + m] - f * da[(n - 1 - j) * p + m] - (m === n ? a[n - 1 - j] : 0);
    }
    a2[n] = f;
    da2[n * p + n] = 1;
    a = a2;
    da = da2;
    for (let m = 0; m < p; m++) dv[m] = dv[m] * (1 - f * f) - (m === n ? 2 * f * v : 0);
    v *= 1 - f * f;
  }
  return rho;
}

/** ρ_1…ρ_p → φ (Levinson); an entry ≥ 1 in size means R is not positive definite. */
export function pacfOfAcf(rho: ArrayLike<number>, p: number): Float64Array {
  const phi = new Float64Array(p);
  let a = new Float64Array(p);
  let v = 1;
  for (let n = 0; n < p; n++) {
    let r = rho[n];
    for (let j = 0; j < n; j++) r -= a[j] * rho[n - 1 - j];
    const f = r / v;
    phi[n] = f;
    const a2 = new Float64Array(p);
    for (let j = 0; j < n; j++) a2[j] = a[j] - f * a[n - 1 - j];
    a2[n] = f;
    a = a2;
    v *= 1 - f * f;
    if (!(v > 0)) { phi.fill(NaN, n + 1); phi[n] = f; return phi; }
  }
  return phi;
}

/** The k × k Toeplitz correlation matrix of ρ_1…ρ_{k−1}. */
function toeplitzMatrix(rho: ArrayLike<number>, off: number, k: number): Float64Array {
  const R = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) R[a * k + b] = a === b ? 1 : rho[off + Math.abs(a - b) - 1];
  return R;
}

/** The j-th of 2a − 1 uniforms in order is Beta(a, a) (a an integer ≥ 1). */
function betaSymmetric(rng: () => number, a: number): number {
  const u = Array.from({ length: 2 * a - 1 }, rng).sort((x, y) => x - y);
  return u[a - 1];
}

/** t reflected into [−1, 1] (period 4: t on [−1, 1], 2 − t on [1, 3], …), |dφ/dt| = 1. */
export function reflectUnit(t: number): number {
  const u = (((t + 1) % 4) + 4) % 4;
  return u <= 2 ? u - 1 : 3 - u;
}

export function toeplitz(k: number, label: string): Covariance {
  const p = k - 1;
  const lagName = (group: string, lag: number): NaturalParam => ({ name: `cor_${group}__${label}__lag${lag}`, kind: 'cor', term: label, term2: `lag${lag}` });
  const rhoOfY = (y: ArrayLike<number>, off: number, J: Float64Array | null = null): Float64Array =>
    acfOfPacf(Array.from({ length: p }, (_, j) => Math.tanh(y[off + j])), p, J);
  const yOfRho = (rho: ArrayLike<number>): number[] => Array.from(pacfOfAcf(rho, p), (f) => Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, f))));
  /** The likelihood side's θ[off…] (the reflected partial autocorrelations) → ρ. */
  const rhoOfTheta = (th: ArrayLike<number>, off: number): Float64Array => acfOfPacf(Array.from({ length: p }, (_, j) => reflectUnit(th[off + j])), p);
  const cholR = (rho: ArrayLike<number>): Float64Array => cholesky(toeplitzMatrix(rho, 0, k), k) ?? new Float64Array(k * k).fill(NaN);
  /** log|∂ρ/∂y| = Σ_j (p − j + 1)·log(1 − φ_j²), j 1-based (here 0-based: p − j). */
  const logJ = (y: ArrayLike<number>, off: number): number => {
    let s = 0;
    for (let j = 0; j < p; j++) s += (p - j) * Math.log(1 - Math.tanh(y[off + j]) ** 2);
    return s;
  };
  let logVolume = 0;
  for (let m = 0; m < p; m++) logVolume += lgamma(0.5) + lgamma(m + 1) - lgamma(m + 1.5);
  const corParams = (group: string): NaturalParam[] => Array.from({ length: p }, (_, j) => lagName(group, j + 1));
  const sds = (group: string, terms: readonly string[]) => terms.map((t): NaturalParam => ({ name: `sd_${group}__${t}`, kind: 'sd', term: t, term2: null }));
  const self: Covariance = {
    kind: 'toep', k, label, correlated: true,
    nTheta: k + p,
    theta0: [...Array.from({ length: k }, () => 1), ...Array.from({ length: p }, () => 0)],
    thetaScale: [...Array.from({ length: k }, () => true), ...Array.from({ length: p }, () => false)],
    template(th, off, T) {
      const C = cholR(rhoOfTheta(th, off + k));
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) T[r * k + c] = th[off + r] * C[r * k + c];
    },
    linearPos: null,
    lmer: false,
    foldSigns(th, off) {
      for (let j = 0; j < k; j++) th[off + j] = Math.abs(th[off + j]);
      for (let j = 0; j < p; j++) th[off + k + j] = reflectUnit(th[off + k + j]);
    },
    natural: (group, terms) => [...sds(group, terms), ...corParams(group)],
    toNatural: (th, off) => [...Array.from({ length: k }, (_, j) => Math.abs(th[off + j])), ...rhoOfTheta(th, off + k)],
    fromNatural(nat, off) {
      const phi = pacfOfAcf(Array.from({ length: p }, (_, j) => nat[off + k + j]), p);
      return [...Array.from({ length: k }, (_, j) => nat[off + j]), ...Array.from(phi, (v) => (Math.abs(v) < 1 ? v : NaN))];
    },
    nSd: k,
    sdTerms: (terms) => terms,
    sdIndex: (a) => a,
    nReal: p,
    realNames: (group) => Array.from({ length: p }, (_, j) => `atanh_pacf_${group}[${j + 1}]`),
    correlationParams: (group) => corParams(group),
    correlationsOf: (L) => Array.from({ length: p }, (_, j) => L[(j + 1) * k]),
    correlationMatrix: (values, off) => toeplitzMatrix(values, off, k),
    factor(y, off, L) {
      L.set(cholR(rhoOfY(y, off)));
      return logJ(y, off);
    },
    factorBackward(y, off, _eta, dL, dy, dyOff) {
      const J = new Float64Array(p * p);
      const rho = rhoOfY(y, off, J);
      const L = cholR(rho);
      // ∂F/∂ρ_lag by the Cholesky derivative in the direction of each lag's Toeplitz indicator
      const gRho = Array.from({ length: p }, (_, lag) => {
        const Rdot = new Float64Array(k * k);
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) if (Math.abs(a - b) === lag + 1) Rdot[a * k + b] = 1;
        return choleskyDirectional(L, Rdot, dL, k);
      });
      for (let m = 0; m < p; m++) {
        const f = Math.tanh(y[off + m]);
        let g = 0;
        for (let n = 0; n < p; n++) g += gRho[n] * J[n * p + m];
        // dφ/dy = 1 − φ²; the Jacobian's term (p − m)·log(1 − φ²) (m 0-based) has derivative −2(p − m)φ
        dy[dyOff + m] += g * (1 - f * f) - 2 * (p - m) * f;
      }
      return logJ(y, off);
    },
    logPrior: () => -logVolume,
    priorConstant: () => -logVolume,
    free(L, out, off) { yOfRho(Array.from({ length: p }, (_, j) => L[(j + 1) * k])).forEach((v, j) => { out[off + j] = v; }); },
    usesLkj: false,
    corClass: 'cor',
    corPrior: { dist: 'uniform', lower: -1, upper: 1 },
    corPriorText: 'uniform(-1, 1)',
    withCorPrior(prior, where) {
      if (prior.dist === 'uniform' && prior.lower <= -1 && prior.upper >= 1) return self;
      throw new GlmmInputError(`prior '${where}': toep() correlations take uniform(-1, 1) only (uniform on the positive-definite Toeplitz matrices), not ${formatDist(prior)}`);
    },
    drawCorrelations(rng) {
      const phi = Array.from({ length: p }, (_, j) => 2 * betaSymmetric(rng, p - j) - 1);
      return [...acfOfPacf(phi, p)];
    },
  };
  return self;
}
