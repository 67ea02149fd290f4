/**
 * A one-line progress bar on a TTY stream: `warmup  ███████░░░░░░  45%  12s`. Redrawn at most every
 * 100 ms; `done()` clears the line.
 */
import type { WriteStream } from 'node:tty';

export interface ProgressBar {
  readonly update: (p: { warmup: boolean; done: number; total: number }) => void;
  readonly done: () => void;
}

/** Creates a progress bar writing to `stream`. */
export function progressBar(stream: WriteStream, width = 30): ProgressBar {
  const t0 = Date.now();
  let last = 0;
  let active = false;
  return {
    update: ({ warmup, done, total }) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      active = true;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const secs = ((now - t0) / 1000).toFixed(0);
      stream.write(`\r${warmup ? 'warmup  ' : 'sampling'} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${(frac * 100).toFixed(0).padStart(3)}%  ${secs}s`);
    },
    done: () => {
      if (!active) return;
      active = false;
      stream.write('\r' + ' '.repeat(width + 30) + '\r');
    },
  };
}
