/**
 * Issue 23: every option of fit() and laplaceOnly() gets the CLI's one-line errors. A bad value is a
 * GlmmInputError naming the option, the value and what is allowed, thrown before any work (no data
 * read, no Laplace fit, no sampling), never a TypeError from inside (`sampler: 'foo'` used to read
 * SAMPLER_DEFAULTS.foo.chains).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit, laplaceOnly, type FitOptions } from '../../src/fit.js';
import { GlmmInputError } from '../../base/errors.js';
import { SAMPLER_RULES } from '../../src/fit/check-options.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/flag-values.js';

const base = {
  formula: 'count ~ trt + (1|block)',
  data: { block: [1, 2, 3, 4, 1, 2, 3, 4], trt: [0, 0, 0, 0, 1, 1, 1, 1], count: [1, 5, 2, 7, 9, 14, 8, 20] },
  family: 'poisson' as const,
  factors: ['trt', 'block'],
};

/** [option, bad value, the message after `fit: `] */
const BAD: [string, unknown, string][] = [
  ['sampler', 'foo', "option sampler 'foo': expected one of nuts, chees"],
  ['chains', 0, 'option chains 0: expected a positive integer'],
  ['chains', 1.5, 'option chains 1.5: expected a positive integer'],
  ['draws', '100', "option draws '100': expected a positive integer"],
  ['warmup', -1, 'option warmup -1: expected a non-negative integer'],
  ['seed', 2 ** 53, `option seed ${2 ** 53}: expected an integer from 0 to ${Number.MAX_SAFE_INTEGER} (2^53 − 1; larger seeds would be rounded)`],
  ['adaptDelta', 1, 'option adaptDelta 1: expected a number in (0, 1)'],
  ['maxTreedepth', 21, 'option maxTreedepth 21: expected an integer in 1..20'],
  ['metric', 'full', "option metric 'full': expected one of diag, dense"],
  ['init', 'zero', "option init 'zero': expected 'random', 'laplace' or a point (a Float64Array of finite numbers)"],
  ['init', [0, NaN], "option init an array: expected 'random', 'laplace' or a point (a Float64Array of finite numbers)"],
  ['ess', 5, 'option ess 5: expected an integer ≥ 10'],
  ['backend', 'gpu', "option backend 'gpu': expected one of js, cpu, wasm, webgl, webgpu"],
  ['laplace', 'yes', "option laplace 'yes': expected true or false"],
  ['onProgress', 5, 'option onProgress 5: expected a function'],
  ['formula', '', "option formula '': expected a formula such as count ~ trt + (1 | block)"],
  ['formula', 5, 'option formula 5: expected a formula such as count ~ trt + (1 | block)'],
  ['data', 'data.csv', "option data 'data.csv': expected rows (an array of objects), columns (an object of arrays), { csv: text } or a DataFrame (a file: readCsvFile(path))"],
  ['data', { csv: 5 }, 'option data an object: expected rows (an array of objects), columns (an object of arrays), { csv: text } or a DataFrame (a file: readCsvFile(path))'],
  ['family', 'poison', "option family 'poison': expected one of "],
  ['link', 'logg', "option link 'logg': expected one of log, identity"],
  ['factors', 'trt', "option factors 'trt': expected an array of strings"],
  ['priors', 'b ~ normal(0, 1)', "option priors 'b ~ normal(0, 1)': expected an array of strings"],
  ['ddf', 'kr', "option ddf 'kr': expected one of kenward-roger, satterthwaite"],
  ['profile', 'no', "option profile 'no': expected true or false"],
  ['sep', ';;', "option sep ';;': expected one character, e.g. ';' or '\\t'"],
  ['prob', 1.5, 'option prob 1.5: expected a probability in (0, 1), e.g. 0.9'],
  ['chian', 4, "unknown option 'chian'; options are formula, data, family, "],
];

test('fit(): every bad option is one GlmmInputError line naming the option, the value and what is allowed', async () => {
  for (const [k, v, msg] of BAD) {
    const opts = { ...base, [k]: v } as unknown as FitOptions;
    await assert.rejects(fit(opts), (e: unknown) => {
      assert.ok(e instanceof GlmmInputError, `${k}: ${String(e)}`);
      assert.ok(e.message.startsWith(`fit: ${msg}`), `${k}: ${e.message}`);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  }
  await assert.rejects(fit({ ...base, ess: 400, draws: 100 }), /^GlmmInputError: fit: options ess and draws exclude each other/);
  await assert.rejects(fit(null as unknown as FitOptions), new GlmmInputError('fit takes one object of options, e.g. fit({ formula, data, family })'));
  const { family: _, ...noFamily } = base;
  await assert.rejects(fit(noFamily as unknown as FitOptions), /^GlmmInputError: fit: option family is missing; expected one of poisson/);
});

test('laplaceOnly(): the same checks, with nAGQ and reml', () => {
  assert.throws(() => laplaceOnly({ ...base, sampler: 'nuts' } as never), /^GlmmInputError: laplaceOnly: unknown option 'sampler'/);
  assert.throws(() => laplaceOnly({ ...base, nAGQ: '5' } as never), /^GlmmInputError: laplaceOnly: option nAGQ '5': expected an integer from 0 to 100$/);
  assert.throws(() => laplaceOnly({ ...base, reml: 1 } as never), /^GlmmInputError: laplaceOnly: option reml 1: expected true or false$/);
  assert.throws(() => laplaceOnly({ ...base, prob: 0 }), /^GlmmInputError: laplaceOnly: option prob 0: expected a probability in \(0, 1\)/);
  assert.equal(laplaceOnly(base).summary.model.family, 'poisson');
});

test('the CLI says the same words for the same rules', () => {
  const cli = (flag: string, v: string) => {
    try {
      parseCommandLine(['fit', '--data', 'd.csv', '--formula', 'y ~ x', '--family', 'poisson', flag, v]);
    } catch (e) {
      assert.ok(e instanceof UsageError);
      return e.message;
    }
    return '';
  };
  assert.equal(cli('--chains', '0'), `--chains 0: expected ${SAMPLER_RULES.chains.expected}`);
  assert.equal(cli('--adapt-delta', '1'), `--adapt-delta 1: expected ${SAMPLER_RULES.adaptDelta.expected}`);
  assert.equal(cli('--max-treedepth', '21'), `--max-treedepth 21: expected ${SAMPLER_RULES.maxTreedepth.expected}`);
  assert.equal(cli('--seed', '-1'), `--seed -1: expected ${SAMPLER_RULES.seed.expected}`);
});
