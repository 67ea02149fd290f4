/**
 * A seeded generator of malformed and hostile `glmm` invocations (issue 12): CSV mutations, formula
 * mutations, flag values, prior statements and data no model can learn from. Each case is an argv (with
 * `$DIR` standing for a scratch directory holding `files`) and, for degenerate data that must still fit,
 * the warning that must name the cause (or, for data that must be refused, the error it must give).
 * Deterministic: the same seed gives the same cases.
 */
import seedrandom from 'seedrandom';
import { FAMILY_NAMES, getFamily, type FamilyName } from '../../models/families/index.js';

export interface FuzzCase {
  readonly name: string;
  readonly argv: string[];
  /** files to write into $DIR first */
  readonly files: Record<string, string>;
  /** exit 0 must print a warning matching this (degenerate data that still fits) */
  readonly warning?: RegExp;
  /** exit 0 must print this (input that must be accepted) */
  readonly stdout?: RegExp;
  /** the case must end with exit 1 and an error matching this */
  readonly error?: RegExp;
  /** the case samples (slow): run only a few */
  readonly samples?: boolean;
}

/** rcbd.csv (examples/data) with a numeric covariate x, a gaussian y and a 0/1 z beside it. */
export function baseCsv(): string {
  const counts = [1, 5, 21, 7, 15, 2, 9, 4, 36, 109, 30, 48, 44, 33, 48, 54];
  const rows = ['block,trt,count,x,y,z'];
  counts.forEach((c, i) => {
    const block = (i % 8) + 1;
    const trt = i < 8 ? 0 : 1;
    rows.push(`${block},${trt},${c},${(0.37 * i + 1).toFixed(2)},${(Math.log(c + 1) + 0.1 * block).toFixed(3)},${(c * 7 + block) % 3 === 0 ? 1 : 0}`);
  });
  return rows.join('\n') + '\n';
}

const MODEL = ['--family', 'poisson', '--factor', 'trt,block'];
const laplace = (data: string, formula: string, family = 'poisson', extra: string[] = []) =>
  ['laplace', '--data', data, '--formula', formula, '--family', family, '--factor', 'trt,block', ...extra];

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** One random edit of CSV text: a cell, a quote, a line ending, a byte, a row. */
function mutateCsv(rng: Rng, text: string): string {
  const lines = text.split('\n');
  const li = 1 + Math.floor(rng() * (lines.length - 2));
  const cells = lines[li].split(',');
  const ci = Math.floor(rng() * cells.length);
  const values = ['', 'NA', 'abc', '-1', '1.5', '1e308', '1e12', '-1e200', 'Inf', '-Inf', 'NaN', '"', '""', '"a,b"', ' 3 ', '0x10', '1e-320', '\u00e9t\u00e9', '\u0000', '3;4', '１２'];
  switch (Math.floor(rng() * 9)) {
    case 0: cells[ci] = pick(rng, values); lines[li] = cells.join(','); break;
    case 1: cells.splice(ci, 1); lines[li] = cells.join(','); break; // a cell short
    case 2: cells.push(pick(rng, values)); lines[li] = cells.join(','); break; // a cell too many
    case 3: return lines.map((l, i) => (i % 2 === 0 ? l + '\r' : l)).join('\n'); // mixed CRLF/LF
    case 4: lines[0] = pick(rng, ['block,trt,trt,x,y,z', ',trt,count,x,y,z', 'block;trt;count;x;y;z', '\ufeffblock,trt,count,x,y,z', 'block,trt,count,x,y']); break;
    case 5: lines.splice(li, 0, pick(rng, ['', '#comment', ',,,,,', '"unterminated', '1,0'])); break;
    case 6: return text.slice(0, Math.floor(rng() * text.length)); // truncated
    case 7: return pick(rng, ['', '\n', 'block,trt,count,x,y,z\n', '\u0000\u0001\u0002', 'a\n1\n']);
    default: lines[li] = lines[li].replace(/\d/, pick(rng, ['"', '\u0000', '\t', ' ']));
  }
  return lines.join('\n');
}

