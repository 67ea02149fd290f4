import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { fixturePath } from './fixture.js';
import { csvHeaderNames, formatNumber, readCmdStanCsv, writeCmdStanCsv } from '../../diagnostics/cmdstan-csv.js';
import { chainToCmdStanCsv, combineChains, splitByChainColumn } from '../../diagnostics/cmdstan-chains.js';
import { GlmmInputError } from '../../base/errors.js';

test('round trip of our own files is exact (names, random-effect map, every double)', () => {
  const rng = seedrandom('cmdstan-csv round trip');
  const names = ['lp__', 'accept_stat__', 'divergent__', 'b_Intercept', 'b_x1:x2', 'sd_block__Intercept',
    'cor_lot__Intercept__amount', 'r_block[1,Intercept]', 'r_block[2,Intercept]', 'r_block[1,trt1]',
    'r_block:trt[a b,Intercept]', 'r_plot.id[10,Intercept]', 'theta.1', 'shape'];
  const P = names.length;
  const nDraws = 50;
  const values = new Float64Array(nDraws * P);
  for (let i = 0; i < values.length; i++) values[i] = (rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20);
  const specials = [0, -0, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 1 / 3];
  specials.forEach((v, i) => (values[i * P + (i % P)] = v));
  const text = writeCmdStanCsv(names, values, ['written by the round-trip test']);
  const back = readCmdStanCsv(text, 'roundtrip.csv');
  assert.deepEqual(back.names, names);
  assert.equal(back.nDraws, nDraws);
  for (let i = 0; i < values.length; i++) assert.ok(Object.is(back.values[i], values[i]), `value ${i}: ${values[i]} → ${back.values[i]}`);
  // header uses the CmdStan-safe form, with the map block
  const header = text.split('\n').find((l) => !l.startsWith('#'))!;
  assert.ok(header.includes('r_block.1.1,r_block.2.1,r_block.1.2,r_block:trt.1.1,r_plot.id.1.1,theta.1'), header);
  assert.ok(text.includes('# r_block levels: ["1","2"]'));
  assert.ok(text.includes('# r_block terms: ["Intercept","trt1"]'));
  assert.ok(!/[[\]]/.test(header));
});

test('formatNumber gives the shortest round-trip text', () => {
  assert.equal(formatNumber(0.1), '0.1');
  assert.equal(formatNumber(1e21), '1e+21');
  assert.equal(formatNumber(-0), '-0');
  assert.equal(formatNumber(NaN), 'nan');
  assert.equal(formatNumber(-Infinity), '-inf');
});

test('without the map block, r_block.3.1 and theta.1 names stay as written', () => {
  const { header } = csvHeaderNames(['r_g[3,Intercept]']);
  const text = `${header.join(',')},theta.1\n1,2\n`;
  assert.deepEqual(readCmdStanCsv(text).names, ['r_g.1.1', 'theta.1']);
});

test('reads a CmdStan file with comments before, inside and after the rows', () => {
  const path = fixturePath('cmdstan-style-chain1.csv');
  const chain = readCmdStanCsv(readFileSync(path, 'utf8'), path);
  assert.deepEqual(chain.names, ['lp__', 'accept_stat__', 'stepsize__', 'treedepth__', 'n_leapfrog__', 'divergent__', 'energy__', 'theta', 'beta.1', 'beta.2']);
  assert.equal(chain.nDraws, 6);
  const row = (r: number) => Array.from(chain.values.subarray(r * 10, r * 10 + 10));
  assert.deepEqual(row(0), [-7.30192, 0.969779, 0.932037, 1, 3, 0, 7.34301, 0.254023, 0.0015, -2]);
  assert.equal(row(3)[8], 300);
  assert.ok(Number.isNaN(row(4)[8]));
  assert.equal(row(4)[9], Infinity);
  assert.equal(row(5)[9], -Infinity);
  assert.ok(chain.comments.some((c) => c.includes('Elapsed Time')));
  assert.ok(chain.comments.some((c) => c.includes('max_depth = 3')));
});

test('reads R write.csv output (quoted header, row names) and posterior draws_df bookkeeping columns', () => {
  const text = '"","lp__","mu","tau","theta[1]",".chain",".iteration",".draw"\n"1",-39.5,1.5,2.25,"3",1,1,1\n"2",-40,NA,1,2,1,2,2\n';
  const chain = readCmdStanCsv(text, 'r.csv');
  assert.deepEqual(chain.names, ['lp__', 'mu', 'tau', 'theta[1]']);
  assert.deepEqual(Array.from(chain.values.subarray(0, 4)), [-39.5, 1.5, 2.25, 3]);
  assert.ok(Number.isNaN(chain.values[5]));
  // a quoted name with a comma and an escaped quote
  assert.deepEqual(readCmdStanCsv('"a,b","c""d"\n1,2\n').names, ['a,b', 'c"d']);
});

