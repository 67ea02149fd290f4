/**
 * Families and links: log-likelihoods against R 4.2.2's d* functions (values printed with
 * sprintf("%.17g", ...)), derivatives against central differences, deviance residuals against
 * 2·(saturated − fitted) log-likelihood, links against their inverses and derivatives, simulation
 * means against μ within 4 Monte Carlo standard errors (fixed seed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { getFamily, FAMILY_NAMES } from '../../models/families/getFamily.js';
import { familyLayout } from '../../models/families/layout.js';
import { getLink, LINK_NAMES } from '../../models/links.js';

function close(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected);
  assert.ok(err <= rel * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected} (err ${err})`);
}

test('poisson logLik = R dpois(log = TRUE)', () => {
  const f = getFamily('poisson');
  // R: dpois(c(0,3,17,250), c(0.4, 2.5, 20.1, 300), log=TRUE)
  const r = [-0.40000000000000002, -1.5428872736055899, -2.5928365940313762, -8.0996131268026961];
  [[0, 0.4], [3, 2.5], [17, 20.1], [250, 300]].forEach(([y, mu], i) => close(f.logLik(y, mu, [], 1), r[i], 1e-13, `dpois(${y})`));
  assert.equal(f.logLik(0, 0, [], 1) + 0, 0);
});

test('binomial and bernoulli logLik = R dbinom(log = TRUE)', () => {
  const f = getFamily('binomial');
  // R: dbinom(c(0,3,12,1), c(5,10,40,1), c(0.3,0.42,0.25,0.9), log=TRUE)
  const r = [-1.7833747196936622, -1.6281001884238275, -2.2469482801745793, -0.10536051565782628];
  [[0, 5, 0.3], [3, 10, 0.42], [12, 40, 0.25], [1, 1, 0.9]].forEach(([y, n, p], i) =>
    close(f.logLik(y, p, [], n), r[i], 1e-13, `dbinom(${y}, ${n})`));
  close(getFamily('bernoulli').logLik(1, 0.9, [], 1), r[3], 1e-14, 'bernoulli');
  assert.equal(f.logLik(5, 1, [], 5) + 0, 0);
});

test('negbinomial logLik = R dnbinom(size = shape, mu, log = TRUE)', () => {
  const f = getFamily('negbinomial');
  // R: dnbinom(c(0,3,17,250), size=c(0.5,2.3,10,1e4), mu=c(0.4,2.5,20.1,300), log=TRUE)
  const r = [-0.29389333245105953, -1.9554140416911758, -2.9292910205508003, -7.9904035608721546];
  [[0, 0.4, 0.5], [3, 2.5, 2.3], [17, 20.1, 10], [250, 300, 1e4]].forEach(([y, mu, k], i) =>
    close(f.logLik(y, mu, [k], 1), r[i], 1e-12, `dnbinom(${y})`));
});

test('gaussian logLik = R dnorm(log = TRUE); gamma logLik = R dgamma(shape, rate = shape/mu, log = TRUE)', () => {
  const g = getFamily('gaussian');
  // R: dnorm(c(0,3.3,-12), c(0.2,1,5), c(1,2.5,0.3), log=TRUE)
  const r = [-0.9389385332046728, -2.2584292650788278, -1605.2705212844346];
  [[0, 0.2, 1], [3.3, 1, 2.5], [-12, 5, 0.3]].forEach(([y, mu, s], i) => close(g.logLik(y, mu, [s], 1), r[i], 1e-14, 'dnorm'));
  const ga = getFamily('gamma');
  // R: dgamma(c(0.5,0.01,9.1), shape=c(0.7,2,35), rate=shape/c(1.2,0.3,10), log=TRUE)
  const rg = [-0.72188730954323033, -0.87759688288299564, -1.502793585084448];
  [[0.5, 1.2, 0.7], [0.01, 0.3, 2], [9.1, 10, 35]].forEach(([y, mu, a], i) => close(ga.logLik(y, mu, [a], 1), rg[i], 1e-13, 'dgamma'));
});

// one (y, μ, aux, trials) point per family, away from boundaries (aux: the family's parameters, natural scale)
const points: Record<string, [number, number, number[], number]> = {
  poisson: [4, 2.7, [], 1],
  binomial: [3, 0.35, [], 8],
  bernoulli: [1, 0.35, [], 1],
  negbinomial: [4, 2.7, [1.8], 1],
  lognormal: [2.2, 0.5, [0.6], 1],
  beta: [0.3, 0.45, [6], 1],
  betabinomial: [3, 0.35, [4], 8],
  gaussian: [1.3, 0.4, [0.9], 1],
  gamma: [1.3, 0.8, [2.5], 1],
  student: [1.3, 0.4, [0.9, 12], 1],
  zipoisson: [0, 2.7, [0.3], 1],
  zinegbinomial: [0, 2.7, [1.8, 0.3], 1],
  hurdle_poisson: [3, 2.7, [0.4], 1],
  hurdle_negbinomial: [3, 2.7, [1.8, 0.4], 1],
  // μ is η; the values are the 4 thresholds of a 5-category response
  cumulative: [3, 0.4, [-1.6, 1.5, 4.2, 6.1], 1],
};

test('every family has a point above, and one value per parameter coordinate', () => {
  for (const name of FAMILY_NAMES) {
    assert.ok(points[name], `${name}: add a point to the table`);
    // one value per coordinate: a vector parameter (ordinal thresholds) sized from y, here 5 categories
    assert.equal(points[name][2].length, familyLayout(getFamily(name), Float64Array.from([1, 2, 3, 4, 5])).dim, `${name}: one value per parameter coordinate`);
  }
});

test('dLogLikDmu, d2LogLikDmu2, dLogLikDpar equal central differences (h = 1e-5, rel 1e-7)', () => {
  // central difference error ~ h²·f''' + ε/h ≈ 1e-10 relative, so 1e-7 cannot be met by a wrong formula
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    const [y, mu, a, n] = points[name];
    const h = 1e-5;
    const d1 = (f.logLik(y, mu + h, a, n) - f.logLik(y, mu - h, a, n)) / (2 * h);
    close(f.dLogLikDmu(y, mu, a, n), d1, 1e-7, `${name} dmu`);
    const d2 = (f.dLogLikDmu(y, mu + h, a, n) - f.dLogLikDmu(y, mu - h, a, n)) / (2 * h);
    close(f.d2LogLikDmu2(y, mu, a, n), d2, 1e-7, `${name} d2mu`);
    for (let k = 0; k < a.length; k++) {
      const ap = a.map((v, j) => (j === k ? v + h : v));
      const am = a.map((v, j) => (j === k ? v - h : v));
      const da = (f.logLik(y, mu, ap, n) - f.logLik(y, mu, am, n)) / (2 * h);
      close(f.dLogLikDpar(y, mu, a, n, k), da, 1e-7, `${name} dpar ${k}`);
    }
    if (a.length === 0) assert.ok(Number.isNaN(f.dLogLikDpar(y, mu, a, n, 0)));
  }
});

test('devResid = 2·(logLik(μ = y) − logLik(μ)) (R dev.resids), NB and gamma at fixed shape', () => {
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    const [y, mu, a, n] = points[name];
    const ysat = f.response.trials === 'counts' ? y / n : y;
    // gaussian, lognormal and gamma: R's unit deviance, i.e. at dispersion 1 (σ = 1; shape = 1)
    const scale = name === 'gamma' ? a[0] : 1;
    const expect = f.response.ordinal ? -2 * f.logLik(y, mu, a, n) : name === 'gaussian' ? (y - mu) ** 2 : name === 'lognormal' ? (Math.log(y) - mu) ** 2 : (2 * (f.logLik(y, ysat, a, n) - f.logLik(y, mu, a, n))) / scale;
    close(f.devResid(y, mu, a, n), expect, 1e-12, `${name} devResid`);
  }
});

test('simulate: sample mean within 4 MCSE of μ and variance within 10% (seeded, 20000 draws)', () => {
  const rng = seedrandom('families');
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    const [, mu, a, n] = points[name];
    const N = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      const v = f.simulate(rng, mu, a, n);
      s += v;
      s2 += v * v;
    }
    const mean = s / N;
    const m = f.mean(mu, a, n);
    const variance = (f.response.trials === 'counts' ? n : 1) * f.variance(mu, a, n);
    assert.ok(Math.abs(mean - m) < 4 * Math.sqrt(variance / N), `${name} mean ${mean} vs ${m}`);
    const v = s2 / N - mean * mean;
    assert.ok(Math.abs(v / variance - 1) < 0.1, `${name} var ${v} vs ${variance}`);
  }
});

test('links: linkfun(linkinv(η)) = η, muEta and muEta2 equal central differences', () => {
  const etas: Record<string, number[]> = {
    log: [-2, 0.3, 3], identity: [-1, 2], sqrt: [0.5, 2], logit: [-3, 0.2, 4], probit: [-2.5, 0.1, 1.7],
    cloglog: [-2, 0.4, 1.1], inverse: [0.3, 2],
  };
  for (const name of LINK_NAMES) {
    const l = getLink(name);
    for (const eta of etas[name]) {
      close(l.linkfun(l.linkinv(eta)), eta, 1e-12, `${name} roundtrip at ${eta}`);
      const h = 1e-5;
      close(l.muEta(eta), (l.linkinv(eta + h) - l.linkinv(eta - h)) / (2 * h), 1e-8, `${name} muEta at ${eta}`);
      close(l.muEta2(eta), (l.muEta(eta + h) - l.muEta(eta - h)) / (2 * h), 1e-7, `${name} muEta2 at ${eta}`);
      assert.ok(l.validEta(eta));
    }
  }
  // R clamps: plogis at ±30 and beyond gives ε / 1 − ε; probit clamps at qnorm(ε)
  assert.equal(getLink('logit').linkinv(-800), 2.220446049250313e-16 / (1 + 2.220446049250313e-16));
  assert.ok(getLink('probit').linkinv(-40) > 0);
  assert.equal(getLink('sqrt').validEta(-1), false);
});

test('every family lists valid links and its default link', () => {
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    assert.ok(f.links.includes(f.defaultLink));
    for (const l of f.links) assert.equal(getLink(l).name, l);
  }
});

test('fisherInfo (zero-inflated, hurdle, cumulative) = E[score²] (the information identity, rel 1e-9) and ZIP\'s closed form', () => {
  for (const name of FAMILY_NAMES) {
    const f = getFamily(name);
    if (!f.fisherInfo) continue;
    for (const mu of [0.4, 3.5, 18]) {
      const [, , a, n] = points[name];
      let s2 = 0;
      // over the support (an ordinal family's categories 1..K: log p = −∞ elsewhere)
      for (let y = 0; y < 2000; y++) {
        const l = f.logLik(y, mu, a, n);
        if (l > -Infinity) s2 += Math.exp(l) * f.dLogLikDmu(y, mu, a, n) ** 2;
      }
      close(f.fisherInfo(mu, a, n), s2, 1e-9, `${name} fisherInfo at μ = ${mu}`);
    }
  }
  // zero-inflated Poisson: I(μ) = (1 − π)[1/μ − π e^{−μ} / P(0)]
  const zip = getFamily('zipoisson');
  const [mu, pi] = [2.2, 0.35];
  const p0 = pi + (1 - pi) * Math.exp(-mu);
  close(zip.fisherInfo!(mu, [pi], 1), (1 - pi) * (1 / mu - (pi * Math.exp(-mu)) / p0), 1e-12, 'ZIP closed form');
});
