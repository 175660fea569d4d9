"""One-dimensional ideal points from roll calls by EM for the probit item-response model.

The model (Clinton, Jackman & Rivers 2004) says that state i votes yes on roll call j when
a latent utility ``y*_ij = alpha_j + beta_j * x_i + e_ij`` with ``e_ij ~ N(0, 1)`` is
positive. Imai, Lo & Olmsted (2016) showed that with normal priors its posterior mode is
reached by an EM algorithm whose E-step is a truncated-normal mean and whose M-steps are
two ridge regressions in closed form, so a whole UNGA session (~190 states x ~100 roll
calls) is fitted in tens of milliseconds. This is their ``binIRT``, accelerated with
SQUAREM (Varadhan & Roland 2008; see ``EMIdealPoints._em``).

Coding. A vote is binary *yes* against *not yes*: ``abstain="no"`` (the default) joins
abstentions to no. UNGA votes are ordered (yes > abstain > no) and collapsing an ordered
probit at one threshold is again a probit in the same ``x``, so this keeps the ordering of
Bailey, Strezhnev & Voeten's (2017) ordinal model and loses only the abstain/no
distinction; ``abstain="missing"`` drops abstentions instead. Absences and non-members
are missing; in the E-step a missing latent utility is replaced by its mean, which is the
exact EM step when data are missing at random.

Identification. The prior ``x ~ N(0, 1)`` fixes location and scale; the sign is chosen so
that the state(s) marked by ``fit(..., orient=...)`` (the United States, ../shared/AXES.md)
come out positive.

Standard errors come from a nonparametric bootstrap over roll calls (Efron & Tibshirani
1993): refit on resampled roll calls, starting from the full-sample estimate, align the
sign, take the standard deviation. ``se_laplace_`` gives the free curvature-based ones.

References
----------
Bailey, M. A., Strezhnev, A., & Voeten, E. (2017). Estimating dynamic state preferences
from United Nations voting data. *Journal of Conflict Resolution*, 61(2), 430–456.
Clinton, J., Jackman, S., & Rivers, D. (2004). The statistical analysis of roll call
data. *American Political Science Review*, 98(2), 355–370.
Imai, K., Lo, J., & Olmsted, J. (2016). Fast estimation of ideal points with massive
data. *American Political Science Review*, 110(4), 631–656.
Varadhan, R., & Roland, C. (2008). Simple and globally convergent methods for
accelerating the convergence of any EM algorithm. *Scandinavian Journal of Statistics*,
35(2), 335–353.
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfcx, log_ndtr

from orderwatch.votes.matrix import MISSING

_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_INV_SQRT2 = 1.0 / np.sqrt(2.0)


def binary_votes(codes: np.ndarray, abstain: str = "no") -> np.ndarray:
    """Vote codes -> float matrix of 1 (yes), 0 (no) and NaN (missing).

    Parameters
    ----------
    codes : ndarray of int8
        Codes from :mod:`orderwatch.votes.matrix` (0 yes, 1 abstain, 2 no, 3 absent, -1).
    abstain : {'no', 'missing'}
        How to treat abstentions.
    """
    if abstain not in ("no", "missing"):
        raise ValueError(f"abstain must be 'no' or 'missing', got {abstain!r}")
    y = np.full(codes.shape, np.nan)
    y[codes == 0] = 1.0
    y[codes == 2] = 0.0
    if abstain == "no":
        y[codes == 1] = 0.0
    return y


def _mills(m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """E[y* | y, m] for y* ~ N(m, 1) truncated to the side the vote says.

    ``s`` is +1 for yes, -1 for no and 0 for missing, so that one formula covers all three:
    ``m + s * phi(m) / Phi(s * m)``, the inverse Mills ratio; a missing cell keeps its mean
    ``m``. With ``t = s * m``, ``phi(t) / Phi(t) = sqrt(2 / pi) / erfcx(-t / sqrt(2))``,
    which stays finite and accurate far into both tails.
    """
    return m + s * (_SQRT_2_OVER_PI / erfcx(-(s * m) * _INV_SQRT2))


def _start(y: np.ndarray, n_iter: int = 100) -> np.ndarray:
    """Starting ideal points: the leading left singular vector of the centred vote matrix.

    Found by power iteration on ``A A^T`` rather than a full SVD: the vector is all that is
    needed, and LAPACK's threaded SVD is slow on small matrices on a busy machine.
    """
    filled = np.where(np.isnan(y), np.nanmean(y, axis=0, keepdims=True), y)
    a = np.nan_to_num(filled - filled.mean(axis=0, keepdims=True))
    x = a.sum(axis=1) + np.linspace(-1.0, 1.0, a.shape[0])  # any vector not orthogonal to the answer
    for _ in range(n_iter):
        x_new = (a * (x @ a)[None, :]).sum(axis=1)
        norm = np.sqrt((x_new * x_new).sum())
        if norm == 0:
            return np.zeros(a.shape[0])
        x_new /= norm
        if np.abs(x_new - x).max() < 1e-9:
            x = x_new
            break
        x = x_new
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else x


class EMIdealPoints:
    """Probit ideal points by EM (Imai, Lo & Olmsted 2016), one dimension.

    Parameters
    ----------
    abstain : {'no', 'missing'}, default 'no'
        Abstention coding (see the module docstring).
    prior_var_x : float, default 1.0
        Prior variance of the ideal points (prior mean 0).
    prior_var_item : float, default 25.0
        Prior variance of each roll call's intercept and slope (emIRT's default).
    tol : float, default 1e-6
        Stop when the correlation of successive ideal-point vectors exceeds ``1 - tol``
        (the rule of emIRT), checked after each SQUAREM cycle.
    max_iter : int, default 500
    min_votes : int, default 5
        States with fewer non-missing votes get NaN ideal points (the prior alone would
        speak for them).
    lop : float, default 0.025
        Drop lopsided roll calls: those whose minority (yes or not-yes, among the states
        fitted) is below this share, as pscl's ``ideal(lop=)`` and emIRT users do. A
        near-unanimous roll call is fitted by pushing its intercept to the tail and
        carries little information on x but a few outlying votes; dropping them raised
        the worst session's correlation with Bailey, Strezhnev & Voeten's estimates from
        0.941 to 0.952 (docs/votes.md). 0 keeps every roll call that is not unanimous.
    n_boot : int, default 0
        Bootstrap resamples of roll calls for standard errors (0: no standard errors).
    random_state : int or None, default 0

    Attributes
    ----------
    ideal_points_ : ndarray, shape (n_states,)
    se_ : ndarray, shape (n_states,)
        Bootstrap standard errors (NaN when ``n_boot == 0``).
    se_laplace_ : ndarray, shape (n_states,)
        Standard errors from the curvature of the log posterior in x at the mode, holding
        the roll-call parameters fixed: ``(1/var_x + sum_j beta_j^2 lambda(t)(lambda(t) + t))
        ^(-1/2)`` with ``t = s_ij m_ij`` and lambda the inverse Mills ratio. They ignore
        the uncertainty of the roll-call parameters, so they are a lower bound, but cost
        nothing.
    alpha_, beta_ : ndarray, shape (n_rollcalls,)
        Roll-call intercepts and discriminations (NaN for dropped roll calls).
    n_iter_ : int
    converged_ : bool
    n_votes_ : ndarray, shape (n_states,)
        Non-missing votes per state.
    """

    def __init__(
        self,
        abstain="no",
        prior_var_x=1.0,
        prior_var_item=25.0,
        tol=1e-6,
        max_iter=500,
        min_votes=5,
        n_boot=0,
        random_state=0,
        lop=0.025,
    ):
        self.abstain = abstain
        self.prior_var_x = prior_var_x
        self.prior_var_item = prior_var_item
        self.tol = tol
        self.max_iter = max_iter
        self.min_votes = min_votes
        self.n_boot = n_boot
        self.random_state = random_state
        self.lop = lop

    def _step(self, s: np.ndarray, x: np.ndarray, ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One EM sweep (Imai et al. 2016): one E-step, then the two conditional M-steps.

        Given ``z = E[y*]``, the expected complete-data log posterior is a sum of squares,
        so maximizing it over the roll-call parameters and then over x (with the new
        roll-call parameters) is an ECM step and never lowers the posterior.
        """
        # E-step; a missing cell carries E[y*] = m, the exact step under missing at random.
        # (Products are written as broadcasts and sums: at these sizes BLAS calls cost
        # more in thread start-up than in arithmetic.)
        z = _mills(ab[0][None, :] + x[:, None] * ab[1][None, :], s)
        # M-step for the roll calls: ridge regression of E[y*] on [1, x] over all states;
        # the 2 x 2 normal matrix is shared by every roll call.
        xtx = np.array([[x.size, x.sum()], [x.sum(), (x * x).sum()]]) + np.eye(2) / self.prior_var_item
        rhs = np.vstack([z.sum(axis=0), (x[:, None] * z).sum(axis=0)])
        ab = np.linalg.solve(xtx, rhs)
        # M-step for the states given the new roll-call parameters.
        alpha, beta = ab[0], ab[1]
        x = ((z - alpha[None, :]) * beta[None, :]).sum(axis=1) / (1.0 / self.prior_var_x + (beta * beta).sum())
        return x, ab

    def _log_posterior(self, s: np.ndarray, x: np.ndarray, ab: np.ndarray) -> float:
        """Log posterior (up to a constant): probit log-likelihood plus the normal priors."""
        t = s * (ab[0][None, :] + x[:, None] * ab[1][None, :])
        ll = log_ndtr(t[s != 0]).sum()
        return float(ll - 0.5 * (x @ x) / self.prior_var_x - 0.5 * (ab * ab).sum() / self.prior_var_item)

    def _em(self, s: np.ndarray, x: np.ndarray, ab: np.ndarray | None = None):
        """EM on signed votes ``s`` (states x roll calls: +1 yes, -1 no, 0 missing).

        Accelerated with SQUAREM (Varadhan & Roland 2008, scheme S3): two EM sweeps give
        the step r and its change v, the extrapolated point ``θ − 2a r + a² v`` with
        ``a = −|r|/|v|`` is polished by one more sweep and kept only if the log posterior
        does not fall below that of the plain sweeps. Plain EM creeps along the ridge where
        scaling x up and β down trades prior against likelihood; the extrapolation walks it
        in a few cycles to the same fixed point.
        """
        n = x.size
        if ab is None:
            # Roll-call parameters for the start: regress the signed votes on [1, x].
            X = np.column_stack([np.ones(n), x])
            ab = np.linalg.solve(np.eye(2) / self.prior_var_item + X.T @ X, X.T @ (0.8 * s))
        converged = False
        it = 0
        while it < self.max_iter:
            x1, ab1 = self._step(s, x, ab)
            x2, ab2 = self._step(s, x1, ab1)
            it += 2
            th0, th1, th2 = (np.concatenate([u, w.ravel()]) for u, w in ((x, ab), (x1, ab1), (x2, ab2)))
            r = th1 - th0
            v = th2 - th1 - r
            vv = v @ v
            step = min(-np.sqrt((r @ r) / vv), -1.0) if vv > 0 else -1.0
            th = th0 - 2.0 * step * r + step * step * v
            x_new, ab_new = self._step(s, th[:n], th[n:].reshape(2, -1))
            it += 1
            if not np.isfinite(x_new).all() or self._log_posterior(s, x_new, ab_new) < self._log_posterior(s, x2, ab2):
                x_new, ab_new = x2, ab2
            # emIRT's rule: stop when successive estimates correlate above 1 - tol.
            corr = np.corrcoef(x_new, x)[0, 1] if x.std() > 0 and x_new.std() > 0 else 0.0
            x, ab = x_new, ab_new
            if corr > 1.0 - self.tol:
                converged = True
                break
        return x, ab[0], ab[1], it, converged

    def fit(self, codes: np.ndarray, orient: np.ndarray | None = None) -> "EMIdealPoints":
        """Fit on a vote-code matrix ``(n_rollcalls, n_states)`` (the VoteMatrix layout).

        Parameters
        ----------
        codes : ndarray of int8, shape (n_rollcalls, n_states)
        orient : ndarray of bool, shape (n_states,), optional
            The state(s) whose ideal point must be positive; the first one with an
            estimate decides the sign.

        Returns
        -------
        self
        """
        codes = np.asarray(codes)
        y_full = binary_votes(codes, self.abstain).T  # states x roll calls
        n_states, n_rc = y_full.shape
        n_votes = (~np.isnan(y_full)).sum(axis=1)
        states = n_votes >= self.min_votes
        # A roll call where everyone voted alike says nothing about x; nor, nearly, does
        # one with a minority below ``lop`` (pscl's lopsided rule).
        yes = np.nansum(y_full[states], axis=0)
        tot = (~np.isnan(y_full[states])).sum(axis=0)
        minority = np.minimum(yes, tot - yes)
        items = (minority > 0) & (minority >= self.lop * tot)
        self.n_votes_ = n_votes
        self.ideal_points_ = np.full(n_states, np.nan)
        self.se_ = np.full(n_states, np.nan)
        self.se_laplace_ = np.full(n_states, np.nan)
        self.alpha_ = np.full(n_rc, np.nan)
        self.beta_ = np.full(n_rc, np.nan)
        self.n_iter_, self.converged_ = 0, False
        if states.sum() < 3 or items.sum() < 2:
            return self
        y = y_full[np.ix_(states, items)]
        s = np.nan_to_num(2.0 * y - 1.0)
        x, alpha, beta, it, conv = self._em(s, _start(y))
        sign = 1.0
        if orient is not None:
            for k in np.flatnonzero(np.asarray(orient)[states]):
                if x[k] != 0:
                    sign = np.sign(x[k])
                    break
        x, beta = sign * x, sign * beta
        self.ideal_points_[states] = x
        self.alpha_[items], self.beta_[items] = alpha, beta
        self.n_iter_, self.converged_ = it, conv
        t = s * (alpha[None, :] + x[:, None] * beta[None, :])
        lam = _SQRT_2_OVER_PI / erfcx(-t * _INV_SQRT2)
        info = ((s != 0) * lam * (lam + t) * (beta * beta)[None, :]).sum(axis=1)
        self.se_laplace_[states] = 1.0 / np.sqrt(1.0 / self.prior_var_x + info)
        if self.n_boot > 0:
            rng = np.random.default_rng(self.random_state)
            draws = np.empty((self.n_boot, x.size))
            j = s.shape[1]
            for b in range(self.n_boot):
                cols = rng.integers(0, j, size=j)
                xb = self._em(s[:, cols], x, np.vstack([alpha[cols], beta[cols]]))[0]
                # Align each replicate with the full-sample sign (the likelihood is
                # symmetric under x -> -x, beta -> -beta).
                draws[b] = xb if xb @ x >= 0 else -xb
            self.se_[states] = draws.std(axis=0, ddof=1)
        return self

    def log_likelihood(self, codes: np.ndarray) -> float:
        """Log-likelihood of the binary votes at the fitted parameters."""
        y = binary_votes(np.asarray(codes), self.abstain).T
        m = self.ideal_points_[:, None] * self.beta_[None, :] + self.alpha_[None, :]
        ok = ~np.isnan(y) & ~np.isnan(m)
        return float(np.sum(np.where(y[ok] == 1, log_ndtr(m[ok]), log_ndtr(-m[ok]))))


def simulate_votes(
    n_states: int = 150, n_rollcalls: int = 120, missing: float = 0.05, random_state: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Votes drawn from the probit model with known ideal points (for recovery tests).

    Returns
    -------
    codes : ndarray of int8, shape (n_rollcalls, n_states)
        0 yes, 2 no, -1 missing.
    x : ndarray, shape (n_states,)
        The true ideal points (standard normal), state 0 set to +1.5 to orient by.
    """
    rng = np.random.default_rng(random_state)
    x = rng.standard_normal(n_states)
    x[0] = 1.5
    alpha = rng.normal(0.0, 1.0, n_rollcalls)
    beta = rng.normal(0.0, 1.5, n_rollcalls)
    ystar = alpha[:, None] + beta[:, None] * x[None, :] + rng.standard_normal((n_rollcalls, n_states))
    codes = np.where(ystar > 0, 0, 2).astype(np.int8)
    codes[rng.random(codes.shape) < missing] = MISSING
    return codes, x
