/**
 * ChEES stops soon after `shouldStop` turns true, even when iterations are slow: it yields to the event
 * loop every ~100 ms (not every 25 iterations), so a timer or a signal handler runs, and it polls
 * `shouldStop` after every iteration. Measured in this process's CPU time, not wall time, so that a
 * loaded machine does not decide the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleChees } from '../../src/sampler/chees.js';
import type { Target } from '../../src/sampler/target.js';
import { iidNormal } from './targets.js';

/** iid normal whose every batched call burns `ms` of CPU (a stand-in for a large model). */
function slowNormal(dim: number, ms: number): Target {
  const base = iidNormal(dim);
  return {
    dim,
    logDensity(q, n) {
      const t = process.cpuUsage();
      while ((process.cpuUsage(t).user + process.cpuUsage(t).system) / 1000 < ms) { /* burn */ }
      return base.logDensity(q, n);
    },
  };
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

for (const phase of ['warmup', 'sampling'] as const) {
  test(`ChEES stops within 0.9 CPU-seconds of a 300 ms timer during ${phase}, with 50 ms per gradient`, async () => {
    // yielding every 25 iterations (the old rule) would first serve the timer after ≥ 25 × 50 ms of CPU
    let flagged = false;
    let setAt: NodeJS.CpuUsage | null = null;
    const r = await sampleChees(slowNormal(4, 50), {
      chains: 8, warmup: phase === 'warmup' ? 1000 : 1, draws: 100000, seed: 1, stepSize: 0.5,
      onProgress: (p) => {
        // a timer set when the phase starts: it can only fire when the sampler yields to the event loop
        if (setAt === null && p.phase === phase) {
          setAt = process.cpuUsage();
          setTimeout(() => (flagged = true), 300);
        }
      },
      shouldStop: () => flagged,
    });
    assert.ok(flagged && setAt, 'the timer fired');
    const after = cpuSeconds(setAt);
    assert.ok(after < 0.9, `stopped ${after.toFixed(3)} CPU-s after the timer was set`);
    assert.equal(r.stopped, true);
    if (phase === 'sampling') assert.ok(r.draws.nDraws >= 1 && r.draws.nDraws < 100000, `kept ${r.draws.nDraws}`);
    else assert.equal(r.draws.nDraws, 0);
  });
}
