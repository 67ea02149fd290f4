/**
 * `npm run bench`: runs every bench/*.js module's `bench()` (each returns a markdown section), prints
 * the sections and records them in bench/RESULTS.md with the date and machine. Pass names to run a
 * subset (`node dist/bench/run.js diagnostics sampler`): their sections in RESULTS.md are replaced and
 * the others kept, so long benchmarks can be recorded one at a time.
 */
import { recordSections, runModules } from './sections.js';

await recordSections('bench', 'Benchmarks', await runModules('bench', 'bench', process.argv.slice(2)));
