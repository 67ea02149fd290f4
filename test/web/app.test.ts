/**
 * The web app end to end in Debian's headless Chromium (playwright-core, nothing downloaded): `glmm ui`
 * serves the built app and prints its URL first, cross-origin isolated; CSVs load by the file picker and by a drop; a bad formula shows its error inline with a caret at
 * the offending column and nothing crashes; the RCBD Poisson model fits in the page's worker with the
 * live plots updating at least twice before the end; the final summary.json (downloaded as a user
 * would) agrees with the Node library's fit with the same seed and backend (wasm) within MCSE (not bit
 * for bit: see below); report.html
 * and the draws CSV download; a mid-fit screenshot is not blank; Stop during sampling keeps and
 * summarizes the draws so far. Chromium is required (.ci/run installs
 * it): when it is missing this test FAILS saying how to install it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { fit } from '../../src/fit.js';
import { readCsvFile } from '../../src/data/read.js';
import { readCmdStanCsv } from '../../diagnostics/cmdstan-csv.js';
import type { SummaryJson } from '../../src/report/schema.js';
import { decodePng } from '../report/png.js';
import { repoPath } from '../design/repo-path.js';
import { launchChromium, startUi } from './browser.js';

const MODEL = { formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson' as const, factors: ['trt', 'block'] };
/** Small settings: 16 chains, at most 60 warmup iterations, 40 draws (about 10 s of sampling here). */
const SETTINGS = { chains: 16, warmup: 60, draws: 40, seed: 7 };


/** Share of non-white and count of strongly coloured pixels of a PNG screenshot. */
function inkOf(png: Buffer): { nonWhite: number; coloured: number } {
  const img = decodePng(png);
  let nonWhite = 0;
  let coloured = 0;
  for (let k = 0; k < img.width * img.height; k++) {
    const [r, g, b] = [img.rgba[4 * k], img.rgba[4 * k + 1], img.rgba[4 * k + 2]];
    if (r < 245 || g < 245 || b < 245) nonWhite++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return { nonWhite: nonWhite / (img.width * img.height), coloured };
}

/** Clicks a download button and returns the file's bytes. */
async function downloaded(page: Page, button: string): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const path = await dl.path();
  return readFileSync(path);
}

