import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnoseFiles } from '../../src/cli/diagnose.js';
import { writeCmdStanCsv } from '../../diagnostics/cmdstan-csv.js';
import { summarizeDraws } from '../../diagnostics/summary.js';
import { ebfmi } from '../../diagnostics/ebfmi.js';
import { GlmmInputError } from '../../base/errors.js';
import { ar } from './lcg.js';

// glmm diagnose on files we write: the JSON must carry exactly summarizeDraws' numbers (which are
// checked against posterior in summary.test.ts / reference.test.ts), nulls for NA, and the warnings.
const N = 200;
const C = 4;
const names = ['lp__', 'treedepth__', 'divergent__', 'energy__', 'b_Intercept', 'r_g[1,Intercept]', 'sigma', 'const'];

function chainValues(c: number): Float64Array {
  const a = ar(c, N, 0.5);
  const b = ar(c + 10, N, 0.2);
  const e = ar(c + 20, N, 0.95);
  const v = new Float64Array(N * names.length);
  for (let d = 0; d < N; d++) {
    const r = d * names.length;
    v.set([-(a[d] ** 2), d % 50 === 0 ? 10 : 3, c === 2 && d < 3 ? 1 : 0, e[d] + 10, a[d], b[d], Math.exp(b[d]), 1.5], r);
  }
  return v;
}

function writeChains(dir: string): string[] {
  return Array.from({ length: C }, (_, i) => {
    const p = join(dir, `draws_chain${i + 1}.csv`);
    writeFileSync(p, writeCmdStanCsv(names, chainValues(i + 1), ['max_depth = 10']));
    return p;
  });
}

