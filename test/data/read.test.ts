import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromRows, readCsv } from '../../src/data/read.js';
import { formatNumber, parseNumber, subsetColumn } from '../../src/data/frame.js';
import { GlmmInputError } from '../../base/errors.js';

test('formatNumber prints numbers as R 4.2.2 as.character()/deparse()', () => {
  // R: as.character(c(100000,123456,0.0001,0.001,1e15,1e-15,1/3,2/3*100,1234567.1,0.1+0.2,1e21,123456789012,-0.5,1.5e-8,100,10,1e5+0.1))
  const xs = [100000, 123456, 0.0001, 0.001, 1e15, 1e-15, 1 / 3, (2 / 3) * 100, 1234567.1, 0.1 + 0.2, 1e21, 123456789012, -0.5, 1.5e-8, 100, 10, 1e5 + 0.1];
  const r = ['1e+05', '123456', '1e-04', '0.001', '1e+15', '1e-15', '0.333333333333333', '66.6666666666667', '1234567.1', '0.3',
    '1e+21', '123456789012', '-0.5', '1.5e-08', '100', '10', '100000.1'];
  assert.deepEqual(xs.map(formatNumber), r);
  assert.deepEqual([0, NaN, Infinity, -Infinity].map(formatNumber), ['0', 'NaN', 'Inf', '-Inf']);
});

test('parseNumber accepts decimal text as R reads it and nothing else', () => {
  const ok: [string, number][] = [['1', 1], [' 2.5 ', 2.5], ['-3', -3], ['+.5', 0.5], ['1e3', 1000], ['1.E-2', 0.01], ['Inf', Infinity], ['-Inf', -Infinity]];
  for (const [s, v] of ok) assert.equal(parseNumber(s), v, s);
  for (const s of ['', ' ', '0x10', '1e', '.', '-', '1,5', 'abc', '1 2', 'TRUE']) assert.equal(parseNumber(s), null, s);
});

test('readCsv: numeric vs factor columns, missing cells, forced factors, quoted numbers', () => {
  const df = readCsv('"block",trt,count,name,flag\n"1",0,5,b,TRUE\n"2",1,,a,FALSE\n"10",1,NA,B,TRUE\n"2",0,7.5,NA,TRUE\n', { factors: ['trt'] });
  assert.equal(df.nrow, 4);
  assert.deepEqual([...df.columns.keys()], ['block', 'trt', 'count', 'name', 'flag']);
  const block = df.columns.get('block');
  assert.ok(block?.kind === 'numeric'); // quoted "1" is still a number, as R's read.csv
  assert.deepEqual([...block.values], [1, 2, 10, 2]);
  const trt = df.columns.get('trt');
  assert.ok(trt?.kind === 'factor');
  assert.deepEqual(trt.levels, ['0', '1']);
  assert.deepEqual([...trt.codes], [0, 1, 1, 0]);
  const count = df.columns.get('count');
  assert.ok(count?.kind === 'numeric');
  assert.deepEqual([...count.values].map((v) => (Number.isNaN(v) ? 'NA' : v)), [5, 'NA', 'NA', 7.5]);
  const name = df.columns.get('name');
  assert.ok(name?.kind === 'factor');
  assert.deepEqual(name.levels, ['a', 'b', 'B']); // R's sort() in a UTF-8 locale: a < b < B
  assert.deepEqual([...name.codes], [1, 0, 2, -1]);
  const flag = df.columns.get('flag');
  assert.ok(flag?.kind === 'factor');
  assert.deepEqual(flag.levels, ['FALSE', 'TRUE']);
});

test('numeric factor levels sort numerically and print as R (1.50 → 1.5, 10 after 9)', () => {
  const df = readCsv('g\n10\n9\n1.50\n9.0\n', { factors: ['g'] });
  const g = df.columns.get('g');
  assert.ok(g?.kind === 'factor');
  assert.deepEqual(g.levels, ['1.5', '9', '10']);
  assert.deepEqual([...g.codes], [2, 1, 0, 1]);
});

test('readCsv errors are one line and say what to do', () => {
  const cases: [string, RegExp][] = [
    ['', /CSV: the file is empty/],
    ['a,a\n1,2\n', /column name 'a' appears twice/],
    ['a,\n1,2\n', /column 2 of the header has no name/],
    ['a,b\n1,2,3\n', /^CSV: .*/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => readCsv(text), (e: unknown) => e instanceof GlmmInputError && re.test(e.message) && !e.message.includes('\n'), text);
  }
  assert.throws(() => readCsv('a,b\n1,2\n', { factors: ['c'] }), { message: "unknown column 'c' in factors (--factor); columns are: a, b" });
});

