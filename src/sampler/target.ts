/**
 * The sampler's view of a target: what every sampler needs from a log density (DESIGN.md §Contracts); the log
 * density (src/logdensity/, src/target/compile.ts) implements it.
 *
 * `q` holds `nChains` points of dimension `dim`, chain-major (`q[c * dim + i]`). One call evaluates
 * every chain in one batched computation. `logp[c]` is the log density (up to a constant, including
 * every log-Jacobian) of chain c; `grad[c * dim + i]` its gradient. A point where the density cannot
 * be evaluated gives `logp = -Infinity` (the sampler treats it as divergent), never an exception.
 * Each call returns new arrays, which the caller may keep (the samplers do not copy them).
 */
export type LogDensity = (q: Float64Array, nChains: number) => { logp: Float64Array; grad: Float64Array };

/**
 * The same evaluation written into the caller's arrays, logp[0..nChains) and grad[0..nChains·dim), every
 * entry overwritten: the same numbers as {@link LogDensity}, without two new arrays per call (the
 * leapfrog steps of many small-model chains: integrator.ts leapfrogBatch).
 */
export type LogDensityInto = (q: Float64Array, nChains: number, logp: Float64Array, grad: Float64Array) => void;

/** A log density with its dimension and parameter names (unconstrained scale). */
export interface Target {
  readonly dim: number;
  readonly logDensity: LogDensity;
  /** Optional: logDensity into the caller's arrays. A wrapper that changes logDensity must not pass this one on. */
  readonly logDensityInto?: LogDensityInto;
  /** Names of the unconstrained coordinates, for messages and tests. */
  readonly names?: readonly string[];
  /** Releases backend memory held by the compiled density (tfjs tensors). */
  readonly dispose?: () => void;
}