test('web app: glmm ui serves it; a bad formula errors inline; RCBD fits live in Chromium and agrees with Node within MCSE', { timeout: 150_000 }, async () => {
  const { child, url } = await startUi();
  // a failed launch (no Chromium) must not leave `glmm ui` running: the test process would never exit
  const browser = await launchChromium().catch((e: unknown) => { child.kill(); throw e; });
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'the first stdout line of glmm ui is the URL');
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('status-text')?.textContent?.startsWith('Ready'), null, { timeout: 30_000 });
    // served cross-origin isolated (src/cli/ui.ts): SharedArrayBuffer exists, so large fits may use worker threads (src/threads/)
    assert.deepEqual(await page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer]), [true, 'function']);

    // a CSV by the file picker, then by drag and drop (a File in a DataTransfer, as the browser makes on a drop)
    await page.setInputFiles('#file', repoPath('examples/data/lme4_cbpp.csv'));
    await page.waitForFunction(() => document.getElementById('data-info')?.textContent?.startsWith('lme4_cbpp.csv: 56 rows'));
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, readFileSync(repoPath('examples/data/rcbd.csv'), 'utf8'));
    await page.waitForFunction(() => document.getElementById('data-info')?.textContent?.startsWith('dropped.csv: 16 rows'));

    // a bad formula: the error is shown under the box with a caret at its column; Run stays disabled
    await page.selectOption('#example', 'rcbd.csv');
    await page.waitForFunction(() => (document.getElementById('formula') as HTMLInputElement).value.includes('block:trt'));
    await page.fill('#formula', 'count ~ trt + )');
    await page.waitForFunction(() => document.getElementById('formula-error')?.textContent?.includes('unexpected'));
    const shown = await page.textContent('#formula-error');
    assert.equal(await page.textContent('#formula-error .caret'), `${' '.repeat(14)}^`, 'caret under column 15');
    assert.match(shown ?? '', /unexpected '\)' \(column 15\)/);
    assert.equal(await page.isDisabled('#run'), true, 'Run is disabled while the formula is bad');
    // an unknown column is caught against the data as you type
    await page.fill('#formula', 'count ~ treatment + (1|block)');
    await page.waitForFunction(() => document.getElementById('formula-error')?.textContent?.includes('treatment'));

    // the RCBD Poisson model with small settings
    await page.fill('#formula', MODEL.formula);
    await page.waitForFunction(() => document.getElementById('formula-error')?.textContent === '' && !(document.getElementById('run') as HTMLButtonElement).disabled);
    for (const [id, v] of Object.entries({ chains: SETTINGS.chains, warmup: SETTINGS.warmup, draws: SETTINGS.draws, seed: SETTINGS.seed })) await page.fill(`#${id}`, String(v));
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('table-title')?.textContent?.startsWith('Laplace'), null, { timeout: 30_000 });

    // live: distinct trace plots before the end
    const traces = new Set<string>();
    let shot: Buffer | null = null;
    for (;;) {
      const state = await page.evaluate(() => ({ done: document.body.dataset.state !== 'running', trace: document.getElementById('trace')?.innerHTML ?? '', updates: Number(document.getElementById('live')?.dataset.updates ?? 0) }));
      if (state.done) break;
      if (state.trace !== '') traces.add(state.trace);
      // the latest screenshot still taken while running: the first one after two traces came before the
      // other plots had drawn on a quiet machine (2.6% ink)
      if (traces.size >= 2) {
        const img = await page.screenshot();
        if (await page.evaluate(() => document.body.dataset.state === 'running')) shot = img;
      }
      await page.waitForTimeout(200);
    }
    assert.equal(await page.getAttribute('body', 'data-state'), 'done', await page.textContent('#status-text') ?? '');
    assert.ok(traces.size >= 2, `the trace plot changed ${traces.size} times before the end`);
    assert.ok(shot, 'a mid-fit screenshot');
    const ink = inkOf(shot);
    // the live view (form, table, two 2×2 plot grids) inks ~20% of a 1400×1000 page; a blank page 0
    assert.ok(ink.nonWhite > 0.08 && ink.coloured > 3000, `mid-fit screenshot nearly blank: ${(100 * ink.nonWhite).toFixed(1)}% non-white, ${ink.coloured} coloured`);

    // the final table as a user downloads it, against the Node library's fit (same seed, backend wasm)
    const browserSummary = JSON.parse((await downloaded(page, '#dl-summary')).toString('utf8')) as SummaryJson;
    const node = await fit({ ...MODEL, data: readCsvFile(repoPath('examples/data/rcbd.csv'), { factors: MODEL.factors }), ...SETTINGS, backend: 'wasm' });
    assert.equal(browserSummary.sampler?.engine, 'tfjs-wasm');
    assert.equal(browserSummary.parameters.length, node.summary.parameters.length);
    // Not bit-identical: Chromium 156's V8 and Node 20's V8 (11.3) round Math.exp/log/pow differently in the
    // last bit (sqrt agrees), so the float64 Laplace fit differs at ~1e-9 relative and the chains, started
    // from it, part ways. The answers must agree: Laplace estimates and SEs to 1e-6 relative (the
    // optimizer's own tolerance is coarser than the rounding, finer than any digit shown); posterior
    // means within 4 combined MCSEs (each run's own mcse_mean).
    node.summary.parameters.forEach((p, i) => {
      const b = browserSummary.parameters[i];
      assert.equal(b.name, p.name);
      if (p.laplace) {
        for (const k of ['estimate', 'se'] as const) {
          const [x, y] = [b.laplace?.[k] ?? NaN, p.laplace[k] ?? NaN];
          assert.ok(Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y)), `${p.name} Laplace ${k}: browser ${x} vs Node ${y}`);
        }
      }
      if (p.class === 'r') return;
      const tol = 4 * Math.hypot(b.mcse_mean ?? NaN, p.mcse_mean ?? NaN);
      assert.ok(Math.abs((b.mean ?? NaN) - (p.mean ?? NaN)) <= tol, `${p.name} mean: browser ${b.mean} vs Node ${p.mean} (4 combined MCSE ${tol})`);
    });

    // report.html and the draws
    const report = (await downloaded(page, '#dl-report')).toString('utf8');
    assert.match(report, /<section id="trace">/);
    assert.match(report, /<section id="density">/);
    // a many-chain run's draws as --out writes them: one CmdStan CSV with a chain (and superchain) column
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-draws')]);
    assert.equal(dl.suggestedFilename(), 'draws.csv');
    const csv = readCmdStanCsv(readFileSync(await dl.path()).toString('utf8'), 'draws.csv');
    assert.equal(csv.nDraws, SETTINGS.chains * SETTINGS.draws);
    assert.equal(new Set(csv.chainIds).size, SETTINGS.chains);

    // Stop during sampling keeps the draws so far and summarizes them
    await page.fill('#draws', '2000');
    await page.click('#run');
    await page.waitForFunction(() => Number(document.getElementById('live')?.dataset.updates) > 0 && document.getElementById('table-title')?.textContent?.startsWith('Sampling'), null, { timeout: 90_000 });
    await page.click('#stop');
    await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 90_000 });
    assert.equal(await page.getAttribute('body', 'data-state'), 'done', await page.textContent('#status-text') ?? '');
    const stopped = JSON.parse((await downloaded(page, '#dl-summary')).toString('utf8')) as SummaryJson;
    assert.ok(stopped.sampler && stopped.sampler.draws >= 4 && stopped.sampler.draws < 2000, `stopped after ${stopped.sampler?.draws} draws`);
    assert.ok(stopped.warnings.some((w) => w.startsWith(`Sampling was interrupted (stopped): the summary uses the ${stopped.sampler!.draws} of 2000 draws`)), stopped.warnings.join(' | '));
    assert.deepEqual(stopped.incomplete, { reason: 'stopped', draws: stopped.sampler!.draws, draws_requested: 2000 });
    assert.ok(stopped.parameters.every((p) => p.mean !== null && Number.isFinite(p.mean)), 'every parameter summarized');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
});
