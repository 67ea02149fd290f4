/**
 * Shared bits of the runnable examples: where the bundled data live, command-line knobs
 * (`--sampler nuts|chees`, `--draws N`, `--warmup N`, `--seed N`), and small printers.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));

/** Path of a bundled data set (examples/data/, see examples/data/PROVENANCE.md). */
export function dataFile(name: string): string {
  // run from source: examples/data; compiled: dist/examples/ → ../../examples/data; else the working directory's
  const candidates = [join(here, 'data', name), join(here, '..', '..', 'examples', 'data', name), join(process.cwd(), 'examples', 'data', name)];
  return candidates.find((p) => existsSync(p)) ?? candidates[1];
}

/** Sampler settings from the command line, with each example's defaults. */
export function exampleArgs(defaults: { sampler: 'nuts' | 'chees'; warmup?: number; draws?: number; seed?: number; chains?: number }) {
  const { values } = parseArgs({
    options: { sampler: { type: 'string' }, draws: { type: 'string' }, warmup: { type: 'string' }, seed: { type: 'string' }, chains: { type: 'string' } },
    strict: true,
  });
  return {
    sampler: (values.sampler ?? defaults.sampler) as 'nuts' | 'chees',
    warmup: values.warmup ? Number(values.warmup) : defaults.warmup,
    draws: values.draws ? Number(values.draws) : defaults.draws,
    seed: values.seed ? Number(values.seed) : defaults.seed ?? 1,
    chains: values.chains ? Number(values.chains) : defaults.chains,
  };
}

/** A section heading. */
export function heading(title: string): void {
  process.stdout.write(`\n${'='.repeat(78)}\n${title}\n${'='.repeat(78)}\n`);
}

/** Fixed decimals. */
export function f(x: number | null | undefined, d = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'NA' : x.toFixed(d);
}

/** Runs an async main and prints a one-line error instead of a stack trace. */
export function run(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    process.exitCode = 1;
  });
}
