/**
 * Data the way people have it (issue 11 item 7), end to end through `glmm laplace`: semicolon- and
 * tab-separated files give the same fit as the comma file, a stray '.' in a numeric column is named in
 * a warning with the `--na .` that fixes it, negative option values reach the validation, and the
 * terminal table fits 100 columns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertUsageError, dataFile, runCli, tempDir } from './cli-helpers.js';

const LOTS = dataFile('sim_lots_visible.csv');
const model = (data: string) => ['--data', data, '--formula', 'count ~ amount + (1|lot)', '--family', 'poisson'];

async function laplaceJson(args: string[]) {
  const r = await runCli(['laplace', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** The comma file rewritten with another separator (the quotes kept). */
function withSeparator(sep: string): string {
  const file = join(tempDir(), 'lots.csv');
  writeFileSync(file, readFileSync(LOTS, 'utf8').replaceAll(',', sep));
  return file;
}

test('semicolon and tab files: detected with a note, or chosen with --sep; the fit equals the comma file', async () => {
  const base = await laplaceJson(model(LOTS));
  assert.equal(base.notes, undefined);
  const semi = await laplaceJson(model(withSeparator(';')));
  assert.deepEqual(semi.parameters, base.parameters);
  assert.deepEqual(semi.notes, ['The data file is read as semicolon-separated (its header has semicolons and no commas); --sep chooses.']);
  const tab = withSeparator('\t');
  assert.deepEqual((await laplaceJson(model(tab))).parameters, base.parameters);
  const chosen = await laplaceJson([...model(tab), '--sep', 'tab']);
  assert.deepEqual(chosen.parameters, base.parameters);
  assert.equal(chosen.notes, undefined);
});

test("a stray '.' in a numeric column: the warning names the column and --na; with --na . the row is dropped", async () => {
  const lines = readFileSync(LOTS, 'utf8').split('\n');
  assert.match(lines[5], /^\d+,"1",\d+,"5"$/);
  const dir = tempDir();
  const stray = join(dir, 'stray.csv');
  writeFileSync(stray, [...lines.slice(0, 5), lines[5].replace(/^\d+/, '.'), ...lines.slice(6)].join('\n'));
  const without = join(dir, 'without.csv');
  writeFileSync(without, [...lines.slice(0, 5), ...lines.slice(6)].join('\n'));

  const r = await runCli(['laplace', ...model(stray)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /column 'amount' is used as a factor with \d+ levels because row 5 has '\.', which is not a number; if '\.' marks a missing value, add --na '\.'/);
  assert.ok(!/Warnings: none/.test(r.stdout));

  const fixed = await laplaceJson([...model(stray), '--na', '.']);
  const ref = await laplaceJson(model(without));
  assert.equal(fixed.model.dropped_rows, 1);
  assert.equal(fixed.model.nobs, ref.model.nobs);
  assert.deepEqual(fixed.parameters, ref.parameters);
  assert.deepEqual(fixed.warnings, ref.warnings);
});

test("a stray '.' in a numeric response: one error naming the value, its row and --na, for every response form; --na . fits", async () => {
  const lines = readFileSync(LOTS, 'utf8').split('\n');
  const dir = tempDir();
  const stray = join(dir, 'stray.csv');
  writeFileSync(stray, [...lines.slice(0, 3), lines[3].replace(/^(\d+,"\d+",)\d+/, '$1.'), ...lines.slice(4)].join('\n'));
  const without = join(dir, 'without.csv');
  writeFileSync(without, [...lines.slice(0, 3), ...lines.slice(4)].join('\n'));
  const m = (family: string, formula: string) => ['laplace', '--data', stray, '--formula', formula, '--family', family];
  const cases: [string[], RegExp][] = [
    [m('poisson', 'count ~ amount + (1|lot)'), /^error: poisson response 'count' is numeric but row 3 has '\.', which is not a number; if '\.' marks a missing value, add --na '\.'/],
    // a 0/1 column would otherwise be a two-level factor with '.' as the failure
    [m('negbinomial', 'count ~ amount + (1|lot)'), /^error: negbinomial response 'count' is numeric but row 3 has '\.'.*--na '\.'/],
    [m('binomial', 'cbind(count, 100 - count) ~ amount + (1|lot)'), /^error: column 'count' in term 'cbind\(count, 100 - count\)' is numeric but row 3 has '\.'.*--na '\.'/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, cases[i][1]);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  });
  const fixed = await laplaceJson([...model(stray), '--na', '.']);
  const ref = await laplaceJson(model(without));
  assert.equal(fixed.model.dropped_rows, 1);
  assert.deepEqual(fixed.parameters, ref.parameters);
});

test("a stray '.' in a 0/1 bernoulli response is refused, not read as a two-level factor with '.' as failure", async () => {
  const dir = tempDir();
  const file = join(dir, 'ones.csv');
  const rows = Array.from({ length: 20 }, (_, i) => `${i % 4},${i === 6 ? '.' : 1}`);
  writeFileSync(file, ['g,z', ...rows].join('\n') + '\n');
  const r = await runCli(['laplace', '--data', file, '--formula', 'z ~ 1 + (1|g)', '--family', 'bernoulli', '--factor', 'g']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: bernoulli response 'z' is numeric but row 7 has '\.', which is not a number; if '\.' marks a missing value, add --na '\.'/);
});

test('negative option values parse and are validated: --draws -5, --chains -1, --prob -0.9', async () => {
  const cases: [string[], RegExp][] = [
    [['fit', ...model(LOTS), '--draws', '-5'], /^error: --draws -5: expected a positive integer/],
    [['fit', ...model(LOTS), '--chains', '-1'], /^error: --chains -1: expected a positive integer/],
    [['laplace', ...model(LOTS), '--prob', '-0.9'], /^error: --prob -0\.9: expected a probability in \(0, 1\)/],
    [['fit', ...model(LOTS), '--sep', ';;'], /--sep ;;: expected one character/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => assertUsageError(r, cases[i][1]));
});

test('--prob 0.9: the Laplace interval at 90% (Wald z = 1.645), the level in the header and summary.json', async () => {
  const s95 = await laplaceJson(model(LOTS));
  const s90 = await laplaceJson([...model(LOTS), '--prob', '0.9']);
  assert.equal(s95.prob, 0.95);
  assert.equal(s90.prob, 0.9);
  const b = (s: { parameters: { name: string; laplace: { estimate: number; se: number; lower: number; upper: number } }[] }) =>
    s.parameters.find((p) => p.name === 'b_amount')!.laplace;
  const z90 = 1.6448536269514722; // qnorm(0.95) in R
  assert.ok(Math.abs(b(s90).upper - (b(s90).estimate + z90 * b(s90).se)) < 1e-12);
  assert.ok(b(s90).upper < b(s95).upper && b(s90).lower > b(s95).lower);
  const sd90 = s90.parameters.find((p: { name: string }) => p.name === 'sd_lot__Intercept').laplace;
  const sd95 = s95.parameters.find((p: { name: string }) => p.name === 'sd_lot__Intercept').laplace;
  assert.ok(sd90.upper < sd95.upper, 'the profile interval narrows at 90%');
  const r = await runCli(['laplace', ...model(LOTS), '--prob', '0.9']);
  assert.match(r.stdout, /^Parameter +Estimate +SE +90% interval$/m);
});

test('--centered names a grouping factor of the formula: an unknown one is exit 1 naming the choices', async () => {
  const r = await runCli(['fit', ...model(LOTS), '--centered', 'nope']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: centered \(--centered\): no grouping factor 'nope' in the formula; use lot, none or auto\n$/);
});
