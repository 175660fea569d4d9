"""Wordscores (Laver, Benoit & Garry 2003) on sparse matrices, matching quanteda.textmodels.

Fit: for reference texts r with scores A_r, word w's relative frequency F_wr (count over
the text's length), P_wr = F_wr / sum_r F_wr, and the word score S_w = sum_r P_wr A_r,
over the words that occur in some reference text.  Predict: a text's raw score is the
mean of the scores of its scored words weighted by their relative frequencies; its
variance sum_w F_wv (S_w - raw)^2 over the n scored tokens gives SE = sqrt(var / n).
Rescaling: LBG (Laver, Benoit & Garry 2003) stretches the predicted texts' raw scores to
the spread of the reference scores; MV (Martin & Vanberg 2008) maps the raw scores of the
lowest and highest reference texts onto their reference values.

References
----------
Laver, M., Benoit, K. & Garry, J. (2003). Extracting policy positions from political texts
using words as data. American Political Science Review 97(2), 311-331.
Martin, L. W. & Vanberg, G. (2008). A robust transformation procedure for interpreting
political text. Political Analysis 16(1), 93-100.
Benoit, K. et al. quanteda.textmodels: textmodel_wordscores (R package, version 0.9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import norm


def _row_normalize(m: sp.csr_matrix) -> sp.csr_matrix:
    tot = np.asarray(m.sum(axis=1)).ravel()
    inv = np.divide(1.0, tot, out=np.zeros_like(tot, dtype=float), where=tot > 0)
    return sp.diags(inv) @ m


class Wordscores:
    """Wordscores estimator.

    Attributes
    ----------
    wordscores_ : ndarray (n_features,)
        Word scores, NaN for words not in any reference text.
    reference_scores_ : ndarray
        The reference values given at fit (NaN rows dropped).
    reference_raw_ : ndarray
        Raw predicted scores of the reference texts (used by MV rescaling).

    Examples
    --------
    >>> import scipy.sparse as sp, numpy as np
    >>> X = sp.csr_matrix(np.array([[4, 0, 1], [0, 4, 1], [2, 2, 1]]))
    >>> ws = Wordscores().fit(X, [-1, 1, np.nan])
    >>> round(float(ws.predict(X)["fit"][2]), 3)
    0.0
    """

    def __init__(self):
        pass

    def fit(self, X, y) -> "Wordscores":
        X = sp.csr_matrix(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if X.shape[0] != len(y):
            raise ValueError(f"X has {X.shape[0]} rows but y has {len(y)} values")
        ref = np.flatnonzero(~np.isnan(y))
        if len(ref) < 2:
            raise ValueError("Wordscores needs at least two reference texts (non-NaN y)")
        F = _row_normalize(X[ref])                     # F_wr: relative frequencies by text
        colsum = np.asarray(F.sum(axis=0)).ravel()
        scored = colsum > 0
        inv = np.divide(1.0, colsum, out=np.zeros_like(colsum), where=scored)
        # S_w = sum_r P_wr A_r = (sum_r F_wr A_r) / sum_r F_wr
        S = (F.T @ y[ref]) * inv
        S[~scored] = np.nan
        self.wordscores_ = S
        self.reference_scores_ = y[ref]
        self.reference_index_ = ref
        self.n_features_in_ = X.shape[1]
        self.reference_raw_ = self._raw(X[ref])[0]
        return self

    def _raw(self, X):
        X = sp.csr_matrix(X, dtype=float)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features; the model was fitted on {self.n_features_in_}")
        scored = ~np.isnan(self.wordscores_)
        S = np.where(scored, self.wordscores_, 0.0)
        Xs = X @ sp.diags(scored.astype(float))
        n = np.asarray(Xs.sum(axis=1)).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = (Xs @ S) / n
            var = (Xs @ (S ** 2)) / n - raw ** 2
            se = np.sqrt(np.clip(var, 0, None) / n)
        return raw, se, n

    def predict(self, X, rescaling: str = "none", level: float = 0.95) -> pd.DataFrame:
        """Scores with standard errors and confidence intervals.

        Parameters
        ----------
        X : sparse matrix (n_docs, n_features), same features as at fit
        rescaling : {'none', 'lbg', 'mv'}
            LBG uses the mean and spread of the raw scores of the texts predicted here.
        level : float

        Returns
        -------
        DataFrame with fit, se, lwr, upr, n_scored (tokens with a word score);
        ``raw`` too when rescaled.  Texts with no scored word have NaN.
        """
        raw, se, n = self._raw(X)
        z = norm.ppf(1 - (1 - level) / 2)
        out = pd.DataFrame({"fit": raw, "se": se, "lwr": raw - z * se, "upr": raw + z * se, "n_scored": n})
        if rescaling == "none":
            return out
        if rescaling == "lbg":
            sd_ref = np.std(self.reference_scores_, ddof=1)
            ok = ~np.isnan(raw)
            if ok.sum() < 2:
                raise ValueError("LBG rescaling needs at least two predicted texts")
            mean_v, sd_v = raw[ok].mean(), raw[ok].std(ddof=1)
            scale = sd_ref / sd_v
            fit = (raw - mean_v) * scale + mean_v
        elif rescaling == "mv":
            lo_i, hi_i = np.argmin(self.reference_scores_), np.argmax(self.reference_scores_)
            r_lo, r_hi = self.reference_raw_[lo_i], self.reference_raw_[hi_i]
            a_lo, a_hi = self.reference_scores_[lo_i], self.reference_scores_[hi_i]
            scale = (a_hi - a_lo) / (r_hi - r_lo)
            fit = (raw - r_lo) * scale + a_lo
        else:
            raise ValueError(f"rescaling must be 'none', 'lbg' or 'mv', not {rescaling!r}")
        se_r = se * abs(scale)
        return pd.DataFrame({"fit": fit, "se": se_r, "lwr": fit - z * se_r, "upr": fit + z * se_r,
                             "raw": raw, "n_scored": n})

    def influence(self, x, features) -> pd.DataFrame:
        """Which scored words move one text's raw score, and how far (the evidence)."""
        x = np.asarray(sp.csr_matrix(x).todense()).ravel()
        scored = ~np.isnan(self.wordscores_)
        n = x[scored].sum()
        share = np.where(scored, x, 0) / n if n else np.zeros_like(x)
        contrib = share * np.nan_to_num(self.wordscores_)
        idx = np.flatnonzero(share > 0)
        return (pd.DataFrame({"feature": [features[j] for j in idx], "count": x[idx],
                              "wordscore": self.wordscores_[idx], "contribution": contrib[idx]})
                .sort_values("contribution", key=np.abs, ascending=False, ignore_index=True))
