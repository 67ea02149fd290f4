/**
 * The web app fits random effects in the zero part: the Salamanders example as a zero-inflated Poisson
 * with `--zi '~ mined + (1|site)'` typed into the form's zi field, in Debian's headless Chromium
 * (playwright-core; test/web/browser.ts), small settings. The table shows sd_site__zi_Intercept, and the
 * downloaded summary.json carries it, the zero part's effects r_site__zi[…] and the joint Laplace fit's
 * answer beside them. Chromium is required (.ci/run installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SummaryJson } from '../../src/report/schema.js';
import { launchChromium, startUi } from './browser.js';

test("web app: Salamanders as zipoisson with zi '~ mined + (1|site)' fits in Chromium and shows sd_site__zi_Intercept", { timeout: 240_000 }, async () => {
  const { child, url } = await startUi();
  const browser = await launchChromium().catch((e: unknown) => { child.kill(); throw e; });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('status-text')?.textContent?.startsWith('Ready'), null, { timeout: 30_000 });
    await page.selectOption('#example', 'glmmTMB_Salamanders.csv');
    await page.waitForFunction(() => (document.getElementById('formula') as HTMLInputElement).value.includes('(1|site)'));
    await page.selectOption('#family', 'zipoisson');
    await page.fill('#zi', '~ mined + (1|site)');
    await page.waitForFunction(() => document.getElementById('formula-error')?.textContent === '' && !(document.getElementById('run') as HTMLButtonElement).disabled, null, { timeout: 30_000 });
    for (const [id, v] of Object.entries({ chains: 8, warmup: 100, draws: 50, seed: 3 })) await page.fill(`#${id}`, String(v));
    await page.click('#run');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.state ?? ''), null, { timeout: 200_000 });
    assert.equal(await page.getAttribute('body', 'data-state'), 'done', await page.textContent('#status-text') ?? '');
    const table = (await page.textContent('#table')) ?? '';
    assert.match(table, /sd_site__zi_Intercept/);
    assert.match(table, /b_zi_minedyes/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-summary')]);
    const summary = JSON.parse(readFileSync(await dl.path(), 'utf8')) as SummaryJson;
    const sd = summary.parameters.find((p) => p.name === 'sd_site__zi_Intercept');
    assert.ok(sd && sd.mean !== null && sd.mean > 0, summary.parameters.map((p) => p.name).join(' '));
    assert.ok(summary.parameters.some((p) => p.name === 'r_site__zi[R-1,Intercept]'));
    assert.ok(summary.laplace !== null && sd!.laplace !== null, 'the joint Laplace fit beside the posterior');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
});
