suppressMessages(library(rstan))
rstan_options(auto_write = FALSE)
args <- commandArgs(TRUE); which <- args[1]
if (which == "lots") {
  d <- read.csv("examples/data/sim_lots_visible.csv")
  data <- list(N = nrow(d), J = length(unique(d$lot)), y = d$count, amount = d$amount, lot = as.integer(factor(d$lot)))
  pars <- c("b0", "b1", "sd_lot", "sd_s", "L")
} else {
  d <- read.csv("examples/data/lme4_cbpp.csv")
  X <- model.matrix(~ factor(period), d)
  data <- list(N = nrow(d), J = length(unique(d$herd)), P = ncol(X), y = d$incidence, n = d$size, X = X, g = as.integer(factor(d$herd)))
  pars <- c("b", "sd_g")
}
m <- stan_model(paste0("bench/stan/", which, ".stan"))
f <- sampling(m, data = data, chains = 4, iter = 5000, warmup = 1000, seed = 1, control = list(adapt_delta = 0.95), refresh = 0, cores = 1)
cpu <- sum(get_elapsed_time(f))
a <- as.array(f)
ess <- sapply(dimnames(a)$parameters, function(p) ess_bulk(a[, , p]))
ess <- ess[grepl(paste0("^(", paste(pars, collapse = "|"), ")"), names(ess)) & !grepl("L\\[1,1\\]|L\\[1,2\\]|L\\[2,2\\]", names(ess))]
cat(which, "cpu_seconds", cpu, "min_bulk_ess", min(ess), names(which.min(ess)), "rate", min(ess) / cpu, "divergences", sum(get_divergent_iterations(f)), "\n")
