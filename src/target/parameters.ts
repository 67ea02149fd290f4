/**
 * The parameter layout of a GLMM and its transforms (DESIGN.md §Numerics; reference/algorithms.md §4).
 *
 * One unconstrained vector q, in this order:
 *   b (p fixed effects) | log sd (per term, per column) | cholesky_corr reals (per correlated term) |
 *   family parameters (familyLayout: log sigma, log shape, logit zi, …) | extra parameters (user-declared, extras.ts) | random effects per term, level-major (term t, level j, column k).
 * A term's random effects are non-centred by default (q holds z, r_j = diag(sd)·L·z_j) or centred
 * (q holds r_j itself, r_j ~ N(0, diag(sd)·L·Lᵀ·diag(sd))).
 * The constrained output follows DESIGN's names: b_*, sd_<group>__<term>, cor_<group>__<t1>__<t2>,
 * the family parameters (sigma, shape, nu, …; name[k] for a vector), r_<group>[<level>,<term>] in the same class order.
 * The random terms of a family parameter's formula (--zi '~ x + (1|site)') follow the count part's in
 * every class, always non-centred, with brms's names: sd_site__zi_Intercept, cor_site__zi_Intercept__zi_x,
 * r_site__zi[<level>,Intercept] (SpecTerm.param says which row coordinate they add to).
 */
import type { Design } from '../design/types.js';
import type { FamilyName, FamilyParamName, LinkName } from '../../models/families/types.js';
import { getFamily } from '../../models/families/getFamily.js';
import { familyCoordNames, slotValueNames, type FamilyLayout, type ParamSlot } from '../../models/families/layout.js';
import { formulaLayout, type FormulaLayout } from '../../models/families/formula-layout.js';
import { FAMILY_PARAM_NAMES, isFamilyParamName } from '../../models/families/params.js';
import { parsePrior, resolvePrior, formatPrior, type PriorDist, type PriorSpec } from '../../models/priors.js';
import { lkjStatements, withStatedCorPrior } from '../design/covariance/prior.js';
import { defaultPriors } from '../../models/defaultPriors.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Covariance } from '../design/covariance/types.js';
import type { CustomFamily, ExtraParameter, UserTerm } from '../logdensity/user.js';
import { parseExtras, type ExtraLayout } from './extras.js';

/** A constrained parameter (DESIGN's structured fields of summary.json). */
export interface ParamDescriptor {
  readonly name: string;
  readonly class: 'b' | 'sd' | 'cor' | 'r' | FamilyParamName | 'extra';
  readonly group: string | null;
  readonly term: string | null;
  readonly term2: string | null;
  readonly level: string | null;
}

/** Where one random-effect term lives in q, with its priors and data. */
export interface SpecTerm {
  readonly group: string;
  readonly terms: readonly string[];
  readonly k: number;
  /** The term's covariance structure (src/design/covariance): its sds, correlation reals and their transform. */
  readonly cov: Covariance;
  /** cov.correlated: the effects of a level are correlated (sampled through A = diag(sd)·L). */
  readonly correlated: boolean;
  readonly nLevels: number;
  readonly levels: readonly string[];
  readonly centered: boolean;
  readonly sdOffset: number;
  readonly sdPriors: readonly PriorDist[];
  /** Offset of the structure's cov.nReal correlation reals, or −1 when it has none. */
  readonly corOffset: number;
  /** The LKJ shape of the correlations' prior when cov.usesLkj (else 1, unused). */
  readonly lkjEta: number;
  /** Offset of the nLevels·k random effects (z or r). */
  readonly zOffset: number;
  readonly index: Int32Array;
  readonly Z: Float64Array;
  /**
   * The family parameter whose formula the term belongs to (`zi`: it adds Z (Λ z) to row i's zero
   * coordinate u_i, models/families/formula-layout.ts), or absent for a term of the linear predictor η.
   */
  readonly param?: FamilyParamName;
}

/** A random term of the design with the family parameter whose formula holds it (absent: η's). */
type PlacedTerm = { readonly t: Design['random'][number]; readonly param?: FamilyParamName };