/** One random edit of a formula: an operator inserted, a character deleted, a term doubled, parentheses. */
function mutateFormula(rng: Rng, f: string): string {
  const at = Math.floor(rng() * (f.length + 1));
  const pieces = ['+', '-', '*', ':', '/', '^', '|', '||', '~', '(', ')', ',', ' ', '1', '0', 'trt', 'x', '(1|block)', 'offset(x)', 'I(x^2)', 'log(', 'cbind(count, 5)', '`', '.', '%in%', '$'];
  switch (Math.floor(rng() * 5)) {
    case 0: return f.slice(0, at) + pick(rng, pieces) + f.slice(at);
    case 1: return f.slice(0, at) + f.slice(at + 1);
    case 2: return f + ' + ' + pick(rng, ['trt:', 'trt:(1|block)', 'trt :+ (1|block)', '(1|)', '(|block)', '(x||block)', 'trt*x', '(trt|block:trt)', 'offset(count)', 'nosuch']);
    case 3: return '(' + f + ')';
    default: return f.replace(/[a-z]+/, pick(rng, ['', 'Count', 'count count', 'trt2', '1']));
  }
}

const FLAG_VALUES = ['-1', '0', '1', '2', '4', '1e9', 'abc', '', '1.5', '9007199254740993', 'NaN', 'Infinity', '-0', '1e308', ' ', '--json', '0.5', '0.99', '1.0'];
const FIT_FLAGS = ['--chains', '--draws', '--warmup', '--seed', '--adapt-delta', '--max-treedepth', '--metric', '--init', '--sampler', '--backend', '--link', '--draws-csv', '--nagq', '--bogus'];

/** Prior statements, valid and not. */
const PRIORS = [
  'b ~ normal(0, 5)', 'b ~ nromal(0,1)', 'b ~ normal(0)', 'b ~ normal(0, -1)', 'b ~ normal(0, 1e400)', 'sd ~ exponential(0)',
  'sd ~ student_t(3, 0, 2.5)', 'sd ~ student_t(-3, 0, 2.5)', 'b_trt1 ~ normal(0, 1)', 'b_nosuch ~ normal(0, 1)', 'b ~', '~ normal(0,1)',
  'Intercept ~ normal(0, 10)', 'cor ~ lkj(2)', 'cor ~ lkj(-1)', 'sd_block ~ exponential(1)', 'sd_nosuch ~ exponential(1)',
  'b ~ normal(0, 5', 'b ~ normal(0, 5))', 'b ~ normal(a, b)', 'sigma ~ exponential(1)', '', 'b ~ normal(0, Inf)', 'b ~ normal(NaN, 1)',
];

