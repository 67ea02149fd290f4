/**
 * Hostile options of the library's two calls (issue 23): seeded random (option, value) pairs, every
 * option of fit() and laplaceOnly() (and a few unknown keys) against values of every kind. Each call
 * ends in a fit or in one GlmmInputError line, never a TypeError or RangeError from inside. fit() runs
 * with more chains than the run-size limit (or 10^9 draws when chains is the option fuzzed), so it is
 * refused before sampling when its options pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { fit, laplaceOnly, type FitOptions } from '../../src/fit.js';
import { GlmmInputError } from '../../base/errors.js';

const base = {
  formula: 'count ~ trt + (1|block)',
  data: { block: [1, 2, 3, 4, 1, 2, 3, 4], trt: [0, 0, 0, 0, 1, 1, 1, 1], count: [1, 5, 2, 7, 9, 14, 8, 20] },
  family: 'poisson' as const,
  factors: ['trt', 'block'],
};

const MODEL_KEYS = ['formula', 'data', 'family', 'link', 'factors', 'weights', 'priors', 'ddf', 'profile', 'means', 'centered', 'parameters', 'terms', 'customFamily', 'na', 'sep', 'prob'];
const FIT_KEYS = [...MODEL_KEYS, 'sampler', 'chains', 'warmup', 'draws', 'seed', 'adaptDelta', 'maxTreedepth', 'metric', 'init', 'ess', 'backend', 'laplace', 'onLaplace', 'onProgress', 'shouldStop', 'chian', 'nAGQ'];
const LAPLACE_KEYS = [...MODEL_KEYS, 'nAGQ', 'reml', 'sampler', 'Formula'];
const VALUES: unknown[] = [
  null, NaN, -1, 0, 1, 1.5, 25, 101, 2 ** 53, Infinity, '', 'foo', ' ', 'count', 'trt', 'block', 'log', 'nuts', 'chees', 'diag', 'js',
  'satterthwaite', true, false, [], ['trt'], ['nosuch'], ['b ~ normal(0, 1)'], [1, 2], {}, { csv: 'a,b\n1,2\n' }, { csv: 5 },
  () => 1, new Float64Array(3), [NaN], 'count ~ 1', 'y ~ (1|', '\u0000',
];

function cases(seed: string, keys: string[], n: number): [string, unknown][] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => [keys[Math.floor(rng() * keys.length)], VALUES[Math.floor(rng() * VALUES.length)]]);
}

const describe = (v: unknown) => (typeof v === 'function' ? 'a function' : v instanceof Float64Array ? 'Float64Array' : JSON.stringify(v) ?? String(v));

function assertInputError(e: unknown, what: string): void {
  assert.ok(e instanceof GlmmInputError, `${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  assert.ok(!e.message.includes('\n') && e.message.length > 0, `${what}: ${e.message}`);
}

test('laplaceOnly(): 150 hostile options each fit or give one GlmmInputError line', () => {
  for (const [k, v] of cases('options-laplace', LAPLACE_KEYS, 150)) {
    try {
      laplaceOnly({ ...base, [k]: v } as never);
    } catch (e) {
      assertInputError(e, `laplaceOnly ${k} = ${describe(v)}`);
    }
  }
});

test('fit(): 150 hostile options each give one GlmmInputError line before sampling', async () => {
  for (const [k, v] of cases('options-fit', FIT_KEYS, 150)) {
    const size = k === 'chains' ? { draws: 1e9 } : { chains: 20000 };
    try {
      await fit({ ...base, ...size, [k]: v } as unknown as FitOptions);
      assert.fail(`fit ${k} = ${describe(v)} was not refused by the run-size limit`);
    } catch (e) {
      assertInputError(e, `fit ${k} = ${describe(v)}`);
    }
  }
});
