/**
 * Loads the lme4 golden values of test/fixtures/inference/predict-golden.json (made by
 * predict-golden.R beside it: R 4.2.2, lme4 1.1.31) and builds the matching designs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readCsvFile, frameFromRows } from '../../src/data/read.js';
import type { DataFrame } from '../../src/data/frame.js';
import { buildDesign } from '../../src/design/design.js';
import type { Design } from '../../src/design/types.js';
import type { FamilyName, Link, LinkName } from '../../models/families/types.js';
import { getFamily } from '../../models/families/getFamily.js';
import { getLink } from '../../models/links.js';

/** A repository-relative path, from dist/ inside the repo or from another --outDir run at the repo root. */
export function repoFile(rel: string): string {
  const candidates = [fileURLToPath(new URL(`../../../${rel}`, import.meta.url)), join(process.cwd(), rel)];
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`${rel} not found (looked in ${candidates.join(', ')})`);
  return hit;
}

export interface GoldenCase {
  formula: string;
  family: FamilyName;
  /** Set when the fit used a link other than the family's default. */
  link?: LinkName;
  params: Record<string, number>;
  fitted: number[];
  eta: number[];
  residuals: { response: number[]; pearson: number[]; deviance: number[] };
  newdata: Record<string, unknown[]>;
  predict: { link_all: number[]; response_all: number[]; link_none: number[]; response_none: number[] };
}

export const golden = JSON.parse(readFileSync(repoFile('test/fixtures/inference/predict-golden.json'), 'utf8')) as Record<string, GoldenCase>;

const SOURCES: Record<string, { file: string; factors: string[] }> = {
  cbpp: { file: 'examples/data/lme4_cbpp.csv', factors: ['herd', 'period'] },
  rcbd: { file: 'examples/data/rcbd.csv', factors: ['block', 'trt'] },
  lots: { file: 'examples/data/sim_lots_visible.csv', factors: ['lot', 'sample'] },
  salamanders: { file: 'examples/data/glmmTMB_Salamanders.csv', factors: [] },
  lots_gaussian: { file: 'examples/data/sim_lots_visible.csv', factors: ['lot', 'sample'] },
  lots_gamma: { file: 'examples/data/sim_lots_visible.csv', factors: ['lot', 'sample'] },
};

/** The data, design and newdata frame of golden case `name`. */
export function goldenCase(name: string): { g: GoldenCase; data: DataFrame; design: Design; newdata: DataFrame; link: Link } {
  const g = golden[name];
  const src = SOURCES[name];
  const data = readCsvFile(repoFile(src.file), { factors: src.factors });
  const design = buildDesign(g.formula, data, g.family);
  const newdata = frameFromRows(g.newdata as Record<string, unknown[]>, { factors: src.factors.filter((f) => f in g.newdata) });
  return { g, data, design, newdata, link: getLink(g.link ?? getFamily(g.family).defaultLink) };
}

/** Largest absolute difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
