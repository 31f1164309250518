options(digits=17)
y <- c(20, 23, 21, 25, 24, 27, 18, 19, 17, 20, 18, 19)
t <- 0:11; D <- as.numeric(t >= 6); P <- D * (t - 6)
X <- cbind(1, t, D, P)
b <- solve(t(X) %*% X, t(X) %*% y); cat("coef", b, "\n")
e <- as.vector(y - X %*% b)
L <- 1
S <- X * e
meat <- t(S) %*% S
for (l in 1:L) { w <- 1 - l/(L+1); G <- t(S[(l+1):12,]) %*% S[1:(12-l),]; meat <- meat + w * (G + t(G)) }
bread <- solve(t(X) %*% X)
V <- bread %*% meat %*% bread
cat("se", sqrt(diag(V)), "\n")
a <- c(0, 0, 6, sum(0:5)); eff <- sum(a * b); se <- sqrt(t(a) %*% V %*% a)
cat("effect", eff, eff - qnorm(0.975) * se, eff + qnorm(0.975) * se, "\n")