test('bad input: one-line GlmmInputError naming file, line and column', () => {
  assert.throws(() => readCmdStanCsv('# c\na,b\n1,2\n3,x\n', 'chain2.csv'), (e: unknown) => {
    assert.ok(e instanceof GlmmInputError);
    assert.equal(e.message, 'chain2.csv: line 4, column b: "x" is not a number; every draw must be numeric');
    return true;
  });
  assert.throws(() => readCmdStanCsv('a,b\n1,2,3\n', 'f.csv'), /f\.csv: line 2 has 3 cells but the header has 2 columns/);
  assert.throws(() => readCmdStanCsv('a,b\n1,\n', 'f.csv'), /f\.csv: line 2, column b: "" is not a number/);
  assert.throws(() => readCmdStanCsv('# only comments\n', 'e.csv'), /e\.csv: no header row/);
  const a = readCmdStanCsv('a,b\n1,2\n');
  const b = readCmdStanCsv('a,c\n1,2\n');
  assert.throws(() => combineChains([a, b], ['one.csv', 'two.csv']), (e: unknown) => {
    assert.ok(e instanceof GlmmInputError);
    assert.equal(e.message, 'two.csv: column 2 is "c" but one.csv has "b"; every chain file must have the same columns');
    return true;
  });
  assert.throws(() => combineChains([a, readCmdStanCsv('a,b\n1,2\n3,4\n')], ['one.csv', 'two.csv']), /two\.csv: has 2 draws but one\.csv has 1/);
});

test('combineChains splits sampler columns from variables, chain-major', () => {
  const c1 = readCmdStanCsv('lp__,x,divergent__,y\n-1,1,0,10\n-2,2,1,20\n');
  const c2 = readCmdStanCsv('lp__,x,divergent__,y\n-3,3,0,30\n-4,4,0,40\n');
  const { draws, sampler } = combineChains([c1, c2], ['1.csv', '2.csv']);
  assert.deepEqual(draws.names, ['x', 'y']);
  assert.deepEqual(Array.from(draws.data), [1, 10, 2, 20, 3, 30, 4, 40]);
  assert.deepEqual(sampler.names, ['lp__', 'divergent__']);
  assert.deepEqual(Array.from(sampler.data), [-1, 0, -2, 1, -3, 0, -4, 0]);
});

test('a posterior draws_df written by R holds several chains: split by the .chain column', () => {
  const text = '".chain",".iteration",".draw","mu"\n1,1,1,0.5\n1,2,2,0.25\n2,1,3,-1\n2,2,4,2\n';
  const parts = splitByChainColumn(readCmdStanCsv(text, 'df.csv'));
  assert.equal(parts.length, 2);
  assert.deepEqual(parts.map((p) => Array.from(p.values)), [[0.5, 0.25], [-1, 2]]);
  assert.deepEqual(parts[0].names, ['mu']);
  // a CmdStan file has no chain column: one chain
  assert.equal(splitByChainColumn(readCmdStanCsv('a\n1\n2\n')).length, 1);
});

test('chainToCmdStanCsv writes sampler columns first and reads back into the same Draws', () => {
  const draws = { nChains: 2, nDraws: 3, names: ['b_Intercept', 'r_g[a,Intercept]'], data: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) };
  const sampler = { nChains: 2, nDraws: 3, names: ['lp__', 'divergent__'], data: Float64Array.from([-1, 0, -2, 0, -3, 1, -4, 0, -5, 0, -6, 0]) };
  const texts = [0, 1].map((c) => chainToCmdStanCsv(draws, c, { sampler, comments: ['glmm test\nsecond line'] }));
  assert.ok(texts[0].startsWith('# glmm test\n# second line\n'));
  assert.ok(texts[0].includes('\nlp__,divergent__,b_Intercept,r_g.1.1\n'));
  const back = combineChains(texts.map((t, i) => readCmdStanCsv(t, `c${i}.csv`)), ['c0.csv', 'c1.csv']);
  assert.deepEqual(back.draws.names, draws.names);
  assert.deepEqual(Array.from(back.draws.data), Array.from(draws.data));
  assert.deepEqual(Array.from(back.sampler.data), Array.from(sampler.data));
});
