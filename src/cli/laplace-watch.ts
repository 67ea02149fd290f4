/**
 * `glmm laplace` with a progress line and a clean Ctrl-C. The likelihood fit is one long synchronous
 * computation, during which no signal handler of its thread can run; so when stderr is a terminal (or
 * with --progress) the fit runs on a worker thread (laplace-worker.ts) and this thread draws the
 * progress line — `Laplace: 42 evaluations · best −2 logLik 61,234.5678  12s` — and on the first SIGINT
 * or SIGTERM ends the worker and exits 130/143 with one `error: …` line (an --out DIR keeps its
 * previous files). Otherwise (pipes, scripts) the fit runs in this thread as before, with no worker's start-up.
 */
import { Worker } from 'node:worker_threads';
import type { WriteStream } from 'node:tty';
import { GlmmInputError } from '../../base/errors.js';
import type { LaplaceArgs } from './args.js';
import { progressBar } from './progress.js';
import { SIGNAL_EXIT, watchInterrupts } from './interrupt.js';
import type { LaplaceWorkerMessage } from './laplace-worker.js';

/** What the command prints and its exit code. */
export interface LaplaceOutcome { readonly stdout: string; readonly stderr: string; readonly code: number }

/** The text of the progress line for one evaluation report (without the elapsed seconds). */
export function evaluationText(step: string, evaluations: number, best: number): string {
  const crit = step === 'REML' ? 'REML criterion' : '−2 logLik';
  return `${step}: ${evaluations} evaluations · best ${crit} ${Number.isFinite(best) ? best.toFixed(4) : '—'}`;
}

/** A progress writer: redrawn in place on a terminal, one line every 2 s otherwise. */
function progressWriter(stream: NodeJS.WriteStream): { show: (text: string) => void; done: () => void } {
  if (stream.isTTY) {
    const line = progressBar(stream as WriteStream);
    return { show: (t) => line.phase(t), done: () => line.done() };
  }
  const t0 = Date.now();
  let last = 0;
  return {
    show: (t) => {
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      stream.write(`${t}  ${((now - t0) / 1000).toFixed(0)}s\n`);
    },
    done: () => {},
  };
}

/** Runs `glmm laplace`, watched (see the file comment) when stderr is a terminal or --progress is given. */
export async function runLaplaceCommand(a: LaplaceArgs): Promise<LaplaceOutcome> {
  if (!process.stderr.isTTY && !a.progress) {
    const { runLaplace } = await import('./run.js');
    return { stdout: await runLaplace(a), stderr: '', code: 0 };
  }
  const progress = progressWriter(process.stderr);
  const worker = new Worker(new URL('./laplace-worker.js', import.meta.url), { workerData: { args: a } });
  let lastReport = 'before the first evaluation';
  return await new Promise<LaplaceOutcome>((resolve, reject) => {
    const interrupts = watchInterrupts((signal) => {
      progress.done();
      void worker.terminate();
      resolve({ stdout: '', stderr: `error: ${signal}: the fit stopped (${lastReport})${a.out ? `; ${a.out} keeps its previous files` : ''}`, code: SIGNAL_EXIT[signal] });
    });
    const finish = (f: () => void): void => { interrupts.dispose(); progress.done(); void worker.terminate(); f(); };
    worker.on('message', (m: LaplaceWorkerMessage) => {
      if (m.kind === 'progress') {
        lastReport = evaluationText(m.step, m.evaluations, m.best);
        progress.show(lastReport);
      } else if (m.kind === 'done') finish(() => resolve({ stdout: m.text, stderr: '', code: 0 }));
      else finish(() => reject(m.input ? new GlmmInputError(m.message) : Object.assign(new Error(m.message), { stack: m.stack })));
    });
    worker.on('error', (e) => finish(() => reject(e)));
  });
}
