// Golden values: test/fixtures/design-golden.json, made by test/fixtures/design-golden.R
// (R 4.2.2, lme4 1.1-31: colnames/values of glFormula()$X and model.matrix(), and lme4's reTrms
// cnms, flist levels and Ztlist, model.response and model.offset of the model frame, for the six
// reference models and one formula of each kind).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readCsvFile, frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import type { Design, RandomTerm } from '../../src/design/types.js';
import type { FamilyName } from '../../models/families/types.js';
import { repoPath } from './repo-path.js';

interface GoldenRandom {
  group: string;
  cnms: string[];
  levels: string[];
  Z: { row: number[]; col: number[]; x: number[] };
}
interface GoldenCase {
  id: string;
  formula: string;
  factors: string[];
  path?: string;
  data?: Record<string, (string | number)[]>;
  nobs?: number;
  response?: { y: number[]; trials?: number[] };
  offset?: number[];
  fixed: { columns: string[]; X: number[]; dropped?: string[] };
  random?: GoldenRandom[];
}
interface Golden {
  provenance: string;
  levels_probe: { values: string[]; levels: string[] };
  numeric_levels: { values: number[]; levels: string[] };
  cases: GoldenCase[];
}

const golden = JSON.parse(readFileSync(repoPath('test/fixtures/design-golden.json'), 'utf8')) as Golden;
const byId = new Map(golden.cases.map((c) => [c.id, c]));

const FAMILY: Record<string, FamilyName> = { beitler: 'binomial', cbpp: 'binomial', seeds: 'binomial', salamanders_nb: 'negbinomial' };

function design(c: GoldenCase, formula = c.formula): Design {
  const frame = c.path ? readCsvFile(repoPath(c.path)) : frameFromRows(c.data as Record<string, (string | number)[]>);
  return buildDesign(formula, frame, FAMILY[c.id] ?? 'poisson', { factors: c.factors });
}

