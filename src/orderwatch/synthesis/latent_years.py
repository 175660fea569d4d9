"""A stream's shift shared by every state in one year (a stream-by-year effect).

The votes stream reads each state against the United States' own votes, so when the US
votes alone more often (2002-08), every state moves away from the US pole in that stream
and in no other. Without a term for it the measurement model reads part of that shift as
all of Asia moving toward China. The year effect of a stream is the mean over the non-pole
states of its residual from the common position (less each state's persistent bias), on
the poles' scale, centred over the years so that it moves no state's long-run level; the
model is then fitted again on the stream's figures less that shift
(:func:`orderwatch.synthesis.latent.fit_axis`).
"""

from __future__ import annotations

import numpy as np

#: Streams with a year effect: the votes stream, whose reference (the US's own votes)
#: changes from year to year for every state at once.
YEAR_EFFECT_STREAMS: tuple[str, ...] = ("votes",)
#: A year's shift is estimated only from at least this many states (else 0).
MIN_STATES = 10


def year_shift(X: np.ndarray, m: np.ndarray, bias: np.ndarray | None, free: np.ndarray,
               min_states: int = MIN_STATES) -> np.ndarray:
    """Per year, one stream's shift shared by the free states (poles' scale).

    Parameters
    ----------
    X : (S, T) the stream's figures on the poles' scale (NaN = missing)
    m : (S, T) the smoothed common position
    bias : (S,) each state's smoothed persistent bias of the stream, or None
    free : (S,) True for states that are not a pole

    Returns
    -------
    (T,) shifts, centred over the years that have one; 0 where fewer than ``min_states``
    states have a figure.

    >>> X = np.array([[0.1, -0.2], [0.3, 0.0], [np.nan, 1.0]])
    >>> year_shift(X, np.zeros((3, 2)), None, np.array([True, True, False]), min_states=2)
    array([ 0.15, -0.15])
    """
    r = X - m - (0.0 if bias is None else bias[:, None])
    r = np.where(free[:, None], r, np.nan)
    n = (~np.isnan(r)).sum(axis=0)
    ok = n >= min_states
    shift = np.zeros(X.shape[1])
    if ok.any():
        shift[ok] = np.nanmean(r[:, ok], axis=0)
        shift[ok] -= shift[ok].mean()
    return shift
