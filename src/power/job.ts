/**
 * One simulated data set of a power run as a job of the pool (src/pool): the design at its size, a
 * response simulated from the assumed values with seed jobSeed(run seed, job index), the fit (Laplace by
 * default; the posterior with the run's sampler settings) and the test's decision. A fit that fails
 * counts as not rejecting and is reported (simr counts its errors the same way).
 */
import seedrandom from 'seedrandom';
import { familyLayout, getFamily } from '../../models/families/index.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { buildDesign } from '../design/design.js';
import type { Design } from '../design/types.js';
import type { DataFrame } from '../data/frame.js';
import { fit, laplaceOnly, type FitOptions } from '../fit.js';
import { jobSeed } from '../pool/seed.js';
import { powerFrame, withColumn, type PowerDesign } from './design.js';
import { laplaceDecision, posteriorDecision, isPosteriorRule, type PowerTest, type SimOutcome } from './rules.js';
import { simulateResponse, type AssumedValues } from './simulate.js';

/** What every simulation of a run shares. */
export interface PowerShared {
  readonly formula: string;
  readonly response: string;
  readonly family: FamilyName;
  readonly link: LinkName;
  readonly factors: readonly string[];
  readonly weights?: string;
  readonly design: PowerDesign;
  readonly along: string | null;
  readonly values: AssumedValues;
  readonly test: PowerTest;
  readonly seed: number;
  /** Sampler settings of a posterior fit (chains, warmup, draws, sampler, …). */
  readonly sampler: Partial<FitOptions>;
}

/** Simulation `sim` at design size `size` (null: the design as given). */
export interface PowerJob {
  readonly size: number | null;
  readonly sim: number;
}

/** A job's answer; `error` when the fit failed (then reject is false). */
export interface PowerJobResult extends SimOutcome {
  readonly error: string | null;
}

const frames = new Map<string, { frame: DataFrame; design: Design }>();

/** The design at a size, built once per worker. */
export function sizedDesign(s: PowerShared, size: number | null): { frame: DataFrame; design: Design } {
  const key = String(size);
  let d = frames.get(key);
  if (!d) {
    const frame = powerFrame(s.design, s.response, (v) => getFamily(s.family).response.check(v), s.along && size !== null ? { factor: s.along, n: size } : undefined);
    d = { frame, design: buildDesign(s.formula, frame, s.family, { factors: s.factors, weights: s.weights }) };
    frames.clear();
    frames.set(key, d);
  }
  return d;
}

/** The number of parameters of a model (fixed, sds, correlations, family parameter) for the LRT's df. */
export function parameterCount(d: Design, family: FamilyName): number {
  const re = d.random.reduce((n, t) => n + t.cov.nTheta, 0);
  return d.fixed.p + re + familyLayout(getFamily(family), d.response.y).dim;
}

/** The frame with the simulated response in the rows the design kept. */
function simulatedFrame(s: PowerShared, frame: DataFrame, design: Design, rng: () => number): DataFrame {
  const y = simulateResponse(design, s.family, s.link, s.values, rng);
  const values = new Float64Array(frame.nrow).fill(NaN);
  const rows = design.rows ?? Int32Array.from({ length: design.nobs }, (_, i) => i);
  rows.forEach((r, i) => { values[r] = y[i]; });
  return withColumn(frame, s.response, values);
}

async function decide(s: PowerShared, data: DataFrame, seed: number): Promise<SimOutcome> {
  const model = { formula: s.formula, data, family: s.family, link: s.link, factors: s.factors, weights: s.weights, profile: false };
  if (isPosteriorRule(s.test)) return posteriorDecision(s.test, (await fit({ ...model, ...s.sampler, seed })).draws);
  if (s.test.rule !== 'lrt') return laplaceDecision(s.test, laplaceOnly(model).summary);
  const full = laplaceOnly({ ...model, reml: false });
  const nul = laplaceOnly({ ...model, formula: s.test.null, reml: false });
  return laplaceDecision(s.test, full.summary, { summary: nul.summary, nPar: parameterCount(nul.spec.design, s.family) }, parameterCount(full.spec.design, s.family));
}

/** Job `index`: simulate, fit, decide. */
export async function runJob(s: PowerShared, job: PowerJob, index: number): Promise<PowerJobResult> {
  const { frame, design } = sizedDesign(s, job.size);
  const seed = jobSeed(s.seed, index);
  const data = simulatedFrame(s, frame, design, seedrandom(`power${seed}`));
  try {
    return { ...(await decide(s, data, seed)), error: null };
  } catch (e) {
    return { reject: false, estimate: null, p: null, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}
