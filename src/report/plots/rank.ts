/**
 * Rank plots (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and
 * localization: an improved R-hat", §4 and Fig. 4): the draws of all chains are ranked together and
 * each chain's ranks are histogrammed. If the chains sample one distribution, every chain's histogram
 * is uniform; a chain whose ranks pile up at one end has a different location or scale. Chains are
 * overlaid as step lines (bayesplot's `mcmc_rank_overlay`) over a grey band: the central 99% range of
 * a bin count under uniformity, Binomial(nDraws, 1/bins), pointwise.
 */
import { scaleLinear } from 'd3';
import type { Draws } from '../../../diagnostics/draws.js';
import { averageRanks } from '../../../diagnostics/transforms.js';
import { INK, addAxes, addLegend, addPanel, chainColor, createSvg, headerLayout, panelGrid } from './svg.js';
import { plotParameterIndices } from './parameters.js';
import type { PanelPlotOptions } from './trace.js';

/** Options of {@link rankPlot}. */
export interface RankPlotOptions extends PanelPlotOptions {
  /** Number of rank bins (default 20, fewer when there are under 5 draws per bin). */
  bins?: number;
}

/**
 * Per-chain rank-bin counts of one parameter: `counts[c][b]` draws of chain c whose pooled rank
 * falls in bin b of `bins` equal bins of 1..N. `column` is iterations × chains, chain-major.
 */
export function rankCounts(column: ArrayLike<number>, nChains: number, bins: number): number[][] {
  const N = column.length;
  const nDraws = N / nChains;
  const r = averageRanks(column); // R rank(ties = "average"), the ranking of Vehtari et al. 2021 eq. 14
  const counts = Array.from({ length: nChains }, () => new Array<number>(bins).fill(0));
  for (let c = 0; c < nChains; c++) {
    for (let d = 0; d < nDraws; d++) {
      const b = Math.min(bins - 1, Math.floor(((r[c * nDraws + d] - 1) * bins) / N));
      counts[c][b]++;
    }
  }
  return counts;
}

/** Central (1 − α) range [lo, hi] of Binomial(n, p), by summing the pmf in log space. */
export function binomialRange(n: number, p: number, alpha = 0.01): [number, number] {
  let logPmf = n * Math.log1p(-p);
  const step = Math.log(p) - Math.log1p(-p);
  let cdf = 0;
  let lo = -1;
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(logPmf);
    if (lo < 0 && cdf >= alpha / 2) lo = k;
    if (cdf >= 1 - alpha / 2) return [lo, k];
    logPmf += Math.log(n - k) - Math.log(k + 1) + step;
  }
  return [Math.max(lo, 0), n];
}

/** The SVG text of the rank plots: one panel per parameter, one step line per chain. */
export function rankPlot(draws: Draws, opts: RankPlotOptions = {}): string {
  const { nChains, nDraws, names, data } = draws;
  const P = names.length;
  const bins = opts.bins ?? Math.max(2, Math.min(20, Math.floor(nDraws / 5)));
  const idx = plotParameterIndices(draws, opts.parameters);
  const title = opts.title ?? 'Rank plots (all chains ranked together)';
  const head = headerLayout(title);
  const grid = panelGrid(idx.length, { ncol: opts.ncol, top: head.top });
  const doc = createSvg(grid.width, grid.height, 'rank', title);
  const [bandLo, bandHi] = binomialRange(nDraws, 1 / bins);
  addLegend(doc.svg, 18, head.legendY, [
    ...Array.from({ length: nChains }, (_, c) => ({ label: `chain ${c + 1}`, color: chainColor(c), kind: 'line' as const })),
    { label: 'uniform: expected count and 99% range', color: '#888', kind: 'box' as const },
  ]);
  const expected = nDraws / bins;
  idx.forEach((p, i) => {
    const column = new Float64Array(nChains * nDraws);
    for (let c = 0; c < nChains; c++) {
      for (let d = 0; d < nDraws; d++) column[c * nDraws + d] = data[(c * nDraws + d) * P + p];
    }
    const counts = rankCounts(column, nChains, bins);
    const [px, py] = grid.positions[i];
    const panel = addPanel(doc.svg, px, py, grid.panelWidth, grid.panelHeight, names[p], names[p]);
    const maxCount = Math.max(bandHi, ...counts.flat());
    const x = scaleLinear().domain([0, nChains * nDraws]).range([0, panel.innerWidth]);
    const y = scaleLinear().domain([0, maxCount * 1.05]).range([panel.innerHeight, 0]).nice();
    addAxes(panel, x, y, { x: 'rank (all chains)', y: 'draws per bin' }, { x: 4 });
    panel.plot.append('rect').attr('class', 'rank-band').attr('x', 0).attr('width', panel.innerWidth)
      .attr('y', y(bandHi)).attr('height', y(bandLo) - y(bandHi)).attr('fill', '#888').attr('fill-opacity', 0.18);
    panel.plot.append('line').attr('class', 'rank-expected').attr('x1', 0).attr('x2', panel.innerWidth)
      .attr('y1', y(expected)).attr('y2', y(expected)).attr('stroke', INK.reference).attr('stroke-dasharray', '4,3');
    const binWidth = (nChains * nDraws) / bins;
    for (let c = 0; c < nChains; c++) {
      let d = '';
      for (let b = 0; b < bins; b++) {
        const yy = y(counts[c][b]).toFixed(1);
        d += `${b === 0 ? 'M' : 'L'}${x(b * binWidth).toFixed(1)},${yy}H${x((b + 1) * binWidth).toFixed(1)}`;
      }
      panel.plot.append('path').attr('class', 'rank-line').attr('data-chain', c + 1).attr('d', d)
        .attr('data-counts', counts[c].join(' '))
        .attr('fill', 'none').attr('stroke', chainColor(c)).attr('stroke-width', 1.6);
    }
  });
  return doc.serialize();
}
