/**
 * The pointwise log-likelihood from draws: for every family × link, each draw's row sum equals the
 * float64 reference density's likelihood (logLikEta64 at the same unconstrained point, which the
 * log-density tests pin to R); single rows against R's d* functions with every constant
 * (R 4.x: dbinom(3, 10, 0.3, log = TRUE), dpois(7, 4.5, log = TRUE), dnbinom(4, size = 2.5, mu = 3.2, log = TRUE),
 * dnorm(1.3, 0.4, 0.8, log = TRUE), dgamma(2.5, shape = 3, rate = 3/1.7, log = TRUE)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAMILY_NAMES, getFamily } from '../../models/families/index.js';
import { buildModel } from '../../src/target/parameters.js';
import { constrainDraws } from '../../src/target/constrain.js';
import { familyValues, formulaEffects64, linearPredictor64, logLikEta64 } from '../../src/target/logDensity64.js';
import { pointwiseLogLik } from '../../src/loo/loglik.js';
import { buildDesign } from '../../src/design/design.js';
import { frameFromRows } from '../../src/data/read.js';
import { ZERO_PART_LINKS, ZERO_RANDOM, simulatedDesign, randomPoint, withZeroRandom } from '../target/designs.js';
import { posteriorPredictive } from '../../src/inference/predict.js';
import { familyFor } from '../../models/families/getFamily.js';
import seedrandom from 'seedrandom';

for (const family of FAMILY_NAMES) {
  for (const link of getFamily(family).links) {
    test(`${family}/${link}: Σ_i log_lik[s, i] = logLikEta64 at every draw`, () => {
      const design = simulatedDesign({ n: 30, p: 2, terms: [{ group: 'g', k: 2, nLevels: 5 }, { group: 'h', k: 1, nLevels: 3 }], family, link, seed: `${family}${link}`, offset: true });
      const spec = buildModel(design, { family, link });
      const S = 4;
      const q = new Float64Array(S * spec.dim);
      for (let s = 0; s < S; s++) q.set(randomPoint(spec.dim, `${family}${link}${s}`, 0.3), s * spec.dim);
      // identity/sqrt/inverse links need η in range: shift the intercept up
      for (let s = 0; s < S; s++) q[s * spec.dim] += link === 'identity' ? 4 : link === 'sqrt' || link === 'inverse' ? 2 : 0;
      const draws = constrainDraws(spec, { nChains: 2, nDraws: 2, names: spec.names, data: q });
      const ll = pointwiseLogLik({ design, family, link }, draws);
      assert.equal(ll.names.length, 30);
      assert.equal(ll.names[0], 'log_lik.1');
      for (let s = 0; s < S; s++) {
        const qs = q.subarray(s * spec.dim, (s + 1) * spec.dim);
        const want = logLikEta64(spec, linearPredictor64(spec, qs), familyValues(spec, qs));
        let got = 0;
        for (let i = 0; i < 30; i++) got += ll.data[s * 30 + i];
        assert.ok(Number.isFinite(want), `reference finite at draw ${s}`);
        assert.ok(Math.abs(got - want) <= 1e-10 * Math.max(1, Math.abs(want)), `draw ${s}: ${got} vs ${want}`);
      }
    });
  }
}

test('random effects in the zero part (--zi \'~ x1 + z + (1|g) + (1 + z|h)\'): Σ_i log_lik[s, i] = logLikEta64 with the zero part\'s effects at every draw', () => {
  for (const [family, link] of ZERO_PART_LINKS) {
    const design = withZeroRandom(simulatedDesign({ n: 30, p: 2, terms: [{ group: 'g', k: 1, nLevels: 6 }], family, link, seed: `llz-${family}` }), `llz-${family}-X`, ZERO_RANDOM.correlated);
    const spec = buildModel(design, { family, link });
    const S = 3;
    const q = new Float64Array(S * spec.dim);
    for (let s = 0; s < S; s++) q.set(randomPoint(spec.dim, `llz-${family}${s}`, 0.6), s * spec.dim);
    const draws = constrainDraws(spec, { nChains: 1, nDraws: S, names: spec.names, data: q });
    const ll = pointwiseLogLik({ design, family, link }, draws);
    for (let s = 0; s < S; s++) {
      const qs = q.subarray(s * spec.dim, (s + 1) * spec.dim);
      const want = logLikEta64(spec, linearPredictor64(spec, qs), familyValues(spec, qs), formulaEffects64(spec, qs));
      const without = logLikEta64(spec, linearPredictor64(spec, qs), familyValues(spec, qs));
      let got = 0;
      for (let i = 0; i < 30; i++) got += ll.data[s * 30 + i];
      assert.ok(Math.abs(got - want) <= 1e-10 * Math.max(1, Math.abs(want)), `${family} draw ${s}: ${got} vs ${want}`);
      assert.ok(Math.abs(got - without) > 1e-6, `${family} draw ${s}: the zero part's effects leave the log-likelihood unchanged`);
    }
  }
});

test('random effects in the zero part: posterior predictive zeros follow each row\'s zi = logit⁻¹(X_zi β + Z r) (zipoisson, one draw with extreme effects)', () => {
  const design = withZeroRandom(simulatedDesign({ n: 60, p: 2, terms: [{ group: 'g', k: 1, nLevels: 6 }], family: 'zipoisson', link: 'log', seed: 'ppz' }), 'ppz-X', ZERO_RANDOM.scalar);
  const spec = buildModel(design, { family: 'zipoisson' });
  const q = new Float64Array(spec.dim);
  q[0] = Math.log(20); // μ = 20: a Poisson zero is e^-20, so every zero is structural
  const sd = spec.names.indexOf('log_sd_g__zi_Intercept');
  q[sd] = Math.log(10);
  // level 1's effect r = +10·2 (zi ≈ 1), every other level's −10·2 (zi ≈ 0); the zi coefficients 0
  for (let l = 0; l < 6; l++) q[spec.names.indexOf(`z_g__zi[${l + 1},Intercept]`)] = l === 0 ? 2 : -2;
  const draws = constrainDraws(spec, { nChains: 1, nDraws: 1, names: spec.names, data: q });
  const { family, link } = familyFor('zipoisson', 'log');
  const yrep = posteriorPredictive(design, draws, family, link, seedrandom('ppz-rng'));
  const idx = design.paramFormulas![0].random![0].index;
  for (let i = 0; i < 60; i++) assert.equal(yrep.data[i] === 0, idx[i] === 0, `row ${i + 1} (level ${idx[i] + 1}): y_rep ${yrep.data[i]}`);
});

test('single rows against R d* functions, constants included', () => {
  const one = (family: 'binomial' | 'poisson' | 'negbinomial' | 'gaussian' | 'gamma', row: Record<string, number>, formula: string, values: Record<string, number>) => {
    const d = buildDesign(formula, frameFromRows([row]), family);
    const names = Object.keys(values);
    return pointwiseLogLik({ design: d, family, link: getFamily(family).defaultLink }, { nChains: 1, nDraws: 1, names, data: Float64Array.from(names, (n) => values[n]) }).data[0];
  };
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(one('binomial', { y: 3, n: 10 }, 'cbind(y, n - y) ~ 1', { b_Intercept: Math.log(0.3 / 0.7) }), -1.3211512777668888);
  near(one('poisson', { y: 7 }, 'y ~ 1', { b_Intercept: Math.log(4.5) }), -2.4966195836314959);
  near(one('negbinomial', { y: 4 }, 'y ~ 1', { b_Intercept: Math.log(3.2), shape: 2.5 }), -2.1698747085188912);
  near(one('gaussian', { y: 1.3 }, 'y ~ 1', { b_Intercept: 0.4, sigma: 0.8 }), -1.328607481890463);
  near(one('gamma', { y: 2.5 }, 'y ~ 1', { b_Intercept: Math.log(1.7), shape: 3 }), -1.5683783098761701);
});
