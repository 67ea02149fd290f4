/**
 * The web app in Debian's headless Chromium (playwright-core; flags as test/web) against Node, same
 * machine, same minutes: per example and tfjs backend, how long after Run the Laplace table appears,
 * and the sampler's seconds (warmup + sampling, from summary.json) for ChEES with 64 chains × 100
 * draws, seed 1. Node runs fit() with the same settings on its wasm and cpu backends. WebGL in
 * headless Chromium with --disable-gpu runs on SwiftShader (software), not a GPU; WebGPU has no
 * adapter there. Run: `npm run build && node dist/bench/run.js web`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fit } from '../src/fit.js';
import { readCsvFile } from '../src/data/read.js';
import { launchChromium } from '../test/web/browser.js';
import { repoPath } from '../test/design/repo-path.js';

const EXAMPLES = [
  { file: 'rcbd.csv', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson' as const, factors: ['trt', 'block'] },
  { file: 'beitler_landis_1985.csv', formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial' as const, factors: ['t', 'clinic'] },
  { file: 'lme4_cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1|herd)', family: 'binomial' as const, factors: ['period', 'herd'] },
];
const SETTINGS = { chains: 64, draws: 100, seed: 1 };
/** Every backend on the first example; wasm (the default) on the others. */
const BROWSER_BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'] as const;

interface Row { where: string; backend: string; laplace: string; sampler: string; total: string; minEss: string }

function minEss(s: { parameters: { class: string; ess_bulk: number | null }[] }): string {
  const v = s.parameters.filter((p) => p.class !== 'r').map((p) => p.ess_bulk ?? NaN);
  return Math.min(...v).toFixed(0);
}

async function startUi(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [repoPath('dist/src/cli/main.js'), 'ui', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function bench(): Promise<string> {
  const ui = await startUi();
  const browser = await launchChromium();
  const rows: Row[] = [];
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(ui.url);
    await page.waitForFunction(() => document.getElementById('status-text')?.textContent?.startsWith('Ready'), null, { timeout: 60_000 });
    const offered = await page.$$eval('#backend option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const [i, ex] of EXAMPLES.entries()) {
      for (const backend of i === 0 ? BROWSER_BACKENDS : (['wasm'] as const)) {
        if (!offered.includes(backend)) {
          rows.push({ where: `${ex.file} · Chromium`, backend, laplace: '—', sampler: 'not offered (no adapter)', total: '—', minEss: '—' });
          continue;
        }
        await page.selectOption('#example', ex.file);
        await page.waitForFunction((f) => (document.getElementById('formula') as HTMLInputElement).value === f, ex.formula);
        await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
        await page.selectOption('#backend', backend);
        await page.fill('#chains', String(SETTINGS.chains));
        await page.fill('#draws', String(SETTINGS.draws));
        await page.fill('#seed', String(SETTINGS.seed));
        await page.click('#run');
        await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 600_000 });
        const r = await page.evaluate(() => ({ state: document.body.dataset.state, laplaceMs: document.body.dataset.laplaceMs, doneMs: document.body.dataset.doneMs, status: document.getElementById('status-text')?.textContent ?? '' }));
        if (r.state !== 'done') {
          rows.push({ where: `${ex.file} · Chromium`, backend, laplace: '—', sampler: r.status.slice(0, 80), total: '—', minEss: '—' });
          continue;
        }
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-summary')]);
        const { readFileSync } = await import('node:fs');
        const s = JSON.parse(readFileSync(await dl.path(), 'utf8'));
        process.stderr.write(`  ${ex.file} ${backend}: ${r.status}\n`);
        rows.push({ where: `${ex.file} · Chromium`, backend, laplace: (Number(r.laplaceMs) / 1000).toFixed(2), sampler: (s.sampler.seconds.warmup + s.sampler.seconds.sampling).toFixed(1), total: (Number(r.doneMs) / 1000).toFixed(1), minEss: minEss(s) });
      }
      for (const backend of i === 0 ? (['wasm', 'cpu'] as const) : (['wasm'] as const)) {
        const t0 = performance.now();
        const f = await fit({ formula: ex.formula, family: ex.family, factors: ex.factors, data: readCsvFile(repoPath(`examples/data/${ex.file}`), { factors: ex.factors }), ...SETTINGS, backend });
        const s = f.summary.sampler!;
        rows.push({ where: `${ex.file} · Node ${process.version}`, backend, laplace: '—', sampler: (s.seconds.warmup + s.seconds.sampling).toFixed(1), total: ((performance.now() - t0) / 1000).toFixed(1), minEss: minEss(f.summary) });
      }
    }
  } finally {
    await browser.close();
    ui.stop();
  }
  const table = ['| example · where | backend | Laplace table after Run (s) | sampler s (warmup + sampling) | Run → report (s) | min bulk-ESS |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.where} | ${r.backend} | ${r.laplace} | ${r.sampler} | ${r.total} | ${r.minEss} |`)];
  return `## web\n\nThe web app (dist/web via \`glmm ui\`) in headless Chromium 156 (playwright-core, --disable-gpu: WebGL is
SwiftShader's software rasterizer, WebGPU has no adapter), each example fitted by ChEES (every backend on rcbd, wasm on the others) with ${SETTINGS.chains} chains ×
${SETTINGS.draws} draws, seed ${SETTINGS.seed}, driven through the page's form; beside it Node's fit() with the same settings.
"Laplace table after Run" is the page's own clock from the click to the Laplace table. Command:
\`npm run build && node dist/bench/run.js web\`.\n\n${table.join('\n')}\n`;
}
