/**
 * Trace plots: one panel per parameter, each chain a coloured line over the post-warmup iterations
 * (as bayesplot's `mcmc_trace`). Chains that mix overlap as one band; a chain stuck apart or drifting
 * shows at once.
 */
import { extent, line, scaleLinear } from 'd3';
import type { Draws } from '../../../diagnostics/draws.js';
import { addAxes, addLegend, addPanel, chainColor, createSvg, headerLayout, panelGrid } from './svg.js';
import { plotParameterIndices } from './parameters.js';

/** Options shared by the per-parameter plots. */
export interface PanelPlotOptions {
  /** Parameters to show (default: every parameter except the random effects r_*). */
  parameters?: readonly string[];
  /** Panels per row (default 3). */
  ncol?: number;
  /** Plot title (default per plot). */
  title?: string;
  /** Label of the x axis of a trace plot (default "iteration (after warmup)"). */
  xLabel?: string;
}

/** The SVG text of the trace plots of `draws`; every chain a path with `nDraws` points per panel. */
export function tracePlot(draws: Draws, opts: PanelPlotOptions = {}): string {
  const { nChains, nDraws, names, data } = draws;
  const P = names.length;
  const idx = plotParameterIndices(draws, opts.parameters);
  const title = opts.title ?? 'Trace plots';
  const head = headerLayout(title);
  const grid = panelGrid(idx.length, { ncol: opts.ncol, top: head.top });
  const doc = createSvg(grid.width, grid.height, 'trace', title);
  addLegend(doc.svg, 18, head.legendY, Array.from({ length: nChains }, (_, c) => ({ label: `chain ${c + 1}`, color: chainColor(c), kind: 'line' as const })));
  const xs = scaleLinear().domain([1, Math.max(2, nDraws)]);
  idx.forEach((p, i) => {
    const [px, py] = grid.positions[i];
    const panel = addPanel(doc.svg, px, py, grid.panelWidth, grid.panelHeight, names[p], names[p]);
    const values = new Float64Array(nChains * nDraws);
    for (let c = 0; c < nChains; c++) {
      for (let d = 0; d < nDraws; d++) values[c * nDraws + d] = data[(c * nDraws + d) * P + p];
    }
    const finite = values.filter(Number.isFinite);
    const [lo, hi] = finite.length ? (extent(finite) as [number, number]) : [0, 0];
    const pad = lo === hi ? Math.abs(lo) * 0.1 + 1 : 0;
    const x = xs.copy().range([0, panel.innerWidth]);
    const y = scaleLinear().domain([lo - pad, hi + pad]).range([panel.innerHeight, 0]).nice();
    addAxes(panel, x, y, { x: opts.xLabel ?? 'iteration (after warmup)' });
    const path = line<number>().x((_, d) => x(d + 1)).y((v) => y(v)).defined(Number.isFinite).digits(1);
    for (let c = 0; c < nChains; c++) {
      panel.plot.append('path').attr('class', 'trace-line').attr('data-chain', c + 1)
        .attr('d', path(Array.from(values.subarray(c * nDraws, (c + 1) * nDraws))))
        .attr('fill', 'none').attr('stroke', chainColor(c)).attr('stroke-width', 0.7).attr('stroke-opacity', 0.75);
    }
  });
  return doc.serialize();
}
