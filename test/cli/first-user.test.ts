/**
 * What a first-time user feeds `glmm laplace` (child process, --json): files from Excel (CRLF, a BOM),
 * missing values, text factors, a text Bernoulli response, too few levels, empty files. Each answer is
 * checked against the same model on the cleaned data (identical numbers) or R's rules (model.frame's
 * na.omit on the used columns only; factor() levels sorted, numeric-looking ones numerically; a
 * two-level factor response counts its second level as success, as glm/glmer do).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SummaryJson } from '../../src/report/schema.js';
import { assertInputError, assertNoStack, dataFile, runCli, tempDir } from './cli-helpers.js';

const dir = tempDir();
const RCBD_TEXT = readFileSync(dataFile('rcbd.csv'), 'utf8');
const RCBD_LINES = RCBD_TEXT.trimEnd().split('\n'); // header + 16 rows; data row 1 is "1,0,1"

function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function laplace(file: string, formula: string, family: string, factors = 'trt,block'): Promise<SummaryJson> {
  const r = await runCli(['laplace', '--data', file, '--formula', formula, '--family', family, '--factor', factors, '--json']);
  assertNoStack(r);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as SummaryJson;
}

const RCBD_MODEL = 'count ~ trt + (1|block)';
let plainFit: Promise<SummaryJson> | undefined;
/** The model on examples/data/rcbd.csv as shipped (one run shared by the tests that compare with it). */
const plain = () => (plainFit ??= laplace(dataFile('rcbd.csv'), RCBD_MODEL, 'poisson'));

