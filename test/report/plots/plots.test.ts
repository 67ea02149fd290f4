/**
 * SVG contents of every plot, checked against the numbers they draw: path counts and point counts,
 * positions recovered from the axes' tick labels, rank-bin counts, the Laplace marker's position,
 * the caterpillar's sorting, and the PPC's frequencies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { JSDOM } from 'jsdom';
import { tracePlot } from '../../../src/report/plots/trace.js';
import { rankPlot, rankCounts, binomialRange } from '../../../src/report/plots/rank.js';
import { densityPlot, laplaceByName } from '../../../src/report/plots/density.js';
import { parameterSupport } from '../../../src/report/plots/parameters.js';
import { caterpillarPlot, caterpillarGroups, parseRandomEffectName } from '../../../src/report/plots/caterpillar.js';
import { ppcPlot, predictiveIntervals } from '../../../src/report/plots/ppc.js';
import { FIXED, LAPLACE, column, makeDraws, makeSummary, normal, quantile } from '../fixtures.js';
import { parseSvg, pathPoints, scaleFromAxis } from '../svg-helpers.js';

const draws = makeDraws(4, 150);
const summary = makeSummary(draws);

test('trace: one path per chain per parameter, nDraws points each, at the axes\' positions', () => {
  const svg = parseSvg(tracePlot(draws));
  const panels = [...svg.querySelectorAll('g.panel')];
  assert.deepEqual(panels.map((p) => p.getAttribute('data-param')), FIXED.map((f) => f.name));
  for (const panel of panels) {
    const p = draws.names.indexOf(panel.getAttribute('data-param')!);
    const paths = [...panel.querySelectorAll('path.trace-line')];
    assert.equal(paths.length, draws.nChains);
    const x = scaleFromAxis(panel, 'x-axis');
    const y = scaleFromAxis(panel, 'y-axis');
    paths.forEach((path, c) => {
      const pts = pathPoints(path.getAttribute('d')!);
      assert.equal(pts.length, draws.nDraws);
      // Coordinates are written with 1 decimal (±0.05 px); the scale from tick labels is exact.
      for (const d of [0, 77, draws.nDraws - 1]) {
        const v = draws.data[(c * draws.nDraws + d) * draws.names.length + p];
        assert.ok(Math.abs(pts[d][0] - x(d + 1)) <= 0.051, `x of draw ${d}`);
        assert.ok(Math.abs(pts[d][1] - y(v)) <= 0.051, `y of draw ${d}: ${pts[d][1]} vs ${y(v)}`);
      }
    });
  }
  assert.equal(svg.querySelectorAll('.legend-item').length, draws.nChains);
});

test('trace: a chosen parameter list, including random effects', () => {
  const svg = parseSvg(tracePlot(draws, { parameters: ['r_block[3,Intercept]', 'shape'] }));
  assert.deepEqual([...svg.querySelectorAll('g.panel')].map((p) => p.getAttribute('data-param')), ['r_block[3,Intercept]', 'shape']);
  assert.throws(() => tracePlot(draws, { parameters: ['b_nope'] }), /b_nope/);
});

test('binomialRange: central 99% range as R qbinom', () => {
  // R 4.2.2: qbinom(c(0.005, 0.995), 500, 1/20) = 13 38; qbinom(c(0.005, 0.995), 1000, 1/20) = 33 69
  assert.deepEqual(binomialRange(500, 1 / 20), [13, 38]);
  assert.deepEqual(binomialRange(1000, 1 / 20), [33, 69]);
});

test('rankCounts: a shifted chain piles its ranks at the top', () => {
  const col = new Float64Array(400);
  for (let i = 0; i < 400; i++) col[i] = (i % 100) + 0.001 * Math.floor(i / 100) + (i >= 300 ? 1000 : 0); // chain 4 of 4 is shifted up
  const counts = rankCounts(col, 4, 4);
  assert.deepEqual(counts[3], [0, 0, 0, 100]);
  for (let b = 0; b < 4; b++) assert.equal(counts.reduce((a, c) => a + c[b], 0), 100);
});

test('rank: one step line per chain with bins counts summing to nDraws; band and expected line', () => {
  const svg = parseSvg(rankPlot(draws, { bins: 10 }));
  const panels = [...svg.querySelectorAll('g.panel')];
  assert.equal(panels.length, FIXED.length);
  for (const panel of panels) {
    const p = draws.names.indexOf(panel.getAttribute('data-param')!);
    const lines = [...panel.querySelectorAll('path.rank-line')];
    assert.equal(lines.length, draws.nChains);
    const expected = rankCounts(column(draws, p), draws.nChains, 10);
    const y = scaleFromAxis(panel, 'y-axis');
    lines.forEach((l, c) => {
      const counts = l.getAttribute('data-counts')!.split(' ').map(Number);
      assert.deepEqual(counts, expected[c]);
      assert.equal(counts.reduce((a, b) => a + b, 0), draws.nDraws);
      // The first step's height is at the axis position of its count (1-decimal coordinates).
      assert.ok(Math.abs(pathPoints(l.getAttribute('d')!.replace(/H[\d.]+/g, ''))[0][1] - y(counts[0])) <= 0.051);
    });
    const exp = panel.querySelector('line.rank-expected')!;
    assert.ok(Math.abs(Number(exp.getAttribute('y1')) - y(draws.nDraws / 10)) < 1e-6);
    const band = panel.querySelector('rect.rank-band')!;
    const [lo, hi] = binomialRange(draws.nDraws, 0.1);
    assert.ok(Math.abs(Number(band.getAttribute('y')) - y(hi)) < 1e-6);
    assert.ok(Math.abs(Number(band.getAttribute('y')) + Number(band.getAttribute('height')) - y(lo)) < 1e-6);
  }
});

test('density: Laplace estimate line and interval band at the x-axis positions of the values', () => {
  const svg = parseSvg(densityPlot(draws, { laplace: laplaceByName(summary) }));
  const panels = [...svg.querySelectorAll('g.panel')];
  assert.equal(panels.length, FIXED.length);
  for (const panel of panels) {
    const name = panel.getAttribute('data-param')!;
    const [est, , lower, upper] = LAPLACE[name];
    const x = scaleFromAxis(panel, 'x-axis');
    const line = panel.querySelector('line.laplace-estimate')!;
    assert.ok(Math.abs(Number(line.getAttribute('x1')) - x(est)) < 1e-6, `${name}: marker at ${line.getAttribute('x1')}, scale says ${x(est)}`);
    const band = panel.querySelector('rect.laplace-interval')!;
    assert.ok(Math.abs(Number(band.getAttribute('x')) - x(lower!)) < 1e-6, `${name} band lower`);
    assert.ok(Math.abs(Number(band.getAttribute('x')) + Number(band.getAttribute('width')) - x(upper!)) < 1e-6, `${name} band upper`);
    assert.equal(panel.querySelectorAll('path.density-line').length, 1);
    // sd_*, shape: the density's support starts at 0 or above, never below (reflection at the bound).
    const first = pathPoints(panel.querySelector('path.density-line')!.getAttribute('d')!)[0];
    if (name.startsWith('sd_')) assert.ok(first[0] >= x(0) - 0.01, `${name} density starts below 0`);
  }
});

test('density: without Laplace values, no markers; a far-off interval is clipped and labelled', () => {
  const plain = parseSvg(densityPlot(draws));
  assert.equal(plain.querySelectorAll('.laplace-estimate, .laplace-interval').length, 0);
  const far = parseSvg(densityPlot(draws, { parameters: ['b_trt1'], laplace: { b_trt1: { estimate: -0.4, se: 1, lower: -0.6, upper: 40 } } }));
  assert.match(far.querySelector('text.laplace-clipped')!.textContent!, /upper 40/);
});

test('caterpillar: one panel per group and term, levels sorted by median, intervals at q5–q95', () => {
  assert.deepEqual(parseRandomEffectName('r_block:trt[3,Intercept]'), { group: 'block:trt', level: '3', term: 'Intercept' });
  assert.equal(parseRandomEffectName('b_Intercept'), null);
  const groups = caterpillarGroups(summary);
  assert.deepEqual(groups.map((g) => [g.group, g.term, g.items.length]), [['block', 'Intercept', 8], ['lot', 'Intercept', 5], ['lot', 'amount', 5]]);
  const svg = parseSvg(caterpillarPlot(summary)!);
  const panels = [...svg.querySelectorAll('g.panel')];
  assert.equal(panels.length, 3);
  for (const [i, panel] of panels.entries()) {
    const levels = [...panel.querySelectorAll('g.cat-level')];
    assert.equal(levels.length, groups[i].items.length);
    const x = scaleFromAxis(panel, 'x-axis');
    // Drawn bottom-to-top in increasing median: y decreases as the median increases.
    const ys = levels.map((l) => Number(l.querySelector('circle.cat-median')!.getAttribute('cy')));
    for (let k = 1; k < ys.length; k++) assert.ok(ys[k] < ys[k - 1]);
    levels.forEach((l, k) => {
      const it = groups[i].items[k];
      const p = summary.parameters.find((q) => q.name === `r_${groups[i].group}[${it.level},${groups[i].term}]`)!;
      const iv = l.querySelector('line.cat-interval')!;
      assert.ok(Math.abs(Number(iv.getAttribute('x1')) - x(p.q5!)) < 1e-6);
      assert.ok(Math.abs(Number(iv.getAttribute('x2')) - x(p.q95!)) < 1e-6);
    });
    assert.equal(panel.querySelectorAll('.cat-laplace').length, groups[i].items.length);
  }
  assert.equal(caterpillarPlot({ ...summary, parameters: summary.parameters.filter((p) => p.class !== 'r') }), null);
});

/** Poisson counts by inversion (test data only). */
function poisson(rng: () => number, mu: number): number {
  let k = 0;
  let p = Math.exp(-mu);
  let cdf = p;
  const u = rng();
  while (u > cdf) { k++; p *= mu / k; cdf += p; }
  return k;
}

