/**
 * The import graph of the library's own code (src/, base/, models/, diagnostics/), read from the
 * TypeScript sources: every `import … from './x.js'`, `export … from`, and `import('./x.js')` with a
 * relative specifier, resolved to a repository path. Used by the architecture test.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: above dist/ when compiled, else the working directory. */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../..', '../..']) {
    const r = normalize(join(here, up));
    if (existsSync(join(r, 'package.json')) && existsSync(join(r, 'src'))) return r;
  }
  return process.cwd();
}

/** The library's top-level code folders. */
export const ROOTS = ['src', 'base', 'models', 'diagnostics'] as const;

function walk(root: string, dir: string, out: string[]): string[] {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** One import edge: from file to file (repository-relative .ts paths), and whether it is type-only. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

/** Strips comments so that examples in doc comments are not read as imports. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Every relative import of every .ts file under ROOTS. */
export function importEdges(root = repoRoot()): { files: string[]; edges: ImportEdge[] } {
  const files = ROOTS.flatMap((r) => (existsSync(join(root, r)) ? walk(root, r, []) : []));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const src = stripComments(readFileSync(join(root, file), 'utf8'));
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) continue;
      const to = relative(root, join(root, dirname(file), spec)).replace(/\.js$/, '.ts');
      const typeOnly = /^\s*;?\s*(import|export)\s+type\s/.test(m[0].replace(/^[\s;]/, ''));
      edges.push({ from: file, to, typeOnly });
    }
  }
  return { files, edges };
}

/** The folder a file belongs to for the rules: src/<folder> (or src/<file> at the top of src), else the top-level folder. */
export function folderOf(file: string): string {
  const parts = file.split(/[\\/]/);
  if (parts[0] !== 'src') return parts[0];
  return parts.length === 2 ? `src/${parts[1].replace(/\.ts$/, '')}` : `src/${parts[1]}`;
}

/** Strongly connected components with more than one file (import cycles), by Tarjan's algorithm. */
export function cycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const adj = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) adj.get(e.from)?.push(e.to);
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}
