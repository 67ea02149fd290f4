/**
 * The text of summary.json's `anova` (Type III tests, as lmerTest's anova() and JMP's "Fixed Effect
 * Tests") and `means` (emmeans-style level means from both answers), printed under the parameter table.
 */
import type { AnovaJson, MeansJson, SummaryJson } from './schema.js';
import { MISSING, decimalsFor, formatFixed, padEnd, padStart } from './format.js';

const DDF_NAMES: Record<AnovaJson['ddf'], string> = {
  'kenward-roger': 'Kenward–Roger', satterthwaite: 'Satterthwaite', asymptotic: 'asymptotic: χ²/q, den df ∞',
};

/** Aligned columns: first left, the others right. */
function columns(header: string[], rows: string[][], indent = '  '): string[] {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => indent + r.map((c, j) => (j === 0 ? padEnd(c, w[j]) : padStart(c, w[j]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** p-value as R prints it: 4 significant digits, "<1e-16" below. */
function formatP(p: number): string {
  if (!Number.isFinite(p)) return MISSING;
  if (p < 1e-16) return '<1e-16';
  return p < 1e-4 ? p.toExponential(2) : p.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Lines of the Type III table. */
export function anovaLines(a: AnovaJson): string[] {
  const rows = a.rows.map((r) => [r.term, formatFixed(r.F, 4), formatFixed(r.num_df, 0), r.den_df === null ? '∞' : formatFixed(r.den_df, 3), formatP(r.p)]);
  return [`Type III tests of fixed effects (${DDF_NAMES[a.ddf]} df):`, ...columns(['Term', 'F', 'num df', 'den df', 'Pr(>F)'], rows)];
}

/** Lines of one factor's means: the Laplace estimate, SE, df and interval, then the posterior's. */
export function meansLines(m: MeansJson, label: string): string[] {
  const scale = Math.min(...(m.laplace ?? []).map((r) => r.se), ...(m.posterior ?? []).map((r) => r.sd));
  const d = decimalsFor(Number.isFinite(scale) && scale > 0 ? scale : 1, 4);
  const pct = `${Math.round(m.level * 100)}%`;
  const lap = new Map((m.laplace ?? []).map((r) => [r.level, r]));
  const post = new Map((m.posterior ?? []).map((r) => [r.level, r]));
  const levels = [...new Set([...lap.keys(), ...post.keys()])];
  const showDf = (m.laplace ?? []).some((r) => r.df !== null);
  const header = ['Level'];
  if (m.laplace) header.push('Estimate', 'SE', ...(showDf ? ['df'] : []), `${pct} interval`);
  if (m.posterior) header.push('Post. mean', 'Post. SD', `${pct} post. interval`);
  const iv = (lo: number, hi: number) => `[${formatFixed(lo, d)}, ${formatFixed(hi, d)}]`;
  const rows = levels.map((lv) => {
    const r: string[] = [lv];
    const a = lap.get(lv), b = post.get(lv);
    if (m.laplace) {
      r.push(a ? formatFixed(a.estimate, d) : MISSING, a ? formatFixed(a.se, d) : MISSING);
      if (showDf) r.push(a?.df != null ? formatFixed(a.df, 3) : '∞');
      r.push(a ? iv(a.lower, a.upper) : MISSING);
    }
    if (m.posterior) r.push(b ? formatFixed(b.mean, d) : MISSING, b ? formatFixed(b.sd, d) : MISSING, b ? iv(b.lower, b.upper) : MISSING);
    return r;
  });
  const how = m.laplace ? `${label}: ${m.interval}` : 'posterior';
  return [`Means of ${m.factor} on the data scale (${how}; random effects at 0):`, ...columns(header, rows)];
}

/** The anova and means blocks of a summary (empty when it has neither). */
export function fixedTestLines(s: SummaryJson, label: string): string[] {
  const out: string[] = [];
  if (s.anova) out.push('', ...anovaLines(s.anova));
  for (const m of s.means ?? []) out.push('', ...meansLines(m, label));
  return out;
}
