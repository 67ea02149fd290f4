/**
 * Posterior densities: one panel per parameter, a Gaussian kernel density of the pooled draws
 * (Silverman's bandwidth, reflected at the support's bounds: sd ≥ 0, |cor| ≤ 1) with the Laplace
 * (ML) estimate as a vertical line and its 95% interval as a shaded band. Where the two answers
 * disagree (a skewed sd posterior against a boundary ML estimate) it shows at a glance.
 */
import { area, line, scaleLinear } from 'd3';
import type { ScaleLinear } from 'd3';
import type { Draws } from '../../../diagnostics/draws.js';
import type { LaplaceInterval, SummaryJson } from '../schema.js';
import { formatSig } from '../format.js';
import { INK, PALETTE, addAxes, addLegend, addPanel, createSvg, headerLayout, panelGrid } from './svg.js';
import type { Panel } from './svg.js';
import { parameterSupport, plotParameterIndices } from './parameters.js';
import { kde } from './kde.js';
import type { PanelPlotOptions } from './trace.js';

/** Options of {@link densityPlot}. */
export interface DensityPlotOptions extends PanelPlotOptions {
  /** Laplace estimates and intervals by parameter name, marked when present. */
  laplace?: Readonly<Record<string, LaplaceInterval | null | undefined>>;
}

/** The Laplace results of a summary keyed by parameter name (for {@link DensityPlotOptions.laplace}). */
export function laplaceByName(summary: SummaryJson): Record<string, LaplaceInterval> {
  const out: Record<string, LaplaceInterval> = {};
  for (const p of summary.parameters) if (p.laplace) out[p.name] = p.laplace;
  return out;
}

/** Fill/stroke colour of the posterior density. */
const DENSITY_COLOR = PALETTE[0];

/**
 * The x domain of a density panel: the KDE grid and the Laplace estimate; the interval widens it by
 * at most half the grid's width on each side (beyond that the band is clipped and its end labelled).
 */
export function densityDomain(gridLo: number, gridHi: number, lap?: LaplaceInterval | null): [number, number] {
  let lo = gridLo;
  let hi = gridHi;
  const w = gridHi - gridLo || 1;
  if (lap && Number.isFinite(lap.estimate)) { lo = Math.min(lo, lap.estimate); hi = Math.max(hi, lap.estimate); }
  if (lap?.lower != null && Number.isFinite(lap.lower)) lo = Math.min(lo, Math.max(lap.lower, gridLo - w / 2));
  if (lap?.upper != null && Number.isFinite(lap.upper)) hi = Math.max(hi, Math.min(lap.upper, gridHi + w / 2));
  return [lo, hi];
}

/** The SVG text of the posterior densities with the Laplace marks. */
export function densityPlot(draws: Draws, opts: DensityPlotOptions = {}): string {
  const { nChains, nDraws, names, data } = draws;
  const P = names.length;
  const idx = plotParameterIndices(draws, opts.parameters);
  const title = opts.title ?? 'Posterior densities with the Laplace (ML) estimates';
  const head = headerLayout(title);
  const grid = panelGrid(idx.length, { ncol: opts.ncol, top: head.top });
  const doc = createSvg(grid.width, grid.height, 'density', title);
  const anyLaplace = idx.some((p) => opts.laplace?.[names[p]]);
  addLegend(doc.svg, 18, head.legendY, [
    { label: 'posterior density (all chains)', color: DENSITY_COLOR, kind: 'box' },
    ...(anyLaplace ? [
      { label: 'Laplace estimate', color: INK.laplace, kind: 'dashed' as const },
      { label: 'Laplace 95% interval', color: '#888', kind: 'box' as const },
    ] : []),
  ]);
  idx.forEach((p, i) => {
    const values = new Float64Array(nChains * nDraws);
    for (let k = 0; k < nChains * nDraws; k++) values[k] = data[k * P + p];
    const name = names[p];
    const [px, py] = grid.positions[i];
    if (values.filter(Number.isFinite).length < 2) {
      const empty = addPanel(doc.svg, px, py, grid.panelWidth, grid.panelHeight, name, name);
      empty.plot.append('text').attr('class', 'no-data').attr('x', empty.innerWidth / 2).attr('y', empty.innerHeight / 2)
        .attr('text-anchor', 'middle').attr('fill', INK.axis).text('fewer than 2 finite draws');
      return;
    }
    const dens = kde(values, { ...parameterSupport(name), gridSize: 256 });
    const lap = opts.laplace?.[name] ?? null;
    const [lo, hi] = densityDomain(dens.x[0], dens.x[dens.x.length - 1], lap);
    const panel = addPanel(doc.svg, px, py, grid.panelWidth, grid.panelHeight, name, name);
    const x = scaleLinear().domain([lo, hi]).range([0, panel.innerWidth]);
    const ymax = Math.max(...dens.y);
    const y = scaleLinear().domain([0, ymax * 1.08]).range([panel.innerHeight, 0]);
    addAxes(panel, x, null);
    if (lap) drawLaplace(panel.plot, x, panel.innerHeight, lap);
    const pts = Array.from(dens.x, (xv, k) => [xv, dens.y[k]] as [number, number]);
    panel.plot.append('path').attr('class', 'density-area')
      .attr('d', area<[number, number]>().x((d) => x(d[0])).y0(y(0)).y1((d) => y(d[1])).digits(2)(pts))
      .attr('fill', DENSITY_COLOR).attr('fill-opacity', 0.25);
    panel.plot.append('path').attr('class', 'density-line')
      .attr('d', line<[number, number]>().x((d) => x(d[0])).y((d) => y(d[1])).digits(2)(pts))
      .attr('fill', 'none').attr('stroke', DENSITY_COLOR).attr('stroke-width', 2);
    if (lap && Number.isFinite(lap.estimate)) {
      // Drawn last so the estimate's line sits on top of the density.
      panel.plot.append('line').attr('class', 'laplace-estimate').attr('data-value', lap.estimate)
        .attr('x1', x(lap.estimate)).attr('x2', x(lap.estimate)).attr('y1', 0).attr('y2', panel.innerHeight)
        .attr('stroke', INK.laplace).attr('stroke-width', 1.8).attr('stroke-dasharray', '6,3');
    }
  });
  return doc.serialize();
}

/** The Laplace 95% band behind the density, clipped to the panel with the clipped end labelled. */
function drawLaplace(plot: Panel['plot'], x: ScaleLinear<number, number>, h: number, lap: LaplaceInterval): void {
  const [d0, d1] = x.domain();
  if (lap.lower == null && lap.upper == null) return;
  const lo = lap.lower ?? -Infinity;
  const hi = lap.upper ?? Infinity;
  const a = Math.max(lo, d0);
  const b = Math.min(hi, d1);
  if (!(b >= a)) return;
  plot.append('rect').attr('class', 'laplace-interval').attr('data-lower', lap.lower).attr('data-upper', lap.upper)
    .attr('x', x(a)).attr('width', Math.max(1, x(b) - x(a))).attr('y', 0).attr('height', h)
    .attr('fill', '#888').attr('fill-opacity', 0.2);
  if (hi > d1) {
    plot.append('text').attr('class', 'laplace-clipped').attr('x', x(d1) - 4).attr('y', 14).attr('text-anchor', 'end')
      .attr('font-size', 11).attr('fill', INK.axis).text(`upper ${formatSig(hi)} →`);
  }
  if (lo < d0) {
    plot.append('text').attr('class', 'laplace-clipped').attr('x', x(d0) + 4).attr('y', 14)
      .attr('font-size', 11).attr('fill', INK.axis).text(`← lower ${formatSig(lo)}`);
  }
}
