/**
 * `glmm` exit codes and error messages (DESIGN.md §CLI): exit 1 with one line `error: …` that names the
 * column, row or term for bad input; exit 2 for usage errors; never a stack trace. The CLI runs as a
 * child process from the compiled output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertInputError, assertNoStack, assertUsageError, dataFile, repoPath, runCli, tempDir } from './cli-helpers.js';

const RCBD = dataFile('rcbd.csv');
const model = (formula: string, family = 'poisson') => ['--data', RCBD, '--formula', formula, '--family', family, '--factor', 'trt,block'];

// each case spawns its own process: run them side by side
describe('glmm errors', { concurrency: 4 }, () => {
  test('unknown column in the formula: exit 1, names the column and lists the columns', async () => {
    const r = await runCli(['laplace', ...model('count ~ trtx + (1|block)')]);
    assertInputError(r, [/'trtx'/, /block, trt, count/]);
  });

  test('--zi: a missing column (fixed or random term), a family without a zero part, a response on the left, an empty one: exit 1, one line each', async () => {
    const zi = (zi: string, family = 'zipoisson') => runCli(['laplace', ...model('count ~ trt + (1|block)', family), '--zi', zi]);
    assertInputError(await zi('~ dose'), [/unknown column 'dose' in formula term '--zi ~ dose'/, /block, trt, count/]);
    assertInputError(await zi('~ trt', 'poisson'), [/the poisson family has no zero part; use one of zipoisson/]);
    assertInputError(await zi('count ~ trt', 'hurdle_poisson'), [/one-sided; drop 'count' on the left, e.g. --zi '~ trt'/]);
    assertInputError(await zi('~ trt + (1|blok)'), [/unknown column 'blok' in formula term '--zi ~ trt \+ \(1\|blok\)'/]);
    assertInputError(await zi(''), [/--zi '' is empty; give a one-sided formula such as --zi '~ x'/]);
  });

  test('unknown column in --factor: exit 1, names it', async () => {
    const r = await runCli(['laplace', '--data', RCBD, '--formula', 'count ~ trt + (1|block)', '--family', 'poisson', '--factor', 'trt,blok']);
    assertInputError(r, [/'blok'/, /--factor/]);
  });

  test('negative count for poisson: exit 1, names the response and the row', async () => {
    const dir = tempDir();
    // data row 3 (block 3, trt 0) has count 21 in rcbd.csv; make it −3
    const csv = 'block,trt,count\n1,0,1\n2,0,5\n3,0,-3\n4,0,7\n1,1,36\n2,1,109\n3,1,30\n4,1,48\n';
    writeFileSync(join(dir, 'neg.csv'), csv);
    const r = await runCli(['laplace', '--data', join(dir, 'neg.csv'), '--formula', 'count ~ trt + (1|block)', '--family', 'poisson', '--factor', 'trt,block']);
    assertInputError(r, [/'count'/, /row 3\b/, /-3/]);
  });

  test('malformed formula: exit 1, shows the position and the formula', async () => {
    const r = await runCli(['laplace', ...model('count ~ trt +* (1|block)')]);
    assertInputError(r, [/column 14/, /'\*'/, /count ~ trt \+\* \(1\|block\)/]);
    const r2 = await runCli(['laplace', ...model('count ~ trt + (1|block')]);
    assertInputError(r2, [/column \d+/, /\)/]);
  });

  test('missing data file: exit 1, names the file', async () => {
    const r = await runCli(['laplace', '--data', 'no/such/file.csv', '--formula', 'count ~ trt + (1|block)', '--family', 'poisson']);
    assertInputError(r, [/no\/such\/file\.csv/]);
  });

  test('bad prior statements: exit 1, quote the statement and what is wrong', async () => {
    // the prior is checked when the model is built, before tfjs loads: these exit fast
    const r = await runCli(['fit', ...model('count ~ trt + (1|block)'), '--prior', 'b ~ nromal(0,1)']);
    assertInputError(r, [/'b ~ nromal\(0,1\)'/, /'nromal'/]);
    const r2 = await runCli(['fit', ...model('count ~ trt + (1|block)'), '--prior', 'b_foo ~ normal(0,1)']);
    assertInputError(r2, [/'b_foo ~ normal\(0,1\)'/, /'foo'/, /trt1?/]);
  });

  test('unknown family and link: exit 1, lists the choices', async () => {
    const r = await runCli(['laplace', ...model('count ~ trt + (1|block)', 'poison')]);
    assertInputError(r, [/'poison'/, /poisson, binomial, bernoulli, negbinomial, gaussian, gamma/]);
    const r2 = await runCli(['laplace', ...model('count ~ trt + (1|block)'), '--link', 'logit']);
    assertInputError(r2, [/'logit'/, /poisson/, /log, identity, sqrt/]);
  });

  test('a response the family cannot take: exit 1, names the response and the row', async () => {
    const r = await runCli(['laplace', ...model('count ~ trt + (1|block)', 'bernoulli')]);
    assertInputError(r, [/'count'/, /row 2\b/]);
    const r2 = await runCli(['laplace', ...model('cbind(count, 10) ~ trt + (1|block)')]);
    assertInputError(r2, [/cbind/, /binomial/]);
    const r3 = await runCli(['laplace', ...model('count ~ trt + (1|block)'), '--reml']);
    assertInputError(r3, [/--reml/, /gaussian/]);
  });

  test('usage errors exit 2: unknown flag, missing --formula, --chains abc, unknown command, diagnose without files', async () => {
    const cases: [string[], RegExp][] = [
      [['laplace', ...model('count ~ trt + (1|block)'), '--bogus'], /--bogus/],
      [['laplace', '--data', RCBD, '--family', 'poisson'], /--formula/],
      [['fit', ...model('count ~ trt + (1|block)'), '--chains', 'abc'], /--chains abc/],
      [['fit', ...model('count ~ trt + (1|block)'), '--adapt-delta', '1.5'], /--adapt-delta 1\.5/],
      [['laplace', ...model('count ~ trt + (1|block)'), '--reml', '--ml'], /--reml and --ml/],
      [['frobnicate'], /'frobnicate'/],
      [['diagnose'], /CSV/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => assertUsageError(r, cases[i][1]));
  });

  test('diagnose: a missing draws file is exit 1 naming the file', async () => {
    const r = await runCli(['diagnose', 'no_such_chain1.csv']);
    assertInputError(r, [/no_such_chain1\.csv/, /not found/]);
  });

  test('--out at a path that is a file: exit 1 naming the directory, not a stack trace', async () => {
    const dir = tempDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const r = await runCli(['laplace', ...model('count ~ trt + (1|block)'), '--out', join(file, 'sub')]);
    assertNoStack(r);
    assertInputError(r, [/plain-file/]);
  });

  test('--help (also after a command) and --version exit 0 on stdout with nothing on stderr', async () => {
    const [h, v, none, fitHelp] = await Promise.all([runCli(['--help']), runCli(['--version']), runCli([]), runCli(['fit', '--data', 'x.csv', '--help'])]);
    for (const r of [h, v, none, fitHelp]) {
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    }
    assert.match(h.stdout, /glmm fit --data FILE\.csv --formula F --family FAMILY/);
    assert.match(h.stdout, /glmm laplace/);
    assert.match(h.stdout, /glmm diagnose FILE\.csv\.\.\./);
    assert.equal(none.stdout, h.stdout);
    assert.equal(fitHelp.stdout, h.stdout, 'glmm fit --help lists the flags (README)');
    // the package version is the one summary.json carries (src/version.ts, kept equal to package.json)
    const { PACKAGE_VERSION } = await import('../../src/version.js');
    assert.equal(v.stdout, `${PACKAGE_VERSION}\n`);
    assert.equal(PACKAGE_VERSION, (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('glmm exit code of a bug', () => {
  test('an unexpected exception is exit 70 with one line that calls it a bug, not the input', async () => {
    const { cliMain, EXIT_INTERNAL } = await import('../../src/cli/main.js');
    let stderr = '';
    // a bug injected where the command writes its output: --help's stdout throws a TypeError
    const io = { stdout: () => { throw new TypeError("Cannot read properties of undefined (reading 'x')"); }, stderr: (s: string) => { stderr += s; } };
    const code = await cliMain(['--help'], io);
    assert.equal(code, EXIT_INTERNAL);
    assert.equal(EXIT_INTERNAL, 70);
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^error: internal error \(a bug in glmm, not in your input\): Cannot read properties/);
    assert.match(lines[0], /GLMM_DEBUG=1/);
  });

  test('a matrix the data leave degenerate is still exit 1, "could not be fitted"', async () => {
    const { cliMain } = await import('../../src/cli/main.js');
    const { NotPositiveDefiniteError } = await import('../../src/linalg/errors.js');
    let stderr = '';
    const io = { stdout: () => { throw new NotPositiveDefiniteError(); }, stderr: (s: string) => { stderr += s; } };
    assert.equal(await cliMain(['--help'], io), 1);
    assert.match(stderr, /^error: the model could not be fitted: matrix is not positive definite\n$/);
  });
});
