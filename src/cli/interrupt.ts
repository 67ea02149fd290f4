/**
 * SIGINT (Ctrl-C) and SIGTERM during `glmm fit`: the first signal asks the sampler to stop (it polls
 * `requested` at every iteration and yields to the event loop about every 100 ms, so it stops within a
 * second), the run then keeps its draws so far and exits 128 + the signal number (SIGINT 130, SIGTERM
 * 143, as a shell reports them). A second signal calls `onSecond` (which drops the half-written output)
 * and exits at once.
 */

/** Exit code for a fatal signal: 128 + its number. */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

export type StopSignal = keyof typeof SIGNAL_EXIT;

/** The interrupt state of one run. */
export interface Interrupts {
  /** The first signal received, or null. */
  readonly signal: () => StopSignal | null;
  /** Stops listening (the default handlers return). */
  readonly dispose: () => void;
}

/**
 * Listens for SIGINT and SIGTERM. `onSecond(signal)` runs on the second signal, before the process
 * exits with that signal's code; it must be synchronous and quick.
 */
export function watchInterrupts(onSecond: (signal: StopSignal) => void): Interrupts {
  let first: StopSignal | null = null;
  const handler = (signal: StopSignal) => {
    if (first === null) {
      first = signal;
      return;
    }
    onSecond(signal);
    process.exit(SIGNAL_EXIT[signal]);
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: () => first,
    dispose: () => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
    },
  };
}
