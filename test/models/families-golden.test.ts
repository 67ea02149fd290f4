/**
 * Every family of the table against R: log p(y | μ, parameter, trials) at the points of
 * test/fixtures/families/pointwise.json (R's dpois, dbinom, dnbinom, dnorm, dgamma, dlnorm, dbeta and
 * extraDistr's dbbinom, dt for the Student-t; script pointwise.R beside it; the cumulative family's plogis
 * differences from cumulative.json, script cumulative.R). A family without golden points fails here, so
 * one cannot be added untested.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAMILY_NAMES, getFamily } from '../../models/families/getFamily.js';
import { repoRoot } from '../architecture/graph.js';

/** `param`: a one-parameter family's value; `params`: every parameter's value in the family's order. */
interface Point { family: string; y: number; mu: number; param: number | null; params?: number[]; trials: number; logLik: number; dbbinom?: number }

/** The point's FamilyValues. */
function aux(p: Point): number[] {
  return p.params ?? (p.param === null || p.param === undefined ? [] : [p.param]);
}
const golden = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/families/pointwise.json'), 'utf8')) as { points: Point[] };
// the cumulative family's points (logit, the family's default link; μ = η, params = the thresholds) are
// R's plogis differences in cumulative.json (script cumulative.R); probit's are tested in test/models/cumulative.test.ts
const ordinal = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/families/cumulative.json'), 'utf8')) as { pointwise: { logit: { theta: number[]; eta: number[]; y: number[]; logp: number[] } } };
const lp = ordinal.pointwise.logit;
golden.points.push(...lp.y.map((y, i): Point => ({ family: 'cumulative', y, mu: lp.eta[i], param: null, params: lp.theta, trials: 1, logLik: lp.logp[i] })));

test('every family has pointwise golden values from R', () => {
  for (const name of FAMILY_NAMES) {
    assert.ok(golden.points.filter((p) => p.family === name).length >= 4, `${name}: add its points to test/fixtures/families/pointwise.R`);
  }
});

test('logLik equals R\'s log density at every golden point (rel 1e-12)', () => {
  for (const p of golden.points) {
    if (!(FAMILY_NAMES as readonly string[]).includes(p.family)) continue;
    const f = getFamily(p.family as (typeof FAMILY_NAMES)[number]);
    const v = f.logLik(p.y, p.mu, aux(p), p.trials);
    const tol = 1e-12 * Math.max(1, Math.abs(p.logLik));
    assert.ok(Math.abs(v - p.logLik) <= tol, `${p.family} y=${p.y} mu=${p.mu} param=${aux(p).join(',')} n=${p.trials}: ${v} vs R ${p.logLik}`);
  }
});

test('each family\'s mean and variance are those of its simulated y (20,000 draws, 5 MCSE)', async () => {
  const { default: seedrandom } = await import('seedrandom');
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    const p = golden.points.find((q) => q.family === name && f.validMu(q.mu)) as Point;
    const rng = seedrandom(`mean-${name}`);
    const S = 20000;
    const draws = Float64Array.from({ length: S }, () => f.simulate(rng, p.mu, aux(p), p.trials));
    const m = draws.reduce((a, b) => a + b, 0) / S;
    let m2 = 0, m4 = 0;
    for (const v of draws) {
      m2 += (v - m) ** 2 / S;
      m4 += (v - m) ** 4 / S;
    }
    const want = f.mean(p.mu, aux(p), p.trials);
    assert.ok(Math.abs(m - want) <= 5 * Math.sqrt(m2 / S) + 1e-12, `${name}: simulated mean ${m} vs mean ${want}`);
    // Var y = trials·variance (variance is per trial with trials); the sample variance's MCSE √((μ₄ − σ⁴)/S)
    const perTrial = f.response.trials !== null ? p.trials : 1;
    const v = perTrial * f.variance(p.mu, aux(p), p.trials);
    assert.ok(Math.abs(m2 - v) <= 5 * Math.sqrt(Math.max(m4 - m2 * m2, 0) / S) + 1e-12, `${name}: simulated variance ${m2} vs variance ${v}`);
  }
});

test('every family parameter has a default prior (brms syntax) in defaultPriors, the brms ones for the new families', async () => {
  const { defaultPriors } = await import('../../models/defaultPriors.js');
  const { formatDist } = await import('../../models/priors.js');
  const design = { response: { y: Float64Array.from([0.2, 0.4, 0.7]) }, random: [] };
  const printed: Record<string, string> = {};
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    const pr = defaultPriors(design, name, f.defaultLink);
    for (const p of f.params) {
      const d = pr.find((x) => x.class === p.name);
      assert.ok(d, `${name}: no default prior for ${p.name}`);
      printed[`${name}.${p.name}`] = formatDist(d.prior);
    }
  }
  // brms 2.x get_prior defaults: beta and beta_binomial phi ~ gamma(0.01, 0.01); lognormal sigma ~ student_t(3, 0, 2.5)
  assert.equal(printed['beta.phi'], 'gamma(0.01, 0.01)');
  assert.equal(printed['betabinomial.phi'], 'gamma(0.01, 0.01)');
  assert.equal(printed['lognormal.sigma'], 'student_t(3, 0, 2.5)');
  // brms student(): nu ~ gamma(2, 0.1), sigma as the gaussian's
  assert.equal(printed['student.nu'], 'gamma(2, 0.1)');
  assert.equal(printed['student.sigma'], 'student_t(3, 0, 2.5)');
  // brms 2.18 get_prior(rating ~ ..., family = cumulative()): Intercept ~ student_t(3, 0, 2.5) on each threshold
  assert.equal(printed['cumulative.Intercept'], 'student_t(3, 0, 2.5)');
});

test('betabinomial at φ up to 1e12: logLik equals the cancellation-free product form (rel 1e-12) and tends to the binomial; extraDistr::dbbinom drifts', () => {
  const bb = getFamily('betabinomial');
  const bin = getFamily('binomial');
  const large = golden.points.filter((p) => p.family === 'betabinomial' && p.dbbinom !== undefined);
  assert.ok(large.length >= 24);
  for (const p of large) {
    const v = bb.logLik(p.y, p.mu, [p.param as number], p.trials);
    assert.ok(Math.abs(v - p.logLik) <= 1e-12 * Math.max(1, Math.abs(p.logLik)), `φ = ${p.param}, y = ${p.y}/${p.trials}: ${v} vs ${p.logLik}`);
    // as extraDistr's own value where its lbeta difference still holds (φ ≤ 1e4)
    if ((p.param as number) <= 1e4) assert.ok(Math.abs(v - (p.dbbinom as number)) <= 1e-11 * Math.max(1, Math.abs(v)), `dbbinom at φ = ${p.param}`);
    // the binomial limit: log p_bb − log p_binom ≈ [y(y−1)/μ + f(f−1)/(1−μ) − n(n−1)]/(2φ), so within (y²/μ + f²/(1−μ) + n²)/φ
    const lb = bin.logLik(p.y, p.mu, [], p.trials);
    const f = p.trials - p.y;
    const bound = (p.y ** 2 / p.mu + f ** 2 / (1 - p.mu) + p.trials ** 2) / (p.param as number);
    assert.ok(Math.abs(v - lb) <= bound + 1e-12, `φ = ${p.param}: ${v} vs binomial ${lb}`);
  }
  // at φ = 1e12 extraDistr's dbbinom is off by more than 1e-6 (its lbeta difference), ours is not
  assert.ok(large.some((p) => (p.param as number) === 1e12 && Math.abs((p.dbbinom as number) - p.logLik) > 1e-6));
});
