/**
 * Issue 23: an interrupted run records the draws it was asked for. ChEES sampling to its ESS target
 * (no `draws`) was recorded as asked for 100 draws (ChEES's fixed-length default) whatever the cap; the
 * fit now carries `drawsRequested` (the fixed length, or the ESS rule's cap) and `markIncomplete`
 * (CLI, web worker) reads it there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit } from '../../src/fit.js';
import { markIncomplete } from '../../src/fit/report-input.js';
import { drawCap } from '../../src/fit/ess-target.js';

const model = {
  formula: 'count ~ trt + (1|block)',
  data: { block: [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6], trt: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], count: [1, 5, 2, 7, 3, 4, 9, 14, 8, 20, 11, 9] },
  family: 'poisson' as const,
  factors: ['trt', 'block'],
  chains: 8,
  warmup: 100,
};

/** Stops once `n` sampling iterations are done. */
function stopAfter(n: number) {
  let done = 0;
  return { onProgress: (p: { phase: string; done: number }) => { if (p.phase === 'sampling') done = p.done; }, shouldStop: () => done >= n };
}

test('ChEES to its ESS target, interrupted: draws_requested is the cap, the warning names the target', async () => {
  const f = await fit({ ...model, ess: 100000, ...stopAfter(30) });
  assert.equal(f.stopped, true);
  assert.equal(f.summary.sampler?.ess_target, 100000);
  assert.equal(f.drawsRequested, drawCap(8, f.spec.dim));
  assert.equal(f.drawsRequested, 1000);
  markIncomplete(f, 'stopped');
  assert.deepEqual(f.summary.incomplete, { reason: 'stopped', draws: f.draws.nDraws, draws_requested: 1000 });
  assert.ok(f.draws.nDraws >= 30 && f.draws.nDraws < 1000, `${f.draws.nDraws}`);
  assert.ok(f.summary.warnings.includes(`Sampling was interrupted (stopped) before every parameter reached bulk/tail ESS ≥ 100000: the summary uses the ${f.draws.nDraws} draws per chain completed (the target allowed up to 1000).`));
});

test('a fixed length, interrupted: draws_requested is that length', async () => {
  const f = await fit({ ...model, draws: 500, ...stopAfter(30) });
  assert.equal(f.stopped, true);
  assert.equal(f.drawsRequested, 500);
  markIncomplete(f, 'SIGINT');
  assert.deepEqual(f.summary.incomplete, { reason: 'SIGINT', draws: f.draws.nDraws, draws_requested: 500 });
  assert.ok(f.summary.warnings.includes(`Sampling was interrupted (SIGINT): the summary uses the ${f.draws.nDraws} of 500 draws per chain completed.`));
});
