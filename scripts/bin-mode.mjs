/**
 * The build's last step: adds the run bit (u+x g+x o+x) to every `bin` of package.json. npm sets the bit
 * when it links a package's bins at install, which on a fresh clone (`npm ci && npm run build`) happens
 * before tsc has written dist/src/cli/main.js; tsc then writes the file 0644, so `npx glmm` would answer
 * "Permission denied". Run from the package root (npm runs scripts there).
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const file of bins) {
  chmodSync(file, statSync(file).mode | 0o111);
}
