/**
 * Kernel density: bandwidth and grid against R 4.2.2's bw.nrd0 / density(), values against the exact
 * kernel sum, reflection at a bound keeping the mass at 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kde, silvermanBandwidth } from '../../../src/report/plots/kde.js';

const x = Array.from({ length: 40 }, (_, i) => Math.sin(i + 1) * 2 + (i + 1) / 10);

test('silvermanBandwidth equals R bw.nrd0, including the IQR = 0 fall-back', () => {
  // R 4.2.2: x <- sin(1:40) * 2 + (1:40) / 10; bw.nrd0(x); bw.nrd0(c(rep(0, 5), 1:10)); bw.nrd0(c(2,2,2,2,3))
  assert.ok(Math.abs(silvermanBandwidth(x) - 0.801208754804735) < 1e-13);
  assert.ok(Math.abs(silvermanBandwidth([0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) - 1.89487670689519) < 1e-13);
  assert.ok(Math.abs(silvermanBandwidth([2, 2, 2, 2, 3]) - 0.291718187404697) < 1e-13);
});

test('kde: grid as R density(x, n = 512), values equal the exact kernel sum to linear-binning accuracy', () => {
  const d = kde(x);
  // R 4.2.2: d <- density(x, n = 512); d$x[c(1, 100, 200, 256, 300, 400, 512)]
  const rx = [-3.82147481374048, -1.48641318316991, 0.872234928517541, 2.19307787106251, 3.23088304020499, 5.58953115189244, 8.23121703698238];
  const idx = [1, 100, 200, 256, 300, 400, 512].map((i) => i - 1);
  idx.forEach((i, k) => assert.ok(Math.abs(d.x[i] - rx[k]) < 1e-12, `grid point ${i + 1}`));
  // Exact KDE at every grid point. Linear binning moves each point by < δ/2 = 0.012 ≈ 0.015 h, so the
  // relative error of the estimate in the body is O((δ/h)²) ≈ 1e-3 at most (Wand & Jones 1995, App. D).
  const h = d.bandwidth;
  const peak = Math.max(...d.y);
  for (let i = 0; i < d.x.length; i++) {
    let e = 0;
    for (const v of x) e += Math.exp(-0.5 * ((d.x[i] - v) / h) ** 2);
    e /= x.length * h * Math.sqrt(2 * Math.PI);
    assert.ok(Math.abs(d.y[i] - e) <= 1e-3 * e + 1e-6 * peak, `point ${i}: ${d.y[i]} vs ${e}`);
  }
  // R's density() (FFT on a coarser binning) agrees with the exact sum to ~0.1% in the body, and so
  // with us: R 4.2.2 d$y[c(200, 256, 300)].
  const ry = [0.15692002548539, 0.197462856966545, 0.149879948957362];
  [199, 255, 299].forEach((i, k) => assert.ok(Math.abs(d.y[i] / ry[k] - 1) < 2.5e-3, `R density at ${i + 1}`));
});

test('kde: reflection at 0 keeps all mass on [0, ∞) and integrates to 1', () => {
  const z = Array.from({ length: 2000 }, (_, i) => -Math.log(1 - (i + 0.5) / 2000)); // Exp(1) quantiles
  const d = kde(z, { lower: 0 });
  assert.equal(d.x[0], 0);
  let mass = 0;
  for (let i = 1; i < d.x.length; i++) mass += ((d.x[i] - d.x[i - 1]) * (d.y[i] + d.y[i - 1])) / 2;
  // Trapezoid on 512 points of a smooth density: error ≪ 1e-3.
  assert.ok(Math.abs(mass - 1) < 1e-3, `mass ${mass}`);
  // Without reflection about half the kernel mass of the points near 0 would fall below 0.
  const free = kde(z);
  assert.ok(free.x[0] < 0);
  const u = kde([0.1, 0.2, 0.3, 0.9], { lower: -1, upper: 1 });
  assert.ok(u.x[0] >= -1 && u.x[u.x.length - 1] === 1);
});
