# pscl::ideal (Jackman) on the vote matrices written by benchmarks/votes_bench.py.
# Usage: Rscript benchmarks/votes_pscl.R DIR MAXITER BURNIN THIN
# DIR holds session_<k>.csv (first column iso3, then one column per roll call: 1 yes,
# 0 not yes, empty missing); writes pscl_<k>.csv (iso3, mean, sd) and pscl_times.csv.
suppressMessages(library(pscl))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
maxiter <- as.integer(args[2]); burnin <- as.integer(args[3]); thin <- as.integer(args[4])
files <- sort(list.files(dir, pattern = "^session_[0-9]+\\.csv$", full.names = TRUE))
times <- data.frame(session = integer(0), seconds = numeric(0))
set.seed(20240101)
for (f in files) {
  k <- as.integer(sub("^session_([0-9]+)\\.csv$", "\\1", basename(f)))
  d <- read.csv(f, check.names = FALSE, na.strings = "")
  m <- as.matrix(d[, -1, drop = FALSE])
  rownames(m) <- d[[1]]
  rc <- rollcall(m, yea = 1, nay = 0, missing = NA, notInLegis = NULL, legis.names = d[[1]])
  t0 <- proc.time()[["elapsed"]]
  fit <- ideal(rc, d = 1, maxiter = maxiter, burnin = burnin, thin = thin, normalize = TRUE,
               verbose = FALSE)
  secs <- proc.time()[["elapsed"]] - t0
  xm <- fit$xbar[, 1]
  xs <- apply(fit$x[, , 1, drop = FALSE], 2, sd)
  write.csv(data.frame(iso3 = names(xm), mean = xm, sd = xs),
            file.path(dir, sprintf("pscl_%d.csv", k)), row.names = FALSE)
  times <- rbind(times, data.frame(session = k, seconds = secs))
  cat(sprintf("session %d: %.1f s\n", k, secs))
}
write.csv(times, file.path(dir, "pscl_times.csv"), row.names = FALSE)
