import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleNuts } from '../../src/sampler/nuts.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Target } from '../../src/sampler/target.js';
import { iidNormal } from './targets.js';
import { column } from './nuts-helpers.js';

/** Wraps a target, recording the nChains of every call and the points evaluated. */
function recording(t: Target): Target & { calls: number[]; points: Float64Array[] } {
  const calls: number[] = [];
  const points: Float64Array[] = [];
  return {
    dim: t.dim,
    calls,
    points,
    logDensity(q, n) {
      calls.push(n);
      points.push(Float64Array.from(q));
      return t.logDensity(q, n);
    },
  };
}

test('same seed gives identical draws; another seed does not', async () => {
  const opts = { seed: 9, chains: 3, warmup: 60, draws: 40 };
  const a = await sampleNuts(iidNormal(5), opts);
  const b = await sampleNuts(iidNormal(5), opts);
  const c = await sampleNuts(iidNormal(5), { ...opts, seed: 10 });
  assert.deepEqual(Array.from(a.draws.data), Array.from(b.draws.data));
  assert.deepEqual(Array.from(a.sampler.data), Array.from(b.sampler.data));
  assert.notDeepEqual(Array.from(a.draws.data), Array.from(c.draws.data));
  // Chains are independent streams: chain 1 and chain 2 differ.
  const n = 40 * 5;
  assert.notDeepEqual(Array.from(a.draws.data.subarray(0, n)), Array.from(a.draws.data.subarray(n, 2 * n)));
});

test('chains run in lockstep: one batched call per step for the active chains only', async () => {
  const t = recording(iidNormal(4));
  const r = await sampleNuts(t, { seed: 1, chains: 4, warmup: 50, draws: 50 });
  assert.equal(r.batchedCalls, t.calls.length);
  assert.ok(t.calls.every((n) => n >= 1 && n <= 4));
  assert.equal(t.calls.reduce((a, b) => a + b, 0), r.gradientEvaluations.reduce((a, b) => a + b, 0));
  assert.equal(t.calls.length, Math.max(...r.gradientEvaluations)); // the busiest chain is in every call
  assert.equal(t.calls[0], 4);
  assert.ok(t.calls.some((n) => n < 4)); // chains that finished their run drop out of the batch
});

test('shouldStop keeps what was drawn: a prefix of the full run with the same seed', async () => {
  const opts = { seed: 4, chains: 2, warmup: 100, draws: 200 };
  const full = await sampleNuts(iidNormal(3), opts);
  let polls = 0;
  const stopAt = Math.floor(full.batchedCalls * 0.8);
  const part = await sampleNuts(iidNormal(3), { ...opts, shouldStop: () => ++polls > stopAt });
  assert.equal(part.stopped, true);
  assert.equal(full.stopped, false);
  assert.ok(part.draws.nDraws > 0 && part.draws.nDraws < 200, `draws kept ${part.draws.nDraws}`);
  const n = part.draws.nDraws;
  for (let c = 0; c < 2; c++) {
    const a = full.draws.data.subarray(c * 200 * 3, (c * 200 + n) * 3);
    const b = part.draws.data.subarray(c * n * 3, (c + 1) * n * 3);
    assert.deepEqual(Array.from(b), Array.from(a));
  }
  assert.equal(part.sampler.nDraws, n);
});

test('initial values: uniform(−2, 2), per chain, shared, retried when the density is not finite', async () => {
  const base = iidNormal(2);
  const t = recording(base);
  await sampleNuts(t, { seed: 1, chains: 3, warmup: 0, draws: 1 });
  assert.equal(t.calls[0], 3);
  assert.ok(Array.from(t.points[0]).every((x) => x > -2 && x < 2));
  const t2 = recording(base);
  const init = Float64Array.from([1, 2, 3, 4, 5, 6]);
  await sampleNuts(t2, { seed: 1, chains: 3, warmup: 0, draws: 1, init });
  assert.deepEqual(Array.from(t2.points[0]), Array.from(init));
  const t3 = recording(base);
  await sampleNuts(t3, { seed: 1, chains: 3, warmup: 0, draws: 1, init: Float64Array.from([7, 8]) });
  assert.deepEqual(Array.from(t3.points[0]), [7, 8, 7, 8, 7, 8]);
  // Support q1 > 0.5 only: the first accepted point of each chain lies in it.
  const half: Target = {
    dim: 2,
    logDensity(q, n) {
      const r = base.logDensity(q, n);
      for (let c = 0; c < n; c++) if (q[c * 2] <= 0.5) r.logp[c] = -Infinity;
      return r;
    },
  };
  const r = await sampleNuts(half, { seed: 2, chains: 4, warmup: 100, draws: 100 });
  for (let k = 0; k < r.draws.data.length; k += 2) assert.ok(r.draws.data[k] > 0.5);
  const nowhere: Target = { dim: 1, logDensity: (q, n) => ({ logp: new Float64Array(n).fill(-Infinity), grad: new Float64Array(n) }) };
  await assert.rejects(sampleNuts(nowhere, { seed: 1, chains: 1 }), /no initial point with a finite log density/);
  await assert.rejects(sampleNuts(nowhere, { seed: 1, chains: 1, init: Float64Array.from([0]) }), /given initial values have a non-finite/);
});

