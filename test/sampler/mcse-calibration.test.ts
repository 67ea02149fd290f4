/**
 * The fast tier's check of validation/calibration.ts's property (issue 23): across seeds, the MCSE
 * the default ChEES run reports (posterior's mcse_mean over all chains) matches the actual error of
 * its posterior means. Target: a Gaussian with unequal scales (1, 10, 0.1), whose means are exactly 0,
 * so z = mean / mcse_mean needs no reference. 20 seeds × 3 coordinates of the default run length
 * (256 chains × 20 draws after the nested-R-hat-stopped warmup). If the MCSE is honest, Σ z² ~ χ²₆₀;
 * the test asks for it inside its central 99.9% (sd(z) in [0.71, 1.31]), and each coordinate's mean z
 * within 3.3/√20 (its 99.9% band).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterMatrix } from '../../diagnostics/draws.js';
import { mcseMean } from '../../diagnostics/mcse.js';
import { mean } from '../../diagnostics/basic-stats.js';
import { sampleChees } from '../../src/sampler/chees.js';
import { calibrationFigures, type ParameterZ } from '../../validation/calibration-z.js';
import { iidNormal } from './chees-targets.js';

/** χ²₆₀ quantiles 0.0005 and 0.9995 (R: qchisq(c(0.0005, 0.9995), 60)). */
const CHI2_60 = [30.34, 102.69] as const;

test('the reported mcse_mean of 256 × 20-draw ChEES runs matches the spread of their means across 20 seeds', async () => {
  const scales = Float64Array.from([1, 10, 0.1]);
  const z: number[][] = [[], [], []];
  for (let seed = 1; seed <= 20; seed++) {
    const r = await sampleChees(iidNormal(scales), { draws: 20, seed });
    for (let p = 0; p < 3; p++) {
      const x = parameterMatrix(r.draws, p);
      z[p].push(mean(x) / mcseMean(x, r.draws.nDraws));
    }
  }
  const params: ParameterZ[] = z.map((v, p) => ({ name: `x${p}`, z: v }));
  const f = calibrationFigures(params);
  const [lo, hi] = CHI2_60.map((q) => Math.sqrt(q / 60));
  assert.ok(f.sdZ >= lo && f.sdZ <= hi, `sd(z) ${f.sdZ.toFixed(3)} outside [${lo.toFixed(2)}, ${hi.toFixed(2)}]`);
  for (const p of f.perParameter) assert.ok(Math.abs(p.meanZ) <= 3.3 / Math.sqrt(20), `${p.name}: mean z ${p.meanZ.toFixed(2)}`);
});
