/**
 * Terms the user writes (src/logdensity/user.ts) through the compiled density: extra parameters
 * (real, positive, interval with a beta prior), a user term that replaces the sd priors (a prior on
 * the intra-class correlation with its Jacobian) and a custom family (zero-inflated Poisson with a
 * zero-inflation linear predictor) — value against the float64 logDensity64 with the terms' float64
 * twins, gradient (tf.valueAndGrads) against central differences of that float64 evaluation, dense
 * and gather paths. Tolerances as in compile.test.ts (float32 rounding bounds, see there).
 * Then: a term returning the wrong shape, NaN or a non-tensor is an error naming it; live tensors do
 * not grow over 10,000 calls with a user term.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { buildModel, type ModelSpec } from '../../src/target/parameters.js';
import { logDensity64 } from '../../src/target/logDensity64.js';
import { constrain, unconstrain } from '../../src/target/constrain.js';
import { compileLogDensity } from '../../src/target/compile.js';
import { useBackend, tf } from '../../src/logdensity/tfjs.js';
import type { CustomFamily, UserTerm } from '../../src/logdensity/user.js';
import { GlmmInputError } from '../../base/errors.js';
import { lgamma } from '../../base/gamma.js';
import { simulatedDesign, randomPoint } from '../target/designs.js';
import { checkAgainstFloat64, valueTol } from './float64-check.js';

const check = checkAgainstFloat64;

const log1pExp = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** Zero-inflated Poisson: P(y = 0) = π + (1 − π)e^{−μ}, π = logit⁻¹(X·γ) with γ = zi_b1, zi_b2. */
function zip(y: Float64Array): CustomFamily {
  const lgy = tf.keep(tf.tensor2d(Float32Array.from(y, (v) => lgamma(v + 1)), [1, y.length]));
  const isZero = tf.keep(tf.tensor2d(Float32Array.from(y, (v) => (v === 0 ? 1 : 0)), [1, y.length]));
  return {
    name: 'zip', base: 'poisson',
    logLik: (eta, p, { tf: t, data }) => {
      const zeta = t.matMul(t.concat([p.zi_b1, p.zi_b2], 1), data.Xt); // [C, n]
      const mu = t.exp(eta);
      const log1mPi = t.neg(t.softplus(zeta));
      const pos = t.sub(t.add(log1mPi, t.mul(data.y, eta)), t.add(mu, lgy));
      const a = zeta;
      const b = t.neg(mu);
      const lse = t.add(t.maximum(a, b), t.log1p(t.exp(t.neg(t.abs(t.sub(a, b))))));
      const zero = t.sub(lse, t.softplus(zeta)); // log(e^ζ + e^{−μ}) − log(1 + e^ζ)
      return t.add(t.mul(isZero, zero), t.mul(t.sub(1, isZero), pos));
    },
    logLik64: (eta, p, d) => {
      let s = 0;
      for (let i = 0; i < eta.length; i++) {
        const zeta = p.zi_b1 * d.X[i * d.p] + p.zi_b2 * d.X[i * d.p + 1];
        const mu = Math.exp(eta[i]);
        s += d.y[i] === 0 ? Math.log(Math.exp(zeta) + Math.exp(-mu)) - log1pExp(zeta) : -log1pExp(zeta) + d.y[i] * eta[i] - mu - lgamma(d.y[i] + 1);
      }
      return s;
    },
  };
}

