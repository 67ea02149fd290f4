/**
 * Data that a GLMM cannot learn from, named before any fitting (issue 12): what would otherwise end in
 * estimates of ±500 with only a Hessian warning, in "Matrix is not symmetric", or in a fit that says
 * "Warnings: none" while it is meaningless.
 *
 * Errors (GlmmInputError, the fit cannot mean anything):
 * - an offset that uses the response column (the outcome cannot be known in advance);
 * - counts above 2^24 (the log density is computed in float32, which holds integers exactly only up to
 *   2^24 = 16,777,216; lgamma and the Poisson/NB terms lose all precision beyond);
 * - a covariate, offset or gaussian/gamma response beyond ±1e15 in magnitude (its square and the
 *   information matrix overflow; float32 overflows at 3.4e38);
 * - a gaussian response that is constant, or fitted exactly by the fixed effects (sigma → 0 and the
 *   likelihood is unbounded: lme4 reports sigma 0 and an absurd logLik).
 * Warnings (the posterior exists but only the prior holds the named estimate):
 * - a count response that is 0 in every row; a binomial/bernoulli response that is all successes or all
 *   failures;
 * - complete or quasi-complete separation by a fixed-effect column (Albert & Anderson 1984): a value of
 *   the column beyond which every row is a success (or a failure).
 */
import { GlmmInputError } from '../../base/errors.js';
import { formatNumber } from '../data/frame.js';
import type { FamilyName } from '../../models/families/types.js';
import { getFamily } from '../../models/families/getFamily.js';

/** Largest count the float32 log density holds exactly (2^24). */
export const MAX_COUNT = 16777216;
/** Largest magnitude of a covariate, offset or continuous response. */
export const MAX_MAGNITUDE = 1e15;

/** What the checks read of a design under construction. */
export interface DegenerateInput {
  readonly family: FamilyName;
  readonly responseLabel: string;
  readonly y: Float64Array;
  /** trials per row for binomial/bernoulli, else null */
  readonly trials: Float64Array | null;
  /** fixed-effect model matrix, row-major n × p, with its column names (b_…) */
  readonly X: Float64Array;
  readonly p: number;
  readonly names: readonly string[];
  readonly offset: Float64Array | null;
  /** 0-based data row of each kept row (for messages) */
  readonly rows: Int32Array;
}

const rowOf = (rows: Int32Array, i: number) => rows[i] + 1;

function maxAbsAt(v: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[k])) k = i;
  return k;
}

/** Throws when an offset uses a response column (`offset(count)` with `count ~ …`). */
export function checkOffsetNotResponse(responseColumns: readonly string[], offsets: readonly { label: string; columns: readonly string[] }[]): void {
  for (const o of offsets) {
    const c = o.columns.find((x) => responseColumns.includes(x));
    if (c !== undefined) {
      throw new GlmmInputError(`offset(${o.label}) uses the response column '${c}'; an offset must be known before the outcome (e.g. offset(log(exposure))): remove it`);
    }
  }
}

/** Throws for counts beyond MAX_COUNT and values beyond MAX_MAGNITUDE (see the module comment). */
export function checkMagnitudes(d: DegenerateInput): void {
  const count = getFamily(d.family).response.integer;
  const yk = maxAbsAt(d.y);
  if (count && d.y.length > 0 && d.y[yk] > MAX_COUNT) {
    throw new GlmmInputError(`${d.family} response '${d.responseLabel}' has the count ${formatNumber(d.y[yk])} at row ${rowOf(d.rows, yk)}; counts above ${MAX_COUNT} (2^24) cannot be computed exactly in float32: check the data, or model a rescaled value with --family gaussian or gamma`);
  }
  if (d.trials) {
    const tk = maxAbsAt(d.trials);
    if (d.trials[tk] > MAX_COUNT) throw new GlmmInputError(`binomial response '${d.responseLabel}' has ${formatNumber(d.trials[tk])} trials at row ${rowOf(d.rows, tk)}; trials above ${MAX_COUNT} (2^24) cannot be computed exactly in float32: check the data`);
  }
  if (!count && d.y.length > 0 && Math.abs(d.y[yk]) > MAX_MAGNITUDE) {
    throw new GlmmInputError(`response '${d.responseLabel}' is ${formatNumber(d.y[yk])} at row ${rowOf(d.rows, yk)}; values beyond ±${MAX_MAGNITUDE} overflow the computation: rescale it (e.g. divide by a power of 10)`);
  }
  const n = d.y.length;
  for (let j = 0; j < d.p; j++) {
    for (let i = 0; i < n; i++) {
      const v = d.X[i * d.p + j];
      if (Math.abs(v) > MAX_MAGNITUDE) {
        throw new GlmmInputError(`fixed-effect column ${d.names[j]} is ${formatNumber(v)} at row ${rowOf(d.rows, i)}; values beyond ±${MAX_MAGNITUDE} overflow the computation: rescale the column (e.g. x / 1e6 or log(x))`);
      }
    }
  }
  if (d.offset) {
    const k = maxAbsAt(d.offset);
    if (Math.abs(d.offset[k]) > MAX_MAGNITUDE) throw new GlmmInputError(`the offset is ${formatNumber(d.offset[k])} at row ${rowOf(d.rows, k)}; values beyond ±${MAX_MAGNITUDE} overflow the computation: check it (an offset is usually log(exposure))`);
  }
}

