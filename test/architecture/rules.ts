/**
 * The import rules of ARCHITECTURE.md as data: for each folder, the other folders its files may import
 * (a folder may always import itself). Folders are src/<name> (src/fit.ts belongs to src/fit, the other
 * files at the top of src/ are their own folder) and the top-level base/, models/, diagnostics/.
 */
const LIBRARY = ['base', 'models', 'diagnostics'];
const BELOW_FIT = [
  ...LIBRARY, 'src/data', 'src/formula', 'src/design', 'src/linalg', 'src/sampler', 'src/logdensity', 'src/target',
  'src/laplace', 'src/lmm', 'src/inference', 'src/report', 'src/version', 'src/threads',
];

export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  base: [],
  models: ['base'],
  diagnostics: ['base'],
  'src/version': [],
  'src/linalg': [],
  'src/threads': [],
  'src/data': ['base', 'models'],
  'src/formula': ['base', 'src/data'],
  'src/design': ['base', 'models', 'src/data', 'src/formula', 'src/linalg'],
  'src/sampler': ['base', 'diagnostics', 'src/linalg'],
  'src/logdensity': ['base', 'models', 'src/sampler'],
  'src/target': ['base', 'models', 'diagnostics', 'src/design', 'src/linalg', 'src/logdensity', 'src/sampler', 'src/threads'],
  'src/laplace': ['base', 'models', 'src/design', 'src/linalg'],
  'src/lmm': ['base', 'models', 'src/design', 'src/linalg'],
  'src/inference': ['base', 'models', 'diagnostics', 'src/data', 'src/formula', 'src/design', 'src/linalg', 'src/target'],
  'src/report': ['base', 'models', 'diagnostics'],
  'src/fit': BELOW_FIT,
  'src/pool': ['base'],
  'src/loo': [...BELOW_FIT, 'src/fit', 'src/pool'],
  'src/power': [...BELOW_FIT, 'src/fit', 'src/pool'],
  'src/cli': [...BELOW_FIT, 'src/fit', 'src/loo', 'src/pool', 'src/power'],
  'src/index': [...BELOW_FIT, 'src/fit', 'src/loo', 'src/pool', 'src/power'],
};

/** Files that may import @tensorflow/tfjs (DESIGN.md §Style 5): the log density and its compiler. */
export function mayImportTfjs(file: string): boolean {
  return file.startsWith('src/logdensity/') || file === 'src/target/compile.ts';
}

/**
 * Files that may know a family by name (ARCHITECTURE.md "How to add a family"): the family table
 * itself and each family's tfjs twin. Everywhere else behaviour comes from the Family object.
 */
export function mayNameFamily(file: string): boolean {
  return file.startsWith('models/families/') || file.startsWith('src/logdensity/families/');
}
