/**
 * The page: wires the setup form to the fitting worker and the results view. The numbers all come
 * from the library (src/, models/, diagnostics/) bundled as is; this folder only moves them around.
 */
import { setSvgDocument } from '../../src/report/plots/svg.js';
import { toJson } from '../../src/report/format.js';
import type { SummaryJson } from '../../src/report/schema.js';
import type { FamilyName } from '../../models/families/types.js';
import { $, applyExample, checkedFactors, initForm, loadData, readRequest, showColumns, type LoadedData } from './form.js';
import { checkFormula, showCheck } from './formula-check.js';
import { EXAMPLES } from './examples.js';
import { download } from './download.js';
import { resetView, showFinal, showLaplace, showLive, showNoDraws, showStatus } from './view.js';
import type { FromWorker, ToWorker } from './protocol.js';

setSvgDocument(document);

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

let data: LoadedData | null = null;
let ready = false;
let running = false;
let finalSummary: SummaryJson | null = null;
let reportHtml = '';
/** When Run was pressed (performance.now()); the page records the Laplace and end times in body data-* for bench/web.ts. */
let runStart = 0;

function setRunning(on: boolean): void {
  running = on;
  $<HTMLButtonElement>('stop').disabled = !on;
  updateRunButton();
}

function updateRunButton(): void {
  const ok = ready && !running && data !== null && !$('formula').classList.contains('bad') && $<HTMLInputElement>('formula').value.trim() !== '';
  $<HTMLButtonElement>('run').disabled = !ok;
}

let checkTimer = 0;
/** Re-checks the formula against the data (debounced: the design is rebuilt at most every 120 ms). */
function scheduleCheck(): void {
  clearTimeout(checkTimer);
  checkTimer = window.setTimeout(() => {
    const input = $<HTMLInputElement>('formula');
    const f = input.value;
    const c = f.trim() === '' ? { ok: true as const } : checkFormula(f, data ? { csv: data.csv, family: $<HTMLSelectElement>('family').value as FamilyName, factors: checkedFactors() } : undefined);
    showCheck(input, $('formula-error'), f, c);
    updateRunButton();
  }, 120);
}

function useData(name: string, csv: string, factors: readonly string[] = []): void {
  try {
    data = loadData(name, csv);
    showColumns(data, factors);
  } catch (e) {
    data = null;
    const info = $('data-info');
    info.classList.add('bad');
    info.textContent = `${name}: ${e instanceof Error ? e.message : String(e)}`;
  }
  scheduleCheck();
}

async function loadExample(file: string): Promise<void> {
  const ex = EXAMPLES.find((e) => e.file === file);
  if (!ex) return;
  const res = await fetch(`examples/${file}`);
  if (!res.ok) {
    $('data-info').textContent = `examples/${file}: HTTP ${res.status}`;
    return;
  }
  applyExample(ex);
  useData(file, await res.text(), ex.factors);
}

async function loadFile(f: File): Promise<void> {
  $<HTMLSelectElement>('example').value = '';
  useData(f.name, await f.text());
}

function onWorker(m: FromWorker): void {
  switch (m.type) {
    case 'ready':
      ready = true;
      for (const b of m.backends.filter((b) => b === 'webgpu')) $<HTMLSelectElement>('backend').add(new Option('WebGPU', b), 2);
      showStatus(`Ready (tfjs backends here: ${m.backends.join(', ')}).`, 0);
      updateRunButton();
      break;
    case 'backend':
      showStatus(`Fitting the Laplace answer… (backend ${m.backend})`, 0);
      break;
    case 'laplace':
      showLaplace(m.summary, m.seconds);
      document.body.dataset.laplaceMs = String(Math.round(performance.now() - runStart));
      break;
    case 'progress': {
      const phase = m.warmup ? 'warmup' : 'sampling';
      showStatus(`${phase} ${m.done}/${m.total}${m.warmup ? ' (at most; stops when the chains agree)' : ''} · ${m.seconds.toFixed(1)} s`, m.done / m.total, phase);
      break;
    }
    case 'live':
      showLive(m.snapshot);
      break;
    case 'done':
      setRunning(false);
      if (!m.report) {
        showNoDraws(m.laplaceSummary, m.message ?? 'No draws.');
        showStatus(`Stopped after ${m.seconds.toFixed(1)} s.`, 0);
        document.body.dataset.state = 'stopped';
        break;
      }
      finalSummary = m.report.summary;
      reportHtml = showFinal(m.report);
      showStatus(`${m.stopped ? 'Stopped' : 'Done'} in ${m.seconds.toFixed(1)} s: ${m.report.summary.sampler?.chains} chains × ${m.report.summary.sampler?.draws} draws (${m.report.summary.sampler?.engine}).`, 1);
      document.body.dataset.doneMs = String(Math.round(performance.now() - runStart));
      document.body.dataset.state = 'done';
      break;
    case 'draws':
      download(m.name, m.bytes as Uint8Array<ArrayBuffer>, m.name.endsWith('.zip') ? 'application/zip' : 'text/csv');
      break;
    case 'error':
      setRunning(false);
      showStatus(`error: ${m.message}`, 0, 'error');
      document.body.dataset.state = 'error';
      break;
  }
}

function start(ev: Event): void {
  ev.preventDefault();
  if (!data || running) return;
  resetView();
  finalSummary = null;
  runStart = performance.now();
  delete document.body.dataset.laplaceMs;
  document.body.dataset.state = 'running';
  setRunning(true);
  showStatus('Starting…', 0);
  send({ type: 'run', request: readRequest(data) });
}

function wire(): void {
  initForm();
  worker.onmessage = (e: MessageEvent<FromWorker>) => onWorker(e.data);
  worker.onerror = (e) => {
    setRunning(false);
    showStatus(`error: the fitting worker failed (${e.message})`, 0, 'error');
  };
  $('setup').addEventListener('submit', start);
  $('stop').addEventListener('click', () => {
    send({ type: 'stop' });
    showStatus('Stopping after the current iteration…', null);
  });
  $('formula').addEventListener('input', scheduleCheck);
  $('family').addEventListener('change', scheduleCheck);
  $('factors').addEventListener('change', scheduleCheck);
  $<HTMLSelectElement>('example').addEventListener('change', (e) => void loadExample((e.target as HTMLSelectElement).value));
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void loadFile(f);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void loadFile(f);
  });
  $('dl-summary').addEventListener('click', () => finalSummary && download('summary.json', toJson(finalSummary) + '\n', 'application/json'));
  $('dl-report').addEventListener('click', () => reportHtml && download('report.html', reportHtml, 'text/html'));
  $('dl-draws').addEventListener('click', () => send({ type: 'draws' }));
}

wire();
