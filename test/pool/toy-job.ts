/**
 * A job module for the pool tests: a seeded simulation whose answer depends on the run seed and the job
 * index only (a mean of normals from seedrandom), with an optional busy wait so that jobs finish out of
 * order on several workers, and a job that fails with a user error.
 */
import seedrandom from 'seedrandom';
import { GlmmInputError } from '../../base/errors.js';
import { jobSeed } from '../../src/pool/seed.js';

export interface ToyShared {
  readonly seed: number;
  readonly data: Float64Array;
  readonly failAt?: number;
}

export function runJob(s: ToyShared, job: { n: number; waitMs: number }, index: number): { index: number; mean: number } {
  if (s.failAt === index) throw new GlmmInputError(`column y: job ${index} cannot be fitted`);
  const t = Date.now();
  while (Date.now() - t < job.waitMs) { /* spin: a CPU-bound job */ }
  const rng = seedrandom(String(jobSeed(s.seed, index)));
  let sum = 0;
  for (let i = 0; i < job.n; i++) sum += s.data[i % s.data.length] * rng();
  return { index, mean: sum / job.n };
}
