/**
 * `glmm power`: power by simulation (src/power) from the command line. The design is `--data FILE.csv`
 * (its response ignored) or `--levels block=8,trt=4 [--reps N]`; the assumed values `--set NAME=VALUE`
 * (repeatable); the test `--test EFFECT` (a coefficient b_… or, for a gaussian model, a term) with
 * `--rule wald|lrt|prob|rope` (default wald for `--fit laplace`, prob for `--fit posterior`);
 * `--along FACTOR=4,6,8,12` the design sizes. Prints the table (or power.json with --json); --out DIR
 * writes power.json and report.html with the power curve. The simulations run on the pool:
 * --workers, --results FILE --resume, Ctrl-C keeps the finished ones.
 */
import { parseArgs } from 'node:util';
import { readCsvFile } from '../data/read.js';
import { openOutDir, type OutDir } from '../fit/out-dir.js';
import { defaultWorkers } from '../pool/pool.js';
import { power, type PowerOptions } from '../power/power.js';
import type { PowerTest } from '../power/rules.js';
import { toJson } from '../report/format.js';
import { formatPowerTable, renderPowerReport } from '../report/power.js';
import { UsageError } from './flag-values.js';
import { keptNote, SIGNAL_EXIT, watchInterrupts } from './interrupt.js';
import { jobsBar } from './progress.js';
import { familyOf, linkOf } from './model-names.js';
import type { CommandResult } from './run.js';

const OPTIONS = {
  data: { type: 'string' }, levels: { type: 'string' }, reps: { type: 'string' }, formula: { type: 'string' }, family: { type: 'string' },
  link: { type: 'string' }, factor: { type: 'string', multiple: true }, weights: { type: 'string' }, sep: { type: 'string' },
  set: { type: 'string', multiple: true }, nsim: { type: 'string' }, test: { type: 'string' }, rule: { type: 'string' }, fit: { type: 'string' },
  null: { type: 'string' }, alpha: { type: 'string' }, threshold: { type: 'string' }, direction: { type: 'string' }, rope: { type: 'string' },
  along: { type: 'string' }, interval: { type: 'string' }, seed: { type: 'string' }, chains: { type: 'string' }, warmup: { type: 'string' },
  draws: { type: 'string' }, sampler: { type: 'string' }, workers: { type: 'string' }, results: { type: 'string' }, resume: { type: 'boolean' },
  json: { type: 'boolean' }, out: { type: 'string' },
} as const;

type Values = Partial<Record<keyof typeof OPTIONS, string | string[] | boolean>>;

function parse(argv: string[]): Values {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (see glmm --help)`);
    return values as Values;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '')} (see glmm --help)`);
  }
}

