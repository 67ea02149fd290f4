// The reference GLMMs with scalar random-effect terms at the package defaults for non-identity links
// (models/defaultPriors.ts): b and the intercept as written ~ normal(0, 5), sd ~ student_t(3, 0, 2.5)
// (half-t through the lower bound), random effects non-centred (b_j = sd * z_j, z ~ N(0, 1)),
// shape ~ gamma(0.01, 0.01) with NB2 (var = mu + mu^2 / shape).
data {
  int N; int P; int R; int fam; // 1 poisson, 2 binomial, 3 negbinomial
  int y[N]; int n[N]; matrix[N, P] X;
  int J[R]; int g[N, R];
}
parameters { vector[P] b; vector<lower=0>[R] sd_r; vector[sum(J)] z; real<lower=0> shape[fam == 3 ? 1 : 0]; }
model {
  vector[N] eta = X * b;
  for (r in 1:R) {
    int off = r == 1 ? 0 : sum(J[1:(r - 1)]);
    for (i in 1:N) eta[i] += sd_r[r] * z[off + g[i, r]];
  }
  b ~ normal(0, 5); sd_r ~ student_t(3, 0, 2.5); z ~ std_normal();
  if (fam == 1) y ~ poisson_log(eta);
  else if (fam == 2) y ~ binomial_logit(n, eta);
  else { shape ~ gamma(0.01, 0.01); y ~ neg_binomial_2_log(eta, shape[1]); }
}
