// posteriordb eight_schools_noncentered (stan-dev/posteriordb@28f8d3d), the density of
// validation/eight-schools.ts eightSchoolsNoncentered() that default-fit and calibration sample.
data { int<lower=0> J; real y[J]; real<lower=0> sigma[J]; }
parameters { real mu; real<lower=0> tau; vector[J] theta_tilde; }
model {
  mu ~ normal(0, 5); tau ~ cauchy(0, 5); theta_tilde ~ normal(0, 1);
  for (j in 1:J) y[j] ~ normal(mu + tau * theta_tilde[j], sigma[j]);
}
