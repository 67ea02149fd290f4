# Writes the two data sets used by test/fixtures/families/new-families.R that were not yet in examples/data/:
#   lme4_sleepstudy.csv  from R's lme4 (sleepstudy: Belenky et al. 2003, reaction time in ms of 18 subjects
#                        over 10 days of sleep deprivation; 180 rows), columns unchanged (Reaction, Days, Subject);
#   AER_USAirlines.csv   from R's AER (USAirlines: Greene 2003, Table F7.1; 6 US airlines x 15 years 1970-1984,
#                        90 rows), columns unchanged plus yr = year - 1977 (centred year, an integer) and
#                        logoutput = log(output); `load` (average capacity utilisation of the fleet) is in (0, 1).
# Run from the repository root: Rscript examples/data/export-new-families.R
data(sleepstudy, package = "lme4")
write.csv(sleepstudy, "examples/data/lme4_sleepstudy.csv", row.names = FALSE)
data(USAirlines, package = "AER")
d <- data.frame(firm = as.character(USAirlines$firm), year = as.integer(as.character(USAirlines$year)),
                output = USAirlines$output, cost = USAirlines$cost, price = USAirlines$price, load = USAirlines$load)
d$yr <- d$year - 1977L
d$logoutput <- log(d$output)
write.csv(d, "examples/data/AER_USAirlines.csv", row.names = FALSE)
cat("lme4", as.character(packageVersion("lme4")), "AER", as.character(packageVersion("AER")), R.version.string,
    nrow(sleepstudy), "and", nrow(d), "rows\n")
