/**
 * The sampler options' one defaults table (src/fit/options.ts): CmdStan's NUTS defaults, ChEES's, the
 * NUTS-only options warned under ChEES, adaptDelta as ChEES's target acceptance, and the usage text
 * built from the same table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLER_DEFAULTS, defaultsUsage, resolveSamplerOptions } from '../../src/fit/options.js';
import { USAGE } from '../../src/cli/usage.js';

test('defaults: NUTS as CmdStan (4 × 1000 after 1000, adapt_delta 0.8, max_depth 10, diag); ChEES 100 draws, target 0.651', () => {
  const nuts = resolveSamplerOptions({ sampler: 'nuts' });
  assert.deepEqual(nuts, {
    options: { sampler: 'nuts', chains: 4, warmup: 1000, draws: 1000, seed: 1, adaptDelta: 0.8, maxTreedepth: 10, metric: 'diag', init: 'laplace' },
    warnings: [], notes: [],
  });
  const chees = resolveSamplerOptions({});
  assert.equal(chees.options.sampler, 'chees');
  assert.equal(chees.options.chains, undefined, 'ChEES picks its chains from the model size (at most 256)');
  assert.equal(chees.options.draws, 100);
  assert.equal(chees.options.adaptDelta, 0.651);
  assert.deepEqual(chees.warnings, []);
});

test('NUTS-only options under ChEES: one warning line naming them; adaptDelta becomes the target acceptance with a note', () => {
  const r = resolveSamplerOptions({ adaptDelta: 0.95, maxTreedepth: 12, metric: 'dense' });
  assert.deepEqual(r.warnings, ['--max-treedepth and --metric apply to NUTS only and were ignored by ChEES-HMC (the default sampler); add --sampler nuts to use them.']);
  assert.equal(r.options.adaptDelta, 0.95);
  assert.deepEqual(r.notes, ["adaptDelta 0.95 is ChEES-HMC's target acceptance here (its default is 0.651)."]);
  assert.deepEqual(resolveSamplerOptions({ sampler: 'nuts', maxTreedepth: 12 }).warnings, []);
});

test('the usage text states the table\'s defaults and that ChEES starts from the Laplace fit', () => {
  assert.ok(USAGE.includes(defaultsUsage()));
  assert.match(USAGE, new RegExp(`ChEES ${SAMPLER_DEFAULTS.chees.chains} chains × ${SAMPLER_DEFAULTS.chees.draws} draws`));
  assert.match(USAGE, /starts from the best of 16 draws around the Laplace fit/);
  assert.ok(!/random starts/.test(USAGE));
  assert.match(USAGE, /--centered GROUP,\.\.\.\|none\|auto/);
});

test('reparameterization advice names the --centered that changes the current parameterization', async () => {
  const { specify } = await import('../../src/fit.js');
  const { reparameterizeAdvice } = await import('../../src/fit/centering.js');
  const { runLaplace } = await import('../../src/fit/laplace.js');
  const data = { csv: 'count,trt,block\n' + [1, 2, 3, 4].flatMap((b) => [`${b},0,${b}`, `${b + 3},1,${b}`]).join('\n') };
  const input = { formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson' as const, factors: ['trt', 'block'] };
  const spec = specify(input).spec;
  // 8 counts of 1–7: every level is weakly informed (median condSd/sd above 0.5), so no centring advice
  assert.equal(reparameterizeAdvice(spec, runLaplace(spec, {})), '');
  assert.equal(reparameterizeAdvice(specify({ ...input, centered: ['block'] }).spec, null), 'sample every random effect non-centred with --centered none (now centred: block)');
  assert.equal(reparameterizeAdvice(specify({ ...input, formula: 'count ~ trt' }).spec, null), '');
  // large counts per level: the data dominate, centring is advised for the best-informed term
  const big = { csv: 'count,trt,block\n' + [1, 2, 3, 4, 5, 6].flatMap((b) => [0, 1, 2].flatMap((r) => [`${200 + 40 * b + r},0,${b}`, `${300 + 40 * b - r},1,${b}`])).join('\n') };
  const sb = specify({ ...input, data: big, formula: 'count ~ trt + (1|block)' }).spec;
  assert.match(reparameterizeAdvice(sb, runLaplace(sb, {})), /^sample the random effects of block centred with --centered block \(the data inform its levels: median conditional sd 0\.\d\d of its sd\)$/);
});
