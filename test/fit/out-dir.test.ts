/**
 * The --out directory (issue 12 item 2) and the draws CSV layouts, at the library level:
 * - a rerun replaces every file a run owns (no stale draws_chainK.csv beside a new draws.csv, none left
 *   by a rerun with fewer chains) and leaves the user's own files alone;
 * - a live lock refuses a second writer, naming its process; a lock whose process is gone is taken over;
 * - loadDraws reads either layout to the same draws, sampler columns and superchains, and refuses files
 *   that do not match summary.json;
 * - the run-size limit and file errors are said in words.
 * And one short ChEES fit: diagnose's nested R-hat from draws.csv equals nested R-hat of the fit's draws
 * with its superchains (the CSV keeps them), and both reach the same warnings on ESS.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Draws } from '../../diagnostics/draws.js';
import { rhatNestedDraws } from '../../diagnostics/nested-rhat.js';
import { fsErrorWords, GlmmInputError } from '../../base/errors.js';
import { drawsCsvFiles, loadDraws, outputText, saveFit, type SavableFit } from '../../src/fit/io.js';
import { openOutDir } from '../../src/fit/out-dir.js';
import { checkRunSize } from '../../src/fit/limits.js';
import { diagnoseFiles } from '../../src/cli/diagnose.js';
import { fit } from '../../src/fit.js';
import { readCsvFile } from '../../src/data/read.js';
import type { SummaryJson } from '../../src/report/schema.js';
import { repoPath } from '../design/repo-path.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'glmm-outdir-'));

/** A small many-chain fit: C chains × N draws of b_x and r_g[a,Intercept], in superchains of 2. */
function fakeFit(C: number, N: number, superchains = true): SavableFit {
  const names = ['b_x', 'r_g[a,Intercept]'];
  const data = Float64Array.from({ length: C * N * 2 }, (_, i) => Math.sin(i * 1.7) + (i % 7) / 3);
  const draws: Draws = { nChains: C, nDraws: N, names, data };
  const samplerDraws: Draws = { nChains: C, nDraws: N, names: ['lp__', 'divergent__'], data: Float64Array.from({ length: C * N * 2 }, (_, i) => (i % 2 ? 0 : -i / 10)) };
  const summary = {
    schema_version: 1, package_version: '0.0.0-test',
    model: { formula: 'y ~ x + (1|g)', family: 'poisson', link: 'log', nobs: 10, dropped_rows: 0, groups: { g: 1 }, priors: [] },
    sampler: { engine: 'test', sampler: 'chees', chains: C, warmup: 1, draws: N, seed: 1, seconds: { warmup: 0, sampling: 0 }, divergences: 0, treedepth_hits: 0, ebfmi: [], step_size: [0.1] },
    parameters: [], laplace: null, warnings: [],
  } as unknown as SummaryJson;
  return { summary, draws, samplerDraws, superchains: superchains ? Int32Array.from({ length: C }, (_, c) => Math.floor(c / 2)) : undefined };
}