/** Every random term of the model: η's (design.random), then each family parameter formula's. */
export function placedTerms(design: Design): PlacedTerm[] {
  return [...design.random.map((t) => ({ t })), ...(design.paramFormulas ?? []).flatMap((f) => (f.random ?? []).map((t) => ({ t, param: f.param })))];
}

/**
 * The name of a random effect: r_<group>[<level>,<term>], or brms's r_<group>__<param>[<level>,<term>]
 * for a term of a parameter's formula (its term label without the `<param>_` prefix).
 */
export function ranefParamName(group: string, level: string, term: string, param?: FamilyParamName): string {
  return param ? `r_${group}__${param}[${level},${term.slice(param.length + 1)}]` : `r_${group}[${level},${term}]`;
}

/** A GLMM ready to be compiled: design, family, link, layout, priors. */
export interface ModelSpec {
  readonly design: Design;
  readonly family: FamilyName;
  readonly link: LinkName;
  readonly dim: number;
  /** Names of the unconstrained coordinates. */
  readonly names: readonly string[];
  /** Constrained parameters, in constrain()'s output order. */
  readonly params: readonly ParamDescriptor[];
  readonly p: number;
  /** Prior of each fixed-effect column (the Intercept prior on the "(Intercept)" column). */
  readonly bPriors: readonly PriorDist[];
  readonly terms: readonly SpecTerm[];
  /** The family parameters: unconstrained at q[offset .. offset + layout.dim), one prior per parameter (layout.slots order). */
  readonly familyBlock: FamilyBlockSpec;
  /** Statements in effect (defaults then user), for printing with formatPrior. */
  readonly priors: readonly PriorSpec[];
  /** User-declared parameters (src/logdensity/user.ts), after the family parameters and before the random effects. */
  readonly extras: readonly ExtraLayout[];
  /** User log-density terms and a custom family (likelihood replaced), or null. */
  readonly user: UserModel | null;
  /** Built-in parameters whose default prior a user term replaces (constrained names). */
  readonly priorReplaced: ReadonlySet<string>;
}

/** Where the family parameters live in q and their priors. */
export interface FamilyBlockSpec {
  readonly offset: number;
  /** The block's coordinates in q (a parameter with a formula: its coefficients b_zi_*, formulas.block). */
  readonly layout: FamilyLayout;
  /** The row and block layouts (models/families/formula-layout.ts): what the family's row functions take per row. */
  readonly formulas: FormulaLayout;
  readonly priors: readonly PriorDist[];
}

/** What the user wrote: extra log-density terms and a custom family. */
export interface UserModel {
  readonly terms: readonly UserTerm[];
  readonly family: CustomFamily | null;
}

/** Options of buildModel. */
export interface ModelOptions {
  readonly family: FamilyName;
  readonly link?: LinkName;
  /** User prior statements (brms syntax) overriding the defaults. */
  readonly priors?: readonly string[];
  /** Grouping factors whose random effects are centred (default: all non-centred). */
  readonly centered?: readonly string[];
  /** Extra parameters with a constraint and a prior (src/logdensity/user.ts). */
  readonly parameters?: readonly ExtraParameter[];
  /** Extra log-density terms in tfjs ops. */
  readonly terms?: readonly UserTerm[];
  /** A custom family replacing the likelihood of `family` (which still checks the response and gives the link). */
  readonly customFamily?: CustomFamily;
}

function bCoef(name: string): string {
  return name.startsWith('b_') ? name.slice(2) : name;
}

