/**
 * SIGINT (Ctrl-C) and SIGTERM during `glmm fit`: the first signal asks the sampler to stop (it polls
 * `requested` at every iteration and yields to the event loop about every 100 ms, so it stops within a
 * second), the run then keeps its draws so far and exits 128 + the signal number (SIGINT 130, SIGTERM
 * 143, as a shell reports them). After the first signal the handlers are removed, so a second signal
 * takes the default action and ends the process at once, even inside a long synchronous step (the
 * Laplace fit) where no JavaScript handler could run; --out DIR then keeps its previous files (the new
 * ones were only in a temporary directory, which the next run into DIR removes with the stale lock).
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
 * Listens for the first SIGINT or SIGTERM; `onFirst(signal)` runs then (e.g. to clear a progress bar).
 */
export function watchInterrupts(onFirst: (signal: StopSignal) => void = () => {}): Interrupts {
  let first: StopSignal | null = null;
  const dispose = () => {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  };
  const handler = (signal: StopSignal) => {
    first = signal;
    dispose(); // the next signal ends the process at once
    onFirst(signal);
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return { signal: () => first, dispose };
}

/** Where an interrupted many-fit run (src/pool) kept its finished jobs, for its `error: …` line. */
export function keptNote(results: string | undefined): string {
  return results ? `; the finished ones are kept in ${results}: rerun the same command with --resume` : ' (add --results FILE.jsonl to keep finished jobs for --resume)';
}
