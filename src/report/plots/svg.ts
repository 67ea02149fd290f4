/**
 * The SVG document helper every plot uses: the page's document in a browser (or one given to
 * {@link setSvgDocument}), in Node a minimal SVG document (dom.ts) so d3-selection, d3-axis and d3-shape
 * run without a browser, a panel grid, panel frames with axes, a legend, and one palette and
 * font for all plots (d3.schemeTableau10, Tableau's colour-blind-aware 10-colour scheme).
 */
import { axisBottom, axisLeft, schemeTableau10, select } from 'd3';
import type { ScaleLinear, Selection } from 'd3';
import { SvgDocument } from './dom.js';

/** The categorical palette of every plot (chain k is `PALETTE[k % 10]`). */
export const PALETTE: readonly string[] = schemeTableau10;

/** Font stack of every plot: system UI fonts, so the report needs no web fonts. */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Ink colours: text, axes, reference lines, the Laplace marks. */
export const INK = { text: '#222', axis: '#555', grid: '#e6e6e6', reference: '#333', laplace: '#111' } as const;

/** The SVG namespace. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

type AnySel = Selection<any, unknown, null, undefined>;

let sharedDocument: Document | null = null;

/**
 * The document plots create their elements in. A browser passes its own (web/src/app.ts does, and the
 * web bundle has no Node document); by default the page's `document` when there is one.
 */
export function setSvgDocument(doc: Document): void {
  sharedDocument = doc;
}

/** The given or page document, else one minimal SVG document (dom.ts) for every plot. */
function documentForSvg(): Document {
  sharedDocument ??= (globalThis as { document?: Document }).document ?? (new SvgDocument() as unknown as Document);
  return sharedDocument;
}

/** An SVG being built: the root selection and a serializer. */
export interface SvgDoc {
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** Standalone SVG text (with xmlns), usable as a .svg file or inline in HTML. */
  serialize(): string;
}

/**
 * A new `<svg>` of the given size with a white background, the plot font, an optional title and
 * `role="img"` + `<title>` for accessibility. `kind` becomes the class (`plot plot-<kind>`).
 */
export function createSvg(width: number, height: number, kind: string, title?: string): SvgDoc {
  const doc = documentForSvg();
  const node = doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const svg = select(node)
    .attr('xmlns', SVG_NS)
    .attr('class', `plot plot-${kind}`)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('font-family', FONT)
    .attr('font-size', 12)
    .attr('fill', INK.text);
  if (title) svg.append('title').text(title);
  else svg.attr('aria-label', kind);
  svg.append('rect').attr('class', 'background').attr('width', width).attr('height', height).attr('fill', 'white');
  if (title) {
    svg.append('text').attr('class', 'plot-title').attr('x', 16).attr('y', 26)
      .attr('font-size', 17).attr('font-weight', 600).text(title);
  }
  return { svg, serialize: () => node.outerHTML };
}

/**
 * Vertical layout of a plot's header: with a title the legend sits at y = 48 and panels start at 64;
 * without one (report.html gives each plot an <h2>) the legend is at 16 and panels start at 32.
 */
export function headerLayout(title: string): { legendY: number; top: number } {
  return title ? { legendY: 48, top: 64 } : { legendY: 16, top: 32 };
}

/** Layout of equal panels in a grid. */
export interface GridLayout {
  width: number;
  height: number;
  /** Top-left corner of each panel's outer box. */
  positions: [number, number][];
  panelWidth: number;
  panelHeight: number;
}

/** Places `n` panels of `panelWidth × panelHeight` in `ncol` columns below a header of height `top`. */
export function panelGrid(n: number, opts: { ncol?: number; panelWidth?: number; panelHeight?: number; top?: number; pad?: number } = {}): GridLayout {
  const ncol = Math.max(1, Math.min(opts.ncol ?? 3, n));
  const panelWidth = opts.panelWidth ?? 380;
  const panelHeight = opts.panelHeight ?? 210;
  const top = opts.top ?? 64;
  const pad = opts.pad ?? 12;
  const positions: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    positions.push([pad + (i % ncol) * panelWidth, top + Math.floor(i / ncol) * panelHeight]);
  }
  const nrow = Math.ceil(n / ncol);
  return { width: 2 * pad + ncol * panelWidth, height: top + nrow * panelHeight + pad, positions, panelWidth, panelHeight };
}

/** Inner margins of a panel (space for the title and axes). */
export const PANEL_MARGIN = { top: 26, right: 14, bottom: 34, left: 56 } as const;

/** A panel: its group, inner plotting size, and the group to draw data into. */
export interface Panel {
  g: AnySel;
  plot: AnySel;
  innerWidth: number;
  innerHeight: number;
}

