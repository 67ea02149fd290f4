/**
 * power.json (the result of `glmm power` and `power()`), its text table and its HTML report with the
 * power curve (plots/power-curve.ts). The schema lives here, beside summary.json's, so that the report
 * needs nothing of src/power.
 */
import { escapeHtml, htmlPage } from './html.js';
import { powerCurvePlot } from './plots/power-curve.js';
import { renderTextTable } from './text-table.js';

/** Power at one design size. */
export interface PowerRowJson {
  /** Levels of the `along` factor (null: the design as given). */
  readonly size: number | null;
  readonly nobs: number;
  /** Simulations finished (nsim unless the run was stopped). */
  readonly nsim: number;
  readonly rejections: number;
  readonly power: number;
  readonly lower: number;
  readonly upper: number;
  /** Fits that failed (counted as not rejecting), and the first one's message. */
  readonly failed: number;
  readonly first_error: string | null;
}

/** power.json. */
export interface PowerJson {
  /** What is tested, in words. */
  readonly test: string;
  readonly rule: 'wald' | 'lrt' | 'prob' | 'rope';
  readonly fit: 'laplace' | 'posterior';
  readonly formula: string;
  readonly family: string;
  readonly link: string;
  readonly values: Readonly<Record<string, number>>;
  readonly along: string | null;
  readonly seed: number;
  readonly interval: { readonly method: 'clopper-pearson' | 'wilson'; readonly level: number };
  readonly rows: readonly PowerRowJson[];
  /** False when the run was stopped (rows hold the simulations finished). */
  readonly complete: boolean;
}

/** "Clopper–Pearson 95%". */
export function intervalLabel(r: PowerJson): string {
  return `${r.interval.method === 'wilson' ? 'Wilson' : 'Clopper–Pearson'} ${Math.round(100 * r.interval.level)}%`;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

/** The header lines and the table as plain text. */
export function formatPowerTable(r: PowerJson): string {
  const head = [
    `power of: ${r.test}`,
    `model: ${r.formula} (${r.family}, ${r.link} link), ${r.fit === 'laplace' ? 'Laplace (ML) fit' : 'posterior'} of each simulated data set`,
    `assumed: ${Object.entries(r.values).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    `${r.rows[0]?.nsim ?? 0} simulations per design${r.complete ? '' : ' (stopped: the simulations finished so far)'}, seed ${r.seed}; ${intervalLabel(r)} Monte Carlo intervals`,
  ];
  const cols = [r.along ?? 'design', 'rows', 'power', 'lower', 'upper', 'rejected', 'failed fits'];
  const rows = r.rows.map((q) => [q.size === null ? 'as given' : String(q.size), String(q.nobs), f3(q.power), f3(q.lower), f3(q.upper), `${q.rejections}/${q.nsim}`, String(q.failed)]);
  const errors = r.rows.filter((q) => q.first_error).map((q) => `failed fit at ${r.along ?? 'the design'} ${q.size ?? ''}: ${q.first_error}`);
  return [...head, '', renderTextTable({ columns: cols, spans: [], rows, footnotes: [] }), ...errors].join('\n');
}

/** report.html of a power run: the settings, the table and the power curve. */
export function renderPowerReport(r: PowerJson): string {
  const title = `Power: ${r.test}`;
  const text = formatPowerTable(r);
  const svg = powerCurvePlot({ along: r.along, rows: r.rows, intervalLabel: intervalLabel(r) }, { title: '' });
  const caption = `Share of simulated data sets in which the test rejected, with its ${intervalLabel(r)} Monte Carlo interval (the uncertainty from running a finite number of simulations, not from the assumed values). The dashed line is the conventional 0.8 target. Every parameter was fixed at its assumed value; power under other values can differ a lot.`;
  return htmlPage(title, `<header><h1>${escapeHtml(title)}</h1></header>
<section id="power-table">
<h2>Power by design size</h2>
<pre>${escapeHtml(text)}</pre>
</section>
<section id="power-curve">
<h2>Power curve</h2>
<figure>
${svg}
<figcaption>${escapeHtml(caption)}</figcaption>
</figure>
</section>`);
}
