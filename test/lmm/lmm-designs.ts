/**
 * Hand-built Design objects for the linear mixed model tests (a test double for src/design's
 * buildDesign): treatment-coded fixed effects and scalar or vector random terms, as R's
 * model.matrix and lme4's mkReTrms give them.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Design, RandomTerm } from '../../src/design/types.js';
import { makeCovariance } from '../../src/design/covariance/make.js';

/** The repository's test/fixtures/lmm folder: beside the compiled dist/ copy, else under the working directory. */
export const fixtureDir = ((): string => {
  const nearby = fileURLToPath(new URL('../../../test/fixtures/lmm/', import.meta.url));
  return existsSync(nearby + 'lmm-golden.json') ? nearby : process.cwd() + '/test/fixtures/lmm/';
})();

/** Reads a fixture JSON file. */
export function readJson(name: string): any {
  return JSON.parse(readFileSync(fixtureDir + name, 'utf8'));
}

/** Reads a simple quoted CSV (no embedded commas) into string columns. */
export function readCsvColumns(name: string): Record<string, string[]> {
  const lines = readFileSync(fixtureDir + name, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',').map((s) => s.replace(/"/g, ''));
  const cols: Record<string, string[]> = {};
  head.forEach((h) => (cols[h] = []));
  for (const line of lines.slice(1)) line.split(',').forEach((v, j) => cols[head[j]].push(v.replace(/"/g, '')));
  return cols;
}

/** R's factor() level order: numeric-looking levels numerically, others lexically. */
export function levelsOf(values: readonly string[]): string[] {
  const u = [...new Set(values)];
  return u.every((v) => v !== '' && !Number.isNaN(Number(v))) ? u.sort((a, b) => Number(a) - Number(b)) : u.sort();
}

export type FixedSpec = { factor: string; values: string[] } | { numeric: string; values: number[] }
  | { interaction: [string, string]; values: [string[], string[]] };

/** Builds a gaussian Design: intercept + treatment-coded factors / numeric columns, random terms (1|g) or (1 + x|g). */
export function makeDesign(y: number[], fixed: FixedSpec[], random: { group: string; values: string[]; slope?: { name: string; values: number[] } }[], formula = 'hand-built'): Design {
  const n = y.length;
  const columns = ['(Intercept)'];
  const cols: number[][] = [new Array(n).fill(1)];
  for (const f of fixed) {
    if ('factor' in f) {
      const lv = levelsOf(f.values);
      for (const l of lv.slice(1)) { columns.push(f.factor + l); cols.push(f.values.map((v) => (v === l ? 1 : 0))); }
    } else if ('numeric' in f) { columns.push(f.numeric); cols.push(f.values); } else {
      // R's model.matrix: first factor varies fastest
      const [a, b] = f.values, la = levelsOf(a), lb = levelsOf(b);
      for (const j of lb.slice(1)) for (const i of la.slice(1)) {
        columns.push(`${f.interaction[0]}${i}:${f.interaction[1]}${j}`);
        cols.push(a.map((v, r) => (v === i && b[r] === j ? 1 : 0)));
      }
    }
  }
  const p = columns.length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = cols[j][i];
  const terms: RandomTerm[] = random.map((r) => {
    const levels = levelsOf(r.values);
    const k = r.slope ? 2 : 1;
    const Z = new Float64Array(n * k);
    for (let i = 0; i < n; i++) { Z[i * k] = 1; if (r.slope) Z[i * k + 1] = r.slope.values[i]; }
    return {
      group: r.group, k, cov: makeCovariance('us', k, ''), levels,
      terms: r.slope ? ['Intercept', r.slope.name] : ['Intercept'],
      columns: r.slope ? ['(Intercept)', r.slope.name] : ['(Intercept)'],
      index: Int32Array.from(r.values, (v) => levels.indexOf(v)), Z,
    };
  });
  return {
    formula, family: 'gaussian', nobs: n, droppedRows: 0,
    response: { label: 'y', y: Float64Array.from(y), trials: null },
    fixed: { X, p, columns, names: columns.map((c) => 'b_' + (c === '(Intercept)' ? 'Intercept' : c)), dropped: [], hasIntercept: true },
    random: terms, offset: null,
    groups: Object.fromEntries(terms.map((t) => [t.group, t.levels.length])),
  };
}

/** The seed's RCBD counts (glmm-references.json rcbd_data). */
export const rcbd = {
  block: [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8].map(String),
  trt: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1].map(String),
  count: [1, 5, 21, 7, 2, 6, 0, 19, 36, 109, 30, 48, 0, 2, 5, 26],
};

/** count ~ trt + (1|block) on the RCBD data; `unbalanced` drops the row block 8, trt 1. */
export function rcbdDesign(unbalanced = false): Design {
  const keep = rcbd.count.map((_, i) => !(unbalanced && rcbd.block[i] === '8' && rcbd.trt[i] === '1'));
  const pick = <T>(a: T[]): T[] => a.filter((_, i) => keep[i]);
  return makeDesign(pick(rcbd.count), [{ factor: 'trt', values: pick(rcbd.trt) }], [{ group: 'block', values: pick(rcbd.block) }], 'count ~ trt + (1|block)');
}

/** log(count + 1) ~ amount + (amount | lot) on sim_lots_visible.csv. */
export function lotsDesign(): Design {
  const c = readCsvColumns('sim_lots_visible.csv');
  const amount = c.amount.map(Number);
  return makeDesign(c.count.map((v) => Math.log(Number(v) + 1)), [{ numeric: 'amount', values: amount }],
    [{ group: 'lot', values: c.lot, slope: { name: 'amount', values: amount } }], 'log(count + 1) ~ amount + (amount | lot)');
}

/** asin(sqrt(y/n)) ~ gen + long + (1|block) on the Hessian fly data without rows 3, 10, 20, 37, 50 (1-based). */
export function hessianflyDesign(): Design {
  const c = readCsvColumns('lme4test_gotway_hessianfly.csv');
  const drop = new Set([3, 10, 20, 37, 50].map((i) => i - 1));
  const keep = (a: string[]): string[] => a.filter((_, i) => !drop.has(i));
  const y = keep(c.y).map(Number), nn = keep(c.n).map(Number);
  return makeDesign(y.map((v, i) => Math.asin(Math.sqrt(v / nn[i]))),
    [{ factor: 'gen', values: keep(c.gen) }, { numeric: 'long', values: keep(c.long).map(Number) }],
    [{ group: 'block', values: keep(c.block) }], 'asin(sqrt(y/n)) ~ gen + long + (1|block)');
}

/** Split plot: log(count + 1) ~ famount * half + (1|lot), half = lots 1–4 vs 5–8, rows 2, 17, 40 (1-based) dropped. */
export function splitplotDesign(): { design: Design; grid: { factors: Record<string, string[]> } } {
  const c = readCsvColumns('sim_lots_visible.csv');
  const drop = new Set([2, 17, 40].map((i) => i - 1));
  const keep = <T>(a: T[]): T[] => a.filter((_, i) => !drop.has(i));
  const famount = keep(c.amount), lot = keep(c.lot), half = lot.map((l) => (Number(l) <= 4 ? 'a' : 'b'));
  const design = makeDesign(keep(c.count).map((v) => Math.log(Number(v) + 1)),
    [{ factor: 'famount', values: famount }, { factor: 'half', values: half }, { interaction: ['famount', 'half'], values: [famount, half] }],
    [{ group: 'lot', values: lot }], 'log(count + 1) ~ famount * half + (1|lot)');
  return { design, grid: { factors: { famount: levelsOf(famount), half: ['a', 'b'] } } };
}