/**
 * A panel at (x, y) of outer size w × h: `<g class="panel" data-param=…>` with a title, a light
 * frame and a `<g class="plot-area">` translated to the inner origin.
 */
export function addPanel(
  parent: AnySel, x: number, y: number, w: number, h: number, title: string, param?: string,
  m: { top: number; right: number; bottom: number; left: number } = PANEL_MARGIN,
): Panel {
  const g = parent.append('g').attr('class', 'panel').attr('transform', `translate(${x},${y})`);
  if (param !== undefined) g.attr('data-param', param);
  const innerWidth = w - m.left - m.right;
  const innerHeight = h - m.top - m.bottom;
  g.append('text').attr('class', 'panel-title').attr('x', m.left).attr('y', 16)
    .attr('font-size', 13).attr('font-weight', 600).text(title);
  g.append('rect').attr('class', 'frame').attr('x', m.left).attr('y', m.top)
    .attr('width', innerWidth).attr('height', innerHeight).attr('fill', '#fcfcfc').attr('stroke', '#d0d0d0');
  const plot = g.append('g').attr('class', 'plot-area').attr('transform', `translate(${m.left},${m.top})`);
  return { g, plot, innerWidth, innerHeight };
}

/** Draws the x axis (bottom) and y axis (left) of a panel with light grid lines and axis labels. */
export function addAxes(
  panel: Panel,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number> | null,
  labels: { x?: string; y?: string } = {},
  ticks: { x?: number; y?: number } = {},
): void {
  const { plot, innerWidth, innerHeight } = panel;
  if (y) {
    const grid = plot.insert('g', ':first-child').attr('class', 'grid');
    for (const t of y.ticks(ticks.y ?? 4)) {
      grid.append('line').attr('x1', 0).attr('x2', innerWidth).attr('y1', y(t)).attr('y2', y(t))
        .attr('stroke', INK.grid);
    }
    const ya = plot.append('g').attr('class', 'y-axis').call(axisLeft(y).ticks(ticks.y ?? 4).tickSizeOuter(0));
    styleAxis(ya);
  }
  const xa = plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${innerHeight})`)
    .call(axisBottom(x).ticks(ticks.x ?? 5).tickSizeOuter(0));
  styleAxis(xa);
  if (labels.x) {
    plot.append('text').attr('class', 'axis-label').attr('x', innerWidth / 2).attr('y', innerHeight + 30)
      .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', INK.axis).text(labels.x);
  }
  if (labels.y) {
    plot.append('text').attr('class', 'axis-label').attr('transform', `translate(-44,${innerHeight / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', INK.axis).text(labels.y);
  }
}

/** Axis text in the plot font at a readable size, in the axis grey. */
function styleAxis(a: AnySel): void {
  a.attr('font-family', FONT).attr('font-size', 11).attr('color', INK.axis);
}

/** A legend entry: a line, a dashed line, a filled box or a point. */
export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'dashed' | 'box' | 'point' | 'diamond';
  opacity?: number;
}

/** A one-row legend starting at (x, y); returns its width. */
export function addLegend(parent: AnySel, x: number, y: number, items: LegendItem[]): number {
  const g = parent.append('g').attr('class', 'legend').attr('transform', `translate(${x},${y})`);
  let cx = 0;
  for (const it of items) {
    const e = g.append('g').attr('class', 'legend-item').attr('transform', `translate(${cx},0)`);
    if (it.kind === 'line' || it.kind === 'dashed') {
      e.append('line').attr('x1', 0).attr('x2', 22).attr('y1', 0).attr('y2', 0).attr('stroke', it.color)
        .attr('stroke-width', 2.5).attr('stroke-opacity', it.opacity ?? null).attr('stroke-dasharray', it.kind === 'dashed' ? '5,3' : null);
    } else if (it.kind === 'box') {
      e.append('rect').attr('x', 0).attr('y', -7).attr('width', 22).attr('height', 14).attr('fill', it.color)
        .attr('fill-opacity', it.opacity ?? 0.3).attr('stroke', it.color).attr('stroke-opacity', 0.6);
    } else if (it.kind === 'point') {
      e.append('circle').attr('cx', 11).attr('cy', 0).attr('r', 4.5).attr('fill', it.color);
    } else {
      e.append('path').attr('d', 'M11,-6L17,0L11,6L5,0Z').attr('fill', 'white').attr('stroke', it.color).attr('stroke-width', 1.5);
    }
    e.append('text').attr('x', 28).attr('y', 4).attr('font-size', 12).text(it.label);
    cx += 28 + 7 * it.label.length + 18;
  }
  return cx;
}

/** The colour of chain k (0-based). */
export function chainColor(k: number): string {
  return PALETTE[k % PALETTE.length];
}