/** Checks that a user prior names something in the model; throws a one-line GlmmInputError. */
function checkUserPrior(text: string, p: PriorSpec, design: Design, familyParams: readonly FamilyParamName[]): void {
  const coefs = design.fixed.names.map(bCoef).filter((c) => c !== 'Intercept');
  const random = placedTerms(design).map((x) => x.t);
  const groups = [...new Set(random.map((t) => t.group))];
  const fail = (what: string): never => {
    throw new GlmmInputError(`prior '${text}': ${what}`);
  };
  if (p.class === 'b' && p.coef !== null && !coefs.includes(p.coef)) fail(`no coefficient '${p.coef}' in the model (coefficients: ${coefs.join(', ') || 'none'})`);
  if (p.class === 'Intercept' && !design.fixed.hasIntercept && !familyParams.includes('Intercept')) fail('the model has no intercept');
  if ((p.class === 'sd' || p.class === 'cor' || p.class === 'ar') && groups.length === 0) fail('the model has no random effects');
  if ((p.class === 'sd' || p.class === 'cor' || p.class === 'ar') && p.group !== null && !groups.includes(p.group)) fail(`no grouping factor '${p.group}' (groups: ${groups.join(', ')})`);
  if (p.class === 'sd' && p.group !== null && p.coef !== null && !random.some((t) => t.group === p.group && t.terms.includes(p.coef as string))) {
    fail(`group '${p.group}' has no term '${p.coef}'`);
  }
  const inGroup = (t: Design['random'][number]) => p.group === null || t.group === p.group;
  if (p.class === 'cor' && p.prior.dist === 'lkj' && !random.some((t) => t.cov.usesLkj && inGroup(t))) fail('no correlated (LKJ) random-effect term matches');
  if ((p.class === 'ar' || (p.class === 'cor' && p.prior.dist !== 'lkj')) && !random.some((t) => t.cov.corClass === p.class && inGroup(t))) {
    fail(p.class === 'ar' ? 'no ar1() term matches (ar is the class of ar1\'s correlation)' : 'no cs() or toep() term matches (a uniform or normal cor prior is for their correlations; lkj() for unstructured terms)');
  }
  if (isFamilyParamName(p.class) && !familyParams.includes(p.class)) fail(`the ${design.family} family has no ${p.class} parameter`);
}

/**
 * Lays out the parameters of `design` under `opts` (family, link, priors, centring).
 * Throws GlmmInputError for a link the family does not have, a bad prior, or an unknown centred group.
 */
