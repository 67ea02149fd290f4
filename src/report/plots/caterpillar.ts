/**
 * Caterpillar plot of the random effects: one panel per grouping factor and term, each level's
 * posterior median and central 90% interval (q5–q95 of summary.json), sorted by median, with the
 * Laplace conditional mode (lme4's `ranef`) as an open diamond where the summary has it. Shows which
 * levels stand apart from 0 and how much each is shrunk.
 */
import { scaleLinear } from 'd3';
import type { ParameterSummary, SummaryJson } from '../schema.js';
import { INK, PALETTE, addAxes, addLegend, addPanel, createSvg, headerLayout } from './svg.js';

/** Colour of the posterior medians: a darker shade of the interval colour, visible on top of it. */
const MEDIAN_COLOR = '#2b4a6b';

/** One level's interval in a caterpillar panel. */
export interface CaterpillarItem {
  level: string;
  median: number;
  lower: number;
  upper: number;
  /** Laplace conditional mode, when known. */
  mode?: number | null;
}

/** One panel: a grouping factor and term with its levels. */
export interface CaterpillarGroup {
  group: string;
  term: string;
  items: CaterpillarItem[];
}

/** Parses `r_group[level,term]` (DESIGN's random-effect name) into its parts; null if not one. */
export function parseRandomEffectName(name: string): { group: string; level: string; term: string } | null {
  const m = /^r_(.+)\[(.+),([^,\]]+)\]$/.exec(name);
  return m ? { group: m[1], level: m[2], term: m[3] } : null;
}

/**
 * The random effects of a summary grouped by (group, term) in order of first appearance, each
 * group's levels sorted by posterior median. Levels without a posterior median are left out.
 */
export function caterpillarGroups(summary: SummaryJson): CaterpillarGroup[] {
  const groups = new Map<string, CaterpillarGroup>();
  for (const p of summary.parameters) {
    if (p.class !== 'r') continue;
    const parsed = parseRandomEffectName(p.name);
    // the name's group and term first: a zero part's effect r_site__zi[R-1,Intercept] is panel site__zi, term Intercept
    const group = parsed?.group ?? p.group ?? p.name;
    const term = parsed?.term ?? p.term ?? '';
    const level = p.level ?? parsed?.level ?? p.name;
    if (!isNum(p.median) || !isNum(p.q5) || !isNum(p.q95)) continue;
    const key = `${group}\u0000${term}`;
    if (!groups.has(key)) groups.set(key, { group, term, items: [] });
    groups.get(key)!.items.push({ level, median: p.median, lower: p.q5, upper: p.q95, mode: modeOf(p) });
  }
  const out = [...groups.values()];
  for (const g of out) g.items.sort((a, b) => a.median - b.median);
  return out;
}

function isNum(x: number | null): x is number {
  return x !== null && Number.isFinite(x);
}

function modeOf(p: ParameterSummary): number | null {
  return p.laplace && Number.isFinite(p.laplace.estimate) ? p.laplace.estimate : null;
}

/** Height of one level's row: 13 px up to 40 levels, then shrinking so a panel stays ≤ ~520 px. */
function rowHeight(n: number): number {
  return n <= 40 ? 13 : Math.max(0.25, 520 / n);
}

