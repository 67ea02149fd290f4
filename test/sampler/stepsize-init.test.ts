import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initStepSize } from '../../src/sampler/adaptation/stepsize-init.js';
import type { Evaluation, PhasePoint } from '../../src/sampler/integrator.js';
import { makeMetric } from '../../src/sampler/metric.js';
import { makeRng } from '../../src/sampler/rng.js';
import type { Target } from '../../src/sampler/target.js';
import { gaussian } from './targets.js';

function run(t: Target, q: Float64Array, eps: number, seed: number): { eps: number; evals: number } {
  const ev0 = t.logDensity(q, 1);
  const z: PhasePoint = { q, p: new Float64Array(t.dim), logp: ev0.logp[0], grad: ev0.grad };
  const g = initStepSize(z, eps, makeMetric('diag', new Float64Array(t.dim).fill(1)), makeRng(seed, 0));
  let evals = 0;
  let r = g.next(undefined as unknown as Evaluation);
  while (!r.done) {
    evals += 1;
    const e = t.logDensity(r.value, 1);
    r = g.next({ logp: e.logp[0], grad: e.grad });
  }
  return { eps: r.value, evals };
}

test('step-size heuristic (base_hmc.hpp init_stepsize): ε₀·2^k, one leapfrog step per trial, smaller for narrower targets', () => {
  const wide = gaussian(new Float64Array(3), Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]));
  const narrow = gaussian(new Float64Array(3), Float64Array.from([1e-4, 0, 0, 0, 1e-4, 0, 0, 0, 1e-4]));
  for (const seed of [1, 2, 3]) {
    const w = run(wide, Float64Array.from([0.5, -0.2, 1]), 1, seed);
    const n = run(narrow, Float64Array.from([0.005, -0.002, 0.01]), 1, seed);
    for (const r of [w, n]) {
      const k = Math.log2(r.eps);
      assert.equal(k, Math.round(k), `ε = ${r.eps} is not a power of 2`);
      // One step to choose the direction, one for the first (re-)test, one more per doubling/halving.
      assert.equal(r.evals, 2 + Math.abs(k));
    }
    // On N(0, 10⁻⁴ I) a step of 1 is far too large: the search halves at least to the scale 0.01.
    assert.ok(n.eps <= 0.02 && n.eps < w.eps, `narrow ${n.eps}, wide ${w.eps}`);
  }
  // Skipped for extreme starting values (base_hmc.hpp L97-99).
  assert.equal(run(wide, new Float64Array(3), 2e7, 1).eps, 2e7);
  assert.equal(run(wide, new Float64Array(3), 0, 1).evals, 0);
});
