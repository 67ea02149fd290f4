import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hamiltonian, leapfrog, leapfrogBatch, type Evaluation, type PhasePoint } from '../../src/sampler/integrator.js';
import { makeMetric, type Metric } from '../../src/sampler/metric.js';
import { ar1Covariance, gaussian } from './targets.js';

const target = gaussian(Float64Array.from([0.5, -1, 2]), Float64Array.from([1, 0.3, 0, 0.3, 4, -0.5, 0, -0.5, 0.25]));

function evaluate(q: Float64Array): Evaluation {
  const r = target.logDensity(q, 1);
  return { logp: r.logp[0], grad: r.grad };
}

function step(z: PhasePoint, eps: number, metric: Metric): PhasePoint {
  const g = leapfrog(z, eps, metric);
  let r = g.next(undefined as unknown as Evaluation);
  while (!r.done) r = g.next(evaluate(r.value));
  return r.value;
}

function start(): PhasePoint {
  const q = Float64Array.from([1, -1.5, 0.5]);
  const ev = evaluate(q);
  return { q, p: Float64Array.from([0.3, 0.7, -1.2]), logp: ev.logp, grad: ev.grad };
}

/** max |H(t) − H(0)| over a trajectory of length T = 1.6 with step ε. */
function maxEnergyError(eps: number, metric: Metric): number {
  let z = start();
  const h0 = hamiltonian(z, metric);
  let err = 0;
  for (let i = 0; i < Math.round(1.6 / eps); i++) {
    z = step(z, eps, metric);
    err = Math.max(err, Math.abs(hamiltonian(z, metric) - h0));
  }
  return err;
}

for (const metric of [makeMetric('diag', Float64Array.from([1, 2, 0.5])), makeMetric('dense', Float64Array.from([1, 0.2, 0, 0.2, 3, -0.3, 0, -0.3, 0.4]))]) {
  test(`leapfrog energy error is O(ε²): halving ε divides it by ≈ 4 (${metric.kind} metric)`, () => {
    const e = [0.08, 0.04, 0.02, 0.01].map((eps) => maxEnergyError(eps, metric));
    // Leapfrog is second order: the ratio tends to 4, with a relative correction O(ε²) (< 5% here).
    for (let i = 1; i < e.length; i++) {
      const ratio = e[i - 1] / e[i];
      assert.ok(ratio > 3.8 && ratio < 4.2, `ratio ${ratio} at eps ${[0.08, 0.04, 0.02, 0.01][i]}`);
    }
    assert.ok(e[3] < 1e-3);
  });

  test(`leapfrog is reversible: n steps, flip p, n steps returns to the start (${metric.kind} metric)`, () => {
    const z0 = start();
    let z = z0;
    for (let i = 0; i < 25; i++) z = step(z, 0.1, metric);
    z = { ...z, p: z.p.map((x) => -x) };
    for (let i = 0; i < 25; i++) z = step(z, 0.1, metric);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(z.q[i] - z0.q[i]) < 1e-12);
      assert.ok(Math.abs(-z.p[i] - z0.p[i]) < 1e-12);
    }
    // Integrating with −ε is the same as flipping the momentum.
    let zb = z0;
    for (let i = 0; i < 10; i++) zb = step(zb, -0.1, metric);
    let zf: PhasePoint = { ...z0, p: z0.p.map((x) => -x) };
    for (let i = 0; i < 10; i++) zf = step(zf, 0.1, metric);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(zb.q[i] - zf.q[i]) < 1e-12);
  });
}

test('leapfrogBatch gives the same trajectory as the one-point generator, chain by chain', () => {
  const dim = 6;
  const t = gaussian(new Float64Array(dim), ar1Covariance(dim, 0.7));
  const metric = makeMetric('diag', Float64Array.from([1, 0.5, 2, 1, 1.5, 0.7]));
  const nChains = 3;
  const q = Float64Array.from({ length: nChains * dim }, (_, i) => Math.sin(i + 1));
  const p = Float64Array.from({ length: nChains * dim }, (_, i) => Math.cos(2 * i));
  const ev0 = t.logDensity(q, nChains);
  const eps = Float64Array.from([0.1, 0.2, 0.05]);
  const out = leapfrogBatch(t.logDensity, metric, { q, p, logp: Float64Array.from(ev0.logp), grad: Float64Array.from(ev0.grad) }, eps, 7);
  for (let c = 0; c < nChains; c++) {
    const sl = (a: Float64Array) => a.slice(c * dim, (c + 1) * dim);
    let z: PhasePoint = { q: sl(q), p: sl(p), logp: ev0.logp[c], grad: sl(ev0.grad) };
    for (let s = 0; s < 7; s++) {
      const g = leapfrog(z, eps[c], metric);
      let r = g.next(undefined as unknown as Evaluation);
      while (!r.done) {
        const e = t.logDensity(r.value, 1);
        r = g.next({ logp: e.logp[0], grad: e.grad });
      }
      z = r.value;
    }
    assert.deepEqual(Array.from(sl(out.q)), Array.from(z.q));
    assert.deepEqual(Array.from(sl(out.p)), Array.from(z.p));
    assert.equal(out.logp[c], z.logp);
  }
});

test('leapfrogBatch with logDensityInto: the same state, bit for bit, as with logDensity; the input untouched', () => {
  const dim = 5;
  const t = gaussian(new Float64Array(dim), ar1Covariance(dim, 0.5));
  const nChains = 4;
  const q = Float64Array.from({ length: nChains * dim }, (_, i) => Math.sin(3 * i + 1));
  const p = Float64Array.from({ length: nChains * dim }, (_, i) => Math.cos(i));
  const ev0 = t.logDensity(q, nChains);
  const into = (u: Float64Array, n: number, logp: Float64Array, grad: Float64Array) => {
    const r = t.logDensity(u, n);
    logp.set(r.logp);
    grad.set(r.grad);
  };
  for (const metric of [makeMetric('diag', Float64Array.from([1, 0.5, 2, 1, 1.5])), makeMetric('dense', ar1Covariance(dim, 0.3))]) {
    for (const eps of [0.15, Float64Array.from([0.1, 0.2, 0.05, 0.3])]) {
      const state = { q: q.slice(), p: p.slice(), logp: Float64Array.from(ev0.logp), grad: Float64Array.from(ev0.grad) };
      const a = leapfrogBatch(t.logDensity, metric, state, eps, 6);
      const b = leapfrogBatch(t.logDensity, metric, state, eps, 6, into);
      for (const k of ['q', 'p', 'logp', 'grad'] as const) assert.deepEqual(Array.from(b[k]), Array.from(a[k]), `${metric.kind} ${k}`);
      assert.deepEqual(Array.from(state.q), Array.from(q));
      assert.deepEqual(Array.from(state.grad), Array.from(ev0.grad));
    }
  }
});
