/**
 * `npm run validate`: long statistical validation runs. Runs every validation/*.js module's
 * `validate()` and records its markdown section in validation/RESULTS.md; pass names to run a subset
 * (`node dist/validation/run.js eight-schools`), whose sections replace the old ones.
 */
import { recordSections, runModules } from '../bench/sections.js';

await recordSections('validation', 'Validation runs', await runModules('validation', 'validate', process.argv.slice(2)));
