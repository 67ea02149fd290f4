/**
 * The minimal SVG document (src/report/plots/dom.ts) against jsdom, the reference DOM: the whole
 * report (every plot kind: trace, rank, density, caterpillar, ppc) serializes byte for byte the same in
 * both; selectors, text replacement and escaping behave as the DOM standard says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { SvgDocument } from '../../../src/report/plots/dom.js';
import { setSvgDocument } from '../../../src/report/plots/svg.js';
import { fixtureReport } from '../fixtures.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

test('the report drawn into the minimal document equals the report drawn into jsdom, byte for byte', () => {
  setSvgDocument(new SvgDocument() as unknown as Document);
  const minimal = fixtureReport(60);
  setSvgDocument(new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document);
  const reference = fixtureReport(60);
  setSvgDocument(new SvgDocument() as unknown as Document);
  assert.ok(minimal.includes('<svg') && minimal.length > 10000);
  assert.equal(minimal, reference);
});

test('selectors, insertion, text and escaping follow the DOM (checked against jsdom)', () => {
  const build = (doc: { createElementNS(ns: string, n: string): unknown }) => {
    const svg = doc.createElementNS(SVG_NS, 'svg') as Element;
    const a = doc.createElementNS(SVG_NS, 'g') as Element;
    a.setAttribute('class', 'tick major');
    const b = doc.createElementNS(SVG_NS, 'text') as Element;
    b.textContent = 'a < b & "c"\u00a0d';
    a.appendChild(b);
    svg.appendChild(a);
    const first = doc.createElementNS(SVG_NS, 'path') as Element;
    first.setAttribute('d', 'M0,0 "q" & r');
    svg.insertBefore(first, svg.querySelector('.tick'));
    const t = svg.querySelector('g.tick')!.querySelector('text')!;
    t.textContent = t.textContent + '!';
    return {
      html: svg.outerHTML,
      ticks: svg.querySelectorAll('.tick').length,
      texts: svg.querySelectorAll('text').length,
      firstChild: (svg.querySelector(':first-child') as Element).tagName,
      missing: svg.querySelector('.domain'),
    };
  };
  const reference = build(new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document);
  const minimal = build(new SvgDocument());
  assert.deepEqual(minimal, reference);
  assert.equal(reference.firstChild, 'path');
});

test('a selector the minimal document does not support is an error, not a wrong match', () => {
  const svg = new SvgDocument().createElementNS(SVG_NS, 'svg');
  assert.throws(() => svg.querySelectorAll('g > text'), /does not support the selector "g > text"/);
});
