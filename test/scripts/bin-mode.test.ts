/**
 * Issue 23: on a fresh clone `npm ci && npm run build` must leave a runnable `glmm` bin. npm links bins
 * (and sets their run bit) at install, before the build writes dist/src/cli/main.js, and tsc writes it
 * 0644. The test takes a clean copy of the built package with the bin as tsc leaves it, runs the build
 * script's own last step there, and runs the bin directly and through `npx glmm`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../cli/cli-helpers.js';

test('the build leaves the glmm bin with its run bit, on a clean copy', () => {
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8'));
  const steps = (pkg.scripts.build as string).split('&&').map((s) => s.trim());
  assert.equal(steps.at(-1), 'node scripts/bin-mode.mjs', 'the bin step runs last, after every step that writes dist/');
  const dir = mkdtempSync(join(tmpdir(), 'glmm-bin-'));
  try {
    cpSync(repoPath('package.json'), join(dir, 'package.json'));
    cpSync(repoPath('scripts'), join(dir, 'scripts'), { recursive: true });
    for (const d of ['src', 'base', 'models', 'diagnostics']) cpSync(repoPath(`dist/${d}`), join(dir, 'dist', d), { recursive: true });
    symlinkSync(repoPath('node_modules'), join(dir, 'node_modules'));
    const bin = join(dir, pkg.bin.glmm);
    chmodSync(bin, 0o644); // as tsc writes it on a fresh clone
    execFileSync('sh', ['-c', steps.at(-1)!], { cwd: dir });
    assert.equal(statSync(bin).mode & 0o777, 0o755);
    assert.equal(execFileSync(bin, ['--version'], { cwd: dir, encoding: 'utf8' }).trim(), pkg.version);
    assert.equal(execFileSync('npx', ['--no-install', 'glmm', '--version'], { cwd: dir, encoding: 'utf8' }).trim(), pkg.version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