test('progress callback: every iteration of every chain, warmup first', async () => {
  const seen = new Map<number, { warmup: number; sampling: number; lastIter: number }>();
  await sampleNuts(iidNormal(2), {
    seed: 1, chains: 2, warmup: 30, draws: 20,
    onProgress: (p) => {
      const s = seen.get(p.chain) ?? { warmup: 0, sampling: 0, lastIter: 0 };
      assert.equal(p.iteration, s.lastIter + 1);
      assert.equal(p.warmup, p.iteration <= 30);
      assert.equal(p.totalIterations, 50);
      if (p.warmup) s.warmup += 1; else s.sampling += 1;
      s.lastIter = p.iteration;
      seen.set(p.chain, s);
    },
  });
  assert.deepEqual([...seen.entries()].sort(), [[0, { warmup: 30, sampling: 20, lastIter: 50 }], [1, { warmup: 30, sampling: 20, lastIter: 50 }]]);
});

test('max treedepth: trees stop at 2^d − 1 leapfrog steps and are counted as hits', async () => {
  const r = await sampleNuts(iidNormal(10), { seed: 1, chains: 2, warmup: 0, draws: 50, stepSize: 0.01, maxTreedepth: 3 });
  assert.ok(column(r.sampler, 'treedepth__').every((d) => d === 3));
  assert.ok(column(r.sampler, 'n_leapfrog__').every((n) => n === 7));
  assert.equal(r.treedepthHits, 100);
});

test('short warmup: under 20 iterations only the step size adapts; 100 uses the 15/75/10 window', async () => {
  const t: Target = {
    dim: 2,
    logDensity(q, n) {
      // independent normals with sds 3 and 0.5
      const logp = new Float64Array(n);
      const grad = new Float64Array(2 * n);
      for (let c = 0; c < n; c++) {
        logp[c] = -0.5 * ((q[2 * c] / 3) ** 2 + (q[2 * c + 1] / 0.5) ** 2);
        grad[2 * c] = -q[2 * c] / 9;
        grad[2 * c + 1] = -q[2 * c + 1] / 0.25;
      }
      return { logp, grad };
    },
  };
  const r10 = await sampleNuts(t, { seed: 1, chains: 1, warmup: 10, draws: 5 });
  assert.deepEqual(Array.from(r10.invMetric[0]), [1, 1]);
  assert.notEqual(r10.stepSize[0], 1);
  const r100 = await sampleNuts(t, { seed: 1, chains: 1, warmup: 100, draws: 5 });
  const a = r100.invMetric[0];
  assert.ok(a[0] > a[1], `learned variances ${a[0]}, ${a[1]}`);
});

test('step-size search refuses an improper (flat) posterior', async () => {
  const flat: Target = { dim: 2, logDensity: (q, n) => ({ logp: new Float64Array(n), grad: new Float64Array(2 * n) }) };
  await assert.rejects(sampleNuts(flat, { seed: 1, chains: 1 }), /improper/);
});

test('bad options are refused with one-line GlmmInputErrors', async () => {
  const t = iidNormal(2);
  await assert.rejects(sampleNuts(t, { seed: 1, chains: 0 }), GlmmInputError);
  await assert.rejects(sampleNuts(t, { seed: 1, adaptDelta: 1 }), /adaptDelta/);
  await assert.rejects(sampleNuts(t, { seed: 1, init: new Float64Array(3) }), /init has 3 values/);
  await assert.rejects(sampleNuts(t, { seed: 1, metric: 'dense', initInvMetric: new Float64Array(2) }), /needs 4/);
});

test('saveWarmup returns the warmup iterations without changing the draws', async () => {
  const opts = { seed: 12, chains: 2, warmup: 40, draws: 30 };
  const a = await sampleNuts(iidNormal(3), opts);
  const b = await sampleNuts(iidNormal(3), { ...opts, saveWarmup: true });
  assert.equal(a.warmup, undefined);
  assert.deepEqual(Array.from(b.draws.data), Array.from(a.draws.data));
  assert.ok(b.warmup);
  assert.equal(b.warmup.draws.nDraws, 40);
  assert.equal(b.warmup.sampler.nDraws, 40);
  // Warmup step sizes change from iteration to iteration (dual averaging); sampling ones do not.
  const eps = column(b.warmup.sampler, 'stepsize__');
  assert.ok(new Set(Array.from(eps.subarray(0, 40))).size > 10);
  assert.ok(column(b.warmup.sampler, 'n_leapfrog__').every((n) => n >= 1));
});