export function buildModel(design: Design, opts: ModelOptions): ModelSpec {
  const family = getFamily(opts.family);
  const link = opts.link ?? family.defaultLink;
  if (!family.links.includes(link)) {
    throw new GlmmInputError(`link '${link}' is not available for family ${family.name}; use one of ${family.links.join(', ')}`);
  }
  const userTexts = opts.priors ?? [];
  const userPriors = userTexts.map(parsePrior);
  userPriors.forEach((p, i) => checkUserPrior(userTexts[i], p, design, family.params.map((fp) => fp.name)));
  const priors = [...defaultPriors(design, family.name, link), ...userPriors];
  const centered = new Set(opts.centered ?? []);
  for (const g of centered) {
    if (!design.random.some((t) => t.group === g)) throw new GlmmInputError(`centered (--centered): no grouping factor '${g}' in the formula; use ${[...new Set(design.random.map((t) => t.group))].join(', ') || 'none'}, none or auto`);
  }
  for (const t of design.random) {
    if (centered.has(t.group) && t.cov.correlated && !t.cov.usesLkj) throw new GlmmInputError(`centered (--centered): the ${t.cov.kind}() term of '${t.group}' is sampled non-centred only; drop '${t.group}' from --centered`);
  }
  const lkj = lkjStatements(priors);
  const need = (cls: PriorSpec['class'], group: string | null, coef: string | null): PriorDist => {
    const r = resolvePrior(lkj, cls, group, coef);
    if (!r) throw new Error(`no prior for ${cls} ${group ?? ''} ${coef ?? ''}`);
    return r.prior;
  };

  const names: string[] = [];
  const params: ParamDescriptor[] = [];
  const { fixed } = design;
  const bPriors: PriorDist[] = [];
  for (let j = 0; j < fixed.p; j++) {
    const isInt = fixed.columns[j] === '(Intercept)';
    const coef = bCoef(fixed.names[j]);
    bPriors.push(isInt ? need('Intercept', null, null) : need('b', null, coef));
    names.push(fixed.names[j]);
    params.push({ name: fixed.names[j], class: 'b', group: null, term: coef, term2: null, level: null });
  }
  let off = fixed.p;
  const placed = placedTerms(design);
  const sdOffsets: number[] = [];
  for (const { t } of placed) {
    sdOffsets.push(off);
    for (const term of t.cov.sdTerms(t.terms)) {
      names.push(`log_sd_${t.group}__${term}`);
      params.push({ name: `sd_${t.group}__${term}`, class: 'sd', group: t.group, term, term2: null, level: null });
      off++;
    }
  }
  const corOffsets: number[] = [];
  for (const { t } of placed) {
    if (t.cov.nReal === 0) {
      corOffsets.push(-1);
      continue;
    }
    corOffsets.push(off);
    names.push(...t.cov.realNames(t.group));
    off += t.cov.nReal;
    for (const c of t.cov.correlationParams(t.group, t.terms)) params.push({ name: c.name, class: 'cor', group: t.group, term: c.term, term2: c.term2, level: null });
  }
  const formulas = formulaLayout(family, design.response.y, design.paramFormulas);
  const layout = formulas.block;
  // a parameter with a formula: its coefficients on the logit scale get the b prior of the model (normal(0, 5): proper, as every default)
  const familyBlock: FamilyBlockSpec = { offset: off, layout, formulas, priors: layout.slots.map((sl) => (sl.names ? need('b', null, null) : need(sl.param.name, null, null))) };
  names.push(...familyCoordNames(layout));
  for (const sl of layout.slots) for (const name of slotValueNames(sl)) params.push({ name, class: sl.param.name, group: null, term: sl.names ? name.slice(`b_${sl.param.name}_`.length) : null, term2: null, level: null });
  off += layout.dim;
  const extras = parseExtras(opts.parameters ?? [], params.map((q) => q.name), off);
  for (const e of extras) {
    names.push(e.constraint === 'real' ? e.name : e.constraint === 'positive' ? `log_${e.name}` : `logit_${e.name}`);
    params.push({ name: e.name, class: 'extra', group: null, term: null, term2: null, level: null });
    off++;
  }
  const user = userModel(opts, params);
  const terms: SpecTerm[] = placed.map(({ t, param }, ti) => {
    // a parameter formula's terms are always non-centred
    const isCentered = !param && centered.has(t.group);
    const cov = withStatedCorPrior(t.cov, t.group, priors);
    const zOffset = off;
    for (const level of t.levels) {
      for (const term of t.terms) {
        const name = ranefParamName(t.group, level, term, param);
        names.push(`${isCentered ? 'r' : 'z'}${name.slice(1)}`);
        params.push({ name, class: 'r', group: t.group, term, term2: null, level });
      }
    }
    off += t.levels.length * t.k;
    return {
      group: t.group, terms: t.terms, k: t.k, cov, correlated: t.cov.correlated, nLevels: t.levels.length, levels: t.levels, centered: isCentered,
      sdOffset: sdOffsets[ti], sdPriors: t.cov.sdTerms(t.terms).map((term) => need('sd', t.group, term)), corOffset: corOffsets[ti],
      lkjEta: t.cov.usesLkj ? (need('cor', t.group, null) as { eta: number }).eta : 1, zOffset, index: t.index, Z: t.Z,
      ...(param ? { param } : {}),
    };
  });
  // report only the statements that apply to something (e.g. no 'b' line for an intercept-only model)
  // (a structured term's correlation prior is printed per parameter: modelPriorLines)
  const withFormula = new Set<string>(formulas.formulas.map((f) => f.slot.param.name));
  userPriors.forEach((p, i) => {
    if (withFormula.has(p.class)) throw new GlmmInputError(`prior '${userTexts[i]}': with a --zi formula ${p.class} is given by its coefficients ${slotValueNames(layout.slots.find((sl) => sl.param.name === p.class) as ParamSlot).join(', ')} (logit scale), which take the b prior; write e.g. 'b ~ normal(0, 2.5)'`);
  });
  const used = withoutOverridden(lkj).filter((p) => p.class !== 'ar' && !withFormula.has(p.class) && (p.class !== 'b' || withFormula.size > 0 || fixed.columns.some((c) => c !== '(Intercept)')) && (p.class !== 'Intercept' || fixed.hasIntercept || family.params.some((fp) => fp.name === 'Intercept')));
  const priorReplaced = new Set((user?.terms ?? []).flatMap((t) => t.replacesPriorOf ?? []));
  return { design, family: family.name, link, dim: off, names, params, p: fixed.p, bPriors, terms, familyBlock, priors: used, extras, user, priorReplaced };
}

