/**
 * End to end with the project's reader and design builder: examples/data/rcbd.csv (the seed's RCBD,
 * glmm-references.json rcbd_data) → buildDesign('count ~ trt + (1|block)', gaussian) → fitLmm →
 * anovaTable and lsmeans; the figures are the seed's JMP table (glmm-references.json rcbd_gaussian_lmm).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { gridSpecFromFrame } from '../../src/design/refgrid.js';
import { fitLmm } from '../../src/lmm/lmm.js';
import { lsmeans } from '../../src/lmm/lsmeans.js';
import { anovaTable } from '../../src/lmm/anova.js';
import { repoPath } from '../design/repo-path.js';

test('rcbd.csv through readCsvFile and buildDesign reproduces the JMP table', () => {
  const frame = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors: ['block', 'trt'] });
  const design = buildDesign('count ~ trt + (1|block)', frame, 'gaussian');
  const grid = gridSpecFromFrame(design, frame);
  assert.deepEqual(grid.factors.trt, ['0', '1']);
  const fit = fitLmm(design, { grid });
  assert.equal(fit.logLik.toFixed(5), '-67.46838');
  const [row] = anovaTable(fit);
  assert.deepEqual([row.term, row.F.toFixed(4), row.numDf, row.denDf.toFixed(3), row.p.toFixed(4)], ['trt', '3.6387', 1, '7.000', '0.0981']);
  const ls = lsmeans(fit, 'trt');
  assert.deepEqual(ls.map((r) => [r.label, r.estimate.toFixed(3), r.se.toFixed(7), r.df.toFixed(3), r.lower.toFixed(5), r.upper.toFixed(6)]),
    [['0', '7.625', '9.1348406', '13.993', '-11.96814', '27.218143'], ['1', '32.000', '9.1348406', '13.993', '12.40686', '51.593143']]);
});
