# Golden values for examples/salamanders-zip.ts: glmmTMB's ML fit of the zero-inflated Poisson GLMM
#   count ~ spp + mined + (1|site), ziformula = ~ spp + mined, family = poisson
# on the committed CSV (examples/data/glmmTMB_Salamanders.csv = glmmTMB::Salamanders; factor levels
# alphabetical, as read.csv and the package's CSV reader both make them), and of the plain Poisson GLMM.
# Run from the repository root:  Rscript examples/reference/salamanders_zip.R
# Writes examples/reference/salamanders_zip.json. Needs glmmTMB and jsonlite; the examples and tests never need R.
suppressPackageStartupMessages({ library(glmmTMB); library(jsonlite) })
d <- read.csv("examples/data/glmmTMB_Salamanders.csv", stringsAsFactors = TRUE)
zip <- glmmTMB(count ~ spp + mined + (1 | site), ziformula = ~ spp + mined, family = poisson, data = d)
pois <- glmmTMB(count ~ spp + mined + (1 | site), family = poisson, data = d)
tab <- function(m, part) {
  s <- summary(m)$coefficients[[part]]
  setNames(lapply(seq_len(nrow(s)), function(i) list(estimate = s[i, 1], se = s[i, 2])), rownames(s))
}
out <- list(
  provenance = list(
    script = "examples/reference/salamanders_zip.R", date = format(Sys.time(), "%Y-%m-%d"),
    R = R.version.string, glmmTMB = as.character(packageVersion("glmmTMB")), TMB = as.character(packageVersion("TMB")),
    data = "examples/data/glmmTMB_Salamanders.csv (glmmTMB::Salamanders, Price et al. 2016)",
    command = "Rscript examples/reference/salamanders_zip.R"
  ),
  zip = list(
    formula = "count ~ spp + mined + (1|site)", zi_formula = "~ spp + mined",
    cond = tab(zip, "cond"), zi = tab(zip, "zi"),
    sd_site = attr(VarCorr(zip)$cond$site, "stddev")[[1]],
    logLik = as.numeric(logLik(zip)), AIC = AIC(zip), nobs = nobs(zip)
  ),
  poisson = list(
    cond = tab(pois, "cond"), sd_site = attr(VarCorr(pois)$cond$site, "stddev")[[1]],
    logLik = as.numeric(logLik(pois)), AIC = AIC(pois)
  )
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = 10, pretty = TRUE), "examples/reference/salamanders_zip.json")
