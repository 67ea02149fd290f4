/**
 * Fixed-width text tables: the table model that the summary's cells fill (table.ts) and the HTML
 * report reads too (html.ts), its rendering as aligned text, and "Label:  value" blocks.
 */
import { padEnd, padStart } from './format.js';

/** Terminal width the default layout keeps within. */
export const TABLE_WIDTH = 100;

/** One table: a column header, a spanning group header (may be empty strings) and rows of cells. */
export interface TableModel {
  /** Column titles; column 0 is the parameter name. */
  columns: string[];
  /** Spanning headers: [label, first column, last column] (inclusive). */
  spans: [string, number, number][];
  /** Cells per row; `rows[i][0]` is the parameter name. */
  rows: string[][];
  /** Footnotes printed under the table. */
  footnotes: string[];
}

/** Renders a {@link TableModel} as aligned fixed-width text (names left, numbers right). */
export function renderTextTable(t: TableModel, gap = 2): string {
  const widths = t.columns.map((c, j) => Math.max(c.length, ...t.rows.map((r) => r[j].length)));
  const sep = ' '.repeat(gap);
  const cell = (s: string, j: number) => (j === 0 ? padEnd(s, widths[j]) : padStart(s, widths[j]));
  const out: string[] = [];
  if (t.spans.length) {
    const starts: number[] = [];
    let x = 0;
    widths.forEach((w, j) => { starts[j] = x; x += w + gap; });
    let line = '';
    for (const [label, a, b] of t.spans) {
      const from = starts[a];
      const width = starts[b] + widths[b] - from;
      const fill = Math.max(0, width - label.length - 2);
      const text = `${'─'.repeat(Math.floor(fill / 2))} ${label} ${'─'.repeat(Math.ceil(fill / 2))}`;
      line = padEnd(line, from) + text;
    }
    out.push(line.trimEnd());
  }
  out.push(t.columns.map(cell).join(sep).trimEnd());
  for (const r of t.rows) out.push(r.map(cell).join(sep).trimEnd());
  for (const f of t.footnotes) out.push(f);
  return out.join('\n');
}

/** "Label:  value" lines with the labels padded to one width. */
export function labelled(lines: [string, string][], indent = ''): string[] {
  const w = Math.max(...lines.map(([k]) => k.length)) + 2;
  return lines.map(([k, v]) => indent + padEnd(k ? `${k}:` : '', w) + v);
}
