/** Resolves a repository-relative path whether the tests run from dist/ inside the repo or from
 * another --outDir with the repository as working directory. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export function repoPath(rel: string): string {
  const candidates = [fileURLToPath(new URL(`../../../${rel}`, import.meta.url)), join(process.cwd(), rel)];
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`${rel} not found (looked in ${candidates.join(', ')})`);
  return hit;
}
