/**
 * The reference models of the Laplace tests: data from test/fixtures/laplace/*.csv (copied from
 * /work/shared/data; provenance in make-golden.R) and golden values from laplace-golden.json (made by
 * make-golden.R with R 4.2.2, lme4 1.1-31, glmmTMB 1.1.5).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFile, frameFromRows } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import type { Design } from '../../src/design/types.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';

const here = dirname(fileURLToPath(import.meta.url));
function fixtures(): string {
  // compiled to <out>/test/laplace: walk up to find the source fixtures
  for (const c of [join(here, '..', 'fixtures', 'laplace'), join(here, '..', '..', '..', 'test', 'fixtures', 'laplace'), '/work/main/test/fixtures/laplace']) {
    try {
      readFileSync(join(c, 'laplace-golden.json'));
      return c;
    } catch {
      /* next */
    }
  }
  throw new Error('test/fixtures/laplace not found');
}
const DIR = fixtures();

/** Golden values (see make-golden.R). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const GOLDEN: Record<string, any> = JSON.parse(readFileSync(join(DIR, 'laplace-golden.json'), 'utf8'));

/** One reference case. */
export interface Case {
  readonly key: string;
  readonly design: Design;
  readonly family: FamilyName;
  readonly link?: LinkName;
}

const rcbd = frameFromRows(
  {
    block: [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8],
    trt: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    count: [1, 5, 21, 7, 2, 6, 0, 19, 36, 109, 30, 48, 0, 2, 5, 26],
  },
  { factors: ['block', 'trt'] },
);
const csv = (f: string, factors: string[]) => readCsvFile(join(DIR, f), { factors });

/** Builds the design of a case by key. */
export function caseDesign(key: string): Case {
  switch (key) {
    case 'cbpp':
      return { key, family: 'binomial', design: buildDesign('cbind(incidence, size - incidence) ~ period + (1 | herd)', csv('lme4_cbpp.csv', ['herd', 'period']), 'binomial') };
    case 'seeds':
      return { key, family: 'binomial', design: buildDesign('cbind(r, n - r) ~ x1 * x2 + (1 | plate)', csv('bugs_seeds.csv', ['plate']), 'binomial') };
    case 'beitler':
      return { key, family: 'binomial', design: buildDesign('cbind(x, n - x) ~ t + (1 | clinic) + (1 | clinic:t)', csv('beitler_landis_1985.csv', ['clinic', 't']), 'binomial') };
    case 'rcbd_poisson':
      return { key, family: 'poisson', design: buildDesign('count ~ trt + (1 | block) + (1 | block:trt)', rcbd, 'poisson') };
    case 'lots_visible':
      return { key, family: 'poisson', design: buildDesign('count ~ amount + (amount | lot) + (1 | sample)', csv('sim_lots_visible.csv', ['lot', 'sample']), 'poisson') };
    case 'salamanders_nb':
      return { key, family: 'negbinomial', design: buildDesign('count ~ mined + spp + (1 | site)', csv('glmmTMB_Salamanders.csv', ['site', 'mined', 'spp']), 'negbinomial') };
    case 'gamma_sim':
      return { key, family: 'gamma', design: buildDesign('y ~ x + (1 | g)', csv('sim_gamma.csv', ['g']), 'gamma') };
    case 'rcbd_gaussian_ml':
      return { key, family: 'gaussian', design: buildDesign('count ~ trt + (1 | block)', rcbd, 'gaussian') };
    default:
      throw new Error(`unknown case ${key}`);
  }
}