/** Data that a model cannot learn from, with the warning (exit 0) or error (exit 1) that must name it. */
function degenerateCases(): FuzzCase[] {
  const rows = (f: (i: number) => string) => ['block,trt,count,x,y,z', ...Array.from({ length: 16 }, (_, i) => f(i))].join('\n') + '\n';
  const b = (i: number) => (i % 8) + 1;
  const t = (i: number) => (i < 8 ? 0 : 1);
  const files = {
    'zeros.csv': rows((i) => `${b(i)},${t(i)},0,${i},${i},0`),
    'ones.csv': rows((i) => `${b(i)},${t(i)},3,${i},${i},1`),
    'sep.csv': rows((i) => `${b(i)},${t(i)},3,${i},${i},${t(i)}`),
    'sepx.csv': rows((i) => `${b(i)},${t(i)},3,${i},${i},${i > 6 ? 1 : 0}`),
    'const.csv': rows((i) => `${b(i)},${t(i)},3,${i},4.5,0`),
    'huge.csv': rows((i) => `${b(i)},${t(i)},${i === 3 ? '1e12' : i},${i},${i},0`),
    'huge308.csv': rows((i) => `${b(i)},${t(i)},${i === 3 ? '1e308' : i},${i},${i},0`),
    'bigx.csv': rows((i) => `${b(i)},${t(i)},${i},${i === 5 ? '1e200' : i},${i},0`),
    'exact.csv': rows((i) => `${b(i)},${t(i)},${i},${i},${2 * i + 1},0`),
  };
  const d = (n: string) => `$DIR/${n}`;
  return [
    { name: 'all-zero counts', argv: laplace(d('zeros.csv'), 'count ~ trt + (1|block)'), files, warning: /'count' is 0 in every row/ },
    { name: 'all-zero counts, negbinomial', argv: laplace(d('zeros.csv'), 'count ~ trt + (1|block)', 'negbinomial'), files, warning: /'count' is 0 in every row/ },
    { name: 'all-ones bernoulli', argv: laplace(d('ones.csv'), 'z ~ trt + (1|block)', 'bernoulli'), files, warning: /'z' is a success in every row/ },
    { name: 'all-failure binomial', argv: laplace(d('zeros.csv'), 'cbind(count, 3 - count) ~ trt + (1|block)', 'binomial'), files, warning: /a failure in every row/ },
    { name: 'separation by a factor', argv: laplace(d('sep.csv'), 'z ~ trt + (1|block)', 'bernoulli'), files, warning: /separation in trt/ },
    { name: 'separation by a covariate', argv: laplace(d('sepx.csv'), 'z ~ x + (1|block)', 'bernoulli'), files, warning: /complete separation in x/ },
    { name: 'constant gaussian response', argv: laplace(d('const.csv'), 'y ~ trt + (1|block)', 'gaussian'), files, error: /'y' is constant/ },
    { name: 'exactly fitted gaussian response', argv: laplace(d('exact.csv'), 'y ~ x + (1|block)', 'gaussian'), files, error: /fitted exactly/ },
    { name: 'count 1e12', argv: laplace(d('huge.csv'), 'count ~ trt + (1|block)'), files, error: /1e\+12 at row 4.*2\^24/ },
    { name: 'count 1e308', argv: laplace(d('huge308.csv'), 'count ~ trt + (1|block)'), files, error: /2\^24/ },
    { name: 'x = 1e200', argv: laplace(d('bigx.csv'), 'count ~ x + (1|block)'), files, error: /b_x is 1e\+200 at row 6.*rescale/ },
    { name: 'offset of the response', argv: laplace(d('zeros.csv'), 'count ~ trt + offset(count) + (1|block)'), files, error: /offset\(count\) uses the response/ },
    // the same through the sampler (short chains): exit 0 with the named warning in summary.json
    { name: 'fit: all-zero counts', argv: ['fit', '--data', d('zeros.csv'), '--formula', 'count ~ trt + (1|block)', ...MODEL, '--chains', '8', '--warmup', '20', '--draws', '20', '--json'], files, warning: /'count' is 0 in every row/, samples: true },
    { name: 'fit: separation', argv: ['fit', '--data', d('sep.csv'), '--formula', 'z ~ trt + (1|block)', '--family', 'bernoulli', '--factor', 'trt,block', '--chains', '8', '--warmup', '20', '--draws', '20', '--json'], files, warning: /separation in trt/, samples: true },
  ];
}

/** `glmm diagnose` on files that are draws without CmdStan's columns, and on files that only look like it (issue 23). */
function diagnoseCases(): FuzzCase[] {
  const chain = (c: number) => [`# chain = ${c}`, 'mu,tau', ...Array.from({ length: 40 }, (_, d) => `${Math.sin(d * c + 1).toFixed(4)},${(1 + Math.cos(d + c) ** 2).toFixed(4)}`)].join('\n') + '\n';
  const files = { 'c1.csv': chain(1), 'c2.csv': chain(2), 'ints.csv': 'count,trt,block\n3,0,1\n5,1,1\n7,0,2\n', 'text.csv': 'mu,tau\n1.5,a\n' };
  return [
    { name: 'diagnose: one file per chain from another sampler', argv: ['diagnose', '$DIR/c1.csv', '$DIR/c2.csv'], files, stdout: /^2 chains × 40 draws, 2 variables/ },
    { name: 'diagnose: a whole-number data table', argv: ['diagnose', '$DIR/ints.csv'], files, error: /looks like a data table.*--force/ },
    { name: 'diagnose --force: a whole-number table read as draws', argv: ['diagnose', '$DIR/ints.csv', '--force', '--json'], files },
    { name: 'diagnose: a text cell', argv: ['diagnose', '$DIR/c1.csv', '$DIR/text.csv'], files, error: /"a" is not a number/ },
  ];
}

