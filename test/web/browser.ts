/**
 * Debian's Chromium driven by playwright-core (which downloads nothing): headless, offline, with a
 * fresh profile directory, as test/report/chromium.test.ts runs it. CI installs chromium (.ci/run).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoPath } from '../design/repo-path.js';
import { chromium, type BrowserContext } from 'playwright-core';

/** Chromium's path: $CHROMIUM, else Debian's /usr/bin/chromium, else the first on PATH. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser',
    ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'chromium'))];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/** Flags of an isolated, offline, headless run (playwright adds --headless and the profile directory). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A browser with a fresh profile; `close()` ends it and removes the profile. */
export async function launchChromium(extraFlags: readonly string[] = []): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const exe = findChromium();
  if (!exe) throw new Error('Chromium not found (looked at $CHROMIUM, /usr/bin/chromium, PATH): install it with `apt-get install -y chromium` (CI: .ci/run does this).');
  const profile = mkdtempSync(join(tmpdir(), 'glmm-web-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: exe, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags], viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts `glmm ui --port 0 --no-open`; resolves with the child and the URL it printed first. */
export function startUi(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [repoPath('dist/src/cli/main.js'), 'ui', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (first) => resolve({ child, url: first }));
    child.once('exit', (code) => reject(new Error(`glmm ui exited with ${code}`)));
  });
}
