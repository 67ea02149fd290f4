# Writes examples/data/lme4_VerbAgg.csv from R's lme4 (VerbAgg: De Boeck & Wilson 2004, verbal
# aggression, 316 subjects x 24 items). Columns as in lme4 plus r2num = 1 if r2 == "Y".
# Run from the repository root: Rscript examples/data/export-verbagg.R
data(VerbAgg, package = "lme4")
d <- VerbAgg
d$resp <- as.character(d$resp)
d$r2num <- as.integer(d$r2 == "Y")
write.csv(d, "examples/data/lme4_VerbAgg.csv", row.names = FALSE)
cat("lme4", as.character(packageVersion("lme4")), "R", R.version.string, nrow(d), "rows\n")
