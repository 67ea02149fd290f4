/**
 * The setup form: the data set (file, drop or example), the model (formula, family, link, factors,
 * priors) and the sampler settings, read into a RunRequest. The defaults are the CLI's: the sampler
 * table src/sampler/defaults.ts shows as placeholders, and an empty field is left for fit() to fill.
 */
import { FAMILY_NAMES, getFamily } from '../../models/families/index.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { readCsv } from '../../src/data/read.js';
import { SAMPLER_DEFAULTS } from '../../src/sampler/defaults.js';
import type { DataFrame } from '../../src/data/frame.js';
import { EXAMPLES, type Example } from './examples.js';
import type { BackendChoice, RunRequest } from './protocol.js';

/** The element with id `id` (the page is index.html; a missing id is a programming error). */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html has no #${id}`);
  return e as T;
}

/** The loaded data set. */
export interface LoadedData {
  readonly name: string;
  readonly csv: string;
  readonly frame: DataFrame;
}

const SAMPLER_NOTES = {
  chees: 'ChEES-HMC: many chains in one batched computation; warmup stops when nested R-hat says the chains have mixed. adapt δ is its target acceptance.',
  nuts: "Stan's NUTS with its windowed warmup (CmdStan's defaults).",
} as const;

/** Fills the family select, the examples list, and keeps the link list and the NUTS-only fields in step. */
export function initForm(): void {
  const fam = $<HTMLSelectElement>('family');
  for (const f of FAMILY_NAMES) fam.add(new Option(f, f));
  const ex = $<HTMLSelectElement>('example');
  for (const e of EXAMPLES) ex.add(new Option(e.title, e.file));
  fam.addEventListener('change', () => fillLinks(fam.value as FamilyName));
  fillLinks(fam.value as FamilyName);
  const sampler = $<HTMLSelectElement>('sampler');
  sampler.addEventListener('change', () => samplerChanged(sampler.value as 'chees' | 'nuts'));
  samplerChanged('chees');
}

function fillLinks(family: FamilyName): void {
  const link = $<HTMLSelectElement>('link');
  const f = getFamily(family);
  link.replaceChildren(new Option(`${f.defaultLink} (default)`, ''), ...f.links.filter((l) => l !== f.defaultLink).map((l) => new Option(l, l)));
}

function samplerChanged(s: 'chees' | 'nuts'): void {
  const d = SAMPLER_DEFAULTS[s];
  $<HTMLInputElement>('chains').placeholder = String(d.chains);
  $<HTMLInputElement>('warmup').placeholder = s === 'chees' ? `≤ ${d.warmup}` : String(d.warmup);
  $<HTMLInputElement>('draws').placeholder = String(d.draws);
  $<HTMLInputElement>('adapt-delta').placeholder = String(d.adaptDelta);
  $<HTMLInputElement>('max-treedepth').placeholder = String(d.maxTreedepth);
  $('sampler-note').textContent = SAMPLER_NOTES[s];
  for (const el of document.querySelectorAll<HTMLLabelElement>('label.nuts')) {
    el.classList.toggle('off', s !== 'nuts');
    el.title = s === 'nuts' ? '' : 'NUTS only';
    el.querySelector<HTMLInputElement | HTMLSelectElement>('input, select')!.disabled = s !== 'nuts';
  }
}

/** Reads CSV text into the data set (throws the library's one-line error on a bad file). */
export function loadData(name: string, csv: string): LoadedData {
  return { name, csv, frame: readCsv(csv) };
}

/** One checkbox per column; `checked` are ticked (an example's factors). */
export function showColumns(data: LoadedData, checked: readonly string[]): void {
  const box = $('factors');
  box.replaceChildren(...[...data.frame.columns.values()].map((col) => {
    const label = document.createElement('label');
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.value = col.name;
    cb.checked = checked.includes(col.name) || col.kind === 'factor';
    cb.disabled = col.kind === 'factor';
    label.title = col.kind === 'factor' ? 'text column: always a factor' : 'numeric column';
    label.append(cb, col.name);
    return label;
  }));
  const kinds = [...data.frame.columns.values()].map((c) => `${c.name}${c.kind === 'factor' ? ` (${c.levels.length} levels)` : ''}`);
  const info = $('data-info');
  info.classList.remove('bad');
  info.textContent = `${data.name}: ${data.frame.nrow} rows; ${kinds.join(', ')}`;
}

/** Fills the model fields from an example. */
export function applyExample(e: Example): void {
  $<HTMLInputElement>('formula').value = e.formula;
  const fam = $<HTMLSelectElement>('family');
  fam.value = e.family;
  fam.dispatchEvent(new Event('change'));
}

/** The ticked factor columns. */
export function checkedFactors(): string[] {
  return [...document.querySelectorAll<HTMLInputElement>('#factors input:checked')].map((c) => c.value);
}

function numberOrUndefined(id: string): number | undefined {
  const v = $<HTMLInputElement>(id).value.trim();
  return v === '' ? undefined : Number(v);
}

/** The comma-separated categories of the levels field, or undefined when empty. */
function levelsOf(text: string): string[] | undefined {
  const v = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return v.length > 0 ? v : undefined;
}

/** The form as a RunRequest (the data set must be loaded). */
export function readRequest(data: LoadedData): RunRequest {
  const link = $<HTMLSelectElement>('link').value;
  const init = $<HTMLSelectElement>('init').value;
  const sampler = $<HTMLSelectElement>('sampler').value as 'chees' | 'nuts';
  const metric = $<HTMLSelectElement>('metric').value;
  return {
    csv: data.csv,
    formula: $<HTMLInputElement>('formula').value,
    family: $<HTMLSelectElement>('family').value as FamilyName,
    link: link === '' ? undefined : (link as LinkName),
    factors: checkedFactors(),
    levels: levelsOf($<HTMLInputElement>('levels').value),
    zi: $<HTMLInputElement>('zi').value.trim() || undefined,
    priors: $<HTMLTextAreaElement>('priors').value.split('\n').map((s) => s.trim()).filter((s) => s !== ''),
    sampler,
    chains: numberOrUndefined('chains'),
    warmup: numberOrUndefined('warmup'),
    draws: numberOrUndefined('draws'),
    seed: numberOrUndefined('seed') ?? SAMPLER_DEFAULTS.seed,
    adaptDelta: numberOrUndefined('adapt-delta'),
    // NUTS only: not sent for ChEES (fit() would warn that they were ignored)
    maxTreedepth: sampler === 'nuts' ? numberOrUndefined('max-treedepth') : undefined,
    metric: sampler === 'nuts' && metric !== '' ? (metric as 'diag' | 'dense') : undefined,
    init: init === '' ? undefined : 'random',
    backend: $<HTMLSelectElement>('backend').value as BackendChoice,
  };
}
