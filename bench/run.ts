/**
 * `npm run bench`: runs every bench/*.js module's `bench()` (each returns a markdown section), prints
 * the sections and writes them to bench/RESULTS.md with the date and machine. Pass names to run a
 * subset: `node dist/bench/run.js diagnostics sampler`.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.js$/, '')));

const sections: string[] = [
  `# Benchmarks\n\n${new Date().toISOString()} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`,
];
for (const f of modules) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { bench?: () => Promise<string> };
  if (typeof mod.bench !== 'function') continue;
  process.stderr.write(`bench ${f}...\n`);
  const section = await mod.bench();
  process.stdout.write(section + '\n');
  sections.push(section);
}
if (wanted.length === 0) writeFileSync(join(here, '..', '..', 'bench', 'RESULTS.md'), sections.join('\n'));
