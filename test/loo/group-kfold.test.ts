/**
 * Leave-one-group-out sums and K-fold fold assignment (loo's kfold_split_grouped), `glmm loo` on
 * CmdStan-layout files (JSON with loo's names, group labels from --data), and its one-line errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../diagnostics/fixture.js';
import { repoPath } from '../design/repo-path.js';
import { groupsFromLabels, sumByGroup } from '../../src/loo/group.js';
import { kfoldSplitGrouped } from '../../src/loo/kfold.js';
import { psisLoo } from '../../src/loo/loo.js';
import { readLogLik } from '../../src/loo/read.js';
import { runLoo } from '../../src/cli/loo.js';
import { GlmmInputError } from '../../base/errors.js';

test('sumByGroup adds the log-likelihoods of each level per draw', () => {
  const ll = { nChains: 1, nDraws: 2, names: ['log_lik.1', 'log_lik.2', 'log_lik.3'], data: Float64Array.from([-1, -2, -3, -4, -5, -6]) };
  const g = groupsFromLabels('g', ['a', 'b', 'a']);
  const s = sumByGroup(ll, g);
  assert.deepEqual(s.names, ['g=a', 'g=b']);
  assert.deepEqual([...s.data], [-4, -2, -10, -5]);
  assert.throws(() => groupsFromLabels('g', ['a', null]), /missing in row 2/);
});

test('kfold_split_grouped: G = K gives one level per fold; G = 10, K = 3 gives folds of 4, 3, 3 by the permutation', () => {
  assert.deepEqual([...kfoldSplitGrouped(4, 4, seedrandom('x'))], [1, 2, 3, 4]);
  const folds = kfoldSplitGrouped(3, 10, seedrandom('y'));
  // S1 = 4, one fold of 4 levels (π ≤ 4.5), two of 3 (breaks 4.5, 7.5): sizes 4, 3, 3
  const sizes = [1, 2, 3].map((k) => folds.filter((f) => f === k).length);
  assert.deepEqual(sizes, [4, 3, 3]);
  assert.throws(() => kfoldSplitGrouped(5, 4, seedrandom('z')), GlmmInputError);
});

const files = [1, 2].map((c) => fixturePath(`loo/rcbd_unit_chain${c}.csv`));

test('glmm loo --json: loo\'s names, arrays in row order, WAIC beside, the same numbers as the library', () => {
  const j = JSON.parse(runLoo([...files, '--json']));
  const r = psisLoo(readLogLik(files));
  for (const k of ['elpd_loo', 'se_elpd_loo', 'p_loo', 'se_p_loo', 'looic', 'se_looic'] as const) assert.equal(j[k], r[k]);
  assert.deepEqual(j.pareto_k, [...r.pointwise.pareto_k]);
  assert.deepEqual(j.n_eff, [...r.pointwise.n_eff]);
  assert.equal(j.pareto_k.length, 16);
  assert.ok(j.waic.elpd_waic < 0 && j.waic.p_waic > 0);
  assert.ok(j.warnings.length >= 1);
});

test('glmm loo --loo-group block --data: PSIS on the block sums', () => {
  const j = JSON.parse(runLoo([...files, '--loo-group', 'block', '--data', repoPath('examples/data/rcbd.csv'), '--json']));
  const ll = readLogLik(files);
  const labels = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8].map(String);
  const r = psisLoo(sumByGroup(ll, groupsFromLabels('block', labels)));
  assert.equal(j.observations, 8);
  assert.deepEqual(j.labels, labels.slice(0, 8).map((l) => `block=${l}`));
  assert.equal(j.elpd_loo, r.elpd_loo);
  assert.deepEqual(j.pareto_k, [...r.pointwise.pareto_k]);
});

test('glmm loo errors name the file and what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-loo-'));
  try {
    const noLl = join(dir, 'a.csv');
    writeFileSync(noLl, 'lp__,b\n1,2\n3,4\n');
    assert.throws(() => runLoo([noLl]), /no log_lik columns .*glmm fit --out writes log_lik_chainK\.csv/);
    const gap = join(dir, 'b.csv');
    writeFileSync(gap, 'log_lik.1,log_lik.3\n1,2\n3,4\n');
    assert.throws(() => runLoo([gap]), /column log_lik\.2 is missing/);
    const inf = join(dir, 'c.csv');
    writeFileSync(inf, 'log_lik.1,log_lik.2\n-1,-inf\n-3,-4\n');
    assert.throws(() => runLoo([inf]), (e: unknown) => e instanceof GlmmInputError && /log_lik\.2 .*non-finite/.test(e.message));
    assert.throws(() => runLoo([...files, '--loo-group', 'block']), /needs --data/);
    assert.throws(() => runLoo([...files, '--kfold', '8']), /glmm fit .*--kfold K --kfold-group g/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
