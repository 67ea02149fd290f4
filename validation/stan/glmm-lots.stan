// lots_visible at the package defaults: b ~ normal(0, 5), sds ~ student_t(3, 0, 2.5) half-t, cor ~ lkj(1)
// through its Cholesky factor, correlated effects non-centred (u = diag(sd) L z).
data { int N; int J; int y[N]; vector[N] amount; int lot[N]; }
parameters { real b0; real b1; vector<lower=0>[2] sd_lot; cholesky_factor_corr[2] L; matrix[2, J] z; real<lower=0> sd_s; vector[N] zs; }
transformed parameters { matrix[J, 2] u = (diag_pre_multiply(sd_lot, L) * z)'; }
model {
  b0 ~ normal(0, 5); b1 ~ normal(0, 5);
  sd_lot ~ student_t(3, 0, 2.5); sd_s ~ student_t(3, 0, 2.5); L ~ lkj_corr_cholesky(1);
  to_vector(z) ~ std_normal(); zs ~ std_normal();
  y ~ poisson_log(b0 + b1 * amount + u[lot, 1] + u[lot, 2] .* amount + sd_s * zs);
}
