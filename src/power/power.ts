/**
 * Power by simulation (simr's powerSim / powerCurve for lme4, Green & MacLeod 2016; Stroup's
 * exemplary-data method, *SAS for Mixed Models* 2nd ed. ch. 12, by Monte Carlo): from a design, a
 * formula, a family and assumed values of every parameter, simulate `nsim` data sets at each design
 * size, fit each (Laplace by default, or the posterior), apply the test, and report the share of
 * rejections with its Monte Carlo interval (Clopper–Pearson by default, or Wilson). The simulations are
 * independent jobs on the pool (src/pool): simulation s at size a is job a·nsim + s with seed
 * jobSeed(seed, job), so the answer is the same on any number of workers or machines.
 */
import { GlmmInputError } from '../../base/errors.js';
import { getFamily } from '../../models/families/index.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import type { FitOptions } from '../fit.js';
import { runJobs, type JobsProgress } from '../pool/pool.js';
import type { Executor } from '../pool/threads.js';
import type { PowerJson, PowerRowJson } from '../report/power.js';
import type { PowerDesign } from './design.js';
import { binomialInterval, type IntervalMethod } from './interval.js';
import { sizedDesign, type PowerJob, type PowerJobResult, type PowerShared } from './job.js';
import { checkTest, describeTest, isPosteriorRule, type PowerTest } from './rules.js';
import { checkValues, type AssumedValues } from './simulate.js';

/** Options of {@link power}. */
export interface PowerOptions {
  readonly formula: string;
  readonly family: FamilyName;
  readonly link?: LinkName;
  readonly factors?: readonly string[];
  readonly weights?: string;
  /** A typed data frame whose response is ignored, or factors with level counts (`{ levels: { block: 8, trt: 4 } }`). */
  readonly design: PowerDesign;
  /** Assumed values of every parameter by name (b_*, sd_*, cor_* (default 0), sigma / shape). */
  readonly set: AssumedValues;
  readonly test: PowerTest;
  /** Simulations per design size (default 100). */
  readonly nsim?: number;
  /** Design sizes: the number of levels of one factor. */
  readonly along?: { readonly factor: string; readonly sizes: readonly number[] };
  readonly seed?: number;
  /** Sampler settings of the posterior fits (the rules prob and rope). */
  readonly sampler?: Partial<Pick<FitOptions, 'sampler' | 'chains' | 'warmup' | 'draws' | 'ess' | 'adaptDelta' | 'backend'>>;
  /** Interval of each power estimate (default Clopper–Pearson) and its level (default 0.95). */
  readonly interval?: IntervalMethod;
  readonly level?: number;
  /** Worker threads (default 0: this thread; the CLI's default is the cores). */
  readonly workers?: number;
  readonly executor?: Executor;
  readonly results?: string;
  readonly resume?: boolean;
  readonly onProgress?: (p: JobsProgress) => void;
  readonly shouldStop?: () => boolean;
}

/** Power at one design size (power.json's rows). */
export type PowerRow = PowerRowJson;

/** The result of {@link power}: power.json (src/report/power.ts). */
export type PowerResult = PowerJson;

/** The response column of `formula` (power simulates it). */
export function responseColumn(formula: string): string {
  const lhs = formula.split('~')[0]?.trim() ?? '';
  if (!formula.includes('~') || !/^[A-Za-z_.][\w.]*$/.test(lhs)) throw new GlmmInputError(`power simulates one response column: write the formula as y ~ … (got '${lhs || formula}'); a binomial with trials uses a proportion y and --weights n`);
  return lhs;
}

function rowOf(size: number | null, nobs: number, results: readonly (PowerJobResult | undefined)[], method: IntervalMethod, level: number): PowerRow {
  const done = results.filter((r): r is PowerJobResult => r !== undefined);
  const x = done.filter((r) => r.reject).length;
  const failed = done.filter((r) => r.error !== null);
  const [lower, upper] = binomialInterval(x, done.length, method, level);
  return { size, nobs, nsim: done.length, rejections: x, power: done.length ? x / done.length : NaN, lower, upper, failed: failed.length, first_error: failed[0]?.error ?? null };
}

/** Power of `o.test` at each design size (see the module comment). */
export async function power(o: PowerOptions): Promise<PowerResult> {
  const nsim = o.nsim ?? 100;
  if (!(Number.isInteger(nsim) && nsim >= 1)) throw new GlmmInputError(`power: nsim ${nsim}: expected a positive integer`);
  const sizes: (number | null)[] = o.along ? [...o.along.sizes] : [null];
  for (const n of sizes) if (n !== null && !(Number.isInteger(n) && n >= 2)) throw new GlmmInputError(`power: --along ${o.along?.factor}=${n}: expected integers ≥ 2`);
  const link = o.link ?? getFamily(o.family).defaultLink;
  const shared: PowerShared = {
    formula: o.formula, response: responseColumn(o.formula), family: o.family, link, factors: o.factors ?? [], weights: o.weights,
    design: o.design, along: o.along?.factor ?? null, values: o.set, test: o.test, seed: o.seed ?? 1, sampler: o.sampler ?? {},
  };
  for (const n of sizes) {
    const { design } = sizedDesign(shared, n); // bad design, values or test: one error before any simulation
    checkValues(design, o.family, o.set);
    checkTest(o.test, design);
  }
  const jobs: PowerJob[] = sizes.flatMap((size) => Array.from({ length: nsim }, (_, sim) => ({ size, sim })));
  const run = await runJobs<PowerShared, PowerJob, PowerJobResult>({
    module: new URL('./job.js', import.meta.url).href, shared, jobs, workers: o.workers ?? 0, executor: o.executor,
    results: o.results, resume: o.resume, onResult: o.onProgress, shouldStop: o.shouldStop,
  });
  const method = o.interval ?? 'clopper-pearson', level = o.level ?? 0.95;
  const rows = sizes.map((size, a) => rowOf(size, sizedDesign(shared, size).design.nobs, run.results.slice(a * nsim, (a + 1) * nsim), method, level));
  return {
    test: describeTest(o.test), rule: o.test.rule, fit: isPosteriorRule(o.test) ? 'posterior' : 'laplace', formula: o.formula, family: o.family, link,
    values: o.set, along: shared.along, seed: shared.seed, interval: { method, level }, rows, complete: run.complete,
  };
}
