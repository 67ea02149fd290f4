/**
 * The power curve of a power run (simr's plot of a powerCurve): the estimated power at each design
 * size with its Monte Carlo interval as a vertical bar, joined by a line, against a dashed reference at
 * 0.8 (the conventional target, Cohen 1988 §2.4); y from 0 to 1. One point (no `along`) is drawn alone.
 */
import { line, scaleLinear } from 'd3';
import { INK, PALETTE, addAxes, addPanel, createSvg, headerLayout } from './svg.js';

/** What the plot needs of a power result. */
export interface PowerCurveInput {
  /** The factor along which the design grows (null: one design). */
  readonly along: string | null;
  readonly rows: readonly { readonly size: number | null; readonly nobs: number; readonly power: number; readonly lower: number; readonly upper: number }[];
  /** e.g. "Clopper–Pearson 95%". */
  readonly intervalLabel: string;
}

/** The power curve as standalone SVG text. */
export function powerCurvePlot(r: PowerCurveInput, opts: { title?: string } = {}): string {
  const title = opts.title ?? 'Power curve';
  const { top } = headerLayout(title);
  const W = 640, H = 360;
  const doc = createSvg(W, top + H, 'power-curve', title);
  const p = addPanel(doc.svg, 8, top, W - 16, H - 8, `power with ${r.intervalLabel} Monte Carlo intervals`);
  const xs = r.rows.map((row) => row.size ?? row.nobs);
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const pad = lo === hi ? 1 : (hi - lo) * 0.06;
  const x = scaleLinear().domain([lo - pad, hi + pad]).range([0, p.innerWidth]);
  const y = scaleLinear().domain([0, 1]).range([p.innerHeight, 0]);
  addAxes(p, x, y, { x: r.along ? `levels of ${r.along}` : 'observations', y: 'power' }, { x: Math.min(10, xs.length + 1), y: 5 });
  p.plot.append('line').attr('class', 'power-target').attr('x1', 0).attr('x2', p.innerWidth).attr('y1', y(0.8)).attr('y2', y(0.8))
    .attr('stroke', INK.reference).attr('stroke-dasharray', '4 3');
  const pts = r.rows.map((row, i) => ({ x: xs[i], ...row })).filter((q) => Number.isFinite(q.power));
  if (pts.length > 1) {
    p.plot.append('path').attr('class', 'power-line').attr('fill', 'none').attr('stroke', PALETTE[0]).attr('stroke-width', 2)
      .attr('d', line<(typeof pts)[number]>().x((q) => x(q.x)).y((q) => y(q.power))(pts));
  }
  for (const q of pts) {
    const g = p.plot.append('g').attr('class', 'power-point').attr('data-size', q.x).attr('data-power', q.power);
    g.append('line').attr('x1', x(q.x)).attr('x2', x(q.x)).attr('y1', y(q.lower)).attr('y2', y(q.upper)).attr('stroke', PALETTE[0]).attr('stroke-width', 1.5);
    for (const v of [q.lower, q.upper]) g.append('line').attr('x1', x(q.x) - 5).attr('x2', x(q.x) + 5).attr('y1', y(v)).attr('y2', y(v)).attr('stroke', PALETTE[0]);
    g.append('circle').attr('cx', x(q.x)).attr('cy', y(q.power)).attr('r', 4).attr('fill', PALETTE[0]);
  }
  return doc.serialize();
}
