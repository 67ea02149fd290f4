/**
 * A one-line progress report on a TTY stream that says where the fit stands against its expected
 * length: `Laplace fit…`, `warmup   ████░░░░  35 of ~40 iterations · nested R-hat 1.08 (≤ 1.031)`,
 * `sampling ██████░░  ESS 640 of 1000 (sd_block__Intercept) · 30 draws per chain`, `writing outputs…`,
 * each with the seconds elapsed. Redrawn at most every 100 ms; `done()` clears the line.
 */
import type { WriteStream } from 'node:tty';
import type { SamplingProgress } from '../fit/sample.js';
import type { JobsProgress } from '../pool/pool.js';

export interface ProgressBar {
  readonly update: (p: SamplingProgress) => void;
  /** A phase without progress figures (e.g. writing outputs). */
  readonly phase: (label: string) => void;
  readonly done: () => void;
}

function bar(frac: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, frac)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** The text of one progress line (without the elapsed seconds). */
export function progressText(p: SamplingProgress, width = 24): string {
  if (p.phase === 'laplace') return 'Laplace fit (the ML answer and the starting point)…';
  if (p.phase === 'summary') return 'diagnostics and summary…';
  if (p.phase === 'warmup') {
    const nr = p.nestedRhat;
    const check = nr && Number.isFinite(nr.value) ? ` · nested R-hat ${nr.value === Infinity ? '—' : nr.value.toFixed(3)} (≤ ${nr.threshold.toFixed(3)})` : '';
    const of = nr ? `${p.done} of ~${p.total} iterations` : `${p.done} of ${p.total}`;
    return `warmup   ${bar(p.done / Math.max(1, p.total), width)} ${of}${check}`;
  }
  if (p.ess && !Number.isFinite(p.ess.min)) {
    return `sampling ${bar(p.done / Math.max(1, p.ess.firstCheck), width)} ${p.done} draws per chain · ESS first checked at ${p.ess.firstCheck} (target ${p.ess.target})`;
  }
  if (p.ess) {
    const e = Number.isFinite(p.ess.min) ? Math.round(p.ess.min) : 0;
    return `sampling ${bar(e / p.ess.target, width)} ESS ${e} of ${p.ess.target} (${p.ess.parameter}) · ${p.done} draws per chain`;
  }
  return `sampling ${bar(p.done / Math.max(1, p.total), width)} ${p.done} of ${p.total}`;
}

/** Creates a progress line writing to `stream`. */
export function progressBar(stream: WriteStream): ProgressBar {
  const t0 = Date.now();
  let last = 0;
  let active = false;
  let shown = 0;
  const write = (text: string) => {
    const line = `${text}  ${((Date.now() - t0) / 1000).toFixed(0)}s`;
    const cols = stream.columns || 100;
    const clipped = line.length >= cols ? line.slice(0, cols - 1) : line;
    stream.write(`\r${clipped}${' '.repeat(Math.max(0, shown - clipped.length))}`);
    shown = clipped.length;
    active = true;
  };
  return {
    update: (p) => {
      const now = Date.now();
      const edge = p.phase === 'laplace' || p.phase === 'summary';
      if (!edge && now - last < 100 && p.done < p.total) return;
      last = now;
      write(progressText(p));
    },
    phase: (label) => write(label),
    done: () => {
      if (!active) return;
      active = false;
      stream.write('\r' + ' '.repeat(shown) + '\r');
      shown = 0;
    },
  };
}

/** The text of a many-fit run's progress line: `K-fold ████░░ 3 of 8 refits · ETA 42 s` (without the elapsed seconds). */
export function jobsText(label: string, unit: string, p: JobsProgress, secondsThisRun: number, width = 24): string {
  const ran = p.done - p.resumed;
  const eta = ran > 0 && p.done < p.total ? ` · ETA ${Math.round((secondsThisRun / ran) * (p.total - p.done))} s` : '';
  const resumed = p.resumed > 0 ? ` (${p.resumed} resumed)` : '';
  return `${label} ${bar(p.done / Math.max(1, p.total), width)} ${p.done} of ${p.total} ${unit}${resumed}${eta}`;
}

/** A progress line over the jobs of a many-fit run (src/pool) on `stream`. */
export function jobsBar(stream: WriteStream, label: string, unit: string): { readonly update: (p: JobsProgress) => void; readonly done: () => void } {
  const t0 = Date.now();
  const line = progressBar(stream);
  return { update: (p) => line.phase(jobsText(label, unit, p, (Date.now() - t0) / 1000)), done: line.done };
}
