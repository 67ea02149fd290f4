/**
 * The contract between a many-fit run and the module that computes one job: the module (an ES module
 * file, loaded by URL in each worker thread, or in this thread when the run is inline) exports
 * `runJob(shared, job, index)`, whose result is plain JSON data (numbers, strings, arrays, objects; NaN
 * and ±Infinity are not JSON and come back as null). `shared` (the data set, the model) travels to each
 * worker once per run, `job` once per job.
 */
import { GlmmInputError } from '../../base/errors.js';

/** What a job module exports. */
export interface JobModule<S, J, R> {
  readonly runJob: (shared: S, job: J, index: number) => R | Promise<R>;
}

/** A job's failure as it crosses a thread or machine boundary. */
export interface JobFailure {
  readonly message: string;
  /** True for a GlmmInputError (the user's input), rethrown as one. */
  readonly input: boolean;
}

/** Loads the job module at `url`. */
export async function loadJobModule<S, J, R>(url: string): Promise<JobModule<S, J, R>> {
  const m = (await import(url)) as Partial<JobModule<S, J, R>>;
  if (typeof m.runJob !== 'function') throw new Error(`${url} does not export runJob`);
  return m as JobModule<S, J, R>;
}

/** Runs one job and returns its result as JSON text, or its failure. */
export async function runOne<S, J, R>(m: JobModule<S, J, R>, shared: S, job: J, index: number): Promise<{ json: string } | { failure: JobFailure }> {
  try {
    return { json: JSON.stringify(await m.runJob(shared, job, index)) };
  } catch (e) {
    return { failure: { message: e instanceof Error ? e.message : String(e), input: e instanceof GlmmInputError } };
  }
}

/** The error a failed job raises in the gathering process. */
export function failureError(f: JobFailure, index: number): Error {
  const msg = `job ${index + 1}: ${f.message}`;
  return f.input ? new GlmmInputError(msg) : new Error(msg);
}
