/**
 * The GLM start of the Laplace fit halves a step that lowers the log-likelihood (as glm.fit): on
 * test/fixtures/laplace/sbc_gamma_wide.csv (SBC gamma replication 15: 10 groups × 4, sd_g 2.71, y from
 * 0.002 to 1,152) the undamped IRLS start diverged to β ≈ (28503, −81463) and the fit stayed at an
 * infinite deviance. Golden: glmmTMB 1.1.5, `glmmTMB(y ~ x + (1|g), family = Gamma(link = "log"), data = d)`
 * on 2026-12-07: β (−0.2587834, 1.5690773), sd_g 2.625023, sigma 0.8773081 (shape = 1/σ² = 1.29925),
 * logLik −39.41179.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLaplace } from '../../src/laplace/laplace.js';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { repoPath } from '../design/repo-path.js';

test('gamma (log) on y spanning six decades: the start converges and the fit equals glmmTMB', () => {
  const frame = readCsvFile(repoPath('test/fixtures/laplace/sbc_gamma_wide.csv'), { factors: ['g'] });
  const design = buildDesign('y ~ x + (1|g)', frame, 'gamma');
  const fit = fitLaplace(design, { family: 'gamma', link: 'log', profile: false });
  assert.ok(Math.abs(fit.logLik - -39.41179) < 1e-4, `logLik ${fit.logLik}`);
  assert.ok(Math.abs(fit.beta[0] - -0.2587834) < 1e-4 && Math.abs(fit.beta[1] - 1.5690773) < 1e-4, `beta ${Array.from(fit.beta)}`);
  const sd = fit.varpars.find((v) => v.name === 'sd_g__Intercept')!.estimate;
  const shape = fit.varpars.find((v) => v.name === 'shape')!.estimate;
  assert.ok(Math.abs(sd - 2.625023) < 1e-4 * 2.625, `sd ${sd}`);
  assert.ok(Math.abs(shape - 1 / 0.8773081 ** 2) < 1e-3, `shape ${shape}`);
});