describe('--out directory', () => {
  test('a rerun replaces the files a run owns, whatever the layout, and nothing else', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    saveFit(dir, fakeFit(6, 5), { layout: 'per-chain' });
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws_chain1.csv', 'draws_chain2.csv', 'draws_chain3.csv', 'draws_chain4.csv', 'draws_chain5.csv', 'draws_chain6.csv', 'notes.txt', 'summary.json']);
    saveFit(dir, fakeFit(4, 5), { layout: 'per-chain' });
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws_chain1.csv', 'draws_chain2.csv', 'draws_chain3.csv', 'draws_chain4.csv', 'notes.txt', 'summary.json']);
    saveFit(dir, fakeFit(4, 5)); // many-chain default: one draws.csv
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws.csv', 'notes.txt', 'summary.json']);
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  });

  test('issue 23: the files replaced are those the last run wrote (its manifest), not names on a list', () => {
    const dir = tmp();
    // the user's own files, some with names like a run's outputs: a run never wrote them, so they stay
    for (const [n, t] of [['notes.txt', 'mine'], ['log_lik_mine.csv', 'mine'], ['draws_chain9.csv', 'mine'], ['loo.json', 'mine']]) writeFileSync(join(dir, n), t);
    // an output no list names (say a new writer's means.csv, or a file written into the temporary directory)
    saveFit(dir, fakeFit(2, 3), { layout: 'per-chain', extra: [{ name: 'means.csv', content: 'a,b\n' }] });
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws_chain1.csv', 'draws_chain2.csv', 'draws_chain9.csv', 'log_lik_mine.csv', 'loo.json', 'means.csv', 'notes.txt', 'summary.json']);
    assert.equal(readFileSync(join(dir, '.glmm-outputs'), 'utf8').split('\n').slice(1).join(' ').trim(), 'summary.json draws_chain1.csv draws_chain2.csv means.csv');
    // a rerun without means.csv: it goes with the rest of the last run's files; the user's stay
    const out = openOutDir(dir);
    out.write({ name: 'summary.json', content: '{}\n' });
    writeFileSync(join(out.path, 'kfold.json'), '{}\n'); // a writer given the temporary directory's path
    out.commit();
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws_chain9.csv', 'kfold.json', 'log_lik_mine.csv', 'loo.json', 'notes.txt', 'summary.json']);
    for (const n of ['notes.txt', 'log_lik_mine.csv', 'draws_chain9.csv', 'loo.json']) assert.equal(readFileSync(join(dir, n), 'utf8'), 'mine');
    // a manifest line that is no plain file name of DIR is never followed
    writeFileSync(join(dir, '.glmm-outputs'), '# x\n../outside.txt\n/etc/passwd\n.hidden\nnosuch.csv\nkfold.json\n');
    writeFileSync(join(dir, '.hidden'), 'mine');
    saveFit(dir, fakeFit(2, 3));
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', '.hidden', 'draws.csv', 'draws_chain9.csv', 'log_lik_mine.csv', 'loo.json', 'notes.txt', 'summary.json']);
  });

  test('a live lock refuses a second writer by name; a dead one is taken over; abort leaves the directory as it was', () => {
    const dir = tmp();
    saveFit(dir, fakeFit(4, 3));
    const before = readFileSync(join(dir, 'draws.csv'), 'utf8');
    const first = openOutDir(dir);
    assert.throws(() => openOutDir(dir), new GlmmInputError(`--out ${dir}: another glmm run (process ${process.pid}) is writing there; wait for it to finish or choose another directory (if none is, remove ${join(dir, '.glmm-lock')})`));
    first.write({ name: 'draws.csv', content: 'half' });
    first.abort();
    assert.equal(readFileSync(join(dir, 'draws.csv'), 'utf8'), before);
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'draws.csv', 'summary.json']);
    writeFileSync(join(dir, '.glmm-lock'), '2147483646\n'); // no such process: a killed run, with its temporary directory
    mkdtempSync(join(dir, '.glmm-tmp-'));
    const second = openOutDir(dir);
    second.write({ name: 'summary.json', content: '{}\n' });
    second.commit();
    assert.deepEqual(readdirSync(dir).sort(), ['.glmm-outputs', 'summary.json'], 'the killed run\'s lock and temporary directory are gone');
  });

  test('loadDraws reads both layouts to the same draws, sampler columns and superchains', () => {
    const f = fakeFit(6, 7);
    const a = tmp();
    const b = tmp();
    saveFit(a, f, { layout: 'combined' });
    saveFit(b, f, { layout: 'per-chain' });
    const [la, lb] = [loadDraws(a), loadDraws(b)];
    for (const l of [la, lb]) {
      assert.deepEqual(l.draws.names, ['b_x', 'r_g[a,Intercept]']);
      assert.deepEqual([l.draws.nChains, l.draws.nDraws], [6, 7]);
      assert.ok(l.draws.data.every((v, i) => Object.is(v, f.draws.data[i])));
      assert.ok(l.sampler.data.every((v, i) => Object.is(v, f.samplerDraws!.data[i])));
      assert.deepEqual(l.superchains, [1, 1, 2, 2, 3, 3]);
    }
    const header = outputText(drawsCsvFiles(f, 'combined')[0]).split('\n').find((l) => !l.startsWith('#'))!;
    assert.equal(header, 'lp__,divergent__,b_x,r_g.1.1,.chain,.iteration,.draw,.superchain');
    // a NUTS-style fit (no superchains) keeps CmdStan's one file per chain, without superchain lines
    assert.deepEqual(drawsCsvFiles(fakeFit(2, 3, false)).map((x) => x.name), ['draws_chain1.csv', 'draws_chain2.csv']);
    assert.equal(loadDraws((() => { const d = tmp(); saveFit(d, fakeFit(2, 3, false)); return d; })()).superchains, null);
  });

  test('files that do not match summary.json are refused, not mixed in', () => {
    const dir = tmp();
    saveFit(dir, fakeFit(4, 3), { layout: 'per-chain' });
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    s.sampler.chains = 8;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s));
    assert.throws(() => loadDraws(dir), /summary\.json says 8 chains but the draws files hold 4; the files come from different runs/);
  });

  test('too many chains or draws for this machine are refused in words with the largest that fit', () => {
    // bytes per chain: draws × (dim + params + 8 sampler columns) float64 + rows × 16 float32 tensors
    const size = { chains: 256, draws: 20000, dim: 30, params: 30, rows: 100 };
    const perDraw = (30 + 30 + 8) * 8;
    const perChain = 20000 * perDraw + 100 * 4 * 16;
    const budget = 4e9 / 2;
    const chains = Math.floor(budget / perChain);
    const draws = Math.floor((budget - 256 * 100 * 64) / (256 * perDraw));
    assert.throws(() => checkRunSize(size, 4e9), new GlmmInputError(
      `256 chains × 20000 draws of 30 parameters is too large: it needs about ${(256 * perChain / 1e9).toPrecision(3)} GB, more than half of this machine's 4.00 GB; use at most ${chains} chains at 20000 draws, or at most ${draws} draws at 256 chains`,
    ));
    // 256 × 1e9 × 30 × 8 bytes in one Float64Array, against a 2^32-byte array limit
    assert.throws(() => checkRunSize({ ...size, draws: 1e9 }, 1e18, 2 ** 32), /its draws need one array of 61440 GB, more than the 4\.29 GB JavaScript allows; use at most 69905 draws at 256 chains$/);
    assert.throws(() => checkRunSize({ ...size, chains: 100000 }), /--chains 100000 is more than the limit of 16384 chains/);
    checkRunSize({ ...size, draws: 100 }, 8e9);
    assert.equal(fsErrorWords(Object.assign(new Error('EACCES: permission denied, open x'), { code: 'EACCES' })), 'permission denied');
    assert.equal(fsErrorWords(Object.assign(new Error('x'), { code: 'ENOENT' })), 'not found');
  });
});

