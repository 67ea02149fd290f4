/**
 * Shared by bench/run.ts and validation/run.ts: run the `fn()` export of every module in a folder (or the
 * named ones) and keep their markdown sections in <folder>/RESULTS.md, one block per module between
 * `<!-- section: name -->` markers, each stamped with the date and machine it was measured on.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const distRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `fn` of each module in dist/<folder> (all but run.js and sections.js, or `wanted`); returns name → section. */
export async function runModules(folder: string, fn: string, wanted: string[]): Promise<Map<string, string>> {
  const dir = join(distRoot, folder);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && f !== 'sections.js')
    .map((f) => f.replace(/\.js$/, ''))
    .filter((n) => wanted.length === 0 || wanted.includes(n));
  const out = new Map<string, string>();
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(dir, `${name}.js`)).href)) as Record<string, unknown>;
    const run = mod[fn];
    if (typeof run !== 'function') continue;
    process.stderr.write(`${fn} ${name}...\n`);
    const t0 = Date.now();
    const section = (await (run as () => Promise<string>)()).trim();
    if (section === '') continue; // an opt-in module that did not run keeps its recorded section
    const stamp = `_${new Date().toISOString().slice(0, 16)}Z · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · load ${loadavg()[0].toFixed(1)} · ${((Date.now() - t0) / 1000).toFixed(0)} s_`;
    process.stdout.write(section + '\n\n');
    out.set(name, `${section}\n\n${stamp}`);
  }
  return out;
}

/** Replaces (or appends) the given sections in <repo>/<folder>/RESULTS.md. */
export async function recordSections(folder: string, title: string, sections: Map<string, string>): Promise<void> {
  const file = join(distRoot, '..', folder, 'RESULTS.md');
  const kept = new Map<string, string>();
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const re = /<!-- section: (\S+) -->\n([\s\S]*?)(?=\n<!-- section: |\s*$)/g;
    for (const m of text.matchAll(re)) kept.set(m[1], m[2].trim());
  }
  for (const [k, v] of sections) kept.set(k, v);
  const body = [...kept.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `<!-- section: ${k} -->\n${v}\n`);
  writeFileSync(file, `# ${title}\n\nEach section is written by \`npm run ${folder === 'bench' ? 'bench' : 'validate'}\` (or a named subset) and stamped with when and where it was measured.\n\n${body.join('\n')}`);
}