/** Residual sum of squares of y on the columns of X (least squares by modified Gram–Schmidt). */
function residualSumOfSquares(X: Float64Array, n: number, p: number, y: Float64Array): number {
  const r = Float64Array.from(y);
  const q: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = X[i * p + j];
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-10)) continue; // aliased column
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += v[i] * r[i];
    for (let i = 0; i < n; i++) r[i] -= dot * v[i];
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += r[i] * r[i];
  return ss;
}

/** Throws for a gaussian (a `linearMixed` family's) response that is constant or fitted exactly by the fixed effects. */
export function checkGaussianResponse(d: DegenerateInput): void {
  if (!getFamily(d.family).linearMixed || d.y.length < 2) return;
  const y = d.y;
  if (y.every((v) => v === y[0])) {
    throw new GlmmInputError(`${d.family} response '${d.responseLabel}' is constant (${formatNumber(y[0])} in every row): its sd is 0 and there is nothing to model; check the response column`);
  }
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  let tss = 0;
  for (const v of y) tss += (v - mean) ** 2;
  const adjusted = d.offset ? y.map((v, i) => v - d.offset![i]) : y;
  if (n > d.p && residualSumOfSquares(d.X, n, d.p, adjusted) <= 1e-20 * tss) {
    throw new GlmmInputError(`${d.family} response '${d.responseLabel}' is fitted exactly by the fixed effects (${d.names.join(', ')}): the residual sd is 0 and the likelihood is unbounded; remove the term that reproduces the response`);
  }
}

/** Warnings naming a response without information and separation by a fixed-effect column. */
export function degenerateWarnings(d: DegenerateInput): string[] {
  const out: string[] = [];
  const n = d.y.length;
  if (n === 0) return out;
  if (getFamily(d.family).response.allZeroUninformative && d.y.every((v) => v === 0)) {
    out.push(`the response '${d.responseLabel}' is 0 in every row: the intercept runs towards −∞ and only the prior holds it; there is nothing to estimate`);
  }
  if (d.trials) {
    const s = d.y;
    const t = d.trials;
    const allSuccess = s.every((v, i) => v === t[i]);
    const allFailure = s.every((v) => v === 0);
    if (allSuccess || allFailure) {
      out.push(`the response '${d.responseLabel}' is ${allSuccess ? 'a success' : 'a failure'} in every row: the intercept runs towards ${allSuccess ? '+' : '−'}∞ and only the prior holds it; there is nothing to estimate`);
    } else {
      out.push(...separationWarnings(d));
    }
  }
  return out;
}

/**
 * Complete or quasi-complete separation by one column: all rows with a failure lie on one side of a
 * value and all rows with a success on the other (ties at the value make it quasi-complete).
 */
function separationWarnings(d: DegenerateInput): string[] {
  const out: string[] = [];
  const n = d.y.length;
  const t = d.trials!;
  for (let j = 0; j < d.p; j++) {
    if (d.names[j] === 'b_Intercept') continue;
    let minS = Infinity, maxS = -Infinity, minF = Infinity, maxF = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = d.X[i * d.p + j];
      if (d.y[i] > 0) { minS = Math.min(minS, x); maxS = Math.max(maxS, x); }
      if (t[i] - d.y[i] > 0) { minF = Math.min(minF, x); maxF = Math.max(maxF, x); }
    }
    if (minS === maxS && minF === maxF && minS === minF) continue; // constant column
    const name = d.names[j].replace(/^b_/, '');
    // successes all above the failures (hi = success) or all below them
    const up = maxF <= minS;
    if (!up && !(maxS <= minF)) continue;
    const at = up ? (maxF + minS) / 2 : (maxS + minF) / 2;
    const tie = up ? maxF === minS : maxS === minF;
    const [hi, lo] = up ? ['success', 'failure'] : ['failure', 'success'];
    let above = 0, below = 0;
    for (let i = 0; i < n; i++) {
      const x = d.X[i * d.p + j];
      if (x > at) above++;
      else if (x < at) below++;
    }
    const parts = [above > 0 ? `every row with ${name} > ${formatNumber(at)} is a ${hi}` : '', below > 0 ? `every row with ${name} < ${formatNumber(at)} is a ${lo}` : ''].filter((x) => x);
    out.push(
      `${tie ? 'quasi-complete' : 'complete'} separation in ${name}: ${parts.join(' and ')}, so the estimate of ${d.names[j]} runs towards ±∞ and only the prior holds it; drop or merge that term, or give it an informative prior`,
    );
  }
  return out;
}
