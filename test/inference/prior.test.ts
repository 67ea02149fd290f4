/**
 * Prior simulation: moments of the draws against the priors' analytic moments, with tolerances of 4
 * Monte Carlo standard errors (iid draws: MCSE of a mean = sd/√n; of a variance = √(Var(x²)/n) from
 * the analytic fourth moment), and the LKJ(η) marginal of one correlation, Beta(η−1+K/2, η−1+K/2) on
 * (−1, 1), by its CDF at several points (MCSE of a proportion √(F(1−F)/n)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { drawLkjCorrelation, priorPredictive, samplePrior } from '../../src/inference/prior.js';
import { parsePrior } from '../../models/priors.js';
import { pbeta } from '../../base/beta.js';
import { getFamily } from '../../models/families/getFamily.js';
import { getLink } from '../../models/links.js';
import { GlmmInputError } from '../../base/errors.js';
import { goldenCase } from './golden.js';

function column(d: { names: readonly string[]; data: Float64Array }, name: string): Float64Array {
  const j = d.names.indexOf(name);
  assert.ok(j >= 0, name);
  const P = d.names.length;
  return Float64Array.from({ length: d.data.length / P }, (_, s) => d.data[s * P + j]);
}
const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
const moment2 = (x: Float64Array) => x.reduce((a, b) => a + b * b, 0) / x.length;

/** |estimate − truth| < 4·MCSE. */
function within(est: number, truth: number, mcse: number, what: string) {
  assert.ok(Math.abs(est - truth) < 4 * mcse, `${what}: ${est} vs ${truth} (MCSE ${mcse})`);
}

test('samplePrior: draws match the priors\' moments (normal, half-t, half-normal, exponential, gamma, r)', () => {
  const { design } = goldenCase('lots'); // count ~ amount + (amount | lot) + (1 | sample)
  const nb = getFamily('negbinomial');
  const priors = ['Intercept ~ normal(1, 2)', 'b ~ normal(0, 5)', 'sd ~ student_t(3, 0, 2.5)', 'sd_lot__amount ~ normal(0, 2)', 'sd_sample ~ exponential(1)', 'cor ~ lkj(2)', 'shape ~ gamma(2, 0.5)'].map(parsePrior);
  const n = 20000;
  const d = samplePrior(design, nb, priors, n, seedrandom('prior-moments'));
  // normal(μ, σ): mean μ (MCSE σ/√n), E(x−μ)² = σ² (Var((x−μ)²) = 2σ⁴)
  const b0 = column(d, 'b_Intercept');
  within(mean(b0), 1, 2 / Math.sqrt(n), 'b_Intercept mean');
  within(moment2(b0.map((v) => v - 1)), 4, Math.sqrt(2 * 16 / n), 'b_Intercept variance');
  const b1 = column(d, 'b_amount');
  within(mean(b1), 0, 5 / Math.sqrt(n), 'b_amount mean');
  // half-t(3, 0, 2.5): E = 2.5·2√3/π; E x² = 2.5²·3 (fourth moment infinite: test the mean only)
  const sd0 = column(d, 'sd_lot__Intercept');
  assert.ok(sd0.every((v) => v > 0));
  within(mean(sd0), 2.5 * 2 * Math.sqrt(3) / Math.PI, Math.sqrt(2.5 ** 2 * 3 - (2.5 * 2 * Math.sqrt(3) / Math.PI) ** 2) / Math.sqrt(n), 'half-t mean');
  // half-normal(0, 2): E = 2√(2/π), E x² = 4
  const sd1 = column(d, 'sd_lot__amount');
  within(mean(sd1), 2 * Math.sqrt(2 / Math.PI), Math.sqrt(4 - 8 / Math.PI) / Math.sqrt(n), 'half-normal mean');
  within(moment2(sd1), 4, Math.sqrt(3 * 16 - 16) / Math.sqrt(n), 'half-normal E x²');
  // exponential(1): mean 1, var 1
  const ss = column(d, 'sd_sample__Intercept');
  within(mean(ss), 1, 1 / Math.sqrt(n), 'exponential mean');
  // gamma(2, 0.5): mean 4, var 8
  const sh = column(d, 'shape');
  within(mean(sh), 4, Math.sqrt(8 / n), 'gamma mean');
  // central fourth moment of Gamma(k, scale θ) = 3k(k + 2)θ⁴ = 384 for k = 2, θ = 2; Var((x − 4)²) = 384 − 8²
  within(moment2(sh.map((v) => v - 4)), 8, Math.sqrt((384 - 64) / n), 'gamma variance');
  // r_sample[l] = sd·z, sd ~ exponential(1): E r = 0, E r² = E sd² = 2, E r⁴ = 3·E sd⁴ = 72
  const r = column(d, 'r_sample[1,Intercept]');
  within(mean(r), 0, Math.sqrt(2 / n), 'r mean');
  within(moment2(r), 2, Math.sqrt((72 - 4) / n), 'r variance');
  // correlated r: E[r_Int · r_amount] = E[sd0 sd1] E[cor] = 0 under lkj(2); cor marginal var 1/(2η + K − 1) = 1/5
  const c = column(d, 'cor_lot__Intercept__amount');
  within(mean(c), 0, Math.sqrt(0.2 / n), 'cor mean');
});