/** ICC prior: ρ = sd_a²/(sd_a² + sd_b²) ~ beta(2, 2), τ = √(sd_a² + sd_b²) ~ half-normal(0, 1), with log|∂(ρ, τ)/∂(sd_a, sd_b)|. */
const icc: UserTerm = {
  name: 'icc',
  replacesPriorOf: ['sd_a__Intercept', 'sd_b__Intercept'],
  logDensity: (p, { tf: t }) => {
    const va = t.square(p.sd_a__Intercept);
    const tau2 = t.add(va, t.square(p.sd_b__Intercept));
    const rho = t.div(va, tau2);
    const logRho = t.log(rho);
    const log1mRho = t.log1p(t.neg(rho));
    const logTau = t.mul(t.log(tau2), 0.5);
    // beta(2, 2): log 6 + log ρ + log(1 − ρ); half-normal: log 2 − log √2π − τ²/2; Jacobian log 2 + ½ log ρ(1 − ρ) − log τ
    return t.add(t.mul(t.add(logRho, log1mRho), 1.5), t.sub(t.mul(tau2, -0.5), logTau)).add(Math.log(6) + Math.log(2) - 0.5 * Math.log(2 * Math.PI) + Math.log(2));
  },
  logDensity64: (p) => {
    const tau2 = p.sd_a__Intercept ** 2 + p.sd_b__Intercept ** 2;
    const rho = p.sd_a__Intercept ** 2 / tau2;
    return 1.5 * (Math.log(rho) + Math.log1p(-rho)) - tau2 / 2 - 0.5 * Math.log(tau2) + Math.log(6) + Math.log(2) - 0.5 * Math.log(2 * Math.PI) + Math.log(2);
  },
};

/** A soft constraint tying the extras together: −(κ − 2·ν)² / 2 with κ positive and ν on (0, 3). */
const soft: UserTerm = {
  name: 'soft',
  logDensity: (p, { tf: t }) => t.mul(t.square(t.sub(p.kappa, t.mul(p.nu, 2))), -0.5),
  logDensity64: (p) => -0.5 * (p.kappa - 2 * p.nu) ** 2,
};

const PARAMETERS = [
  { name: 'zi_b1', prior: 'normal(0, 2.5)' },
  { name: 'zi_b2', constraint: 'real' as const, prior: 'student_t(3, 0, 2)' },
  { name: 'kappa', constraint: 'positive' as const, prior: 'gamma(2, 1)' },
  { name: 'nu', constraint: { lower: 0, upper: 3 }, prior: 'beta(2, 3)' },
];

test.before(async () => {
  await useBackend('cpu');
});

test('user terms, extra parameters and a custom family: value = float64 twin, gradient = central differences (dense, gather)', () => {
  const d = simulatedDesign({ n: 60, p: 2, terms: [{ group: 'a', k: 1, nLevels: 5 }, { group: 'b', k: 1, nLevels: 12 }], family: 'poisson', link: 'log', seed: 'user-zip' });
  const y = d.response.y;
  for (let i = 0; i < y.length; i += 4) y[i] = 0; // excess zeros
  const spec = buildModel(d, { family: 'poisson', parameters: PARAMETERS, terms: [icc, soft], customFamily: zip(y) });
  assert.deepEqual(spec.params.filter((p) => p.class === 'extra').map((p) => p.name), ['zi_b1', 'zi_b2', 'kappa', 'nu']);
  const q = randomPoint(spec.dim, 'user-point', 0.4);
  // the extras' transforms: unconstrain inverts constrain
  const back = unconstrain(spec, constrain(spec, q));
  for (let i = 0; i < spec.dim; i++) assert.ok(Math.abs(back[i] - q[i]) < 1e-9, `unconstrain ∘ constrain at ${spec.names[i]}`);
  for (const mode of ['dense', 'gather'] as const) check(spec, `zip/${mode}`, q, { mode });
  // the same extras and terms on the built-in likelihood, one term centred
  const builtIn = buildModel(d, { family: 'poisson', parameters: PARAMETERS, terms: [icc, soft], centered: ['a'] });
  for (const mode of ['dense', 'gather'] as const) check(builtIn, `builtin/${mode}`, q, { mode });
});

