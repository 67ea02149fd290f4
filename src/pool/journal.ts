/**
 * The results file of a many-fit run: one JSON line per finished job, appended (and flushed) as each
 * job finishes, so that an interrupted run keeps what it finished and `--resume` continues it. The first
 * line names the run, `{"glmm_jobs":1,"run":KEY,"jobs":N}`, where KEY is a hash of everything the jobs
 * are computed from (src/pool/run-key.ts); each further line is `{"index":i,"result":…}`. A resumed run
 * whose key differs is refused (the file belongs to another run), and a last line cut short by a kill
 * is dropped and its job run again.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { GlmmInputError, fsErrorWords } from '../../base/errors.js';

/** An open results file. */
export interface Journal {
  /** Results already in the file (resume), by job index. */
  readonly done: ReadonlyMap<number, unknown>;
  /** Appends the result of job `index` (its JSON text). */
  readonly append: (index: number, json: string) => void;
}

function header(key: string, jobs: number): string {
  return JSON.stringify({ glmm_jobs: 1, run: key, jobs }) + '\n';
}

/** The finished jobs of an existing file of run `key`; a different run is an error. */
function readDone(path: string, key: string): { done: Map<number, unknown>; text: string } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const first = lines[0] ? (JSON.parse(lines[0]) as { glmm_jobs?: number; run?: string }) : null;
  if (!first || first.glmm_jobs !== 1) throw new GlmmInputError(`${path} is not a glmm results file (its first line should be {"glmm_jobs":1,…}); give another --results file`);
  if (first.run !== key) throw new GlmmInputError(`${path} holds the results of a different run (other data, model, settings or seed); remove it or give another --results file`);
  const done = new Map<number, unknown>();
  const kept = [lines[0]];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    let entry: { index: number; result: unknown };
    try {
      entry = JSON.parse(line) as { index: number; result: unknown };
    } catch {
      break; // a line cut short by a kill: its job runs again
    }
    done.set(entry.index, entry.result);
    kept.push(line);
  }
  return { done, text: kept.join('\n') + '\n' };
}

/**
 * Opens `path` for run `key` of `jobs` jobs: a new file (an existing non-empty one is an error unless
 * `resume`), or with `resume` the jobs it already holds.
 */
export function openJournal(path: string, key: string, jobs: number, resume: boolean): Journal {
  try {
    let done = new Map<number, unknown>();
    const exists = existsSync(path) && readFileSync(path, 'utf8') !== '';
    if (exists && !resume) throw new GlmmInputError(`${path} already holds results; add --resume to continue that run, or remove the file`);
    if (exists) {
      const r = readDone(path, key);
      done = r.done;
      writeFileSync(path, r.text); // drops a cut-short last line
    } else writeFileSync(path, header(key, jobs));
    return { done, append: (index, json) => appendFileSync(path, `{"index":${index},"result":${json}}\n`) };
  } catch (e) {
    if (e instanceof GlmmInputError) throw e;
    throw new GlmmInputError(`cannot write the results file ${path}: ${fsErrorWords(e)}`);
  }
}