/** baseCsv with a proportion p in (0, 1) and a second count w beside it (families of this round, --each-response). */
export function roundCsv(): string {
  const [head, ...rows] = baseCsv().trimEnd().split('\n');
  return [head + ',p,w', ...rows.map((r, i) => `${r},${((i + 1) / 18).toFixed(4)},${(i * 5) % 7}`)].join('\n') + '\n';
}

/**
 * A response expression the family accepts on roundCsv (cbind for successes out of n, the 0/1 z for one
 * trial, else the first column every row of which the family's rule allows), so that every family of the
 * table — those added later included — is fuzzed without a list kept by hand.
 */
function responseFor(name: FamilyName): string {
  const rule = getFamily(name).response;
  if (rule.trials === 'counts') return 'cbind(count, 120 - count)';
  if (rule.trials === 'one') return 'z';
  const columns: Record<string, number[]> = { count: [1, 5, 21, 7, 15, 2, 9, 4, 36, 109, 30, 48, 44, 33, 48, 54], y: [0.79], p: Array.from({ length: 16 }, (_, i) => (i + 1) / 18) };
  return Object.keys(columns).find((c) => columns[c].every((v) => rule.check(v))) ?? 'count';
}

/** Random-term forms of this round: glmmTMB's covariance structures, valid and not. */
const STRUCTURE_TERMS = [
  'ar1(trt + 0 | block)', 'cs(trt + 0 | block)', 'diag(trt | block)', 'us(trt | block)', 'ar1(trt | block)', 'ar1(x + 0 | block)',
  'cs(0 + | block)', 'toep(trt + 0 | block)', 'ar2(trt + 0 | block)', 'ar1(trt + 0 | )', 'cs(trt + 0 | block:trt)', 'ar1(1 | block)',
  'us(trt + 0 | block) + cs(trt + 0 | block)', 'diag(x || block)',
];

/** The zero part's formula (--zi, issue 26), valid and not: its columns, random effects, malformed text. */
const ZI_FORMULAS = ['~ 1', '~ x', '~ trt', '~ trt * x', '~ nosuch', '~ x + (1|block)', '~', 'x', '~ x +', 'count ~ x', '~ 0', '~ log(x)', '~ (x', '',
  '~ (1|block)', '~ x + (x|block)', '~ (x||block)', '~ (1|nosuch)', '~ (nosuch|block)', '~ (1|)', '~ 0 + (1|block)', '~ (1|block/trt)', '~ cs(trt + 0|block)'];

/** --levels of an ordinal response (issue 26), valid and not: the grades 1–4 of the ordinal table below, one left out, repeated, unknown, an empty category. */
const LEVEL_LISTS = ['1,2,3,4', '4,3,2,1', '1,2', '1,1,2,3,4', 'a,b,c', ',', '', '1,2,3,4,5', '1'];

/** Options of this round: threads, the many-fit pool's flags, K-fold, one fit per response, with hostile values. */
const ROUND_FLAGS = ['--threads', '--workers', '--results', '--resume', '--kfold', '--each-response', '--redis'];
const ROUND_VALUES = ['0', '1', '2', '-3', '1e9', 'abc', '', 'count,w', 'count,nosuch', 'count,count', 'redis://127.0.0.1:1', '$DIR/res.jsonl', '$DIR', '1.5'];

/**
 * The cases this round adds (issue 23 part 4): every family × link of the table on its own response,
 * once as it is and once with a formula edit; the covariance structures in the formula; the new flags.
 */