test('diagnose on draws.csv: nested R-hat of the fit\'s draws and superchains, the same ESS verdict', async () => {
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors: ['trt', 'block'] });
  const f = await fit({ formula: 'count ~ trt + (1|block)', data, family: 'poisson', factors: ['trt', 'block'], chains: 16, warmup: 30, draws: 30, seed: 2 });
  assert.ok(f.superchains && f.superchains.length === 16);
  const dir = tmp();
  saveFit(dir, f);
  const d = JSON.parse(diagnoseFiles([join(dir, 'draws.csv')], { json: true })) as { variables: { variable: string; rhat_nested: number | null }[]; rhat_nested_threshold: number; warnings: string[] };
  const expected = rhatNestedDraws(f.draws, f.superchains);
  assert.equal(d.variables.length, f.draws.names.length);
  d.variables.forEach((v, j) => assert.ok(Math.abs(v.rhat_nested! - expected[j]) < 1e-12, `${v.variable}: ${v.rhat_nested} vs ${expected[j]}`));
  // 16 chains in 4 superchains (the sampler's choice): threshold sqrt(1 + 1/4 + 1e-4)
  assert.ok(Math.abs(d.rhat_nested_threshold - Math.sqrt(1 + 1 / 4 + 1e-4)) < 1e-12);
  const ess = (ws: string[]) => ws.filter((w) => /ESS below/.test(w));
  assert.deepEqual(ess(d.warnings), ess(f.summary.warnings));
});