/** |a - b| ≤ 1e-13·max(1, |b|): the values are the same double up to libm's last bits (log, exp, sqrt). */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-13 * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs R ${expected[i]}`);
  }
}

/** Dense n × (levels·k) Z of one term, level-major as lme4's Ztlist (column l·k + j). */
function denseOurs(t: RandomTerm, n: number): Float64Array {
  const m = t.levels.length * t.k;
  const Z = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < t.k; j++) Z[i * m + t.index[i] * t.k + j] = t.Z[i * t.k + j];
  return Z;
}

function denseR(g: GoldenRandom, n: number): Float64Array {
  const m = g.levels.length * g.cnms.length;
  const Z = new Float64Array(n * m);
  g.Z.row.forEach((r, e) => { Z[r * m + g.Z.col[e]] = g.Z.x[e]; });
  return Z;
}

/** Our terms against lme4's (lme4 sorts by number of levels: match by group name and columns). */
function assertRandomMatches(d: Design, rs: readonly GoldenRandom[], id: string): void {
  assert.equal(d.random.length, rs.length, `${id}: number of random terms`);
  for (const g of rs) {
    const t = d.random.find((r) => r.group === g.group && r.columns.join() === g.cnms.join());
    assert.ok(t, `${id}: no term (${g.cnms.join(' + ')} | ${g.group}); have ${d.random.map((r) => `${r.columns.join('+')}|${r.group}`).join(', ')}`);
    assert.deepEqual(t.levels, g.levels, `${id} ${g.group}: levels`);
    assert.equal(t.k, g.cnms.length);
    assertClose(denseOurs(t, d.nobs), denseR(g, d.nobs), `${id} Z(${g.group})`);
  }
}

for (const c of golden.cases) {
  if (c.id === 'nested_lme4_slash') continue; // compared below against nested_explicit
  test(`design matches R: ${c.id}: ${c.formula}`, () => {
    const d = design(c);
    assert.deepEqual(d.fixed.columns, c.fixed.columns);
    assert.deepEqual(d.fixed.names, c.fixed.columns.map((s) => (s === '(Intercept)' ? 'b_Intercept' : `b_${s}`)));
    assertClose(d.fixed.X, c.fixed.X, `${c.id} X`);
    if (c.fixed.dropped) assert.deepEqual(d.fixed.dropped, c.fixed.dropped);
    if (c.nobs !== undefined) assert.equal(d.nobs, c.nobs);
    if (c.random) assertRandomMatches(d, c.random, c.id);
    if (c.response) {
      assertClose(d.response.y, c.response.y, `${c.id} y`);
      if (c.response.trials) assertClose(d.response.trials as Float64Array, c.response.trials, `${c.id} trials`);
      else assert.equal(d.response.trials, null);
    }
    if (c.random) {
      if (c.offset) assertClose(d.offset as Float64Array, c.offset, `${c.id} offset`);
      else assert.equal(d.offset, null);
    }
  });
}

test('(1 | a/b) is lme4\'s (1 | a) + (1 | a:b): same levels and Z; lme4 names the second b:a', () => {
  const explicit = byId.get('nested_explicit') as GoldenCase;
  const slash = byId.get('nested_lme4_slash') as GoldenCase;
  const d = design(slash);
  assert.deepEqual(d.random.map((r) => r.group), ['a', 'a:b']);
  assertRandomMatches(d, explicit.random as GoldenRandom[], 'a/b');
  // lme4's own expansion has the same number of levels (its labels are b:a, b first)
  assert.deepEqual((slash.random as GoldenRandom[]).map((r) => r.levels.length).sort(), d.random.map((r) => r.levels.length).sort());
});

test('the six reference models give the parameter names of glmm-references.json', () => {
  // names copied from /work/shared/reference/glmm-references.json (laplace.fixef / varcomp keys)
  const expect: Record<string, { b: string[]; sd: string[] }> = {
    rcbd_poisson: { b: ['b_Intercept', 'b_trt1'], sd: ['sd_block__Intercept', 'sd_block:trt__Intercept'] },
    beitler: { b: ['b_Intercept', 'b_t1'], sd: ['sd_clinic__Intercept', 'sd_clinic:t__Intercept'] },
    cbpp: { b: ['b_Intercept', 'b_period2', 'b_period3', 'b_period4'], sd: ['sd_herd__Intercept'] },
    seeds: { b: ['b_Intercept', 'b_x1', 'b_x2', 'b_x1:x2'], sd: ['sd_plate__Intercept'] },
    lots_visible: { b: ['b_Intercept', 'b_amount'], sd: ['sd_lot__Intercept', 'sd_lot__amount', 'sd_sample__Intercept'] },
    salamanders_nb: {
      b: ['b_Intercept', 'b_minedyes', 'b_sppDF', 'b_sppDM', 'b_sppEC-A', 'b_sppEC-L', 'b_sppGP', 'b_sppPR'],
      sd: ['sd_site__Intercept'],
    },
  };
  const nobs: Record<string, number> = { rcbd_poisson: 16, beitler: 16, cbpp: 56, seeds: 21, lots_visible: 48, salamanders_nb: 644 };
  for (const [id, e] of Object.entries(expect)) {
    const d = design(byId.get(id) as GoldenCase);
    assert.deepEqual(d.fixed.names, e.b, id);
    assert.deepEqual(d.random.flatMap((r) => r.terms.map((t) => `sd_${r.group}__${t}`)), e.sd, id);
    assert.equal(d.nobs, nobs[id], id);
    assert.equal(d.droppedRows, 0);
  }
});

test('factor levels sort as R 4.2.2 factor() does (ICU collation; numbers numerically, printed as R)', () => {
  const f = frameFromRows({ v: golden.levels_probe.values }).columns.get('v');
  assert.ok(f && f.kind === 'factor');
  assert.deepEqual(f.levels, golden.levels_probe.levels);
  const g = frameFromRows({ v: golden.numeric_levels.values }, { factors: ['v'] }).columns.get('v');
  assert.ok(g && g.kind === 'factor');
  assert.deepEqual(g.levels, golden.numeric_levels.levels);
});