function roundCases(rng: Rng, n: number): FuzzCase[] {
  const files = { 'data.csv': roundCsv() };
  const out: FuzzCase[] = [];
  for (const name of FAMILY_NAMES) {
    for (const link of getFamily(name).links) {
      const f = `${responseFor(name)} ~ trt + (1|block)`;
      out.push({ name: `family ${name}/${link}`, argv: laplace('$DIR/data.csv', f, name, ['--link', link]), files });
      const edited = mutateFormula(rng, f);
      out.push({ name: `family ${name}/${link}, edited: ${edited}`, argv: laplace('$DIR/data.csv', edited, name, ['--link', link]), files });
    }
  }
  for (let i = 0; i < Math.min(n, 30); i++) {
    const term = pick(rng, STRUCTURE_TERMS);
    const name = pick(rng, FAMILY_NAMES);
    const f = `${responseFor(name)} ~ trt + ${rng() < 0.3 ? mutateFormula(rng, term) : term}`;
    out.push({ name: `structure ${i}: ${name} ${f}`, argv: laplace('$DIR/data.csv', f, name), files });
  }
  const zeroFamilies = FAMILY_NAMES.filter((f) => getFamily(f).params.some((q) => q.constraint.kind === 'unit'));
  for (let i = 0; i < Math.min(n, 20); i++) {
    const name = pick(rng, [...zeroFamilies, 'poisson' as FamilyName]);
    const zi = pick(rng, ZI_FORMULAS);
    out.push({ name: `zero part ${i}: ${name} --zi '${zi}'`, argv: laplace('$DIR/data.csv', 'count ~ trt + (1|block)', name, ['--zi', zi]), files });
  }
  // random terms in the zero part (issue 26), one line each: a missing column, a one-level grouping
  // factor, a family without a zero part
  const oneLevel = roundCsv().split('\n').map((r, i) => (i === 0 ? `${r},site` : r === '' ? r : `${r},S1`)).join('\n');
  const zr = (name: string, zi: string, family: string, error: RegExp, data = 'data.csv') =>
    out.push({ name: `zero part random: ${name}`, argv: laplace(`$DIR/${data}`, 'count ~ trt + (1|block)', family, ['--zi', zi]), files: { ...files, 'one.csv': oneLevel }, error });
  zr('missing column', '~ x + (1|plot)', 'zipoisson', /unknown column 'plot' in formula term '--zi ~ x \+ \(1\|plot\)'/);
  zr('one-level grouping factor', '~ (1|site)', 'hurdle_poisson', /--zi '~ \(1\|site\)': grouping factor 'site' in \(1 \| site\) has only 1 level \('S1'\)/, 'one.csv');
  zr('no zero part', '~ (1|block)', 'poisson', /the poisson family has no zero part/);
  const ordinal = roundCsv().split('\n').map((r, i) => (i === 0 ? `${r},grade` : r === '' ? r : `${r},${1 + (i % 4)}`)).join('\n');
  for (let i = 0; i < Math.min(n, 12); i++) {
    const levels = pick(rng, LEVEL_LISTS);
    out.push({ name: `ordinal ${i}: --levels '${levels}'`, argv: laplace('$DIR/ordinal.csv', 'grade ~ x + (1|block)', 'cumulative', ['--levels', levels]), files: { 'ordinal.csv': ordinal } });
  }
  for (let i = 0; i < Math.min(n, 30); i++) {
    const argv = ['fit', '--data', '$DIR/data.csv', '--formula', 'count ~ trt + (1|block)', ...MODEL];
    for (let j = 0; j < 1 + Math.floor(rng() * 2); j++) {
      const flag = pick(rng, ROUND_FLAGS);
      argv.push(flag);
      if (flag !== '--resume') argv.push(pick(rng, ROUND_VALUES));
    }
    argv.push('--chains', '20000'); // never sample: refused after the input is checked
    out.push({ name: `round flags ${i}: ${argv.slice(9).join(' ')}`, argv, files });
  }
  return out;
}

