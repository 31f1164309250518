# Reference values for src/stats/segmented-regression.test.ts: the interrupted time series with AR(1)
# errors fitted by REML, as src/stats/autoregressive-regression.ts fits it.
# Run with R 4.2 and nlme 3.1 (Debian: apt-get install r-base-core r-cran-nlme): Rscript its-reference.R
suppressMessages(library(nlme))
set.seed(2024)
n <- 36; start <- 19
t <- 0:(n - 1)
u <- as.numeric(arima.sim(list(ar = 0.4), n = n, sd = 8))
y <- rpois(n, 150 + 0.5 * t + 15 * sin(2 * pi * t / 12 + 1) + u - 20 * (t >= start))
d <- as.numeric(t >= start); dt <- d * (t - start)
s1 <- sin(2 * pi * t / 12); c1 <- cos(2 * pi * t / 12)
fit <- gls(y ~ t + d + dt + s1 + c1, correlation = corAR1(form = ~ t), method = "REML",
  control = glsControl(tolerance = 1e-12, msTol = 1e-12, msMaxIter = 500, maxIter = 500))
options(digits = 17)
cat("y <- c(", paste(y, collapse = ", "), ")\n")
print(coef(fit))
print(coef(fit$modelStruct$corStruct, unconstrained = FALSE))
V <- vcov(fit)
post <- n - start
a <- c(0, 0, post, post * (post - 1) / 2, 0, 0)
cat("effect", sum(a * coef(fit)), "se", sqrt(drop(t(a) %*% V %*% a)), "\n")
cat("se level", sqrt(V[3, 3]), "se slope", sqrt(V[4, 4]), "\n")
cat("logLik", logLik(fit), "\n")
cat("logLik with phi = 0", logLik(gls(y ~ t + d + dt + s1 + c1, method = "REML")), "\n")