test('ppc: counts give frequency bars equal to the observed counts and one interval per observation', () => {
  const rng = seedrandom('ppc-test');
  const nobs = 60;
  const S = 200;
  const y = new Float64Array(nobs);
  const yrep = new Float64Array(S * nobs);
  for (let i = 0; i < nobs; i++) {
    const mu = Math.exp(1 + 0.4 * normal(rng));
    y[i] = poisson(rng, mu);
    for (let s = 0; s < S; s++) yrep[s * nobs + i] = poisson(rng, mu);
  }
  const svg = parseSvg(ppcPlot({ y, yrep, nDraws: S }));
  assert.equal(svg.querySelectorAll('g.ppc-obs').length, nobs);
  const bars = [...svg.querySelectorAll('rect.ppc-observed-bar')];
  const total = bars.reduce((a, b) => a + Number(b.getAttribute('data-count')), 0);
  assert.equal(total, nobs);
  for (const b of bars) {
    const v = Number(b.getAttribute('data-value'));
    const lo = Number(bars[0].getAttribute('data-value'));
    const hi = Number(bars[bars.length - 1].getAttribute('data-value'));
    const n = Array.from(y).filter((t) => (v === lo ? t <= v : v === hi ? t >= v : t === v)).length;
    assert.equal(Number(b.getAttribute('data-count')), n, `count of y = ${v}`);
  }
  // The per-observation 90% interval is the 5%/95% type-7 quantile of that observation's draws.
  const q = predictiveIntervals({ y, yrep, nDraws: S });
  const col = Array.from({ length: S }, (_, s) => yrep[s * nobs + 7]);
  assert.equal(q.q05[7], quantile(col, 0.05));
  assert.equal(q.q95[7], quantile(col, 0.95));
  assert.throws(() => predictiveIntervals({ y, yrep: yrep.subarray(1), nDraws: S }), /nDraws × nobs/);
});