/** The cases: `n` random ones per category (CSV, formula, flags, priors) plus the fixed hostile ones. */
export function fuzzCases(seed: string, n: number): FuzzCase[] {
  const rng = seedrandom(seed);
  const base = baseCsv();
  const out: FuzzCase[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ name: `csv ${i}`, argv: laplace('$DIR/data.csv', 'count ~ trt + (1|block)'), files: { 'data.csv': mutateCsv(rng, base) } });
  }
  for (let i = 0; i < n; i++) {
    let f = 'count ~ trt + x + (1|block)';
    const edits = 1 + Math.floor(rng() * 3);
    for (let e = 0; e < edits; e++) f = mutateFormula(rng, f);
    out.push({ name: `formula ${i}: ${f}`, argv: laplace('$DIR/data.csv', f), files: { 'data.csv': base } });
  }
  for (let i = 0; i < n; i++) {
    const cmd = pick(rng, ['fit', 'fit', 'laplace', 'diagnose']);
    const argv = cmd === 'diagnose'
      ? ['diagnose', pick(rng, ['$DIR/data.csv', '$DIR/none.csv', '$DIR', '$DIR/data.csv $DIR/data.csv']), ...(rng() < 0.3 ? ['--json'] : [])]
      : [cmd, '--data', '$DIR/data.csv', '--formula', 'count ~ trt + (1|block)', ...MODEL];
    if (cmd !== 'diagnose') {
      const k = 1 + Math.floor(rng() * 3);
      for (let j = 0; j < k; j++) {
        const flag = pick(rng, [...FIT_FLAGS, '--out', '--family', '--formula', '--data']);
        const value = flag === '--out' ? pick(rng, ['$DIR/out', '$DIR/data.csv', '/proc/no/such', '$DIR']) : pick(rng, FLAG_VALUES);
        argv.push(flag, value);
      }
      // never sample here: more chains than the documented limit are refused after the input is checked
      if (cmd === 'fit') argv.push('--chains', '20000');
    }
    out.push({ name: `flags ${i}: ${argv.slice(1).join(' ')}`, argv: argv.flatMap((a) => (a.includes('$DIR/data.csv $DIR') ? a.split(' ') : [a])), files: { 'data.csv': base } });
  }
  for (let i = 0; i < n; i++) {
    const priors = Array.from({ length: 1 + Math.floor(rng() * 2) }, () => pick(rng, PRIORS));
    const argv = ['fit', '--data', '$DIR/data.csv', '--formula', pick(rng, ['count ~ trt + (1|block)', 'count ~ trt + (trt|block)']), ...MODEL,
      ...priors.flatMap((p) => ['--prior', p]), '--chains', '20000'];
    out.push({ name: `priors ${i}: ${priors.join(' ; ')}`, argv, files: { 'data.csv': base } });
  }
  out.push({ name: 'formula: 3000 terms', argv: laplace('$DIR/data.csv', 'count ~ ' + Array.from({ length: 3000 }, () => 'x').join(' + ')), files: { 'data.csv': base }, error: /nested more than 1000 levels/ });
  out.push({ name: 'formula: 3000 parentheses', argv: laplace('$DIR/data.csv', 'count ~ ' + '('.repeat(3000) + 'trt' + ')'.repeat(3000)), files: { 'data.csv': base }, error: /nested more than 1000 levels/ });
  out.push({ name: 'formula: trt: + (1|block)', argv: laplace('$DIR/data.csv', 'count ~ trt: + (1|block)'), files: { 'data.csv': base }, error: /unexpected '\+' after ':'.*column 14/ });
  out.push({ name: 'formula: trt:(1|block)', argv: laplace('$DIR/data.csv', 'count ~ trt:(1|block)'), files: { 'data.csv': base }, error: /random-effect term .* operand of ':'.*column 13/ });
  out.push(...degenerateCases());
  out.push(...diagnoseCases());
  out.push(...roundCases(seedrandom(`${seed}/round`), n));
  const strayCount = base.replace(/^(\d+,\d+,)21,/m, '$1.,');
  out.push({ name: "response: a stray '.' in count", argv: laplace('$DIR/data.csv', 'count ~ trt + (1|block)'), files: { 'data.csv': strayCount }, error: /response 'count' is numeric but row 3 has '\.'.*--na '\.'/ });
  out.push({ name: "response: a stray '.' in count, --na .", argv: laplace('$DIR/data.csv', 'count ~ trt + (1|block)', 'poisson', ['--na', '.']), files: { 'data.csv': strayCount }, stdout: /15 observations \(1 row dropped/ });
  out.push({ name: "response: a stray '.' in the 0/1 z", argv: laplace('$DIR/data.csv', 'z ~ trt + (1|block)', 'bernoulli'), files: { 'data.csv': base.replace(/,0\n/, ',.\n') }, error: /response 'z' is numeric but row 1 has '\.'/ });
  return out;
}
