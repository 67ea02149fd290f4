/**
 * Test helpers: parse an SVG string with jsdom and recover a panel's x/y scale from its axis ticks,
 * so tests check positions against what the axes say, independently of the plotting code.
 */
import { JSDOM } from 'jsdom';

/** The SVG element of an SVG string. */
export function parseSvg(svg: string): Element {
  const dom = new JSDOM(`<!DOCTYPE html><body>${svg}</body>`);
  const el = dom.window.document.querySelector('svg');
  if (!el) throw new Error('no <svg> in the string');
  return el;
}

/** Tick value (d3 prints U+2212 for minus and thousands separators) to a number. */
export function tickValue(text: string): number {
  return Number(text.replace(/\u2212/g, '-').replace(/,/g, ''));
}

/** Linear map value → pixel recovered by least squares from an axis's ticks ('x-axis' or 'y-axis'). */
export function scaleFromAxis(panel: Element, axis: 'x-axis' | 'y-axis'): (v: number) => number {
  const ticks = [...panel.querySelectorAll(`g.${axis} g.tick`)];
  const pts = ticks.map((t) => {
    const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(t.getAttribute('transform') ?? '');
    if (!m) throw new Error('tick without translate');
    // d3-axis offsets ticks by 0.5 px for crisp lines (offset = 0.5 when devicePixelRatio is 1).
    return [tickValue(t.querySelector('text')!.textContent!), Number(axis === 'x-axis' ? m[1] : m[2]) - 0.5];
  });
  if (pts.length < 2) throw new Error(`${axis} has fewer than 2 ticks`);
  const n = pts.length;
  const mv = pts.reduce((a, p) => a + p[0], 0) / n;
  const mp = pts.reduce((a, p) => a + p[1], 0) / n;
  const b = pts.reduce((a, p) => a + (p[0] - mv) * (p[1] - mp), 0) / pts.reduce((a, p) => a + (p[0] - mv) ** 2, 0);
  return (v: number) => mp + b * (v - mv);
}

/** Points of an SVG path made of M/L commands ("M1,2L3,4..."). */
export function pathPoints(d: string): [number, number][] {
  return (d.match(/[ML][^ML]+/g) ?? []).map((s) => s.slice(1).split(',').map(Number) as [number, number]);
}
