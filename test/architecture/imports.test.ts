/**
 * The layout tells the story (ARCHITECTURE.md): every import in src/, base/, models/ and diagnostics/
 * follows the folder rules, there is no import cycle, index files only re-export, and tfjs stays in the
 * log density. Reads the sources (no build artefacts), so it runs in milliseconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycles, folderOf, importEdges, repoRoot } from './graph.js';
import { ALLOWED, mayImportTfjs, mayNameFamily } from './rules.js';
import { FAMILY_NAMES } from '../../models/families/getFamily.js';

const root = repoRoot();
const { files, edges } = importEdges(root);

test('the graph covers the library (sanity: files and imports are found)', () => {
  assert.ok(files.length > 100, `only ${files.length} files found under ${root}`);
  assert.ok(edges.length > 400, `only ${edges.length} imports found`);
  assert.ok(files.includes('src/fit.ts') && files.includes('base/errors.ts'));
});

test('every folder is named in the rules', () => {
  const unknown = [...new Set(files.map(folderOf))].filter((f) => !(f in ALLOWED));
  assert.deepEqual(unknown, [], 'add the new folder to test/architecture/rules.ts and ARCHITECTURE.md');
});

test('every import follows the folder rules', () => {
  const broken = edges
    .filter((e) => folderOf(e.from) !== folderOf(e.to) && !(ALLOWED[folderOf(e.from)] ?? []).includes(folderOf(e.to)))
    .map((e) => `${e.from} -> ${e.to}`);
  assert.deepEqual(broken, []);
});

test('every import resolves to a file of the library', () => {
  const known = new Set(files);
  assert.deepEqual(edges.filter((e) => !known.has(e.to)).map((e) => `${e.from} -> ${e.to}`), []);
});

test('no import cycles (type-only imports included)', () => {
  assert.deepEqual(cycles(files, edges), []);
});

test('index files only re-export', () => {
  const offenders = files.filter((f) => /(^|\/)index\.ts$/.test(f)).filter((f) => {
    const code = readFileSync(join(root, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const statements = code.split(';').map((s) => s.trim()).filter(Boolean);
    return statements.some((s) => !/^export\s+(type\s+)?(\*|\{[\s\S]*\})\s+from\s+'[^']+'$/.test(s) && !/^export\s+\*\s+as\s+\w+\s+from\s+'[^']+'$/.test(s));
  });
  assert.deepEqual(offenders, []);
});

test('tfjs is imported only by src/logdensity/ and src/target/compile.ts', () => {
  const offenders = files.filter((f) => !mayImportTfjs(f) && /from\s+'@tensorflow\//.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(offenders, []);
});

/**
 * A branch on a family's name: a family-ish expression (`family`, `fam`, `….name`, `….family`) compared
 * with a family-name literal, or a `case 'name':`/`includes('name')` of one (comments stripped).
 */
function familyBranches(code: string): string[] {
  const names = FAMILY_NAMES.join('|');
  const lhs = String.raw`(?:\b\w*fam\w*|\.name|\.family)\b`;
  const patterns = [
    new RegExp(String.raw`${lhs}\s*[!=]==?\s*'(?:${names})'`, 'gi'),
    new RegExp(String.raw`'(?:${names})'\s*[!=]==?\s*${lhs}`, 'gi'),
    new RegExp(String.raw`\bcase\s+'(?:${names})'\s*:`, 'g'),
    new RegExp(String.raw`includes\(\s*'(?:${names})'\s*\)`, 'g'),
  ];
  return patterns.flatMap((re) => code.match(re) ?? []);
}

test('no file outside models/families/ and src/logdensity/families/ branches on a family name', () => {
  const offenders = files.filter((f) => !mayNameFamily(f)).flatMap((f) => {
    const code = readFileSync(join(root, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    // the prior distributions gamma and beta share a family's name: a switch on d.dist is not a family branch
    return familyBranches(code).filter((m) => !/^(case 'gamma'|case 'beta'|d\.dist === 'beta')/.test(m) || !/d\.dist|dist\)/.test(code)).map((m) => `${f}: ${m}`);
  });
  assert.deepEqual(offenders, [], 'read the behaviour from the Family (models/families/types.ts) instead');
});

test('the family-branch check finds planted branches', () => {
  assert.equal(familyBranches(`if (family === 'poisson') x(); if (f.name !== 'gamma') y(); switch (fam) { case 'gaussian': }`).length, 3);
  assert.deepEqual(familyBranches(`const mode = opts.newLevels ?? 'gaussian'; if (mode === 'gaussian') z();`), []);
});

test('the checker finds a planted cycle and a planted rule break', () => {
  const planted = [
    { from: 'models/a.ts', to: 'models/b.ts', typeOnly: false },
    { from: 'models/b.ts', to: 'models/a.ts', typeOnly: true },
    { from: 'diagnostics/c.ts', to: 'src/errors.ts', typeOnly: false },
  ];
  assert.deepEqual(cycles(['models/a.ts', 'models/b.ts', 'diagnostics/c.ts'], planted), [['models/a.ts', 'models/b.ts']]);
  assert.ok(!ALLOWED[folderOf('diagnostics/c.ts')].includes(folderOf('src/errors.ts')));
});

test('the source reader sees a cycle through types only: laplace.ts → summarize.ts → types.ts → laplace.ts (issue 23)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'glmm-arch-'));
  try {
    mkdirSync(join(tmp, 'src', 'laplace'), { recursive: true });
    const put = (f: string, text: string) => writeFileSync(join(tmp, 'src', 'laplace', f), text);
    // every type-only spelling: `import type`, an inline `type` specifier, a multi-line list, `export type … from`
    put('laplace.ts', "import { summarizeFit, type Summary } from './summarize.js';\nexport const x = summarizeFit;\n");
    put('summarize.ts', "import type {\n  LaplaceFit,\n} from './types.js';\nexport function summarizeFit(): void {}\n");
    put('types.ts', "export type { Optimum } from './laplace.js';\n/** see import('./nosuch.js') in a comment */\n");
    const g = importEdges(tmp);
    assert.deepEqual(g.edges.map((e) => `${e.from} -> ${e.to} ${e.typeOnly ? 'type' : 'value'}`).sort(), [
      'src/laplace/laplace.ts -> src/laplace/summarize.ts value',
      'src/laplace/summarize.ts -> src/laplace/types.ts type',
      'src/laplace/types.ts -> src/laplace/laplace.ts type',
    ]);
    assert.deepEqual(cycles(g.files, g.edges).map((c) => [...c].sort()), [['src/laplace/laplace.ts', 'src/laplace/summarize.ts', 'src/laplace/types.ts']]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