test('frameFromRows: row objects and column objects follow the CSV typing rule', () => {
  const a = frameFromRows([{ y: 1, g: 'x' }, { y: null, g: 'y', z: 2 }, { y: 3, g: 'x' }]);
  assert.equal(a.nrow, 3);
  assert.deepEqual([...a.columns.keys()], ['y', 'g', 'z']);
  const z = a.columns.get('z');
  assert.ok(z?.kind === 'numeric');
  assert.deepEqual([...z.values].map((v) => (Number.isNaN(v) ? 'NA' : v)), ['NA', 2, 'NA']);
  const b = frameFromRows({ y: Float64Array.from([1, 2]), g: ['3', '12'] });
  const g = b.columns.get('g');
  assert.ok(g?.kind === 'numeric'); // "3" and "12" are numbers, as in a CSV
  const c = frameFromRows({ y: [1, 2], g: ['3', '12'] }, { factors: ['g'] }).columns.get('g');
  assert.ok(c?.kind === 'factor');
  assert.deepEqual(c.levels, ['3', '12']);
  assert.throws(() => frameFromRows({ y: [1, 2], g: ['a'] }), /column 'g' has 1 values but 'y' has 2/);
});

test('subsetColumn drops unused factor levels and keeps order (R droplevels)', () => {
  const f = readCsv('g\nc\na\nb\na\n').columns.get('g');
  assert.ok(f?.kind === 'factor');
  const s = subsetColumn(f, Int32Array.from([0, 3]));
  assert.ok(s.kind === 'factor');
  assert.deepEqual(s.levels, ['a', 'c']);
  assert.deepEqual([...s.codes], [1, 0]);
});

test('readCsv: BOM, CRLF line ends, blank lines and quoted commas', () => {
  const df = readCsv('\ufeffa,b\r\n1,"x, y"\r\n\r\n2,z\r\n');
  assert.equal(df.nrow, 2);
  const b = df.columns.get('b');
  assert.ok(b?.kind === 'factor');
  assert.deepEqual(b.levels, ['x, y', 'z']);
  assert.ok(df.columns.get('a')?.kind === 'numeric');
});

test("a numeric column with a few stray texts is a factor marked strayText; na: ['.'] makes them missing", () => {
  const rows = ['y,Days', ...Array.from({ length: 18 }, (_, i) => `${i},${i === 4 ? '.' : i % 10}`)].join('\n');
  const d = readCsv(rows).columns.get('Days')!;
  assert.equal(d.kind, 'factor');
  assert.deepEqual(d.kind === 'factor' ? d.strayText : null, { count: 1, row: 5, text: '.' });
  const fixed = readCsv(rows, { na: ['.'] }).columns.get('Days')!;
  assert.equal(fixed.kind, 'numeric');
  assert.ok(fixed.kind === 'numeric' && Number.isNaN(fixed.values[4]) && fixed.values[5] === 5);
  // text with a minority of numbers, or many distinct texts, is an ordinary factor
  const text = readCsv('g\na\nb\n1\nc\n').columns.get('g')!;
  assert.ok(text.kind === 'factor' && text.strayText === undefined);
  const many = readCsv(['x', ...Array.from({ length: 40 }, (_, i) => (i < 8 ? `t${i}` : String(i)))].join('\n')).columns.get('x')!;
  assert.ok(many.kind === 'factor' && many.strayText === undefined);
});

test('separator: detected from a header without commas (with a note), or given', () => {
  const semi = readCsv('a;b\n1;2\n3;4\n');
  assert.deepEqual([...semi.columns.keys()], ['a', 'b']);
  assert.deepEqual(semi.notes, ['The data file is read as semicolon-separated (its header has semicolons and no commas); --sep chooses.']);
  const tab = readCsv('a\tb\n1\t2\n');
  assert.deepEqual([...tab.columns.keys()], ['a', 'b']);
  assert.match(tab.notes![0], /tab-separated/);
  const comma = readCsv('a,b\n1,2\n');
  assert.equal(comma.notes, undefined);
  // decimal commas in a semicolon file stay text when the separator is given: no silent misreading
  assert.deepEqual([...readCsv('a;b\n1,5;2\n', { sep: ';' }).columns.keys()], ['a', 'b']);
  assert.throws(() => readCsv('a;b\n1;2\n', { sep: ';;' }), /one character/);
});
