/**
 * The package as another project installs it (issue 11 item 4): `import { fit } from 'glmm-hmc'` resolves
 * through package.json's `exports` map (Node's self-reference uses the same resolution as a dependency),
 * and the files `npm pack` ships hold every module the entry point imports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import * as local from '../../src/index.js';
import { repoPath } from '../cli/cli-helpers.js';

test("import { fit } from 'glmm-hmc' resolves through the exports map to the built entry point", async () => {
  const name = 'glmm-hmc';
  const lib = await import(name);
  assert.equal(lib.fit, local.fit);
  for (const verb of ['fit', 'laplaceOnly', 'fixef', 'ranef', 'VarCorr', 'coef', 'confint', 'summary', 'anova', 'predict', 'contrasts', 'derive']) {
    assert.equal(typeof lib[verb], 'function', verb);
  }
});

test('npm pack ships every module the entry point imports (and no tests)', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoPath('.'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const shipped = new Set((JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path));
  assert.ok(shipped.has('package.json') && shipped.has('dist/src/index.js') && shipped.has('dist/src/index.d.ts'));
  assert.ok(![...shipped].some((p) => p.startsWith('dist/test/')), 'tests are not shipped');
  // walk the relative imports from dist/src/index.js
  const seen = new Set<string>();
  const stack = ['dist/src/index.js'];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    assert.ok(shipped.has(file), `${file} is imported but not in the package`);
    const text = readFileSync(repoPath(file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = normalize(join(dirname(file), m[1]));
      assert.ok(existsSync(repoPath(target)), `${file} imports missing ${target}`);
      stack.push(relative('.', target));
    }
  }
  assert.ok(seen.size > 50, `walked ${seen.size} modules`);
});
