/**
 * Hostile input (issue 12): ~300 generated invocations of `glmm` (test/fuzz/generate.ts: CSV and
 * formula mutations, flag values, priors, degenerate data), run in-process through `cliMain` (the
 * same code path as the command, without a process start per case). Every case must end with exit
 * 0, 1 or 2; on 1 and 2 exactly one stderr line `error: …` and nothing on stdout; never a stack trace;
 * degenerate data that still fits must carry the warning that names the cause, and data that must be
 * refused the error that names it. A few cases go through the real process (exit codes, signals aside).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliMain } from '../../src/cli/main.js';
import { runCli } from '../cli/cli-helpers.js';
import { fuzzCases, type FuzzCase } from './generate.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function materialize(c: FuzzCase): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'glmm-fuzz-'));
  for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text);
  return c.argv.map((a) => a.replaceAll('$DIR', dir));
}

async function runInProcess(argv: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await cliMain(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** The rules every case obeys; returns a failure description or null. */
function check(c: FuzzCase, r: Outcome): string | null {
  if (![0, 1, 2].includes(r.code)) return `exit ${r.code}`;
  if (/^\s+at /m.test(r.stdout + r.stderr)) return `stack trace:\n${r.stderr}`;
  if (/\b(undefined|NaN)\b.*error|Maximum call stack|Invalid typed array|is not a function|Cannot read propert/i.test(r.stderr)) return `raw internals: ${r.stderr}`;
  if (r.code !== 0) {
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    if (lines.length !== 1 || !lines[0].startsWith('error: ')) return `expected one 'error:' line, got:\n${r.stderr}`;
    if (r.stdout !== '') return `stdout not empty on exit ${r.code}`;
    if (c.warning || c.stdout) return `expected exit 0, got ${r.stderr}`;
    if (c.error && !(r.code === 1 && c.error.test(lines[0]))) return `expected exit 1 matching ${c.error}, got ${lines[0]}`;
    return null;
  }
  if (c.error) return `expected exit 1 (${c.error}), got exit 0`;
  if (r.stderr !== '') return `stderr on success: ${r.stderr}`;
  if (c.warning && !c.warning.test(r.stdout)) return `the warning ${c.warning} is missing from:\n${r.stdout.slice(-800)}`;
  if (c.stdout && !c.stdout.test(r.stdout)) return `${c.stdout} is missing from:\n${r.stdout.slice(0, 800)}`;
  return null;
}

const cases = fuzzCases('glmm-fuzz-1', 70);

describe('fuzz: hostile input never crashes, each error is one line, degenerate data is named', () => {
  test(`${cases.filter((c) => !c.samples).length} generated cases in-process (no sampling)`, async () => {
    const failures: string[] = [];
    const codes = [0, 0, 0];
    for (const c of cases.filter((x) => !x.samples)) {
      const r = await runInProcess(materialize(c));
      const why = check(c, r);
      if (why) failures.push(`${c.name}: ${why}`);
      else codes[r.code]++;
    }
    assert.deepEqual(failures, [], failures.slice(0, 5).join('\n\n'));
    // the generator reaches all three outcomes (not just one kind of rejection)
    assert.ok(codes.every((n) => n >= 10), `exit 0/1/2 counts ${codes.join('/')}`);
  });

  test('degenerate data through the sampler: exit 0 with the warning naming the cause', async () => {
    for (const c of cases.filter((x) => x.samples)) {
      const r = await runInProcess(materialize(c));
      assert.equal(check(c, r), null, c.name);
    }
  });

  test('a few cases through the real command: the same exit codes and single error line', async () => {
    const picked = [cases.find((c) => c.name.startsWith('formula: 3000 terms'))!, cases.find((c) => c.name === 'count 1e12')!, cases.find((c) => c.name === 'all-zero counts')!];
    for (const c of picked) {
      const argv = materialize(c);
      const [child, inproc] = await Promise.all([runCli(argv), runInProcess(argv)]);
      assert.equal(child.code, inproc.code, c.name);
      assert.equal(child.stderr, inproc.stderr, c.name);
      assert.equal(check(c, { code: child.code!, stdout: child.stdout, stderr: child.stderr }), null, c.name);
    }
  });

  test('no --out run leaves a lock or temporary directory behind', () => {
    // every flags case with --out $DIR/out refused after opening the directory must have cleaned up
    for (const c of cases.filter((x) => x.argv.includes('$DIR/out'))) void c;
    const leftovers = readdirSync(tmpdir()).filter((n) => n.startsWith('glmm-fuzz-'))
      .flatMap((d) => { try { return readdirSync(join(tmpdir(), d, 'out')).map((f) => `${d}/out/${f}`); } catch { return []; } })
      .filter((f) => /\.glmm-(lock|tmp-)/.test(f));
    assert.deepEqual(leftovers, []);
  });
});
