# rstanarm's stan_glmer at its defaults (4 chains x 2000 iterations, half warmup; rstanarm's default
# priors; options(mc.cores = 2), this machine's cores, as rstanarm's startup message advises) on the
# models of bench/latency.ts, for the latency comparison. Prints one JSON line per model:
# the seconds of the stan_glmer call, its chains' CPU seconds (warmup + sampling, summed), min bulk-ESS (posterior::ess_bulk via rstan::ess_bulk) over the
# fixed effects and the variance parameters, and the divergences.
# Usage (repository root): Rscript bench/stan/rstanarm.R rcbd   (bench/stan/rstanarm.sh runs them all)
suppressMessages(library(rstanarm))
options(mc.cores = 2)
which <- commandArgs(TRUE)[1]
D <- "examples/data/"
rd <- function(f) read.csv(paste0(D, f))
t0 <- proc.time()[["elapsed"]]
fit <- switch(which,
  rcbd = { d <- rd("rcbd.csv"); d$trt <- factor(d$trt); d$block <- factor(d$block)
    stan_glmer(count ~ trt + (1|block) + (1|block:trt), data = d, family = poisson, seed = 1, refresh = 0) },
  rcbd_nb = { d <- rd("rcbd.csv"); d$trt <- factor(d$trt); d$block <- factor(d$block)
    stan_glmer.nb(count ~ trt + (1|block), data = d, seed = 1, refresh = 0) },
  beitler = { d <- rd("beitler_landis_1985.csv"); d$t <- factor(d$t); d$clinic <- factor(d$clinic)
    stan_glmer(cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t), data = d, family = binomial, seed = 1, refresh = 0) },
  cbpp = { d <- rd("lme4_cbpp.csv"); d$period <- factor(d$period); d$herd <- factor(d$herd)
    stan_glmer(cbind(incidence, size - incidence) ~ period + (1|herd), data = d, family = binomial, seed = 1, refresh = 0) },
  seeds = { d <- rd("bugs_seeds.csv"); d$plate <- factor(d$plate)
    stan_glmer(cbind(r, n - r) ~ x1 * x2 + (1|plate), data = d, family = binomial, seed = 1, refresh = 0) },
  lots_visible = { d <- rd("sim_lots_visible.csv"); d$lot <- factor(d$lot); d$sample <- factor(d$sample)
    stan_glmer(count ~ amount + (amount|lot) + (1|sample), data = d, family = poisson, seed = 1, refresh = 0) },
  salamanders_nb = { d <- rd("glmmTMB_Salamanders.csv")
    stan_glmer.nb(count ~ mined + spp + (1|site), data = d, seed = 1, refresh = 0) },
  epilepsy = { d <- rd("brms_epilepsy.csv"); d$Trt <- factor(d$Trt); d$patient <- factor(d$patient); d$obs <- factor(d$obs)
    stan_glmer(count ~ zAge + zBase * Trt + (1|patient) + (1|obs), data = d, family = poisson, seed = 1, refresh = 0) },
  verbagg = { d <- rd("lme4_VerbAgg.csv")
    stan_glmer(r2 ~ Anger + Gender + btype + situ + (1|id) + (1|item), data = d, family = binomial, seed = 1, refresh = 0) })
secs <- proc.time()[["elapsed"]] - t0
a <- as.array(fit)
ps <- dimnames(a)$parameters
ps <- ps[!grepl("^b\\[", ps)]
ess <- sapply(ps, function(p) rstan::ess_bulk(a[, , p]))
div <- sum(sapply(rstan::get_sampler_params(fit$stanfit, inc_warmup = FALSE), function(x) sum(x[, "divergent__"])))
# CPU seconds of the sampling: every chain's warmup + sampling seconds (rstan::get_elapsed_time), summed
cpu <- sum(rstan::get_elapsed_time(fit$stanfit))
cat(sprintf('{"model": "%s", "fit_seconds": %.2f, "cpu_seconds": %.2f, "min_bulk_ess": %.0f, "param": "%s", "divergences": %d, "rstanarm": "%s"}\n',
  which, secs, cpu, min(ess), names(which.min(ess)), div, as.character(packageVersion("rstanarm"))))
