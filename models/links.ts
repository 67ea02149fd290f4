/**
 * Link functions, as R's `make.link` (stats/R/family.R) and lme4's glmFamily: linkinv clamps μ into
 * (ε, 1 − ε) for the binomial links and muEta is floored at ε = DBL_EPSILON exactly as R does, so
 * PIRLS sees the same numbers as glmer. muEta2 (d²μ/dη²) is the exact derivative (no clamp).
 */
import type { Link, LinkName } from './families/types.js';
import { dnormStd, pnorm, qnorm } from '../base/normal.js';

const EPS = 2.220446049250313e-16; // .Machine$double.eps
const THRESH = 30; // R's logit linkinv: -log(DBL_EPSILON) ≈ 36; R's C code uses 30 (family.c)
const MTHRESH = -30;
const PROBIT_THRESH = -qnorm(EPS); // ≈ 8.125890664701906

const logLink: Link = {
  name: 'log',
  linkfun: (mu) => Math.log(mu),
  linkinv: (eta) => Math.max(Math.exp(eta), EPS),
  muEta: (eta) => Math.max(Math.exp(eta), EPS),
  muEta2: (eta) => Math.exp(eta),
  validEta: () => true,
};

const identityLink: Link = {
  name: 'identity',
  linkfun: (mu) => mu,
  linkinv: (eta) => eta,
  muEta: () => 1,
  muEta2: () => 0,
  validEta: () => true,
};

const sqrtLink: Link = {
  name: 'sqrt',
  linkfun: (mu) => Math.sqrt(mu),
  linkinv: (eta) => eta * eta,
  muEta: (eta) => 2 * eta,
  muEta2: () => 2,
  validEta: (eta) => Number.isFinite(eta) && eta > 0,
};

/** R family.c logit_linkinv / logit_mu_eta. */
const logitLink: Link = {
  name: 'logit',
  linkfun: (mu) => Math.log(mu / (1 - mu)),
  linkinv: (eta) => {
    const t = eta < MTHRESH ? EPS : eta > THRESH ? 1 / EPS : Math.exp(eta);
    return t / (1 + t);
  },
  muEta: (eta) => {
    const opexp = 1 + Math.exp(eta);
    return eta > THRESH || eta < MTHRESH ? EPS : Math.exp(eta) / (opexp * opexp);
  },
  muEta2: (eta) => {
    const a = Math.exp(-Math.abs(eta));
    const m = a / ((1 + a) * (1 + a)); // μ(1−μ)
    const mu = eta >= 0 ? 1 / (1 + a) : a / (1 + a);
    return m * (1 - 2 * mu);
  },
  validEta: () => true,
};

/** R make.link("probit"). */
const probitLink: Link = {
  name: 'probit',
  linkfun: (mu) => qnorm(mu),
  linkinv: (eta) => pnorm(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH)),
  muEta: (eta) => Math.max(dnormStd(eta), EPS),
  muEta2: (eta) => -eta * dnormStd(eta),
  validEta: () => true,
};

/** R make.link("cloglog"). */
const cloglogLink: Link = {
  name: 'cloglog',
  linkfun: (mu) => Math.log(-Math.log1p(-mu)),
  linkinv: (eta) => Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1 - EPS), EPS),
  muEta: (eta) => {
    const e = Math.min(eta, 700);
    return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), EPS);
  },
  muEta2: (eta) => {
    const ex = Math.exp(eta);
    return Math.exp(eta - ex) * (1 - ex);
  },
  validEta: () => true,
};

/** R make.link("inverse"). */
const inverseLink: Link = {
  name: 'inverse',
  linkfun: (mu) => 1 / mu,
  linkinv: (eta) => 1 / eta,
  muEta: (eta) => -1 / (eta * eta),
  muEta2: (eta) => 2 / (eta * eta * eta),
  validEta: (eta) => Number.isFinite(eta) && eta !== 0,
};

const LINKS: Readonly<Record<LinkName, Link>> = {
  log: logLink,
  identity: identityLink,
  sqrt: sqrtLink,
  logit: logitLink,
  probit: probitLink,
  cloglog: cloglogLink,
  inverse: inverseLink,
};

/** The link named `name` (R's `make.link(name)`). */
export function getLink(name: LinkName): Link {
  const link = LINKS[name];
  if (!link) throw new Error(`unknown link '${String(name)}'`);
  return link;
}

/** Every link name, in a stable order. */
export const LINK_NAMES: readonly LinkName[] = ['log', 'identity', 'sqrt', 'logit', 'probit', 'cloglog', 'inverse'];
