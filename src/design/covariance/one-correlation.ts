/**
 * Structures with one correlation parameter ρ: compound symmetry `cs(x | g)` (R_ab = ρ for a ≠ b,
 * ρ ∈ (−1/(k−1), 1)) with k sds, Σ = D R D, as glmmTMB 1.1's cs (heterogeneous variances; SAS
 * TYPE=CSH), and the first-order autoregressive `ar1(t + 0 | g)` (R_ab = ρ^|a−b| for equally spaced
 * levels of t, ρ ∈ (−1, 1)) with one sd, Σ = σ²R, as glmmTMB's ar1 (Brooks et al. 2017; SAS
 * TYPE=AR(1)).
 *
 * θ (likelihood side) holds y with ρ = lo + (1 − lo)·logistic(y), so that y is unconstrained;
 * θ = (σ_1…σ_m, y) and T(θ) = diag(σ)·chol(R(ρ)). The sampler's y maps onto the support (a, b) of ρ's
 * prior (corr-prior.ts; default uniform on the whole range, brms-style `ar ~ uniform(-1, 1)`):
 * ρ = a + (b − a)·logistic(y), log|J| = log((b − a)·s(1 − s)), s = logistic(y).
 * The reverse pass uses the Cholesky derivative in the direction Ṙ = ∂R/∂ρ (common.ts).
 */
import { cholesky } from '../../linalg/cholesky.js';
import type { Covariance, CovarianceKind, NaturalParam } from './types.js';
import { scalarCorPrior, type ScalarCorPrior } from './corr-prior.js';
import { choleskyDirectional } from './common.js';

/** The correlation matrix of a homogeneous structure and its derivative in ρ. */
interface CorrelationShape {
  readonly kind: CovarianceKind;
  /** Lower end of ρ's range (the upper is 1). */
  readonly lo: number;
  /** R_ab(ρ) and ∂R_ab/∂ρ for a ≠ b. */
  readonly entry: (rho: number, lag: number) => number;
  readonly deriv: (rho: number, lag: number) => number;
  /** The name of ρ: cor_<group>__<label> (cs), ar_<group>__<label> (ar1). */
  readonly prefix: 'cor' | 'ar';
  /** One sd per column (cs) or one for all (ar1). */
  readonly heterogeneous: boolean;
}

const logistic = (y: number): number => 1 / (1 + Math.exp(-y));

function correlation(shape: CorrelationShape, k: number, rho: number, d: boolean): Float64Array {
  const R = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    const lag = Math.abs(a - b);
    R[a * k + b] = lag === 0 ? (d ? 0 : 1) : d ? shape.deriv(rho, lag) : shape.entry(rho, lag);
  }
  return R;
}

/** ρ = a + (b − a)·logistic(y) and its inverse (clamped inside the range). */
const rhoMap = (a: number, b: number) => ({
  rho: (y: number): number => a + (b - a) * logistic(y),
  y: (rho: number): number => {
    const s = Math.min(1 - 1e-12, Math.max(1e-12, (rho - a) / (b - a)));
    return Math.log(s / (1 - s));
  },
});

function oneCorrelation(shape: CorrelationShape, k: number, label: string, priorOf?: ScalarCorPrior): Covariance {
  const { lo } = shape;
  const prior = priorOf ?? { ...scalarCorPrior({ dist: 'uniform', lower: lo, upper: 1 }, lo, 1, ''), text: `uniform(${lo === -1 ? '-1' : `-1/${k - 1}`}, 1)` };
  const theta = rhoMap(lo, 1);
  const { lower: a, upper: b } = prior;
  const { rho: rhoOf, y: yOf } = rhoMap(a, b);
  const logJ = (y: number): number => { const s = logistic(y); return Math.log((b - a) * s * (1 - s)); };
  const cholR = (rho: number): Float64Array => cholesky(correlation(shape, k, rho, false), k) ?? new Float64Array(k * k).fill(NaN);
  const corName = (group: string): NaturalParam => ({ name: `${shape.prefix}_${group}__${label}`, kind: 'cor', term: label, term2: null });
  const m = shape.heterogeneous ? k : 1;
  const sdIndex = (a: number): number => (shape.heterogeneous ? a : 0);
  const sdTerms = (terms: readonly string[]): readonly string[] => terms.slice(0, m);
  return {
    kind: shape.kind, k, label, correlated: true,
    nTheta: m + 1,
    theta0: [...Array.from({ length: m }, () => 1), theta.y(0)],
    thetaScale: [...Array.from({ length: m }, () => true), false],
    template(th, off, T) {
      const C = cholR(theta.rho(th[off + m]));
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) T[r * k + c] = th[off + sdIndex(r)] * C[r * k + c];
    },
    linearPos: null,
    lmer: true,
    foldSigns(theta, off) { for (let j = 0; j < m; j++) theta[off + j] = Math.abs(theta[off + j]); },
    natural: (group, terms) => [...sdTerms(terms).map((t): NaturalParam => ({ name: `sd_${group}__${t}`, kind: 'sd', term: t, term2: null })), corName(group)],
    toNatural: (th, off) => [...Array.from({ length: m }, (_, j) => Math.abs(th[off + j])), theta.rho(th[off + m])],
    fromNatural: (nat, off) => [...Array.from({ length: m }, (_, j) => nat[off + j]), nat[off + m] > lo && nat[off + m] < 1 ? theta.y(nat[off + m]) : NaN],
    nSd: m,
    sdTerms,
    sdIndex,
    nReal: 1,
    realNames: (group) => [`logit_${shape.prefix}_${group}`],
    correlationParams: (group) => [corName(group)],
    correlationsOf: (L) => [L[k]],
    correlationMatrix: (values, off) => correlation(shape, k, Math.max(lo + 1e-6, Math.min(1 - 1e-6, values[off])), false),
    factor(y, off, L) {
      L.set(cholR(rhoOf(y[off])));
      return logJ(y[off]);
    },
    factorBackward(y, off, _eta, dL, dy, dyOff) {
      const yy = y[off], s = logistic(yy), rho = rhoOf(yy);
      const g = choleskyDirectional(cholR(rho), correlation(shape, k, rho, true), dL, k);
      dy[dyOff] += (g + prior.dkernel(rho)) * (b - a) * s * (1 - s) + (1 - 2 * s);
      return logJ(yy) + prior.kernel(rho);
    },
    logPrior: (L) => prior.kernel(L[k]) + prior.constant,
    priorConstant: () => prior.constant,
    free(L, out, off) { out[off] = yOf(L[k]); },
    usesLkj: false,
    corClass: shape.prefix,
    corPrior: prior.dist,
    corPriorText: prior.text,
    withCorPrior: (p, where) => oneCorrelation(shape, k, label, scalarCorPrior(p, lo, 1, where)),
    drawCorrelations: (rng) => [prior.draw(rng())],
  };
}

/** Compound symmetry (glmmTMB's cs): k sds, one common correlation ρ ∈ (−1/(k−1), 1). */
export function compoundSymmetry(k: number, label: string): Covariance {
  return oneCorrelation({ kind: 'cs', lo: -1 / (k - 1), entry: (rho) => rho, deriv: () => 1, prefix: 'cor', heterogeneous: true }, k, label);
}

/** AR(1): one sd, R_ab = ρ^|a−b|, ρ ∈ (−1, 1). */
export function autoregressive1(k: number, label: string): Covariance {
  return oneCorrelation({ kind: 'ar1', lo: -1, entry: (rho, lag) => rho ** lag, deriv: (rho, lag) => lag * rho ** (lag - 1), prefix: 'ar', heterogeneous: false }, k, label);
}
