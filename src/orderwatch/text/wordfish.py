"""Wordfish (Slapin & Proksch 2008) on sparse matrices, matching quanteda.textmodels.

Model: y_ij ~ Poisson(lambda_ij), log lambda_ij = alpha_i + psi_j + beta_j * theta_i, with
quanteda's default priors (standard deviations): none on alpha and psi, 3 on beta, 1 on
theta; alpha of the first document fixed at 0.  Estimation alternates Newton-Raphson
steps on the document parameters (alpha_i, theta_i) given the word parameters and on the
word parameters (psi_j, beta_j) given the document parameters, until the log posterior
stops improving (Slapin & Proksch 2008; Lowe's implementation in quanteda.textmodels).
Standard errors of theta come from the inverse of each document's 2x2 negative Hessian
in (alpha_i, theta_i), prior included.  ``dir=(a, b)`` orients the scale so that
theta_a < theta_b (1-based, as in quanteda).

The matrix is never densified: expected counts are computed in blocks of rows, so memory
is O(block_size * n_features) on top of the sparse input.

References
----------
Slapin, J. B. & Proksch, S.-O. (2008). A scaling model for estimating time-series party
positions from texts. American Journal of Political Science 52(3), 705-722.
Lowe, W. & Benoit, K. quanteda.textmodels: textmodel_wordfish (R package, version 0.9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import norm


class Wordfish:
    """Poisson scaling model of word counts.

    Parameters
    ----------
    dir : tuple of int
        1-based document indices (a, b) with theta_a < theta_b after fitting.
    prior_sd : tuple of float
        Prior standard deviations of (alpha, psi, beta, theta); ``inf`` means flat.
    tol : float
        The outer loop stops when the log posterior gains less than this.
    max_iter : int
    block_size : int
        Rows per block when computing expected counts (memory control).

    Attributes
    ----------
    theta_, alpha_, beta_, psi_ : ndarray
    se_theta_ : ndarray
    logpost_ : float
    n_iter_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> theta = np.linspace(-1.5, 1.5, 20); beta = rng.normal(0, 1, 200); psi = rng.normal(1, .5, 200)
    >>> Y = rng.poisson(np.exp(psi + np.outer(theta, beta)))
    >>> wf = Wordfish(dir=(1, 20)).fit(sp.csr_matrix(Y))
    >>> bool(np.corrcoef(wf.theta_, theta)[0, 1] > 0.95)
    True
    """

    def __init__(self, dir: tuple[int, int] = (1, 2), prior_sd=(np.inf, np.inf, 3.0, 1.0),
                 tol: float = 1e-6, max_iter: int = 100, block_size: int = 2000):
        self.dir = dir
        self.prior_sd = prior_sd
        self.tol = tol
        self.max_iter = max_iter
        self.block_size = block_size

    # Sums of exp(alpha_i + psi_j + beta_j theta_i) times weights, block by block.
    def _doc_sums(self, alpha, theta, psi, beta):
        """Per document: sum_j lam, sum_j beta lam, sum_j beta^2 lam."""
        n = len(theta)
        out = np.empty((n, 3))
        B = np.column_stack([np.ones_like(beta), beta, beta ** 2])
        for s in range(0, n, self.block_size):
            e = min(n, s + self.block_size)
            lam = np.exp(alpha[s:e, None] + psi[None, :] + np.outer(theta[s:e], beta))
            out[s:e] = lam @ B
        return out

    def _word_sums(self, alpha, theta, psi, beta):
        """Per word: sum_i lam, sum_i theta lam, sum_i theta^2 lam."""
        n = len(theta)
        out = np.zeros((len(beta), 3))
        for s in range(0, n, self.block_size):
            e = min(n, s + self.block_size)
            lam = np.exp(alpha[s:e, None] + psi[None, :] + np.outer(theta[s:e], beta))
            T = np.column_stack([np.ones(e - s), theta[s:e], theta[s:e] ** 2])
            out += lam.T @ T
        return out

    def _logpost(self, Y, alpha, theta, psi, beta):
        eta_y = (Y.multiply(alpha[:, None]).sum() + (Y @ psi).sum()
                 + float(theta @ (Y @ beta)))
        lam_sum = self._doc_sums(alpha, theta, psi, beta)[:, 0].sum()
        return eta_y - lam_sum - self._penalty(alpha, theta, psi, beta)

    def _precisions(self):
        return [0.0 if not np.isfinite(s) else 1.0 / s ** 2 for s in self.prior_sd]

    def _penalty(self, alpha, theta, psi, beta):
        pa, pp, pb, pt = self._precisions()
        return 0.5 * (pa * alpha @ alpha + pp * psi @ psi + pb * beta @ beta + pt * theta @ theta)

    def fit(self, X) -> "Wordfish":
        Y = sp.csr_matrix(X, dtype=float)
        n, V = Y.shape
        if n < 2 or V < 2:
            raise ValueError("Wordfish needs at least two documents and two features")
        a, b = self.dir
        if not (1 <= a <= n and 1 <= b <= n and a != b):
            raise ValueError(f"dir={self.dir} must name two different documents in 1..{n}")
        pa, pp, pb, pt = self._precisions()
        rows = np.asarray(Y.sum(axis=1)).ravel()
        cols = np.asarray(Y.sum(axis=0)).ravel()
        if (rows == 0).any() or (cols == 0).any():
            raise ValueError("every document and feature needs at least one count (trim the dfm)")
        # Starting values (as quanteda.textmodels): theta from the first left singular
        # vector of the chi-square residuals, beta = 0, alpha and psi from the margins.
        theta = self._start_theta(Y, rows, cols)
        beta = np.zeros(V)
        alpha = np.log(rows) - np.log(rows.mean())
        psi = np.log(cols / n)
        YT = Y.T.tocsr()
        lp = self._logpost(Y, alpha, theta, psi, beta)
        last = -np.inf
        it = 0
        # Outer loop stops as soon as the log posterior gains less than tol (or falls):
        # with theta re-standardised every pass the posterior is not monotone, and
        # running on drifts towards degenerate solutions; this is quanteda's rule too.
        while lp - last > self.tol and it < self.max_iter:
            it += 1
            psi, beta = self._newton(
                psi, beta, lambda p, q: self._word_sums(alpha, theta, p, q),
                cols, np.asarray(YT @ theta).ravel(), pp, pb, first=it == 1)
            alpha, theta = self._newton(
                alpha, theta, lambda p, q: self._doc_sums(p, q, psi, beta),
                rows, np.asarray(Y @ beta).ravel(), pa, pt, first=it == 1)
            # Identification: alpha centred, theta standardised (sample sd) every pass.
            alpha = alpha - alpha.mean()
            theta = (theta - theta.mean()) / theta.std(ddof=1)
            last, lp = lp, self._logpost(Y, alpha, theta, psi, beta)
        if theta[a - 1] > theta[b - 1]:
            theta, beta = -theta, -beta
        D = self._doc_sums(alpha, theta, psi, beta)
        h11, h12, h22 = D[:, 0] + pa, D[:, 1], D[:, 2] + pt
        self.se_theta_ = np.sqrt(h11 / (h11 * h22 - h12 ** 2))
        self.theta_, self.alpha_, self.beta_, self.psi_ = theta, alpha, beta, psi
        self.logpost_ = float(lp)
        self.n_iter_ = it
        self.converged_ = it < self.max_iter
        return self

    def _newton(self, p, q, sums, y_sum, yq_sum, prec_p, prec_q, first):
        """Newton-Raphson on independent 2x2 blocks (p_k, q_k), up to 10 steps each.

        ``sums(p, q)`` returns per block: sum lam, sum x lam, sum x^2 lam, where x is the
        other side's parameter (theta for words, beta for documents); it is called on the
        blocks still moving only (an active set), which is where most of the time goes.
        ``yq_sum`` is sum x * y, fixed during the step.  Each block stops once its largest
        change is below 1e-8; the very first step of the first pass is halved.
        """
        p, q = p.copy(), q.copy()
        idx = np.arange(len(p))
        for inner in range(10):
            S = sums(p[idx], q[idx])
            pi, qi = p[idx], q[idx]
            g1 = y_sum[idx] - S[:, 0] - prec_p * pi
            g2 = yq_sum[idx] - S[:, 1] - prec_q * qi
            h11, h12, h22 = S[:, 0] + prec_p, S[:, 1], S[:, 2] + prec_q
            det = h11 * h22 - h12 ** 2
            step = 0.5 if (first and inner == 0) else 1.0
            dp = step * (h22 * g1 - h12 * g2) / det
            dq = step * (h11 * g2 - h12 * g1) / det
            p[idx] = pi + dp
            q[idx] = qi + dq
            idx = idx[np.maximum(np.abs(dp), np.abs(dq)) > 1e-8]
            if len(idx) == 0:
                break
        return p, q

    @staticmethod
    def _start_theta(Y, rows, cols):
        """Left singular vector of the chi-square residuals (Y - r c'/T) / sqrt(r c'/T).

        The residual matrix is sqrt(T) Dr^-1/2 Y Dc^-1/2 minus a rank-one term, so it is
        applied as a LinearOperator and never formed densely.
        """
        from scipy.sparse.linalg import LinearOperator, svds

        n, V = Y.shape
        T = rows.sum()
        S = sp.diags(np.sqrt(T / rows)) @ Y @ sp.diags(1 / np.sqrt(cols))
        sr, sc = np.sqrt(rows / T), np.sqrt(cols / T)
        if n * V <= 2_000_000:
            u = np.linalg.svd(S.toarray() - np.outer(sr, sc), full_matrices=False)[0]
        else:
            op = LinearOperator((n, V), dtype=float,
                                matvec=lambda v: S @ np.ravel(v) - sr * (sc @ np.ravel(v)),
                                rmatvec=lambda w: S.T @ np.ravel(w) - sc * (sr @ np.ravel(w)))
            u = svds(op, k=1, random_state=0)[0]
        t = np.sqrt(T / rows) * u[:, 0]
        return (t - t.mean()) / t.std(ddof=1)

    def predict(self, level: float = 0.95, docnames=None) -> pd.DataFrame:
        """theta with standard errors and intervals (one row per fitted document)."""
        z = norm.ppf(1 - (1 - level) / 2)
        out = pd.DataFrame({"theta": self.theta_, "se": self.se_theta_,
                            "lwr": self.theta_ - z * self.se_theta_, "upr": self.theta_ + z * self.se_theta_})
        if docnames is not None:
            out.insert(0, "doc", list(docnames))
        return out
