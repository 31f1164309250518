options(digits=17)
z <- function(conf) qnorm(conf + (1-conf)/2)
byl <- function(x, conf) x*(1-1/(9*x)-z(conf)/(3*sqrt(x)))^3
byu <- function(x, conf) (x+1)*(1-1/(9*(x+1))+z(conf)/(3*sqrt(x+1)))^3
cat("byars95", byl(c(65,1045,10),0.95), byu(c(65,1045,10),0.95), "\n")
cat("byars998", byl(c(65,1045,10),0.998), byu(c(65,1045,10),0.998), "\n")
for (x in list(c(65,100), c(1045,5000), c(0,20))) { p <- prop.test(x[1], x[2], correct=FALSE, conf.level=0.95)$conf.int; cat("wilson", x, p, "\n") }
p <- prop.test(65, 100, correct=FALSE, conf.level=0.998)$conf.int; cat("wilson998 65 100", p, "\n")
# DSR, Dobson with Byar's (formula of the APHO briefing), ESP2013 19 groups 0-4..90+
esp <- c(5000,5500,5500,5500,6000,6000,6500,7000,7000,7000,7000,6500,6000,5500,5000,4000,2500,1500,1000)
x <- c(0,1,2,3,4,5,6,8,10,14,20,28,40,55,70,85,90,80,60)
n <- c(52000,55000,54000,56000,60000,62000,65000,64000,63000,66000,67000,62000,55000,50000,45000,35000,22000,12000,6000)
O <- sum(x); v <- sum(x*esp/n)/sum(esp); var <- sum(x*(esp/n)^2)/sum(esp)^2
for (conf in c(0.95, 0.998)) cat("dsr", conf, v*1e5, (v+sqrt(var/O)*(byl(O,conf)-O))*1e5, (v+sqrt(var/O)*(byu(O,conf)-O))*1e5, "\n")
cat("crude", O/sum(n)*1e5, byl(O,.95)/sum(n)*1e5, byu(O,.95)/sum(n)*1e5, "\n")
# ISR: observed 45 against reference rates
refr <- x/n
nn <- c(5200,5500,5400,5600,6000,6200,6500,6400,6300,6600,6700,6200,5500,5000,4500,3500,2200,1200,600)
E <- sum(nn*refr); cat("isr E", E, "ratio", 45/E, byl(45,.95)/E, byu(45,.95)/E, "\n")
cat("isr small", 4/E, qchisq(0.025, 8)/2/E, qchisq(0.975, 10)/2/E, "\n")
# Comparing two DSRs (APHO Technical Briefing 3): the area above (x) against a second area (x2, same
# populations): rate ratio with its interval on the log scale, rate difference with a normal interval.
x2 <- c(1,0,1,2,3,6,5,6,8,10,15,22,30,41,52,60,66,60,44)
O2 <- sum(x2); v2 <- sum(x2*esp/n)/sum(esp); var2 <- sum(x2*(esp/n)^2)/sum(esp)^2
R <- v/v2; se <- sqrt(var/v^2 + var2/v2^2)
cat("ratio", R, R*exp(-z(0.95)*se), R*exp(z(0.95)*se), "\n")
D <- (v - v2)*1e5; sed <- sqrt(var + var2)*1e5
cat("difference", D, D - z(0.95)*sed, D + z(0.95)*sed, "\n")
cat("dsr2", v2*1e5, (v2+sqrt(var2/O2)*(byl(O2,0.95)-O2))*1e5, (v2+sqrt(var2/O2)*(byu(O2,0.95)-O2))*1e5, "var2", var2*1e10, "\n")
