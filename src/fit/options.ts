/**
 * The sampler options in one place for fit() and the CLI: their type, their defaults (the table of
 * src/sampler/defaults.ts, which the samplers read too) and how options meant for one sampler are
 * treated by the other.
 */
import { SAMPLER_DEFAULTS, type SamplerName } from '../sampler/defaults.js';

export { SAMPLER_DEFAULTS, type SamplerName };

/** What the caller may set (every field optional; {@link resolveSamplerOptions} fills the defaults). */
export interface SamplerOptions {
  /** 'chees' (default): ChEES-HMC over many chains; 'nuts': Stan's NUTS. */
  readonly sampler?: SamplerName;
  readonly chains?: number;
  /** Warmup iterations (NUTS: exactly; ChEES: at most, stopping when nested R-hat passes). */
  readonly warmup?: number;
  /** Draws per chain. */
  readonly draws?: number;
  readonly seed?: number;
  /** NUTS: target acceptance of the step-size adaptation. ChEES: its target (harmonic-mean) acceptance. */
  readonly adaptDelta?: number;
  /** NUTS only. */
  readonly maxTreedepth?: number;
  /** NUTS only. */
  readonly metric?: 'diag' | 'dense';
  /**
   * Initial values: 'laplace' (default when the Laplace fit exists: NUTS starts each chain at the mode
   * jittered by its SEs; ChEES starts each superchain at the best of 16 draws mode + 2·SE·N(0, 1)),
   * 'random' (Stan's uniform(−2, 2); ChEES: best of 16 per superchain) or a point.
   */
  readonly init?: 'random' | 'laplace' | Float64Array;
}

/** Every option set, for the sampler that runs. `chains` undefined: ChEES picks from the model's size. */
export interface ResolvedSamplerOptions {
  readonly sampler: SamplerName;
  readonly chains: number | undefined;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly adaptDelta: number;
  readonly maxTreedepth: number;
  readonly metric: 'diag' | 'dense';
  readonly init: 'random' | 'laplace' | Float64Array;
}


/** Options that only NUTS uses, as the CLI spells them. */
const NUTS_ONLY = [['maxTreedepth', '--max-treedepth'], ['metric', '--metric']] as const;

/**
 * Fills the defaults of the chosen sampler. With ChEES, `adaptDelta` sets its target acceptance (the
 * counterpart: a higher target gives smaller steps and fewer divergences), and the NUTS-only options
 * give one warning line instead of being ignored silently.
 */
export function resolveSamplerOptions(o: SamplerOptions): { options: ResolvedSamplerOptions; warnings: string[]; notes: string[] } {
  const sampler = o.sampler ?? SAMPLER_DEFAULTS.sampler;
  const d = SAMPLER_DEFAULTS[sampler];
  const warnings: string[] = [];
  const notes: string[] = [];
  if (sampler === 'chees') {
    if (o.adaptDelta !== undefined) notes.push(`adaptDelta ${o.adaptDelta} is ChEES-HMC's target acceptance here (its default is ${d.adaptDelta}).`);
    const ignored = NUTS_ONLY.filter(([k]) => o[k] !== undefined).map(([, flag]) => flag);
    if (ignored.length > 0) {
      warnings.push(`${ignored.join(' and ')} ${ignored.length > 1 ? 'apply' : 'applies'} to NUTS only and ${ignored.length > 1 ? 'were' : 'was'} ignored by ChEES-HMC (the default sampler); add --sampler nuts to use ${ignored.length > 1 ? 'them' : 'it'}.`);
    }
  }
  return {
    options: {
      sampler,
      chains: o.chains ?? (sampler === 'nuts' ? d.chains : undefined),
      warmup: o.warmup ?? d.warmup,
      draws: o.draws ?? d.draws,
      seed: o.seed ?? SAMPLER_DEFAULTS.seed,
      adaptDelta: o.adaptDelta ?? d.adaptDelta,
      maxTreedepth: o.maxTreedepth ?? d.maxTreedepth,
      metric: o.metric ?? d.metric,
      init: o.init ?? SAMPLER_DEFAULTS.init,
    },
    warnings,
    notes,
  };
}

/** The defaults line of the CLI usage, from the table. */
export function defaultsUsage(): string {
  const c = SAMPLER_DEFAULTS.chees;
  const n = SAMPLER_DEFAULTS.nuts;
  return `defaults: ChEES ${c.chains} chains × ${c.draws} draws, warmup ≤ ${c.warmup} (stops when nested R-hat passes), target acceptance ${c.adaptDelta}
            (--adapt-delta sets it), each superchain starts from the best of 16 draws around the Laplace fit;
            NUTS ${n.chains} chains × ${n.draws} draws after ${n.warmup} warmup, --adapt-delta ${n.adaptDelta}, --max-treedepth ${n.maxTreedepth}, --metric ${n.metric},
            chains start at the Laplace mode jittered by its SEs; --init random: Stan's uniform(−2, 2)`;
}
