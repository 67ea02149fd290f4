/**
 * Posterior predictive check (Gelman, Meng & Stern 1996; Gabry et al. 2019, "Visualization in
 * Bayesian workflow", §5): the observed y against replicated data y_rep drawn from the posterior
 * predictive distribution. Two panels, as bayesplot's `ppc_intervals` and `ppc_bars`/`ppc_dens_overlay`:
 * (1) each observation's 50% and 90% predictive intervals with the observed value, sorted by the
 * predictive median; (2) the distribution of y: for counts, observed frequency bars against the
 * predictive median and 90% interval of each frequency; otherwise the observed density over the
 * densities of 40 replicated data sets.
 */
import { scaleLinear, line } from 'd3';
import { quantileSorted } from '../../../diagnostics/quantile.js';
import { INK, PALETTE, addAxes, addLegend, addPanel, createSvg, headerLayout } from './svg.js';
import { kde } from './kde.js';

/** Posterior predictive draws: `yrep[s * nobs + i]` is draw s of observation i; `y` the observed values. */
export interface PosteriorPredictive {
  y: ArrayLike<number>;
  yrep: Float64Array;
  nDraws: number;
}

/** Predictive quantiles per observation (R type 7): q05, q25, q50, q75, q95 arrays of length nobs. */
export function predictiveIntervals(ppc: PosteriorPredictive): { q05: Float64Array; q25: Float64Array; q50: Float64Array; q75: Float64Array; q95: Float64Array } {
  const nobs = ppc.y.length;
  const S = ppc.nDraws;
  if (ppc.yrep.length !== S * nobs) {
    throw new Error(`ppc: yrep has ${ppc.yrep.length} values, expected nDraws × nobs = ${S} × ${nobs}`);
  }
  const out = { q05: new Float64Array(nobs), q25: new Float64Array(nobs), q50: new Float64Array(nobs), q75: new Float64Array(nobs), q95: new Float64Array(nobs) };
  const col = new Float64Array(S);
  for (let i = 0; i < nobs; i++) {
    for (let s = 0; s < S; s++) col[s] = ppc.yrep[s * nobs + i];
    col.sort();
    out.q05[i] = q7(col, 0.05);
    out.q25[i] = q7(col, 0.25);
    out.q50[i] = q7(col, 0.5);
    out.q75[i] = q7(col, 0.75);
    out.q95[i] = q7(col, 0.95);
  }
  return out;
}

/** Largest number of observations drawn in the intervals panel (evenly thinned beyond it). */
export const MAX_PPC_OBS = 300;

/** The SVG text of the posterior predictive check. */
export function ppcPlot(ppc: PosteriorPredictive, opts: { title?: string } = {}): string {
  const nobs = ppc.y.length;
  const width = 1164;
  const panelH = 320;
  const title = opts.title ?? 'Posterior predictive check';
  const head = headerLayout(title);
  const top = head.top;
  const doc = createSvg(width, top + 2 * panelH + 12, 'ppc', title);
  const allInt = isIntegral(ppc.y) && isIntegral(ppc.yrep);
  const pooled = Float64Array.from(ppc.yrep).sort();
  const [ymin, ymax] = minMax(ppc.y);
  let dlo = Math.min(q7(pooled, 0.005), ymin);
  let dhi = Math.max(q7(pooled, 0.995), ymax);
  const bars = allInt && dhi - dlo <= 60;
  addLegend(doc.svg, 18, head.legendY, [
    { label: 'observed y', color: INK.laplace, kind: 'point' },
    { label: 'predictive 50% / 90% interval', color: PALETTE[0], kind: 'line' },
    ...(bars ? [{ label: 'observed frequency', color: '#999', kind: 'box' as const, opacity: 0.7 },
      { label: 'predictive frequency: median, 90% interval', color: PALETTE[0], kind: 'point' as const }]
      : [{ label: 'observed density', color: INK.laplace, kind: 'line' as const },
        { label: 'densities of 40 replicated data sets', color: PALETTE[0], kind: 'line' as const, opacity: 0.4 }]),
  ]);
  // Panel 1: intervals per observation.
  const q = predictiveIntervals(ppc);
  let inside = 0;
  for (let i = 0; i < nobs; i++) if (ppc.y[i] >= q.q05[i] && ppc.y[i] <= q.q95[i]) inside++;
  const order = Array.from({ length: nobs }, (_, i) => i).sort((a, b) => q.q50[a] - q.q50[b]);
  const shown = nobs <= MAX_PPC_OBS ? order : Array.from({ length: MAX_PPC_OBS }, (_, k) => order[Math.round((k * (nobs - 1)) / (MAX_PPC_OBS - 1))]);
  const p1 = addPanel(doc.svg, 12, top, width - 24, panelH,
    `Predictive intervals per observation: ${((100 * inside) / nobs).toFixed(1)}% of ${nobs} observed values inside their 90% interval` +
    (shown.length < nobs ? ` (${shown.length} shown)` : ''), 'intervals');
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of shown) { lo = Math.min(lo, q.q05[i], ppc.y[i]); hi = Math.max(hi, q.q95[i], ppc.y[i]); }
  const x1 = scaleLinear().domain([0.5, shown.length + 0.5]).range([0, p1.innerWidth]);
  const y1 = scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([p1.innerHeight, 0]).nice();
  addAxes(p1, x1, y1, { x: 'observations, sorted by predictive median', y: 'y' });
  const bw = Math.max(1, Math.min(6, (0.6 * p1.innerWidth) / shown.length));
  shown.forEach((i, k) => {
    const g = p1.plot.append('g').attr('class', 'ppc-obs').attr('data-row', i + 1);
    const xx = x1(k + 1);
    g.append('line').attr('class', 'ppc-int90').attr('x1', xx).attr('x2', xx).attr('y1', y1(q.q05[i])).attr('y2', y1(q.q95[i]))
      .attr('stroke', PALETTE[0]).attr('stroke-opacity', 0.45).attr('stroke-width', bw);
    g.append('line').attr('class', 'ppc-int50').attr('x1', xx).attr('x2', xx).attr('y1', y1(q.q25[i])).attr('y2', y1(q.q75[i]))
      .attr('stroke', PALETTE[0]).attr('stroke-width', bw);
    g.append('circle').attr('class', 'ppc-observed').attr('cx', xx).attr('cy', y1(ppc.y[i])).attr('r', Math.min(3, Math.max(1.3, bw / 2)))
      .attr('fill', INK.laplace);
  });
  // Panel 2: distribution of y.
  const p2 = addPanel(doc.svg, 12, top + panelH, width - 24, panelH, 'Distribution of y: observed against replicated data', 'distribution');
  if (bars) drawBars(p2, ppc, Math.round(dlo), Math.round(dhi));
  else drawDensities(p2, ppc, dlo, dhi === dlo ? (dhi = dlo + 1) : dhi);
  return doc.serialize();
}

