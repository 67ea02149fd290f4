/**
 * `glmm fit --each-response y1,y2,...`: one GLMM per response column (one per gene, per item), the
 * formula's right side and every other setting shared, as independent jobs on the pool (src/pool,
 * src/cli/each-response-job.ts): `--workers N`, `--results FILE --resume`, a progress bar over fits,
 * Ctrl-C keeping the finished fits. Prints each response's table (or, with --json, the array of
 * `{ response, summary }`); --out DIR writes each-response.json.
 */
import { defaultWorkers, runJobs } from '../pool/pool.js';
import { formatSummaryTable, toJson } from '../report/table.js';
import type { SummaryJson } from '../report/schema.js';
import type { DataFrame } from '../data/frame.js';
import type { FitOptions } from '../fit.js';
import type { OutDir } from '../fit/out-dir.js';
import type { FitArgs } from './args.js';
import { withResponse, type EachResponseShared } from './each-response-job.js';
import { GlmmInputError } from '../../base/errors.js';
import { checkFitOptions } from '../fit/check-options.js';
import { jobsBar } from './progress.js';
import { keptNote, SIGNAL_EXIT, type Interrupts } from './interrupt.js';

/** The result of one response. */
export interface ResponseSummary {
  readonly response: string;
  readonly summary: SummaryJson;
}

/**
 * What can be refused before any job starts: a response column that is missing or named twice, the
 * formula's left side, and the options every fit shares (fit()'s own checks, once rather than per job).
 */
function checkBeforeJobs(responses: readonly string[], opts: FitOptions & { data: DataFrame }): void {
  const seen = new Set<string>();
  for (const r of responses) {
    if (!opts.data.columns.has(r)) throw new GlmmInputError(`--each-response: no column '${r}' in the data; the columns are ${[...opts.data.columns.keys()].join(', ')}`);
    if (seen.has(r)) throw new GlmmInputError(`--each-response names '${r}' twice; list each response column once`);
    seen.add(r);
  }
  withResponse(opts.formula, responses[0]);
  checkFitOptions(opts);
}

/** Runs the fits; stdout text, stderr line, exit code. */
export async function runEachResponse(a: FitArgs, opts: FitOptions & { data: DataFrame }, out: OutDir | null, interrupts: Interrupts) {
  const responses = a.eachResponse as string[];
  checkBeforeJobs(responses, opts);
  const { onProgress: _p, shouldStop: _s, ...cloneable } = opts;
  const bar = !a.json && process.stderr.isTTY ? jobsBar(process.stderr, 'fits', 'responses') : null;
  try {
    const run = await runJobs<EachResponseShared, string, SummaryJson>({
      module: new URL('./each-response-job.js', import.meta.url).href, shared: { opts: cloneable }, jobs: responses,
      workers: a.many.workers ?? defaultWorkers(), executor: a.many.redis ? (await import('../pool/queue.js')).queueExecutor(a.many.redis) : undefined, results: a.many.results, resume: a.many.resume,
      onResult: bar?.update, shouldStop: () => interrupts.signal() !== null,
    });
    bar?.done();
    if (!run.complete) {
      const signal = interrupts.signal() ?? 'SIGINT';
      return { stdout: '', stderr: `error: ${signal}: stopped after ${run.done} of ${responses.length} fits${keptNote(a.many.results)}`, code: SIGNAL_EXIT[signal] };
    }
    const all: ResponseSummary[] = responses.map((response, i) => ({ response, summary: run.results[i] as SummaryJson }));
    if (out) {
      out.write({ name: 'each-response.json', content: toJson(all) + '\n' });
      out.commit();
    }
    const stdout = a.json ? toJson(all) : all.map((r) => `== ${r.response} ==\n${formatSummaryTable(r.summary, { showRandom: a.showRandom, wide: a.wide })}`).join('\n\n');
    return { stdout, stderr: '', code: 0 };
  } finally {
    bar?.done();
  }
}
