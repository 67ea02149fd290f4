/**
 * `npm run validate`: long statistical validation runs. Runs every validation/*.js module's
 * `validate()` and records its markdown section in validation/RESULTS.md; pass names to run a subset
 * (`node dist/validation/run.js eight-schools`), whose sections replace the old ones. `--workers N`
 * sets the worker threads of the runs made of many fits (SBC, validation/sbc.ts; default the cores,
 * 0 in this thread), passed on as $VALIDATE_WORKERS.
 */
import { recordSections, runModules } from '../bench/sections.js';
import { checkWorkers } from '../src/pool/pool.js';

const args = process.argv.slice(2);
const w = args.indexOf('--workers');
if (w >= 0) {
  process.env.VALIDATE_WORKERS = String(checkWorkers(Number(args[w + 1])));
  args.splice(w, 2);
}
await recordSections('validation', 'Validation runs', await runModules('validation', 'validate', args));
