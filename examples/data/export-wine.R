# Writes ordinal_wine.csv from R's ordinal package, data set `wine` (Randall 1989, "The analysis of sensory
# data by generalised linear model", Biometrical Journal 31:781-793; also Tutz & Hennevogl 1996): bitterness
# of white wine rated by 9 judges on 8 bottles each (72 rows), at two serving temperatures (temp: cold, warm)
# and two skin-contact conditions (contact: no, yes). Columns unchanged: response (bitterness score on a
# 0-100 scale), rating (its ordered 5-category version, 1 < 2 < 3 < 4 < 5, written as its integer labels),
# temp, contact, bottle, judge.
# Run from the repository root: Rscript examples/data/export-wine.R
data(wine, package = "ordinal")
d <- data.frame(response = wine$response, rating = as.integer(as.character(wine$rating)),
                temp = as.character(wine$temp), contact = as.character(wine$contact),
                bottle = as.integer(as.character(wine$bottle)), judge = as.integer(as.character(wine$judge)))
write.csv(d, "examples/data/ordinal_wine.csv", row.names = FALSE)
cat("ordinal", as.character(packageVersion("ordinal")), R.version.string, nrow(d), "rows; rating counts:",
    table(d$rating), "\n")