/** R type-7 quantile of sorted values. */
const q7 = quantileSorted;

function minMax(v: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; }
  return [lo, hi];
}

function isIntegral(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i])) return false;
  return true;
}

type PanelT = ReturnType<typeof addPanel>;

/** Observed frequency of each value (bars) against the predictive median and 90% interval of that frequency. */
function drawBars(p: PanelT, ppc: PosteriorPredictive, lo: number, hi: number): void {
  const nobs = ppc.y.length;
  const K = hi - lo + 1;
  const bin = (v: number) => Math.min(K - 1, Math.max(0, v - lo));
  const obs = new Array<number>(K).fill(0);
  for (let i = 0; i < nobs; i++) obs[bin(ppc.y[i])]++;
  const rep = Array.from({ length: K }, () => new Float64Array(ppc.nDraws));
  const counts = new Float64Array(K);
  for (let s = 0; s < ppc.nDraws; s++) {
    counts.fill(0);
    for (let i = 0; i < nobs; i++) counts[bin(ppc.yrep[s * nobs + i])]++;
    for (let k = 0; k < K; k++) rep[k][s] = counts[k];
  }
  const stats = rep.map((r) => { r.sort(); return [q7(r, 0.05), q7(r, 0.5), q7(r, 0.95)]; });
  const ymax = Math.max(minMax(obs)[1], ...stats.map((s) => s[2]));
  const x = scaleLinear().domain([lo - 0.5, hi + 0.5]).range([0, p.innerWidth]);
  const y = scaleLinear().domain([0, ymax * 1.05]).range([p.innerHeight, 0]).nice();
  addAxes(p, x, y, { x: `y (values below ${lo} / above ${hi} counted in the end bars)`, y: 'number of observations' }, { x: Math.min(K, 15) });
  const w = Math.max(1, (x(1) - x(0)) * 0.7);
  for (let k = 0; k < K; k++) {
    const xx = x(lo + k);
    p.plot.append('rect').attr('class', 'ppc-observed-bar').attr('data-value', lo + k).attr('data-count', obs[k])
      .attr('x', xx - w / 2).attr('width', w).attr('y', y(obs[k])).attr('height', y(0) - y(obs[k]))
      .attr('fill', '#bbb').attr('stroke', '#777');
    p.plot.append('line').attr('class', 'ppc-rep-interval').attr('x1', xx).attr('x2', xx).attr('y1', y(stats[k][0])).attr('y2', y(stats[k][2]))
      .attr('stroke', PALETTE[0]).attr('stroke-width', 2.5);
    p.plot.append('circle').attr('class', 'ppc-rep-median').attr('cx', xx).attr('cy', y(stats[k][1])).attr('r', 3.5).attr('fill', PALETTE[0]);
  }
}

/** Observed density (thick) over the densities of up to 40 replicated data sets (thin). */
function drawDensities(p: PanelT, ppc: PosteriorPredictive, lo: number, hi: number): void {
  const nobs = ppc.y.length;
  const nRep = Math.min(40, ppc.nDraws);
  const reps = Array.from({ length: nRep }, (_, k) => {
    const s = nRep === 1 ? 0 : Math.round((k * (ppc.nDraws - 1)) / (nRep - 1));
    return kde(ppc.yrep.subarray(s * nobs, (s + 1) * nobs), { gridSize: 256 });
  });
  const obs = kde(ppc.y, { gridSize: 256 });
  const ymax = Math.max(minMax(obs.y)[1], ...reps.map((r) => minMax(r.y)[1]));
  const x = scaleLinear().domain([lo, hi]).range([0, p.innerWidth]);
  const y = scaleLinear().domain([0, ymax * 1.05]).range([p.innerHeight, 0]);
  addAxes(p, x, null, { x: 'y' });
  const path = (r: { x: Float64Array; y: Float64Array }) =>
    line<number>().x((_, j) => x(r.x[j])).y((v) => y(v)).defined((_, j) => r.x[j] >= lo && r.x[j] <= hi).digits(1)(Array.from(r.y));
  for (const r of reps) {
    p.plot.append('path').attr('class', 'ppc-rep-density').attr('d', path(r)).attr('fill', 'none')
      .attr('stroke', PALETTE[0]).attr('stroke-opacity', 0.35).attr('stroke-width', 1);
  }
  p.plot.append('path').attr('class', 'ppc-observed-density').attr('d', path(obs)).attr('fill', 'none')
    .attr('stroke', INK.laplace).attr('stroke-width', 2.5);
}
