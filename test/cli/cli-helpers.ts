/**
 * Helpers for the end-to-end tests of the `glmm` command: spawn the compiled CLI as a child process
 * (stdout/stderr are pipes, not a TTY, exactly as in a shell pipeline or CI) and find the example data.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

/** The compiled CLI beside this compiled test: <outDir>/test/cli/ → <outDir>/src/cli/main.js. */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** A repository-relative path (one helper for all tests: test/design/repo-path.ts). */
import { repoPath } from '../design/repo-path.js';
export { repoPath };

/** examples/data/<name>. */
export const dataFile = (name: string): string => repoPath(`examples/data/${name}`);

/** A fresh temporary directory. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'glmm-e2e-'));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node main.js ...args` and collects its output (no TTY; GLMM_DEBUG unset). */
export function runCli(args: readonly string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.GLMM_DEBUG;
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** No stack trace anywhere in the output (node prints frames as lines starting with "    at "). */
export function assertNoStack(r: CliResult): void {
  assert.ok(!/^\s+at /m.test(r.stderr) && !/^\s+at /m.test(r.stdout), `stack trace in output:\n${r.stderr}`);
}

/**
 * DESIGN §CLI for bad input: exit 1, nothing on stdout, exactly one stderr line `error: …`, which
 * matches every pattern in `mentions` (the column, row, term or position it must name).
 */
export function assertInputError(r: CliResult, mentions: readonly RegExp[]): void {
  assertNoStack(r);
  assert.equal(r.code, 1, `exit code ${r.code}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^error: /);
  for (const m of mentions) assert.match(lines[0], m);
}

/** DESIGN §CLI for a usage error: exit 2, one `error: …` line on stderr. */
export function assertUsageError(r: CliResult, mention: RegExp): void {
  assertNoStack(r);
  assert.equal(r.code, 2, `exit code ${r.code}; stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], mention);
}