test('diagnoseFiles --json: posterior names, summarizeDraws values, nulls, warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-diagnose-'));
  try {
    const paths = writeChains(dir);
    const out = JSON.parse(diagnoseFiles(paths, { json: true }));
    assert.equal(out.schema_version, 1);
    assert.deepEqual(out.variables.map((v: { variable: string }) => v.variable), ['b_Intercept', 'r_g[1,Intercept]', 'sigma', 'const']);
    assert.deepEqual(Object.keys(out.variables[0]), ['variable', 'rhat', 'rhat_nested', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95', 'mean', 'sd', 'median', 'mad', 'q5', 'q95']);
    // the same numbers as summarizeDraws on the in-memory draws
    const P = 4;
    const data = new Float64Array(C * N * P);
    for (let c = 0; c < C; c++) {
      const v = chainValues(c + 1);
      for (let d = 0; d < N; d++) for (let p = 0; p < P; p++) data[(c * N + d) * P + p] = v[d * names.length + 4 + p];
    }
    const want = summarizeDraws({ nChains: C, nDraws: N, names: names.slice(4), data });
    for (let p = 0; p < 3; p++) {
      for (const k of ['rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95', 'mean', 'sd', 'median', 'mad', 'q5', 'q95'] as const) {
        assert.equal(out.variables[p][k], want[p][k], `${names[4 + p]}.${k}`);
      }
    }
    const k = out.variables[3];
    assert.equal(k.mean, 1.5);
    assert.equal(k.sd, 0);
    assert.equal(k.rhat, null);
    assert.equal(k.ess_bulk, null);
    assert.equal(k.mcse_mean, null);
    // warnings: 3 divergences in 800; 16 hits of treedepth 10 (4 per chain); E-BFMI of AR(0.95) energies is low
    assert.equal(out.warnings[0], '3 of 800 transitions (0.38%) ended with a divergence: the sampler missed part of the posterior; raise --adapt-delta (e.g. 0.95) or reparameterize.');
    assert.match(out.warnings[1], /^16 of 800 transitions \(2\.00%\) stopped at the maximum tree depth of 10/);
    const e1 = ebfmi(ar(21, N, 0.95));
    assert.ok(e1 < 0.3);
    assert.match(out.warnings[2], new RegExp(`^E-BFMI is below 0\\.3 in \\d of 4 chains \\(chain 1: ${e1.toFixed(2)}`));

    const text = diagnoseFiles(paths, { json: false });
    const lines = text.split('\n');
    assert.equal(lines[0], '4 chains × 200 draws, 4 variables');
    assert.match(lines[1], /^variable\s+mean\s+median\s+sd\s+mad\s+q5\s+q95\s+rhat\s+ess_bulk\s+ess_tail\s+mcse_mean\s+mcse_sd\s+mcse_q5\s+mcse_median\s+mcse_q95$/);
    assert.match(lines[5], /^const\s+1\.50\s+1\.50\s+0\.00\s+0\.00\s+1\.50\s+1\.50\s+NA\s+NA\s+NA\s+NA\s+NA\s+NA\s+NA\s+NA$/);
    assert.ok(text.includes('Warning: 3 of 800 transitions'));
    assert.ok(!text.includes('lp__'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diagnoseFiles: missing file and mismatched chains give one-line GlmmInputError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-diagnose-'));
  try {
    const missing = join(dir, 'nope.csv');
    assert.throws(() => diagnoseFiles([missing], { json: true }), (e: unknown) => {
      assert.ok(e instanceof GlmmInputError);
      assert.equal(e.message, `${missing}: cannot read the file (not found); check the path`);
      return true;
    });
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, 'lp__,y\n1,2\n3,4\n');
    writeFileSync(b, 'lp__,y\n1,2\n3,oops\n');
    assert.throws(() => diagnoseFiles([a, b], { json: false }), new GlmmInputError(`${b}: line 3, column y: "oops" is not a number; every draw must be numeric`));
    // a data CSV (whole numbers, no lp__, no .chain) is not taken for draws: the message says what was
    // read and how to force it
    const data = join(dir, 'data.csv');
    writeFileSync(data, 'count,trt,block\n3,0,1\n5,1,1\n');
    assert.throws(() => diagnoseFiles([data], { json: false }), new GlmmInputError(
      `${data}: every cell is a whole number and there is no lp__ or .chain column, so this looks like a data table, not posterior draws (read 2 rows of columns count, trt, block); pass the draws CSVs of a fit (glmm fit --out DIR) or of a sampler, one file per chain, or --force to read it as draws`,
    ));
    const forced = JSON.parse(diagnoseFiles([data], { json: true, force: true })) as { variables: { variable: string; mean: number }[] };
    assert.deepEqual(forced.variables.map((v) => [v.variable, v.mean]), [['count', 4], ['trt', 0.5], ['block', 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diagnoseFiles: one CSV per chain from another sampler (no lp__, no .chain, `# chain = K` lines) reads as chains, as posterior does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-diagnose-'));
  try {
    // the same draws written two ways: one file per chain with comment lines and only the parameters,
    // and one posterior draws_df file with a .chain column (a layout the reader already took)
    const K = 3;
    const chains = Array.from({ length: K }, (_, c) => ({ mu: ar(c + 1, N, 0.5), tau: ar(c + 7, N, 0.3).map(Math.exp) }));
    const perChain = chains.map((ch, c) => {
      const p = join(dir, `other_${c + 1}.csv`);
      const rows = Array.from({ length: N }, (_, d) => `${ch.mu[d]},${ch.tau[d]}`);
      writeFileSync(p, [`# chain = ${c + 1}`, '# sampler = other', 'mu,tau', ...rows.slice(0, 5), '# a comment between rows', ...rows.slice(5)].join('\n') + '\n');
      return p;
    });
    const df = join(dir, 'draws_df.csv');
    writeFileSync(df, ['.chain,.iteration,.draw,mu,tau', ...chains.flatMap((ch, c) => Array.from({ length: N }, (_, d) => `${c + 1},${d + 1},${c * N + d + 1},${ch.mu[d]},${ch.tau[d]}`))].join('\n') + '\n');
    const a = JSON.parse(diagnoseFiles(perChain, { json: true }));
    const b = JSON.parse(diagnoseFiles([df], { json: true }));
    assert.deepEqual(a, b);
    assert.deepEqual(a.variables.map((v: { variable: string }) => v.variable), ['mu', 'tau']);
    assert.match(diagnoseFiles(perChain, { json: false }), /^3 chains × 200 draws, 2 variables/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
