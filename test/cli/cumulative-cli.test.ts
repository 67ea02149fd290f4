/**
 * `glmm laplace --family cumulative` on the wine data (ordinal::clmm's answer in
 * test/fixtures/families/cumulative.json) and the ordinal response's one-line errors: an empty category
 * in --levels, text categories without --levels, --levels with a family that has no categories, a
 * formula without its intercept.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertInputError, dataFile, repoPath, runCli } from './cli-helpers.js';

const WINE = dataFile('ordinal_wine.csv');
const model = (formula: string, family = 'cumulative') => ['--data', WINE, '--formula', formula, '--family', family, '--factor', 'judge'];
const clmm = (JSON.parse(readFileSync(repoPath('test/fixtures/families/cumulative.json'), 'utf8')) as { models: Record<string, { laplace: { logLik: number } }> }).models;

describe('glmm cumulative', { concurrency: 4 }, () => {
  test('laplace --json: clmm\'s logLik, the thresholds b_Intercept[1..4] with the category order', async () => {
    const r = await runCli(['laplace', ...model('rating ~ temp + contact + (1|judge)'), '--link', 'probit', '--levels', '1,2,3,4,5', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { laplace: { logLik: number }; model: { categories?: string[] }; parameters: { name: string; class: string }[] };
    assert.ok(Math.abs(s.laplace.logLik - clmm.wine_probit.laplace.logLik) < 1e-4);
    assert.deepEqual(s.model.categories, ['1', '2', '3', '4', '5']);
    for (let k = 1; k <= 4; k++) assert.ok(s.parameters.some((p) => p.name === `b_Intercept[${k}]` && p.class === 'Intercept'), `b_Intercept[${k}]`);
  });

  test('an empty category in --levels: exit 1, names it', async () => {
    assertInputError(await runCli(['laplace', ...model('rating ~ temp + contact + (1|judge)'), '--levels', '1,2,3,4,5,6']), [/category '6' of 1 < 2 < 3 < 4 < 5 < 6 has no rows/]);
  });

  test('text categories need --levels; --levels needs an ordinal family; the intercept stays', async () => {
    assertInputError(await runCli(['laplace', ...model('temp ~ contact + (1|judge)')]), [/text categories \(cold, warm\); give their order with --levels/]);
    assertInputError(await runCli(['laplace', ...model('rating ~ temp + (1|judge)', 'poisson'), '--levels', '1,2']), [/--levels orders the categories of an ordinal response; the poisson family has none/]);
    assertInputError(await runCli(['laplace', ...model('rating ~ 0 + temp + (1|judge)')]), [/the thresholds are the intercepts.*remove '0 \+'/]);
  });
});
