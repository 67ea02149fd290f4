/**
 * The large-data change of variables (src/fit/precondition.ts): the two maps are inverse, the wrapped
 * density is the model's at the mapped point with the chain-rule gradient (against central differences),
 * and at the Laplace mode of a one-term model the fixed effects and the random effects are decorrelated
 * exactly (the mixed second derivatives vanish), both non-centred and centred; with crossed terms too
 * (lme4's VerbAgg, (1|id) + (1|item): K solved jointly over both terms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import { buildModel, type ModelSpec } from '../../src/target/parameters.js';
import { compileJsDensity } from '../../src/target/density-js.js';
import { runLaplace, laplaceStart } from '../../src/fit/laplace.js';
import { buildPreconditioner, preconditionTarget, toModelSpace, toSamplerSpace, type Preconditioner } from '../../src/fit/precondition.js';
import type { Target } from '../../src/sampler/target.js';
import { repoPath } from '../design/repo-path.js';

const FORMULA = 'cbind(incidence, size - incidence) ~ period + (1|herd)';
const FACTORS = ['period', 'herd'];

function setup(centered: string[]): { spec: ModelSpec; pre: Preconditioner; wrapped: Target; u0: Float64Array } {
  const data = readCsvFile(repoPath('examples/data/lme4_cbpp.csv'), { factors: FACTORS });
  const design = buildDesign(FORMULA, data, 'binomial', { factors: FACTORS });
  const spec = buildModel(design, { family: 'binomial', centered });
  const laplace = runLaplace(buildModel(design, { family: 'binomial' }), { profile: false });
  const { mode } = laplaceStart(spec, laplace);
  const pre = buildPreconditioner(spec, mode, laplace.vcov);
  assert.ok(pre, 'a preconditioner for cbpp');
  const u0 = Float64Array.from(mode);
  toSamplerSpace(pre, u0, 1);
  return { spec, pre, wrapped: preconditionTarget(compileJsDensity(spec), pre), u0 };
}

const grad = (t: Target, u: Float64Array) => t.logDensity(u, 1).grad;

for (const centered of [[], ['herd']]) {
  const label = centered.length ? 'centred' : 'non-centred';

  test(`${label}: toModelSpace and toSamplerSpace are inverse`, () => {
    const { spec, pre } = setup(centered);
    const x = Float64Array.from({ length: 2 * spec.dim }, (_, i) => Math.sin(1.3 * i + 0.4));
    const y = Float64Array.from(x);
    toModelSpace(pre, y, 2);
    toSamplerSpace(pre, y, 2);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(y[i] - x[i]) < 1e-12, `coordinate ${i}: ${y[i]} vs ${x[i]}`);
  });

  test(`${label}: the wrapped density is the model's at L·u, with the chain-rule gradient`, () => {
    const { spec, pre, wrapped, u0 } = setup(centered);
    const u = Float64Array.from(u0, (v, i) => v + 0.05 * Math.cos(i));
    const q = Float64Array.from(u);
    toModelSpace(pre, q, 1);
    assert.equal(wrapped.logDensity(u, 1).logp[0], compileJsDensity(spec).logDensity(q, 1).logp[0]);
    const g = grad(wrapped, u);
    const h = 1e-5;
    for (let i = 0; i < spec.dim; i++) {
      const up = Float64Array.from(u); up[i] += h;
      const dn = Float64Array.from(u); dn[i] -= h;
      const fd = (wrapped.logDensity(up, 1).logp[0] - wrapped.logDensity(dn, 1).logp[0]) / (2 * h);
      assert.ok(Math.abs(fd - g[i]) <= 1e-5 * (1 + Math.abs(fd)), `${spec.names[i]}: gradient ${g[i]} vs central difference ${fd}`);
    }
  });

  test(`${label}: at the Laplace mode the fixed and random effects are decorrelated (mixed Hessian ≈ 0)`, () => {
    const { spec, pre, wrapped, u0 } = setup(centered);
    const { cross, diag } = mixedHessian(spec, pre, wrapped, u0);
    assert.ok(cross < 1e-3 * diag, `max |∂²/∂u_β∂ũ| ${cross} against max |∂²/∂ũ²| ${diag}`);
    // the same without the shift of the random effects (β = L·u only): the cross block is not small
    const plain = { ...pre, blocks: pre.blocks.map((b) => ({ ...b, K: new Float64Array(b.K.length) })) };
    const without = mixedHessian(spec, plain, preconditionTarget(compileJsDensity(spec), plain), u0);
    assert.ok(without.cross > 0.05 * without.diag, `without the shift: ${without.cross} against ${without.diag}`);
  });
}

/**
 * Max |mixed second derivative| between the u_β and ũ coordinates (every block) and max |∂²/∂ũ²| over the
 * first `diagLevels` levels of each block, by differences of the gradient.
 */
function mixedHessian(spec: ModelSpec, pre: Preconditioner, wrapped: Target, u0: Float64Array, diagLevels = Infinity): { cross: number; diag: number } {
  const h = 1e-4;
  let cross = 0, diag = 0;
  for (let c = 0; c < spec.p; c++) {
    const up = Float64Array.from(u0); up[c] += h;
    const dn = Float64Array.from(u0); dn[c] -= h;
    const gu = grad(wrapped, up), gd = grad(wrapped, dn);
    for (const b of pre.blocks) for (let j = 0; j < b.nLevels; j++) cross = Math.max(cross, Math.abs((gu[b.offset + j] - gd[b.offset + j]) / (2 * h)));
  }
  for (const b of pre.blocks) {
    for (let j = 0; j < Math.min(b.nLevels, diagLevels); j++) {
      const up = Float64Array.from(u0); up[b.offset + j] += h;
      const dn = Float64Array.from(u0); dn[b.offset + j] -= h;
      diag = Math.max(diag, Math.abs((grad(wrapped, up)[b.offset + j] - grad(wrapped, dn)[b.offset + j]) / (2 * h)));
    }
  }
  return { cross, diag };
}

test('crossed terms (VerbAgg, (1|id) + (1|item)): at the Laplace mode the fixed effects are decorrelated from both terms\' effects', () => {
  const factors = ['id', 'item'];
  const data = readCsvFile(repoPath('examples/data/lme4_VerbAgg.csv'), { factors });
  const design = buildDesign('r2 ~ Anger + Gender + btype + situ + (1|id) + (1|item)', data, 'bernoulli', { factors });
  const spec = buildModel(design, { family: 'bernoulli' });
  const laplace = runLaplace(spec, { profile: false });
  const { mode } = laplaceStart(spec, laplace);
  const pre = buildPreconditioner(spec, mode, laplace.vcov);
  assert.ok(pre && pre.blocks.length === 2);
  const u0 = Float64Array.from(mode);
  toSamplerSpace(pre, u0, 1);
  const { cross, diag } = mixedHessian(spec, pre, preconditionTarget(compileJsDensity(spec), pre), u0, 20);
  assert.ok(cross < 1e-3 * diag, `max |∂²/∂u_β∂ũ| ${cross} against max |∂²/∂ũ²| ${diag}`);
});
