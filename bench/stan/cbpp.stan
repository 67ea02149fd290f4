data { int N; int J; int P; int y[N]; int n[N]; matrix[N, P] X; int g[N]; }
parameters { vector[P] b; real<lower=0> sd_g; vector[J] z; }
model {
  b ~ normal(0, 5); sd_g ~ student_t(3, 0, 2.5); z ~ std_normal();
  y ~ binomial_logit(n, X * b + sd_g * z[g]);
}