test('a user term returning a wrong shape, NaN or a non-tensor: an error naming the term', () => {
  const d = simulatedDesign({ n: 20, p: 2, terms: [{ group: 'g', k: 1, nLevels: 4 }], family: 'poisson', link: 'log', seed: 'user-bad' });
  const bad = (name: string, logDensity: UserTerm['logDensity'], message: RegExp) => {
    const target = compileLogDensity(buildModel(d, { family: 'poisson', terms: [{ name, logDensity }] }));
    try {
      assert.throws(() => target.logDensity(randomPoint(3 * 7, 'bad'), 3), (e: unknown) => e instanceof GlmmInputError && message.test(e.message) && e.message.includes(`term '${name}'`));
    } finally {
      target.dispose?.();
    }
  };
  bad('rowwise', (p, { tf: t }) => t.zeros([3, 2]), /shape \[3, 2\]; expected \[3, 1\]/);
  bad('notnumber', (p, { tf: t }) => t.log(t.sub(p.b_Intercept, 100)), /NaN at every chain/);
  bad('plain', () => 1.5 as unknown as Tensor, /returned number, not a tfjs tensor/);
  bad('typo', (p) => p.sd_g, /parameter 'sd_g', which the model does not have/);
  // NaN at some chains only: those chains get −∞ (rejected), the others their value
  const spec = buildModel(d, { family: 'poisson', terms: [{ name: 'half', logDensity: (p, { tf: t }) => t.log(p.b_Intercept), logDensity64: (p) => Math.log(p.b_Intercept) }] });
  const target = compileLogDensity(spec);
  const q = randomPoint(2 * spec.dim, 'half', 0.3);
  q[0] = -0.5;
  q[spec.dim] = 0.5;
  const r = target.logDensity(q, 2);
  target.dispose?.();
  assert.equal(r.logp[0], -Infinity);
  assert.ok(Math.abs(r.logp[1] - logDensity64(spec, q.slice(spec.dim))) <= valueTol(r.logp[1], spec));
  assert.throws(() => buildModel(d, { family: 'poisson', terms: [{ name: 'x', logDensity: (p) => p.b_Intercept, replacesPriorOf: ['sd_h__Intercept'] }] }), /term 'x': replacesPriorOf names 'sd_h__Intercept'/);
  assert.throws(() => buildModel(d, { family: 'poisson', parameters: [{ name: 'b_Intercept', prior: 'normal(0, 1)' }] }), /parameter 'b_Intercept': the name is already used/);
  assert.throws(() => buildModel(d, { family: 'poisson', parameters: [{ name: 'w', constraint: 'positive' }] }), /parameter 'w': needs a proper prior/);
  assert.throws(() => buildModel(d, { family: 'poisson', parameters: [{ name: 'w', constraint: { lower: 0, upper: 1 }, prior: 'normal(0, 1)' }] }), /parameter 'w': an interval takes 'uniform' or 'beta\(a, b\)'/);
});

test('live tensors do not grow over 10,000 calls with a user term and an extra parameter; dispose frees the compiled tensors', () => {
  const d = simulatedDesign({ n: 16, p: 2, terms: [{ group: 'a', k: 1, nLevels: 8 }], family: 'poisson', link: 'log', seed: 'user-leak' });
  const before = tf.memory().numTensors;
  const spec = buildModel(d, { family: 'poisson', parameters: [PARAMETERS[2], PARAMETERS[3]], terms: [soft] });
  const target = compileLogDensity(spec);
  const q = randomPoint(4 * spec.dim, 'user-leak', 0.3);
  target.logDensity(q, 4);
  const start = tf.memory().numTensors;
  for (let i = 0; i < 10_000; i++) target.logDensity(q, 4);
  assert.equal(tf.memory().numTensors, start);
  target.dispose?.();
  assert.equal(tf.memory().numTensors, before);
});

test('the ICC prior term is a proper density on (sd_a, sd_b): it integrates to 1', () => {
  // checks the Jacobian log 2 + ½ log ρ(1 − ρ) − log τ of (sd_a, sd_b) → (ρ, τ) independently of the twin's algebra.
  // Midpoint rule on (0, 8)² (the half-normal tail beyond is < 1e-14); the 1/τ singularity at the origin makes
  // its error O(h) (1.0059, 1.0030 at h = 0.01, 0.005), so Richardson's 2·I(h/2) − I(h) removes that term.
  const integral = (m: number): number => {
    const h = 8 / m;
    let s = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) s += Math.exp((icc.logDensity64 as (p: Record<string, number>) => number)({ sd_a__Intercept: (i + 0.5) * h, sd_b__Intercept: (j + 0.5) * h }));
    }
    return s * h * h;
  };
  const extrapolated = 2 * integral(1600) - integral(800);
  assert.ok(Math.abs(extrapolated - 1) < 1e-4, `integral ${extrapolated}`);
});
