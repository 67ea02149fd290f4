/**
 * ChEES's initial step size follows Stan's init_stepsize (base_hmc.hpp; ../shared/reference/algorithms.md
 * §1.3) with the many-chain acceptance: the threshold is Stan's 0.8 (ΔH > log 0.8), the first pass
 * re-tests ε = 1, the ε returned is the one where the acceptance crossed, and where Stan throws (ε > 1e7
 * or ε = 0) the search gives up with a warning instead of stopping silently after 60 doublings (issue 23).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchStepSize } from '../../src/sampler/adaptation/chees-stepsize-init.js';
import { sampleChees } from '../../src/sampler/chees.js';
import { iidNormal } from './chees-targets.js';

test("Stan's rule with a known acceptance curve: 0.8, not 0.5; the crossing ε is returned", () => {
  const calls: number[] = [];
  // exp(−ε²): 0.37 at 1 (down), 0.78 at 1/2 (still below 0.8), 0.94 at 1/4 (crossed: Stan returns 1/4)
  const down = searchStepSize((e) => (calls.push(e), Math.exp(-e * e)));
  assert.deepEqual(down, { stepSize: 0.25, calls: 4, warning: null });
  assert.deepEqual(calls, [1, 1, 0.5, 0.25]);
  // exp(−ε²/100): 0.99 at 1 (up), 0.96 at 2, 0.85 at 4, 0.53 at 8 (crossed: Stan returns 8, the first ε past it)
  assert.deepEqual(searchStepSize((e) => Math.exp(-e * e / 100)), { stepSize: 8, calls: 5, warning: null });
  // a NaN acceptance (read as 0 by the caller's harmonic mean) is below 0.8: down
  assert.equal(searchStepSize((e) => (e > 0.1 ? NaN : 1)).stepSize, 0.0625);
});

test('where Stan throws, the search gives up with a warning naming why', () => {
  const up = searchStepSize(() => 1);
  assert.equal(up.stepSize, 2 ** 23); // 2^24 > 1e7
  assert.equal(up.warning, "ChEES's initial step-size search gave up: the acceptance stayed above 0.8 up to step size 8388608 (Stan stops here: the posterior may be improper; check the priors).");
  const down = searchStepSize(() => 0);
  assert.equal(down.stepSize, 5e-324);
  assert.match(down.warning!, /gave up: the acceptance stayed below 0\.8 down to step size 5e-324 \(Stan stops here: no acceptably small step size/);
});

test('sampleChees reports the warning of a search that gave up; none on a proper target', async () => {
  const flat = { dim: 1, logDensity: (_q: Float64Array, n: number) => ({ logp: new Float64Array(n), grad: new Float64Array(n) }) };
  const r = await sampleChees(flat, { chains: 4, superchains: 2, warmup: 2, draws: 2, seed: 1 });
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /initial step-size search gave up: the acceptance stayed above 0\.8/);
  const ok = await sampleChees(iidNormal(Float64Array.from([1, 2])), { chains: 4, superchains: 2, warmup: 2, draws: 2, seed: 1 });
  assert.deepEqual(ok.warnings, []);
});
