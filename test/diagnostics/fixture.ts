/** Reads a JSON file from test/fixtures/, whether the tests run from dist/ inside the repo or from
 * another --outDir with the repo as working directory. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export function fixturePath(name: string): string {
  const candidates = [
    fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url)),
    join(process.cwd(), 'test', 'fixtures', name),
  ];
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`fixture ${name} not found (looked in ${candidates.join(', ')})`);
  return hit;
}

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}
