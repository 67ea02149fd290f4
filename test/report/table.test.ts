/**
 * The human summary table: content (header, one row per parameter, the numbers of the summary at the
 * stated digits), alignment of the fixed-width columns, the Laplace-only form, notes and warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummaryTable, summaryTableModel, toJson } from '../../src/report/table.js';
import { FIXED, makeDraws, makeSummary } from './fixtures.js';

const draws = makeDraws(4, 120);
const summary = makeSummary(draws);

/** Lines from the column header to the last parameter row. */
function tableLines(text: string, nRows: number): string[] {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => l.startsWith('Parameter'));
  assert.ok(h > 0, 'column header present');
  return lines.slice(h, h + 1 + nRows);
}

test('header lines: formula, family/link, nobs, dropped rows, groups, priors, sampler', () => {
  const t = formatSummaryTable(summary);
  assert.match(t, /^Formula: +count ~ trt \+ \(1 \| block\) \+ \(1 \+ amount \| lot\)$/m);
  assert.match(t, /^Family: +negbinomial \(link = log\)$/m);
  assert.match(t, /^Data: +120 observations \(2 rows dropped/m);
  assert.match(t, /^Groups: +block: 8 levels; lot: 5 levels$/m);
  for (const p of summary.model.priors) assert.ok(t.includes(p), p);
  assert.match(t, /NUTS \(tfjs-wasm\), 4 chains × 120 draws after 1000 warmup/);
  assert.match(t, /3\.21 s warmup \+ 4\.08 s sampling; 2 divergent transitions/);
});

test('one row per non-random parameter, numbers as in the summary to 3 significant digits of the sd (--wide)', () => {
  const t = formatSummaryTable(summary, { wide: true });
  const rows = tableLines(t, FIXED.length).slice(1);
  assert.deepEqual(rows.map((r) => r.split(/\s+/)[0]), FIXED.map((f) => f.name));
  assert.ok(!/^r_/m.test(t), 'random effects hidden by default');
  for (const row of rows) {
    const cells = row.split(/\s+/);
    const p = summary.parameters.find((q) => q.name === cells[0])!;
    const dec = 2 - Math.floor(Math.log10(p.sd!));
    const nums = [p.mean, p.sd, p.lower, p.median, p.upper].map((v) => v!.toFixed(dec));
    assert.deepEqual(cells.slice(1, 6), nums.map((s) => (/^-0\.0*$/.test(s) ? s.slice(1) : s)), p.name);
    assert.equal(cells[6], p.rhat!.toFixed(3));
    assert.equal(cells[7], String(Math.round(p.ess_bulk!)));
    assert.equal(cells[8], String(Math.round(p.ess_tail!)));
    assert.equal(Number(cells[9]), Number(p.laplace!.estimate.toFixed(dec)));
    const iv = /\[\s*(\S+),\s*(\S+)\]/.exec(row)!;
    assert.equal(Number(iv[1]), p.laplace!.lower);
    assert.equal(Number(iv[2]), p.laplace!.upper);
  }
});

test('columns are aligned: every numeric column ends at the same character in every row', () => {
  const lines = tableLines(formatSummaryTable(summary, { wide: true }), FIXED.length);
  const ends = (l: string) => [...l.matchAll(/\S+(?=\s{2,}|$)/g)].map((m) => m.index! + m[0].length);
  // Right edges of the right-aligned columns 1..8 (the interval cell has its own inner spaces).
  const header = ends(lines[0]).slice(1, 9);
  for (const l of lines.slice(1)) assert.deepEqual(ends(l).slice(1, 9), header, l);
  const open = lines.slice(1).map((l) => l.indexOf('['));
  assert.ok(open.every((o) => o === open[0]), 'interval brackets aligned');
  assert.ok(lines.slice(1).every((l) => l.length === lines[1].length), 'equal row widths');
});

test('default layout fits 100 columns: the Laplace table goes below the posterior table, with the level in the headers', () => {
  const t = formatSummaryTable(summary);
  const tables = t.split('\n').filter((l) => l.startsWith('Parameter'));
  assert.equal(tables.length, 2, 'posterior table, then Laplace table');
  assert.deepEqual(tables[0].trim().split(/\s{2,}/), ['Parameter', 'Mean', 'SD', 'Q2.5', 'Median', 'Q97.5', 'R-hat', 'ESS-bulk', 'ESS-tail']);
  assert.deepEqual(tables[1].trim().split(/\s{2,}/), ['Parameter', 'Estimate', 'SE', '95% interval']);
  const start = t.indexOf('Parameter');
  const end = t.indexOf('Laplace (ML) fit:');
  for (const l of t.slice(start, end).split('\n')) assert.ok([...l].length <= 100, `${[...l].length} columns: ${l}`);
  assert.ok(Math.max(...formatSummaryTable(summary, { wide: true }).split('\n').map((l) => [...l].length)) > 100, 'the fixture needs the split');
  // another level: posterior quantiles and the Laplace header follow summary.prob
  const t90 = formatSummaryTable({ ...summary, prob: 0.9 });
  assert.match(t90, /^Parameter +Mean +SD +Q5 +Median +Q95 +R-hat/m);
  assert.match(t90, /^Parameter +Estimate +SE +90% interval$/m);
});

test('showRandom adds the r_* rows; the Laplace section; notes; warnings one per line', () => {
  const t = formatSummaryTable(summary, { showRandom: true });
  assert.equal((t.match(/^r_\w+\[\d+,\w+\]/gm) ?? []).length, 36);
  assert.match(t, /^ {2}logLik: +-312\.46$/m);
  assert.match(t, /^ {2}deviance: +624\.91 {2}\(−2 logLik\)$/m);
  assert.match(t, /^ {2}AIC: +640\.91$/m);
  assert.match(t, /^ {2}BIC: +663\.21$/m);
  assert.match(t, /^ {2}Pearson χ²\/df: +1\.073$/m);
  assert.match(t, /^ {2}Singular: +yes/m);
  assert.match(t, /^Notes:\n {2}sd_lot__Intercept: ML estimate 0 \(singular\); posterior P\(sd < 0\.05\) = 0\.04\.$/m);
  const w = t.slice(t.indexOf('Warnings:')).trim().split('\n');
  assert.deepEqual(w.slice(1), summary.warnings.map((x) => `  - ${x}`));
  assert.match(formatSummaryTable({ ...summary, warnings: [] }), /^Warnings: none$/m);
});

test('Laplace-only summary: Laplace columns only, no posterior columns', () => {
  const lap = makeSummary(draws, false);
  const t = formatSummaryTable(lap);
  assert.match(t, /^Sampler: +none \(Laplace fit only\)$/m);
  const head = tableLines(t, 0)[0];
  assert.deepEqual(head.trim().split(/\s{2,}/), ['Parameter', 'Estimate', 'SE', '95% interval']);
  assert.ok(!/R-hat|ESS|Mean/.test(t));
  const row = t.split('\n').find((l) => l.startsWith('b_trt1 '))!;
  assert.match(row, /^b_trt1 +-0\.430 +0\.110 +\[-0\.650, -0\.210\]$/);
  assert.match(t, /sd_lot__Intercept +0\.000 +— +\[ ?0\.000, +0\.810\]/);
  const model = summaryTableModel(lap);
  assert.equal(model.rows.length, FIXED.length);
});

test('toJson of a summary writes non-finite numbers as null', () => {
  const s = { ...summary, laplace: { ...summary.laplace!, pearson_chisq_df: NaN, aic: Infinity } };
  const back = JSON.parse(toJson(s));
  assert.equal(back.laplace.pearson_chisq_df, null);
  assert.equal(back.laplace.aic, null);
  assert.equal(back.parameters.length, summary.parameters.length);
});