describe('first-time user inputs', { concurrency: 4 }, () => {
  test('CRLF line endings and a UTF-8 BOM (a file saved by Excel) read as the plain file; --family Poisson as poisson', async () => {
    const [ref, excel] = await Promise.all([plain(), laplace(csv('excel.csv', '\ufeff' + RCBD_TEXT.replace(/\n/g, '\r\n')), RCBD_MODEL, 'Poisson')]);
    assert.deepEqual(excel.parameters, ref.parameters);
    assert.deepEqual(excel.model, ref.model);
  });

  test('missing values (empty cell, NA) in used columns drop their rows, counted in dropped_rows; in an unused column they do not', async () => {
    // data row 1 loses its count (empty cell), row 2 its trt (NA); the unused column 'note' is empty in row 3
    const rows = RCBD_LINES.slice(1);
    const withNa = [`${RCBD_LINES[0]},note`, '1,0,,x', '2,NA,5,x', `${rows[2]},`, ...rows.slice(3).map((l) => `${l},x`)].join('\n') + '\n';
    const without = [RCBD_LINES[0], ...rows.slice(2)].join('\n') + '\n';
    const [a, ref] = await Promise.all([laplace(csv('na.csv', withNa), RCBD_MODEL, 'poisson'), laplace(csv('without.csv', without), RCBD_MODEL, 'poisson')]);
    assert.equal(a.model.nobs, 14);
    assert.equal(a.model.dropped_rows, 2);
    assert.equal(ref.model.dropped_rows, 0);
    assert.deepEqual(a.parameters, ref.parameters, 'same fit as without the rows');
    assert.deepEqual(a.laplace, ref.laplace);
  });

  test('numeric-looking levels sort numerically (1, 2, …, 10), as R factor() of a numeric column', async () => {
    const counts = [3, 7, 2, 9, 4, 6, 1, 8, 5, 10, 12, 15, 9, 20, 11, 14, 6, 18, 13, 22];
    const rows = counts.map((c, i) => `${(i % 10) + 1},${i < 10 ? 0 : 1},${c}`);
    const s = await laplace(csv('ten.csv', ['block,trt,count', ...rows].join('\n') + '\n'), RCBD_MODEL, 'poisson');
    const levels = s.parameters.filter((p) => p.class === 'r').map((p) => p.level);
    assert.deepEqual(levels, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    assert.deepEqual(s.model.groups, { block: 10 });
  });

  test('text treatment levels name the coefficient (b_trttreated), the first sorted level is the reference', async () => {
    const text = RCBD_TEXT.replace(/^(\d+),0,/gm, '$1,control,').replace(/^(\d+),1,/gm, '$1,treated,');
    const [s, ref] = await Promise.all([laplace(csv('text-trt.csv', text), RCBD_MODEL, 'poisson', 'block'), plain()]);
    assert.deepEqual(s.parameters.filter((p) => p.class === 'b').map((p) => p.name), ['b_Intercept', 'b_trttreated']);
    assert.deepEqual(s.parameters.map((p) => p.laplace), ref.parameters.map((p) => p.laplace));
  });

  test('bernoulli with a two-level text response: the second sorted level is success, as R', async () => {
    // 'pass' appears first but sorts second (fail < pass): success = pass
    // not separated: y = 1 and y = 0 both occur on each side of x = 0
    const y = [1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1];
    const x = [0.5, -1.2, 0.3, 1.1, -0.4, 0.9, -0.8, -1.5, 0.2, 1.4, 0.7, -0.3, 0.1, 1.8, -1.1, 0.6, -0.2, 0.4, 1.0, 0.8, -0.9, 1.2, -0.1, 0.3];
    const rows = (lab: (v: number) => string) => ['g,x,y', ...y.map((v, i) => `${'abcdef'[i % 6]},${x[i]},${lab(v)}`)].join('\n') + '\n';
    const [text, num] = await Promise.all([
      laplace(csv('bern-text.csv', rows((v) => (v ? 'pass' : 'fail'))), 'y ~ x + (1|g)', 'bernoulli', 'g'),
      laplace(csv('bern-01.csv', rows((v) => String(v))), 'y ~ x + (1|g)', 'bernoulli', 'g'),
    ]);
    // were levels taken in order of appearance, 'pass' would be the first level (failure) and b_x flip sign
    assert.deepEqual(text.parameters, num.parameters);
    assert.deepEqual(text.laplace, num.laplace);
    assert.ok(num.laplace!.converged && !num.laplace!.singular, 'a regular fit, so the comparison means something');
  });

  test('bernoulli with three text levels: exit 1 naming the response', async () => {
    const f = csv('bern3.csv', 'g,y\na,lo\nb,mid\na,hi\nb,lo\na,mid\nb,hi\n');
    const r = await runCli(['laplace', '--data', f, '--formula', 'y ~ 1 + (1|g)', '--family', 'bernoulli']);
    assertInputError(r, [/'y'/]);
  });

  test('a grouping factor with one level: exit 1 naming the group', async () => {
    const f = csv('onelevel.csv', ['site,block,trt,count', ...RCBD_LINES.slice(1).map((l) => `A,${l}`)].join('\n') + '\n');
    const r = await runCli(['laplace', '--data', f, '--formula', 'count ~ trt + (1|site)', '--family', 'poisson', '--factor', 'trt']);
    assertInputError(r, [/'site'/, /1 level/]);
  });

  test('empty CSV (header only, or nothing): exit 1 saying what the file needs', async () => {
    const [h, e] = await Promise.all([
      runCli(['laplace', '--data', csv('header-only.csv', 'block,trt,count\n'), '--formula', RCBD_MODEL, '--family', 'poisson']),
      runCli(['laplace', '--data', csv('empty.csv', ''), '--formula', RCBD_MODEL, '--family', 'poisson']),
    ]);
    assertInputError(h, [/no rows|no data/i]);
    assertInputError(e, [/empty/i]);
  });

  test('all rows dropped for missing values: exit 1, not a crash', async () => {
    const f = csv('all-na.csv', 'block,trt,count\n1,0,NA\n2,1,NA\n');
    const r = await runCli(['laplace', '--data', f, '--formula', RCBD_MODEL, '--family', 'poisson']);
    assertInputError(r, [/count|rows/]);
  });
});
