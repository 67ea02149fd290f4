# lme4's side of bench/insteval.ts, run by the bench when Rscript is on the PATH (never by tests or CI).
# Usage: Rscript bench/insteval-lme4.R <which> [poisson.csv]; which = lmer | glmer | poisson. Prints one JSON line:
# the fit's wall and CPU seconds (fit alone) and its estimates. The bench also times the whole process (start to exit).
suppressMessages({library(lme4); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
which <- args[1]
cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }
t0 <- proc.time()[["elapsed"]]
if (which == "poisson") {
  d <- read.csv(args[2]); d$g <- factor(d$g)
  tf <- proc.time()[["elapsed"]]; cf <- cpu()
  m <- glmer(y ~ x + (1 | g), data = d, family = poisson)
} else {
  d <- read.csv("examples/data/lme4_InstEval.csv")
  for (v in c("s", "d", "studage", "lectage", "service", "dept")) d[[v]] <- factor(d[[v]])
  tf <- proc.time()[["elapsed"]]; cf <- cpu()
  if (which == "lmer") {
    m <- lmer(y ~ service + lectage + studage + (1 | s) + (1 | d) + (1 | dept:service), data = d, REML = TRUE)
  } else {
    d$y3 <- as.integer(d$y > 3)
    m <- glmer(y3 ~ service + lectage + studage + (1 | s) + (1 | d) + (1 | dept:service), data = d, family = binomial)
  }
}
t1 <- proc.time()[["elapsed"]]; c1 <- cpu()
vc <- as.data.frame(VarCorr(m))
cat(toJSON(list(which = which, read = tf - t0, fit = t1 - tf, fitCpu = c1 - cf, logLik = as.numeric(logLik(m)),
  criterion = if (isLMM(m)) unname(REMLcrit(m)) else unname(deviance(m)),
  sdcor = vc$sdcor, beta = unname(fixef(m)), feval = m@optinfo$feval, lme4 = as.character(packageVersion("lme4"))),
  digits = NA, auto_unbox = TRUE), "\n")
