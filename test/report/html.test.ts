/**
 * report.html parsed with jsdom: every section present with its plot and the expected number of
 * panels/paths, the summary table has one row per non-random parameter, and nothing is loaded from
 * outside the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { renderReport, escapeHtml } from '../../src/report/html.js';
import { FIXED, PLOT_SECTIONS, fixtureReport, makeDraws, makeSummary } from './fixtures.js';

test('report.html: sections, panels, paths and the summary table', () => {
  const html = fixtureReport(200);
  const doc = new JSDOM(html).window.document;
  assert.equal(doc.title, 'GLMM fit: count ~ trt + (1 | block) + (1 + amount | lot)');
  for (const id of ['summary', 'warnings', 'notes', ...PLOT_SECTIONS]) {
    const s = doc.querySelector(`section#${id}`);
    assert.ok(s, `section ${id}`);
    assert.ok(s.querySelector('h2')?.textContent, `heading of ${id}`);
  }
  for (const id of PLOT_SECTIONS) {
    const s = doc.querySelector(`section#${id}`)!;
    assert.equal(s.querySelectorAll('svg').length, 1, `one svg in ${id}`);
    assert.ok((s.querySelector('figcaption')?.textContent ?? '').length > 80, `caption of ${id}`);
  }
  const panels = (id: string) => doc.querySelectorAll(`section#${id} svg g.panel`).length;
  assert.equal(panels('trace'), FIXED.length);
  assert.equal(panels('rank'), FIXED.length);
  assert.equal(panels('density'), FIXED.length);
  assert.equal(panels('caterpillar'), 3);
  assert.equal(panels('ppc'), 2);
  assert.equal(doc.querySelectorAll('section#trace path.trace-line').length, 4 * FIXED.length);
  assert.equal(doc.querySelectorAll('section#rank path.rank-line').length, 4 * FIXED.length);
  assert.equal(doc.querySelectorAll('section#density line.laplace-estimate').length, FIXED.length);
  assert.equal(doc.querySelectorAll('section#caterpillar g.cat-level').length, 18);
  assert.equal(doc.querySelectorAll('section#ppc g.ppc-obs').length, 80);
  // Summary table: one body row per non-random parameter, in order, with 11 cells each.
  const rows = [...doc.querySelectorAll('table#parameters tbody tr')];
  assert.deepEqual(rows.map((r) => r.querySelector('td')!.textContent), FIXED.map((f) => f.name));
  assert.ok(rows.every((r) => r.querySelectorAll('td').length === 11));
  assert.equal(doc.querySelectorAll('table#random-effects tbody tr').length, 18);
  assert.deepEqual([...doc.querySelectorAll('section#warnings li')].map((l) => l.textContent), makeSummary(makeDraws(4, 10)).warnings);
});

test('report.html is self-contained: no external scripts, styles, fonts, images or links', () => {
  const html = fixtureReport(50);
  const doc = new JSDOM(html).window.document;
  assert.equal(doc.querySelectorAll('script, link, img, iframe, object, embed').length, 0);
  for (const el of doc.querySelectorAll('*')) {
    for (const a of ['src', 'href', 'xlink:href']) {
      const v = el.getAttribute(a);
      assert.ok(v === null || v.startsWith('#'), `${el.tagName} ${a}=${v}`);
    }
  }
  assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html), 'no URL other than the SVG namespace');
  assert.ok(!/@import|url\(/.test(html), 'no CSS imports or url()');
});

test('Laplace-only report: no sampler plots, Laplace table, escaped text', () => {
  const draws = makeDraws(2, 20);
  const summary = { ...makeSummary(draws, false), warnings: ['level <b> & "x"'] };
  const doc = new JSDOM(renderReport({ summary, title: 'a < b' })).window.document;
  assert.equal(doc.title, 'a < b');
  for (const id of ['trace', 'rank', 'density', 'caterpillar', 'ppc']) assert.equal(doc.querySelector(`section#${id}`), null, id);
  assert.deepEqual([...doc.querySelectorAll('table#parameters thead tr:last-child th')].map((t) => t.textContent), ['Parameter', 'Estimate', 'SE', '95% interval']);
  assert.equal(doc.querySelector('section#warnings li')!.textContent, 'level <b> & "x"');
  assert.equal(escapeHtml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});
