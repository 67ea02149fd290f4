/**
 * The default sampler through fit(): ChEES-HMC on the talk's RCBD Poisson GLMM recovers rstan's
 * posterior (shared/reference/glmm-references.json, case rcbd_poisson: rstan 2.21, 4 × 4000 draws,
 * adapt_delta 0.99, same priors) within 4 combined MCSE: |ours − Stan| < 4·√(mcse_ours² + mcse_Stan²).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { fit } from '../../src/fit.js';
import { repoPath } from '../cli/cli-helpers.js';

/** rstan posterior means and their MCSEs (glmm-references.json, rcbd_poisson). */
const STAN: Record<string, { mean: number; mcse: number }> = {
  b_Intercept: { mean: 1.32091108216669, mcse: 0.00778955282789404 },
  b_trt1: { mean: 1.24092961341414, mcse: 0.00867825865346308 },
  sd_block__Intercept: { mean: 1.03984137045852, mcse: 0.00978986629654807 },
  'sd_block:trt__Intercept': { mean: 1.47987210576001, mcse: 0.00613794952167658 },
};

test('fit() default sampler (ChEES, 128 chains × 100 draws) recovers the rstan posterior of the RCBD Poisson GLMM', async () => {
  const factors = ['trt', 'block'];
  const data = readCsvFile(repoPath('examples/data/rcbd.csv'), { factors });
  const f = await fit({ formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson', factors, chains: 128, draws: 100, seed: 2 });
  assert.equal(f.summary.sampler?.sampler, 'chees');
  for (const [name, ref] of Object.entries(STAN)) {
    const p = f.summary.parameters.find((x) => x.name === name)!;
    const tol = 4 * Math.hypot(p.mcse_mean!, ref.mcse);
    assert.ok(Math.abs(p.mean! - ref.mean) < tol, `${name}: ${p.mean} vs Stan ${ref.mean} (tolerance ${tol.toFixed(4)})`);
  }
});
