## Writes lme4_VerbAgg.csv: lme4's VerbAgg data set (verbal aggression item responses; De Boeck &
## Wilson 2004), unchanged, 7,584 rows. R 4.2.2, lme4 1.1-31. Run: Rscript lme4_VerbAgg.R
suppressPackageStartupMessages(library(lme4))
data(VerbAgg, package = "lme4")
write.csv(VerbAgg, "lme4_VerbAgg.csv", row.names = FALSE)
