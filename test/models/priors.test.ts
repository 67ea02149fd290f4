/**
 * Priors: parser (brms syntax, one-line GlmmInputError naming the text), formatting round trip,
 * resolution by specificity, densities against R 4.2.2 (values printed with sprintf("%.17g")),
 * LKJ constant against closed forms, defaults (reference priors; brms's max(2.5, mad(y)) rule).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPrior, lkjCholeskyLogDensity, lkjConstant, logPrior, logPriorForm, parsePrior, resolvePrior, type PriorSpec } from '../../models/priors.js';
import { defaultPriors } from '../../models/defaultPriors.js';
import { lbeta } from '../../base/gamma.js';
import { pbeta, pt } from '../../base/beta.js';
import { GlmmInputError } from '../../base/errors.js';

function close(a: number, e: number, rel: number, what: string): void {
  assert.ok(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)), `${what}: got ${a}, expected ${e}`);
}

test('parsePrior reads classes, named coefficients and groups', () => {
  const cases: [string, string, string | null, string | null, string][] = [
    ['b ~ normal(0, 5)', 'b', null, null, 'b ~ normal(0, 5)'],
    ['Intercept~normal(0,5)', 'Intercept', null, null, 'Intercept ~ normal(0, 5)'],
    ['sd ~ student_t(3, 0, 2.5)', 'sd', null, null, 'sd ~ student_t(3, 0, 2.5)'],
    ['cor ~ lkj(1)', 'cor', null, null, 'cor ~ lkj(1)'],
    ['shape ~ gamma(0.01, 0.01)', 'shape', null, null, 'shape ~ gamma(0.01, 0.01)'],
    ['  sigma ~ cauchy( 0 , 1e1 ) ', 'sigma', null, null, 'sigma ~ cauchy(0, 10)'],
    ['b_trt1 ~ normal(0,1)', 'b', null, 'trt1', 'b_trt1 ~ normal(0, 1)'],
    ['b_x1:x2 ~ normal(-1.5,1)', 'b', null, 'x1:x2', 'b_x1:x2 ~ normal(-1.5, 1)'],
    ['sd_block ~ exponential(1)', 'sd', 'block', null, 'sd_block ~ exponential(1)'],
    ['sd_block:trt__Intercept ~ exponential(2)', 'sd', 'block:trt', 'Intercept', 'sd_block:trt__Intercept ~ exponential(2)'],
    ['cor_lot ~ lkj(2)', 'cor', 'lot', null, 'cor_lot ~ lkj(2)'],
  ];
  for (const [text, cls, group, coef, formatted] of cases) {
    const p = parsePrior(text);
    assert.equal(p.class, cls, text);
    assert.equal(p.group, group, text);
    assert.equal(p.coef, coef, text);
    assert.equal(formatPrior(p), formatted);
    assert.deepEqual(parsePrior(formatted), p);
  }
});

test('bad prior text throws a one-line GlmmInputError quoting the text', () => {
  for (const bad of ['b normal(0,5)', 'b ~ normal(0)', 'b ~ norml(0, 5)', 'b ~ normal(0, -1)', 'b ~ normal(0, 5', 'b ~ normal(a, 5)',
    'sd ~ lkj(1)', 'cor ~ cauchy(0, 1)', 'ar ~ gamma(1, 1)', 'ar_g__x ~ normal(0, 1)', 'b ~ uniform(0, 1)', 'ar ~ uniform(1, 0)', 'b ~ exponential(1)', 'tau ~ normal(0, 1)', 'b ~ normal(0, 5) x', ' ~ normal(0,1)']) {
    assert.throws(() => parsePrior(bad), (e: unknown) => e instanceof GlmmInputError && e.message.includes(`'${bad}'`) && !e.message.includes('\n'), bad);
  }
});

test('resolvePrior: the most specific statement wins, then the last', () => {
  const ps: PriorSpec[] = ['sd ~ student_t(3, 0, 2.5)', 'sd_block ~ exponential(1)', 'sd_block__trt1 ~ exponential(3)', 'b ~ normal(0, 5)',
    'b_trt1 ~ normal(0, 1)', 'b ~ normal(0, 2)'].map(parsePrior);
  assert.equal(formatPrior(resolvePrior(ps, 'sd', 'plot', 'Intercept')!), 'sd ~ student_t(3, 0, 2.5)');
  assert.equal(formatPrior(resolvePrior(ps, 'sd', 'block', 'Intercept')!), 'sd_block ~ exponential(1)');
  assert.equal(formatPrior(resolvePrior(ps, 'sd', 'block', 'trt1')!), 'sd_block__trt1 ~ exponential(3)');
  assert.equal(formatPrior(resolvePrior(ps, 'b', null, 'trt1')!), 'b_trt1 ~ normal(0, 1)');
  assert.equal(formatPrior(resolvePrior(ps, 'b', null, 'x')!), 'b ~ normal(0, 2)');
  assert.equal(resolvePrior(ps, 'shape', null, null), null);
});

test('logPrior equals R densities, half priors renormalised by 1 − F(0)', () => {
  // R: log(2*dt(1.7/2.5,3)/2.5)
  close(logPrior(parsePrior('sd ~ student_t(3, 0, 2.5)').prior, 1.7, true), -1.5107318040614413, 1e-13, 'half-t');
  // R: log(dnorm(0.5,1,2)/(1-pnorm(0,1,2)))
  close(logPrior(parsePrior('sd ~ normal(1, 2)').prior, 0.5, true), -1.2743892984759615, 1e-13, 'half-normal loc 1');
  // R: log(dt((0.5-1)/2,3)/2/(1-pt(-0.5,3)))
  close(logPrior(parsePrior('sd ~ student_t(3, 1, 2)').prior, 0.5, true), -1.3411588743140022, 1e-12, 'half-t loc 1');
  // R: log(dcauchy(2, 0.5, 1.5)/(1-pcauchy(0,0.5,1.5)))
  close(logPrior(parsePrior('sd ~ cauchy(0.5, 1.5)').prior, 2, true), -1.7365357667866785, 1e-13, 'half-cauchy');
  // R: dexp(0.3, 2, log=TRUE); dgamma(0.4, 0.01, 0.01, log=TRUE)
  close(logPrior(parsePrior('sd ~ exponential(2)').prior, 0.3, true), 0.093147180559945308, 1e-14, 'exponential');
  close(logPrior(parsePrior('shape ~ gamma(0.01, 0.01)').prior, 0.4, true), -3.7424037553464888, 1e-13, 'gamma');
  // R: dnorm(-1.2, 0.3, 5, log=TRUE); dt((0.7-2)/4, 5, log=TRUE)-log(4)
  close(logPrior(parsePrior('b ~ normal(0.3, 5)').prior, -1.2, false), -2.5733764456387731, 1e-14, 'normal');
  close(logPrior(parsePrior('b ~ student_t(5, 2, 4)').prior, 0.7, false), -2.4176288322143034, 1e-13, 'student_t');
  assert.equal(logPrior(parsePrior('sd ~ exponential(2)').prior, -0.1, true), -Infinity);
});

test('logPriorForm reproduces logPrior', () => {
  for (const t of ['sd ~ student_t(3, 0, 2.5)', 'sd ~ normal(1, 2)', 'sd ~ cauchy(0.5, 1.5)', 'sd ~ exponential(2)', 'shape ~ gamma(2, 0.5)', 'sd ~ student_t(4, 1, 2)']) {
    const d = parsePrior(t).prior;
    const f = logPriorForm(d, true);
    for (const x of [0.2, 1.3, 7]) {
      const v = f.c + f.A * Math.log1p(f.B * (x - f.m) ** 2) + f.Q * (x - f.m) ** 2 + f.D * x + f.E * Math.log(x);
      close(v, logPrior(d, x, true), 1e-13, `${t} at ${x}`);
    }
  }
});

test('pt and pbeta match R', () => {
  // R: pt(-1.3, 3); pt(0.4, 7.5); pt(-20, 1); pbeta(0.3, 2.5, 0.7)
  close(pt(-1.3, 3), 0.14223375436394847, 1e-13, 'pt');
  close(pt(0.4, 7.5), 0.64984710018532277, 1e-13, 'pt');
  close(pt(-20, 1), 0.015902251256176374, 1e-13, 'pt');
  close(pbeta(0.3, 2.5, 0.7), 0.029814024845250447, 1e-13, 'pbeta');
});

test('LKJ constant: K = 2 is the Beta(η, η) density of (r+1)/2; K = 3, η = 1 is 1/vol = 2/π²', () => {
  for (const eta of [0.5, 1, 2, 7.5]) {
    // p(r) = (1 − r²)^(η−1) / (2^(2η−1) B(η, η)) and Σ (K−i+2η−2) log L_ii = (η−1) log(1 − r²)
    const r = 0.37;
    const L = [1, 0, r, Math.sqrt(1 - r * r)];
    const expected = (eta - 1) * Math.log(1 - r * r) - (2 * eta - 1) * Math.LN2 - lbeta(eta, eta);
    close(lkjCholeskyLogDensity(L, 2, eta), expected, 1e-13, `K=2 eta=${eta}`);
  }
  // volume of the 3 × 3 correlation matrices is π²/2 (Lewandowski et al. 2009)
  close(lkjConstant(3, 1), -Math.log((Math.PI * Math.PI) / 2), 1e-13, 'K=3');
  assert.equal(lkjConstant(1, 2), 0);
});

test('defaultPriors: reference priors for non-identity links, max(2.5, mad(y)) scale for identity', () => {
  const y = Float64Array.from([1, 5, 21, 7, 2, 6, 0, 19, 36, 109, 30, 48, 0, 2, 5, 26]);
  const d = { response: { y }, random: [{ cov: { usesLkj: false } }, { cov: { usesLkj: true } }] };
  assert.deepEqual(defaultPriors(d, 'negbinomial', 'log').map(formatPrior), [
    'b ~ normal(0, 5)', 'Intercept ~ normal(0, 5)', 'sd ~ student_t(3, 0, 2.5)', 'cor ~ lkj(1)', 'shape ~ gamma(0.01, 0.01)',
  ]);
  // R: median(y) = 6.5; mad(y) = 1.4826 * median(abs(y - 6.5)) = 1.4826 * 6.5 = 9.6369 → 9.64
  assert.deepEqual(defaultPriors({ response: { y }, random: [{ cov: { usesLkj: false } }] }, 'gaussian', 'identity').map(formatPrior), [
    'b ~ normal(0, 48.2)', 'Intercept ~ student_t(3, 6.5, 9.64)', 'sd ~ student_t(3, 0, 9.64)', 'sigma ~ student_t(3, 0, 9.64)',
  ]);
});