test('LKJ(η) by the onion method: marginal of each correlation is Beta(η−1+K/2, η−1+K/2) on (−1, 1)', () => {
  for (const [K, eta] of [[2, 1], [3, 2], [4, 0.5]] as const) {
    const n = 8000;
    const rng = seedrandom(`lkj-${K}-${eta}`);
    const a = eta - 1 + K / 2;
    const draws = Array.from({ length: n }, () => drawLkjCorrelation(rng, K, eta));
    for (const [i, j] of [[0, 1], [0, K - 1], [K - 2, K - 1]]) {
      if (i === j) continue;
      const x = Float64Array.from(draws, (R) => R[i * K + j]);
      assert.ok(draws.every((R) => R[j * K + i] === R[i * K + j] && R[i * K + i] === 1));
      // E x² = 1/(2a + 1), E x⁴ = 3/((2a + 1)(2a + 3))
      const m2 = 1 / (2 * a + 1);
      const m4 = 3 / ((2 * a + 1) * (2 * a + 3));
      within(moment2(x), m2, Math.sqrt((m4 - m2 * m2) / n), `K=${K} η=${eta} r${i}${j} E r²`);
      for (const t of [-0.6, -0.2, 0.3, 0.7]) {
        const F = pbeta((t + 1) / 2, a, a);
        const phat = x.reduce((s, v) => s + (v <= t ? 1 : 0), 0) / n;
        within(phat, F, Math.sqrt((F * (1 - F)) / n), `K=${K} η=${eta} r${i}${j} F(${t})`);
      }
    }
    // positive definite: the Cholesky of every draw exists (check the determinant of K ≤ 3 cases)
    if (K === 3) {
      for (const R of draws.slice(0, 500)) {
        const det = 1 + 2 * R[1] * R[2] * R[5] - R[1] ** 2 - R[2] ** 2 - R[5] ** 2;
        assert.ok(det > 0);
      }
    }
  }
});

test('priorPredictive: E[y] of a poisson row equals exp(μ + τ²/2)·E[exp(sd·z)] analytically', () => {
  const { design } = goldenCase('cbpp');
  // use the cbpp design with a poisson family on purpose: only X, Z and the priors matter here
  const priors = ['Intercept ~ normal(0.5, 0.3)', 'b ~ normal(0, 0.2)', 'sd ~ normal(0, 0.5)'].map(parsePrior);
  const n = 40000;
  const { draws, yrep } = priorPredictive(design, getFamily('poisson'), getLink('log'), priors, n, seedrandom('prior-pred'));
  assert.equal(draws.nDraws, n);
  // row 1: period 1 (X = intercept only), herd 1: E y = E exp(b0) E exp(sd z) = exp(0.5 + 0.045) / √(1 − 0.25)
  // (E exp(sd z) = E exp(sd²/2) = 1/√(1 − τ²) for sd ~ half-normal(0, τ), τ < 1)
  const m = design.nobs;
  const y = Float64Array.from({ length: n }, (_, s) => yrep.data[s * m]);
  const truth = Math.exp(0.5 + 0.045) / Math.sqrt(0.75);
  const ybar = mean(y);
  const sdy = Math.sqrt(moment2(y.map((v) => v - ybar)));
  within(ybar, truth, sdy / Math.sqrt(n), 'prior predictive mean');
  assert.throws(() => samplePrior(design, getFamily('poisson'), [parsePrior('b ~ normal(0, 1)')], 10, seedrandom('x')), GlmmInputError);
});
