/**
 * The web app fits a repeated-measures model with an `ar1(visit + 0 | patient)` term in Debian's
 * headless Chromium (playwright-core; test/web/browser.ts): the built-in epilepsy example (brms's
 * seizure counts, 59 patients × 4 visits) runs in the page's worker with small settings, the results
 * table shows the AR(1) parameter `ar_patient__visit`, and the downloaded summary.json carries its
 * Laplace estimate, glmmTMB 1.1.5's (test/fixtures/covariance/epilepsy-structures.json, the tolerance
 * of test/laplace/structures.test.ts), and its posterior mean. Chromium is required (.ci/run installs
 * it): when it is missing this test FAILS saying how to install it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SummaryJson } from '../../src/report/schema.js';
import { repoPath } from '../design/repo-path.js';
import { launchChromium, startUi } from './browser.js';

const GOLDEN = JSON.parse(readFileSync(repoPath('test/fixtures/covariance/epilepsy-structures.json'), 'utf8')).ar1;


test('web app: the epilepsy example with ar1(visit + 0 | patient) fits in Chromium and shows ar_patient__visit (Laplace = glmmTMB)', { timeout: 240_000 }, async () => {
  const { child, url } = await startUi();
  const browser = await launchChromium().catch((e: unknown) => { child.kill(); throw e; });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('status-text')?.textContent?.startsWith('Ready'), null, { timeout: 30_000 });
    await page.selectOption('#example', 'brms_epilepsy.csv');
    await page.waitForFunction(() => (document.getElementById('formula') as HTMLInputElement).value.includes('ar1(visit + 0 | patient)'));
    await page.waitForFunction(() => document.getElementById('formula-error')?.textContent === '' && !(document.getElementById('run') as HTMLButtonElement).disabled, null, { timeout: 30_000 });
    for (const [id, v] of Object.entries({ chains: 8, warmup: 100, draws: 50, seed: 3 })) await page.fill(`#${id}`, String(v));
    await page.click('#run');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.state ?? ''), null, { timeout: 200_000 });
    assert.equal(await page.getAttribute('body', 'data-state'), 'done', await page.textContent('#status-text') ?? '');
    // the table shows the AR(1) parameter and the term's one sd
    const table = (await page.textContent('#table')) ?? '';
    assert.match(table, /ar_patient__visit/);
    assert.match(table, /sd_patient__visit1/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-summary')]);
    const summary = JSON.parse(readFileSync(await dl.path(), 'utf8')) as SummaryJson;
    const ar = summary.parameters.find((p) => p.name === 'ar_patient__visit');
    assert.ok(ar, summary.parameters.map((p) => p.name).join(' '));
    const rho = GOLDEN.cor[1][0] as number;
    assert.ok(ar.laplace && Math.abs((ar.laplace.estimate ?? NaN) - rho) < 3e-3, `Laplace ρ ${ar.laplace?.estimate} vs glmmTMB ${rho}`);
    assert.ok(ar.mean !== null && ar.mean > -1 && ar.mean < 1, `posterior mean of ρ ${ar.mean}`);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
});
