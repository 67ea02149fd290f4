#!/usr/bin/env node
/**
 * The `glmm` command (DESIGN.md §CLI): `glmm fit`, `glmm laplace`, `glmm diagnose`, `glmm loo`, `glmm compare`, `glmm power`. Human tables by
 * default, `--json` for summary.json. Exit 0 on success (warnings included), 1 on bad input or a model
 * that cannot be fitted (one line `error: …` on stderr), 2 on a usage error, 70 on a bug (an internal
 * error: BSD's EX_SOFTWARE), 130/143 after SIGINT/SIGTERM (the draws so far kept). Never a stack trace
 * (set GLMM_DEBUG=1 to see one).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GlmmInputError } from '../../base/errors.js';
import { NotPositiveDefiniteError, SingularMatrixError } from '../linalg/errors.js';
import { PACKAGE_VERSION } from '../version.js';
import { parseCommandLine } from './args.js';
import { UsageError } from './flag-values.js';
import { USAGE } from './usage.js';

/** Where a command's output goes (process.stdout/stderr for the real command; strings in tests). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

// run.js (the fit, d3 for the plots) and diagnose.js load only when their command runs, so that
// --help, --version and usage errors answer at once.

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  switch (parsed.command) {
    case 'help':
      io.stdout(USAGE + '\n');
      return 0;
    case 'version':
      io.stdout(PACKAGE_VERSION + '\n');
      return 0;
    case 'diagnose': {
      const { diagnoseFiles } = await import('./diagnose.js');
      io.stdout(diagnoseFiles(parsed.files, { json: parsed.json, force: parsed.force }) + '\n');
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
    case 'power': {
      const { runPower } = await import('./power.js');
      const r = await runPower(parsed.argv);
      if (r.stdout !== '') io.stdout(r.stdout + '\n');
      if (r.stderr !== '') io.stderr(r.stderr + '\n');
      return r.code;
    }
    case 'worker': {
      const { runWorker } = await import('./worker.js');
      return await runWorker(parsed.argv, (line) => io.stderr(line + '\n'));
    }
    case 'fit': {
      const { runFit } = await import('./run.js');
      const r = await runFit(parsed.args);
      if (r.stdout !== '') io.stdout(r.stdout + '\n');
      if (r.stderr !== '') io.stderr(r.stderr + '\n');
      return r.code;
    }
    case 'ui': {
      const { runUi } = await import('./ui.js');
      const server = await runUi({ port: parsed.port, open: parsed.open });
      await new Promise<void>((resolve) => {
        const stop = () => { server.closeAllConnections(); server.close(() => resolve()); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    case 'laplace': {
      const { runLaplaceCommand } = await import('./laplace-watch.js');
      const r = await runLaplaceCommand(parsed.args);
      if (r.stdout !== '') io.stdout(r.stdout + '\n');
      if (r.stderr !== '') io.stderr(r.stderr + '\n');
      return r.code;
    }
  }
}

/** Exit code of a bug (BSD sysexits' EX_SOFTWARE), apart from 1 (the input or the model) so scripts can tell them. */
export const EXIT_INTERNAL = 70;

/**
 * Runs `glmm ARGV…` and returns its exit code; every failure becomes one `error: …` line on `io.stderr`:
 * exit 2 for usage, 1 for input and for a model the data leave degenerate (the linear algebra's expected
 * failures), 70 for anything else, which is a bug (the first line of its message, and how to report it).
 */
export async function cliMain(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (process.env.GLMM_DEBUG) console.error(e);
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof GlmmInputError) {
      io.stderr(`error: ${e.message}\n`);
      return 1;
    }
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (e instanceof NotPositiveDefiniteError || e instanceof SingularMatrixError) {
      io.stderr(`error: the model could not be fitted: ${msg}\n`);
      return 1;
    }
    io.stderr(`error: internal error (a bug in glmm, not in your input): ${msg}; rerun with GLMM_DEBUG=1 for the stack trace and report it\n`);
    return EXIT_INTERNAL;
  }
}

/** True when this file is the program node runs (not imported by a test). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
  cliMain(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