/** The SVG text of the caterpillar plot; null when the summary has no random effects. */
export function caterpillarPlot(summary: SummaryJson, opts: { title?: string; ncol?: number } = {}): string | null {
  const groups = caterpillarGroups(summary);
  if (!groups.length) return null;
  const ncol = Math.min(opts.ncol ?? 2, groups.length);
  const panelWidth = 1140 / ncol;
  const pad = 12;
  const title = opts.title ?? 'Random effects: posterior median and 90% interval per level';
  const head = headerLayout(title);
  const top = head.top;
  const labelChars = Math.max(...groups.flatMap((g) => (g.items.length <= 40 ? g.items.map((i) => i.level.length) : [4])));
  const margin = { top: 26, right: 14, bottom: 38, left: Math.min(160, 20 + 7 * labelChars) };
  const heights = groups.map((g) => margin.top + margin.bottom + rowHeight(g.items.length) * g.items.length + 8);
  const rowTops: number[] = [];
  let yTop = top;
  for (let r = 0; r * ncol < groups.length; r++) {
    rowTops.push(yTop);
    yTop += Math.max(...heights.slice(r * ncol, (r + 1) * ncol)) + 10;
  }
  const width = 2 * pad + ncol * panelWidth;
  const doc = createSvg(width, yTop + pad, 'caterpillar', title);
  const hasMode = groups.some((g) => g.items.some((i) => i.mode != null));
  addLegend(doc.svg, 18, head.legendY, [
    { label: 'posterior median', color: MEDIAN_COLOR, kind: 'point' },
    { label: '90% interval (q5–q95)', color: PALETTE[0], kind: 'line' },
    ...(hasMode ? [{ label: 'Laplace conditional mode', color: PALETTE[1], kind: 'diamond' as const }] : []),
  ]);
  groups.forEach((g, i) => {
    const n = g.items.length;
    const rh = rowHeight(n);
    const panel = addPanel(doc.svg, pad + (i % ncol) * panelWidth, rowTops[Math.floor(i / ncol)], panelWidth, heights[i],
      `${g.group}: ${g.term} (${n} levels)`, `${g.group}__${g.term}`, margin);
    panel.g.attr('data-group', g.group).attr('data-term', g.term);
    let lo = 0;
    let hi = 0;
    for (const it of g.items) {
      lo = Math.min(lo, it.lower, it.mode ?? 0);
      hi = Math.max(hi, it.upper, it.mode ?? 0);
    }
    const x = scaleLinear().domain([lo, hi]).range([0, panel.innerWidth]).nice();
    addAxes(panel, x, null, { x: `r_${g.group}[level,${g.term}]` });
    panel.plot.append('line').attr('class', 'zero-line').attr('x1', x(0)).attr('x2', x(0)).attr('y1', 0)
      .attr('y2', panel.innerHeight).attr('stroke', INK.reference).attr('stroke-dasharray', '4,3');
    const yOf = (k: number) => 4 + rh * (n - 1 - k) + rh / 2;
    const sw = Math.min(2, Math.max(0.5, rh * 0.45));
    g.items.forEach((it, k) => {
      const yy = yOf(k);
      const row = panel.plot.append('g').attr('class', 'cat-level').attr('data-level', it.level);
      row.append('line').attr('class', 'cat-interval').attr('x1', x(it.lower)).attr('x2', x(it.upper))
        .attr('y1', yy).attr('y2', yy).attr('stroke', PALETTE[0]).attr('stroke-width', sw);
      row.append('circle').attr('class', 'cat-median').attr('cx', x(it.median)).attr('cy', yy)
        .attr('r', Math.min(3.5, Math.max(0.8, rh * 0.35))).attr('fill', MEDIAN_COLOR);
      if (it.mode != null && n > 40) {
        row.append('circle').attr('class', 'cat-laplace').attr('cx', x(it.mode)).attr('cy', yy)
          .attr('r', Math.min(1.5, Math.max(0.6, rh * 0.3))).attr('fill', PALETTE[1]);
      } else if (it.mode != null) {
        const s = Math.min(4, Math.max(1, rh * 0.35));
        row.append('path').attr('class', 'cat-laplace')
          .attr('d', `M${x(it.mode).toFixed(1)},${(yy - s).toFixed(1)}l${s},${s}l${-s},${s}l${-s},${-s}Z`)
          .attr('fill', 'none').attr('stroke', PALETTE[1]).attr('stroke-width', 1.2);
      }
      if (n <= 40) {
        row.append('text').attr('class', 'cat-label').attr('x', -6).attr('y', yy + 4).attr('text-anchor', 'end')
          .attr('font-size', 11).attr('fill', INK.axis).text(it.level);
      }
    });
    if (n > 40) {
      panel.plot.append('text').attr('class', 'axis-label').attr('transform', `translate(-10,${panel.innerHeight / 2}) rotate(-90)`)
        .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', INK.axis).text(`${n} levels, sorted by median`);
    }
  });
  return doc.serialize();
}