test('ppc: continuous y gives a density overlay of 40 replicates; many rows are thinned to 300', () => {
  const rng = seedrandom('ppc-cont');
  const nobs = 1000;
  const S = 50;
  const y = new Float64Array(nobs);
  const yrep = new Float64Array(S * nobs);
  for (let i = 0; i < nobs; i++) {
    y[i] = normal(rng);
    for (let s = 0; s < S; s++) yrep[s * nobs + i] = normal(rng);
  }
  const svg = parseSvg(ppcPlot({ y, yrep, nDraws: S }));
  assert.equal(svg.querySelectorAll('path.ppc-rep-density').length, 40);
  assert.equal(svg.querySelectorAll('path.ppc-observed-density').length, 1);
  assert.equal(svg.querySelectorAll('g.ppc-obs').length, 300);
  assert.match(svg.querySelector('g.panel[data-param="intervals"] .panel-title')!.textContent!, /of 1000 observed values/);
});

test('every plot is well-formed standalone SVG (parses as XML, SVG namespace, viewBox)', () => {
  const svgs = [tracePlot(draws), rankPlot(draws), densityPlot(draws, { laplace: laplaceByName(summary) }), caterpillarPlot(summary)!];
  for (const text of svgs) {
    const doc = new JSDOM(text, { contentType: 'image/svg+xml' }).window.document;
    assert.equal(doc.documentElement.namespaceURI, 'http://www.w3.org/2000/svg');
    assert.match(doc.documentElement.getAttribute('viewBox')!, /^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
    assert.equal(doc.getElementsByTagName('parsererror').length, 0);
  }
});

test('degenerate draws (constant, NaN, one draw) still give one panel per parameter', () => {
  const names = ['b_Intercept', 'sd_g__Intercept', 'shape'];
  const data = new Float64Array(2 * 1 * 3);
  data.set([1, NaN, 2, 1, NaN, 2]);
  const d = { nChains: 2, nDraws: 1, names, data };
  for (const svg of [tracePlot(d), rankPlot(d), densityPlot(d)]) assert.equal(parseSvg(svg).querySelectorAll('g.panel').length, 3);
  assert.equal(parseSvg(densityPlot(d)).querySelectorAll('text.no-data').length, 1);
});

test('parameterSupport: an ar1 term\'s ρ (ar_*) and the correlations (cor_*, toep\'s cor_*__lag*) lie in [−1, 1]; sds at ≥ 0', () => {
  for (const n of ['ar_patient__visit', 'cor_patient__visit', 'cor_patient__visit__lag2']) assert.deepEqual(parameterSupport(n), { lower: -1, upper: 1 });
  assert.deepEqual(parameterSupport('sd_patient__visit1'), { lower: 0 });
  assert.deepEqual(parameterSupport('b_Trt1'), {});
});