function number(name: string, v: unknown, check: (x: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (String(v).trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} ${String(v)}: expected ${what}`);
  return x;
}

const isInt = (x: number) => Number.isInteger(x);

/** `name=a,b,c` → [name, numbers]. */
function namedList(flag: string, v: string): [string, number[]] {
  const m = /^\s*([^=\s]+)\s*=\s*(.+)$/.exec(v);
  const nums = m ? m[2].split(',').map((s) => Number(s.trim())) : [];
  if (!m || nums.some((x) => !Number.isFinite(x))) throw new UsageError(`--${flag} ${v}: expected NAME=NUMBER${flag === 'set' ? '' : '[,NUMBER…]'}, e.g. ${flag === 'set' ? 'b_trt2=0.5' : 'block=4,6,8'}`);
  return [m[1], nums];
}

function testOf(v: Values): PowerTest {
  const fit = (v.fit as string | undefined) ?? 'laplace';
  if (fit !== 'laplace' && fit !== 'posterior') throw new UsageError(`--fit ${fit}: expected laplace or posterior`);
  const rule = ((v.rule as string | undefined) ?? (fit === 'laplace' ? (v.null ? 'lrt' : 'wald') : 'prob')) as PowerTest['rule'];
  const laplaceRule = rule === 'wald' || rule === 'lrt';
  if (!['wald', 'lrt', 'prob', 'rope'].includes(rule)) throw new UsageError(`--rule ${rule}: expected wald, lrt (with --fit laplace), prob or rope (with --fit posterior)`);
  if (laplaceRule !== (fit === 'laplace')) throw new UsageError(`--rule ${rule} reads ${laplaceRule ? 'the Laplace fit' : 'the posterior'}; use --fit ${laplaceRule ? 'laplace' : 'posterior'}`);
  const alpha = number('alpha', v.alpha, (x) => x > 0 && x < 1, 'a level in (0, 1)');
  if (rule === 'lrt') {
    if (!v.null) throw new UsageError('--rule lrt compares the model with a null model: add --null \'y ~ 1 + (1|block)\'');
    return { rule, null: v.null as string, alpha };
  }
  const effect = v.test as string | undefined;
  if (!effect) throw new UsageError('missing --test EFFECT: the coefficient (b_trt2) or, for a gaussian model, the term (trt) whose power is wanted');
  if (rule === 'wald') return { rule, effect, alpha };
  if (rule === 'prob') {
    const direction = (v.direction as string | undefined) ?? 'greater';
    if (direction !== 'greater' && direction !== 'less') throw new UsageError(`--direction ${direction}: expected greater or less`);
    return { rule, effect, threshold: number('threshold', v.threshold, (x) => x > 0 && x < 1, 'a probability in (0, 1)'), direction };
  }
  const rope = ((v.rope as string | undefined) ?? '').split(',').map(Number);
  if (rope.length !== 2 || !rope.every(Number.isFinite) || !(rope[0] < rope[1])) throw new UsageError('--rule rope needs --rope LO,HI (e.g. --rope -0.1,0.1)');
  return { rule, effect, rope: [rope[0], rope[1]] };
}

/** The power options of the command line (without the run's callbacks). */
export function powerOptions(argv: string[]): { o: PowerOptions; v: Values } {
  const v = parse(argv);
  if (!v.formula || !v.family) throw new UsageError('glmm power needs --formula and --family (see glmm --help)');
  if ((v.data === undefined) === (v.levels === undefined)) throw new UsageError('glmm power needs one design: --data FILE.csv (its response is ignored) or --levels block=8,trt=4');
  const factors = ((v.factor as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const levels = v.levels ? Object.fromEntries((v.levels as string).split(',').map((s) => { const [k, n] = namedList('levels', s); return [k, n[0]]; })) : null;
  const design = levels ? { levels, reps: number('reps', v.reps, (x) => isInt(x) && x >= 1, 'a positive integer') } : readCsvFile(v.data as string, { factors, sep: v.sep as string | undefined });
  const set = Object.fromEntries(((v.set as string[] | undefined) ?? []).map((s) => { const [k, n] = namedList('set', s); if (n.length !== 1) throw new UsageError(`--set ${s}: one value per --set`); return [k, n[0]]; }));
  const along = v.along ? (([factor, sizes]) => ({ factor, sizes }))(namedList('along', v.along as string)) : undefined;
  const interval = (v.interval as string | undefined) ?? 'clopper-pearson';
  if (interval !== 'clopper-pearson' && interval !== 'wilson') throw new UsageError(`--interval ${interval}: expected clopper-pearson or wilson`);
  const sampler = v.sampler as string | undefined;
  if (sampler !== undefined && sampler !== 'chees' && sampler !== 'nuts') throw new UsageError(`--sampler ${sampler}: expected chees or nuts`);
  const o: PowerOptions = {
    formula: v.formula as string, family: familyOf(v.family as string), link: linkOf(v.link as string | undefined), factors, weights: v.weights as string | undefined,
    design, set, test: testOf(v), along, interval,
    nsim: number('nsim', v.nsim, (x) => isInt(x) && x >= 1, 'a positive integer'),
    seed: number('seed', v.seed, (x) => isInt(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER, 'an integer ≥ 0'),
    sampler: {
      sampler, chains: number('chains', v.chains, (x) => isInt(x) && x >= 1, 'a positive integer'),
      warmup: number('warmup', v.warmup, (x) => isInt(x) && x >= 0, 'an integer ≥ 0'), draws: number('draws', v.draws, (x) => isInt(x) && x >= 1, 'a positive integer'),
    },
    workers: number('workers', v.workers, (x) => isInt(x) && x >= 1, 'a positive integer') ?? defaultWorkers(),
    results: v.results as string | undefined, resume: Boolean(v.resume),
  };
  if (o.resume && !o.results) throw new UsageError('--resume continues the run whose results file --results FILE names; add --results FILE');
  return { o, v };
}

/** `glmm power`: what goes to stdout and stderr, and the exit code. */
export async function runPower(argv: string[]): Promise<CommandResult> {
  const { o, v } = powerOptions(argv);
  const bar = !v.json && process.stderr.isTTY ? jobsBar(process.stderr, 'power', 'simulations') : null;
  const interrupts = watchInterrupts(() => bar?.done());
  let out: OutDir | null = null;
  try {
    if (v.out) out = openOutDir(v.out as string);
    const r = await power({ ...o, onProgress: bar?.update, shouldStop: () => interrupts.signal() !== null });
    bar?.done();
    if (out) {
      out.write({ name: 'power.json', content: toJson(r) + '\n' });
      out.write({ name: 'report.html', content: renderPowerReport(r) });
      out.commit();
    }
    const stdout = v.json ? toJson(r) : formatPowerTable(r);
    const signal = interrupts.signal();
    if (!signal) return { stdout, stderr: '', code: 0 };
    const done = r.rows.reduce((n, q) => n + q.nsim, 0);
    return { stdout, stderr: `error: ${signal}: stopped after ${done} simulations${keptNote(o.results)}`, code: SIGNAL_EXIT[signal] };
  } finally {
    bar?.done();
    out?.abort();
    interrupts.dispose();
  }
}
