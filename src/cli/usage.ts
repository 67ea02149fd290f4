/** The usage text of `glmm` (`glmm --help`), its defaults from the sampler options' table. */
import { FAMILY_NAMES } from '../../models/families/getFamily.js';
import { defaultsUsage } from '../fit/options.js';

export const USAGE = `usage:
  glmm fit --data FILE.csv --formula F --family FAMILY [--link L] [--factor a,b] [--weights N] [--levels a,b,c] [--zi '~ x'] [--prior 'b ~ normal(0,5)']...
           [--sampler chees|nuts] [--chains N] [--warmup N] [--ess N | --draws N] [--seed N] [--init random|laplace]
           [--adapt-delta A] [--max-treedepth 10] [--metric diag|dense] (the last two NUTS only)
           [--centered GROUP,...|none|auto] [--backend js|cpu|wasm] [--threads N] [--no-laplace] [--no-profile]
           [--means FACTOR] [--ddf kenward-roger|satterthwaite] [--prob 0.95] [--random] [--wide] [--out DIR] [--draws-csv combined|per-chain] [--json]
           [--log-lik] [--loo] [--loo-group g] [--kfold K [--kfold-group g]]   (model comparison, README)
           [--each-response y1,y2,...]   (one fit per response column, the formula's left side replaced)
  many fits (--kfold, --each-response, glmm power): [--workers N] (default: the cores) [--results FILE.jsonl [--resume]]
           one JSON line per finished job; --resume continues an interrupted run of the same command;
           --redis URL runs the jobs on glmm worker processes instead (any machine that reaches the Redis server)
  ${defaultsUsage()}
  --ess N:  ChEES without --draws samples until every β/sd/cor/family parameter has bulk and tail ESS ≥ N
            (default 1000) and nested R-hat below its threshold (at most 1000 draws per chain)
  --threads N: threads of the plain-JS log density, split by chains (default: the cores; models whose
            batched call is small stay on one thread); the draws are the same for every N
  --centered: random effects of these grouping factors sampled centred, none: all non-centred,
            auto (default): centred where the Laplace fit shows the data dominate the prior
  glmm laplace --data FILE.csv --formula F --family FAMILY [--link L] [--factor a,b] [--weights N] [--levels a,b,c] [--zi '~ x'] [--nagq N] [--reml|--ml]
           [--means FACTOR] [--ddf kenward-roger|satterthwaite] [--no-profile] [--prob 0.95] [--random] [--wide] [--out DIR] [--json] [--progress]
  glmm diagnose FILE.csv... [--json] [--force]   (one file per chain; --force: read whole-number tables as draws)
  glmm loo FILE.csv...|DIR [--loo-group g [--data FILE.csv]] [--variable log_lik] [--json]
  glmm compare DIR DIR... [--labels a,b] [--criterion loo|kfold|waic] [--loo-group g] [--html FILE] [--json]
  glmm power --data FILE.csv | --levels block=8,trt=4 [--reps N]  --formula F --family FAMILY --set NAME=VALUE...
           --test EFFECT [--fit laplace|posterior] [--rule wald|lrt|prob|rope] [--null F] [--alpha 0.05]
           [--threshold 0.95] [--direction greater|less] [--rope LO,HI] [--along FACTOR=4,6,8,12] [--nsim 100]
           [--interval clopper-pearson|wilson] [--seed N] [--out DIR] [--json]   (power by simulation, README)
  glmm worker --redis URL [--lock-duration MS] [--stalled-interval MS]   take many-fit jobs from a Redis queue
  glmm ui [--port N] [--no-open]   serve the web app on localhost (prints its URL first)
data:      --sep ','|';'|tab (default: from the header), --na TEXT (repeatable: cells meaning missing
           besides empty, NA and NaN, e.g. --na .)
intervals: --prob P: posterior central interval and Laplace interval at level P (default 0.95)
tests:     gaussian fits print Type III F tests (Kenward–Roger df for REML, Satterthwaite for ML); --means trt
           prints the level means of trt (least-squares means with t intervals; GLMMs: data scale, both answers)
laplace:   a progress line on stderr (step, evaluations, best criterion, seconds) when stderr is a terminal or
           with --progress; Ctrl-C then stops the fit with one line and exit 130
families: ${FAMILY_NAMES.join(' ')}
  binomial response: cbind(x, n - x), 0/1 or a two-level factor, or a proportion with --weights n (as glmer)
  zero part: --zi '~ x1 + x2' (zipoisson, zinegbinomial, hurdle_poisson, hurdle_negbinomial; glmmTMB's ziformula): zi/hu on
           the logit scale by its own linear predictor, coefficients b_zi_Intercept, b_zi_x1, … (b_hu_… for a hurdle; prior b ~ normal(0, 5));
           --zi '~1' (the default): one zi/hu for every row. Random terms as in the formula, --zi '~ x1 + (1|g)': sd_g__zi_Intercept,
           r_g__zi[level,Intercept] (brms's names; the Laplace answer is the joint fit of both parts' effects, as glmmTMB's).
  cumulative (ordinal) response: integers 1..K, or categories ordered by --levels low,medium,high`;