/** The statements that still apply: one overridden by a later statement of the same class, group and coef (a user's `phi ~ gamma(2, 0.1)` after the default) is dropped, so the printed priors are the ones used. */
function withoutOverridden(priors: readonly PriorSpec[]): PriorSpec[] {
  const key = (p: PriorSpec) => `${p.class}|${p.group ?? ''}|${p.coef ?? ''}`;
  return priors.filter((p, i) => !priors.slice(i + 1).some((q) => key(q) === key(p)));
}

/** Checks the user terms and custom family (names, functions, replaced priors) and returns them, or null. */
function userModel(opts: ModelOptions, params: readonly ParamDescriptor[]): UserModel | null {
  const terms = opts.terms ?? [];
  const fam = opts.customFamily ?? null;
  if (terms.length === 0 && !fam) return null;
  const names = new Set<string>();
  for (const t of terms) {
    if (typeof t.name !== 'string' || t.name === '') throw new GlmmInputError('a user term needs a name (terms: [{ name, logDensity }])');
    if (names.has(t.name)) throw new GlmmInputError(`term '${t.name}': two user terms have this name`);
    names.add(t.name);
    if (typeof t.logDensity !== 'function') throw new GlmmInputError(`term '${t.name}': logDensity must be a function (params, ctx) => tensor [C, 1]`);
    for (const r of t.replacesPriorOf ?? []) {
      const p = params.find((q) => q.name === r);
      if (!p || !(p.class === 'b' || p.class === 'sd' || isFamilyParamName(p.class))) throw new GlmmInputError(`term '${t.name}': replacesPriorOf names '${r}', which is not a b_*, sd_* or family parameter (${FAMILY_PARAM_NAMES.join(', ')}) of the model`);
    }
  }
  if (fam) {
    if (typeof fam.name !== 'string' || fam.name === '') throw new GlmmInputError('a custom family needs a name');
    if (typeof fam.logLik !== 'function') throw new GlmmInputError(`family '${fam.name}': logLik must be a function (eta, params, ctx) => tensor [C, n]`);
    if (fam.base !== opts.family) throw new GlmmInputError(`family '${fam.name}': its base '${fam.base}' differs from the model's family '${opts.family}'`);
  }
  return { terms, family: fam };
}

/** The prior statements of a model, one formatted line each (for printing with every fit). */
export function modelPriorLines(spec: ModelSpec): string[] {
  const extras = spec.extras.map((e) => `${e.name} ~ ${e.priorText}${e.constraint === 'positive' ? ' (positive)' : typeof e.constraint === 'object' ? ` on (${e.constraint.lower}, ${e.constraint.upper})` : ''}`);
  const terms = (spec.user?.terms ?? []).map((t) => `+ term ${t.name}${t.replacesPriorOf?.length ? ` (replaces the priors of ${t.replacesPriorOf.join(', ')})` : ''}`);
  // the correlations of a cs/ar1/toep term: their prior (default uniform on the range; classes ar, cor)
  const structured = spec.terms.flatMap((t) => (t.cov.corPriorText ? t.cov.correlationParams(t.group, t.terms).map((c) => `${c.name} ~ ${t.cov.corPriorText}`) : []));
  return [...spec.priors.map(formatPrior), ...structured, ...extras, ...terms];
}
