#!/usr/bin/env node
/**
 * The `glmm` command (DESIGN.md §CLI): `glmm fit`, `glmm laplace`, `glmm diagnose`, `glmm loo`, `glmm compare`. Human tables by
 * default, `--json` for summary.json. Exit 0 on success (warnings included), 1 on bad input or a model
 * that cannot be fitted (one line `error: …` on stderr), 2 on a usage error. Never a stack trace
 * (set GLMM_DEBUG=1 to see one).
 */
import { GlmmInputError } from '../../base/errors.js';
import { PACKAGE_VERSION } from '../version.js';
import { parseCommandLine, USAGE, UsageError } from './args.js';

// run.js (the fit, jsdom for the plots) and diagnose.js load only when their command runs, so that
// --help, --version and usage errors answer at once.

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  switch (parsed.command) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case 'version':
      process.stdout.write(PACKAGE_VERSION + '\n');
      return 0;
    case 'diagnose': {
      const { diagnoseFiles } = await import('./diagnose.js');
      process.stdout.write(diagnoseFiles(parsed.files, { json: parsed.json }) + '\n');
      return 0;
    }
    case 'loo': {
      const { runLoo } = await import('./loo.js');
      process.stdout.write(runLoo(parsed.argv) + '\n');
      return 0;
    }
    case 'compare': {
      const { runCompare } = await import('./loo.js');
      process.stdout.write(runCompare(parsed.argv) + '\n');
      return 0;
    }
    case 'fit': {
      const { runFit } = await import('./run.js');
      process.stdout.write((await runFit(parsed.args)) + '\n');
      return 0;
    }
    case 'laplace': {
      const { runLaplace } = await import('./run.js');
      process.stdout.write((await runLaplace(parsed.args)) + '\n');
      return 0;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (process.env.GLMM_DEBUG) console.error(e);
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 2;
    } else if (e instanceof GlmmInputError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      process.stderr.write(`error: the model could not be fitted: ${msg}\n`);
      process.exitCode = 1;
    }
  },
);
