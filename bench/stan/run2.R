suppressMessages(library(rstan))
args <- commandArgs(TRUE); which <- args[1]
D <- "examples/data/"
mk <- function(d, f, groups, fam, y, n, ad) {
  X <- model.matrix(f, d)
  G <- sapply(groups, function(gr) as.integer(factor(gr)))
  list(data = list(N = nrow(d), P = ncol(X), R = length(groups), fam = fam, y = y, n = if (is.null(n)) rep(1L, nrow(d)) else n, X = X,
       J = array(sapply(groups, function(gr) length(unique(gr)))), g = matrix(G, nrow(d))), ad = ad)
}
cs <- switch(which,
  rcbd = { d <- read.csv(paste0(D, "rcbd.csv")); mk(d, ~ factor(trt), list(d$block, paste(d$block, d$trt)), 1, d$count, NULL, 0.99) },
  beitler = { d <- read.csv(paste0(D, "beitler_landis_1985.csv")); mk(d, ~ factor(t), list(d$clinic, paste(d$clinic, d$t)), 2, d$x, d$n, 0.95) },
  seeds = { d <- read.csv(paste0(D, "bugs_seeds.csv")); mk(d, ~ x1 * x2, list(d$plate), 2, d$r, d$n, 0.95) },
  salamanders = { d <- read.csv(paste0(D, "glmmTMB_Salamanders.csv")); mk(d, ~ mined + spp, list(d$site), 3, d$count, NULL, 0.95) })
m <- stan_model("bench/stan/scalar.stan")
f <- sampling(m, data = cs$data, chains = 4, iter = 5000, warmup = 1000, seed = 1, control = list(adapt_delta = cs$ad), refresh = 0, cores = 1)
cpu <- sum(get_elapsed_time(f)); a <- as.array(f)
ps <- dimnames(a)$parameters; ps <- ps[grepl("^(b|sd_r|shape)\\[", ps)]
ess <- sapply(ps, function(p) ess_bulk(a[, , p]))
cat(which, "cpu_seconds", cpu, "min_bulk_ess", min(ess), names(which.min(ess)), "rate", min(ess) / cpu, "divergences", sum(get_divergent_iterations(f)), "\n")
