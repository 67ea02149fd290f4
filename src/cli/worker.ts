/**
 * `glmm worker --redis URL`: a queue worker for many-fit runs on other machines (src/pool/queue-worker.ts).
 * Runs until SIGINT/SIGTERM (the job in hand is finished or, on a second signal, abandoned to another
 * worker); one stderr line per job. `--lock-duration MS` and `--stalled-interval MS` tune how soon a
 * dead worker's job goes to another (defaults 30,000 and 15,000).
 */
import { parseArgs } from 'node:util';
import { UsageError } from './flag-values.js';

function msArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(Number.isInteger(x) && x >= 100)) throw new UsageError(`--${name} ${v}: expected milliseconds (an integer ≥ 100)`);
  return x;
}

/** Serves jobs until a signal; returns the exit code. */
export async function runWorker(argv: string[], log: (line: string) => void): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: { redis: { type: 'string' }, 'lock-duration': { type: 'string' }, 'stalled-interval': { type: 'string' } }, strict: true }).values as Record<string, string | undefined>;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\.$/, '')} (see glmm --help)`);
  }
  if (!values.redis) throw new UsageError('glmm worker needs --redis URL (e.g. redis://queue-host:6379)');
  const { serveQueue } = await import('../pool/queue-worker.js');
  const stop = await serveQueue(values.redis, {
    lockDuration: msArg('lock-duration', values['lock-duration']), stalledInterval: msArg('stalled-interval', values['stalled-interval']),
    onJob: (event, d) => log(`${event === 'start' ? 'start' : 'done '} run ${d.run.slice(0, 12)} job ${d.index + 1}`),
  });
  log(`glmm worker: taking jobs from ${values.redis}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
  return 0;
}
