/**
 * Calibration of a Monte Carlo error across seeds (issue 23): for each seed s and parameter p,
 * z = (mean_s − ref) / √(mcse_s² + mcse_ref²). If the reported MCSE is honest and the run unbiased,
 * the z are ≈ N(0, 1): their sd over all seeds and parameters near 1, each parameter's mean z near 0
 * (its standard error is 1/√seeds, so ±0.5 at 20 seeds is ±2.2 standard errors).
 */

/** One parameter's z across seeds. */
export interface ParameterZ {
  readonly name: string;
  readonly z: readonly number[];
}

/** Summary of one model's z. */
export interface CalibrationFigures {
  /** sd of all z (about 0, not about their mean: a bias counts against it too). */
  readonly sdZ: number;
  /** per parameter: mean z, sd z. */
  readonly perParameter: readonly { name: string; meanZ: number; sdZ: number }[];
  /** count of |z| > 2 and its expectation under N(0, 1). */
  readonly over2: number;
  readonly over2Expected: number;
  readonly n: number;
}

/** Bounds of the issue: sd(z) ∈ [0.85, 1.15], every |mean z| ≤ 0.5. */
export const SD_Z_BOUNDS = [0.85, 1.15] as const;
export const MEAN_Z_BOUND = 0.5;

/** z of one estimate against a reference, each with its MCSE. */
export function zScore(mean: number, mcse: number, ref: number, mcseRef: number): number {
  return (mean - ref) / Math.hypot(mcse, mcseRef);
}

const meanOf = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;

/** sd(z) about 0 (root mean square), per-parameter mean and sd, and the |z| > 2 count. */
export function calibrationFigures(params: readonly ParameterZ[]): CalibrationFigures {
  const all = params.flatMap((p) => p.z);
  const rms = (x: readonly number[]) => Math.sqrt(meanOf(x.map((v) => v * v)));
  const sdAbout = (x: readonly number[]) => { const m = meanOf(x); return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1)); };
  return {
    sdZ: rms(all),
    perParameter: params.map((p) => ({ name: p.name, meanZ: meanOf(p.z), sdZ: sdAbout(p.z) })),
    over2: all.filter((v) => Math.abs(v) > 2).length,
    over2Expected: all.length * 0.0455,
    n: all.length,
  };
}

/** Whether the figures meet the bounds. */
export function calibrated(f: CalibrationFigures): boolean {
  return f.sdZ >= SD_Z_BOUNDS[0] && f.sdZ <= SD_Z_BOUNDS[1] && f.perParameter.every((p) => Math.abs(p.meanZ) <= MEAN_Z_BOUND);
}
