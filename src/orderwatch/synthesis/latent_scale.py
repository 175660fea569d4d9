"""The poles' scale of the measurement model: each stream read between its own readings of
China (-1) and the United States (+1), its zero kept (docs/synthesis.md, step 1).

Every stream is built so that 0 means "between the poles or balancing" (../shared/AXES.md),
but the poles do not always sit symmetrically around that zero: institutions overall puts
China at -0.56 and the US at +0.91. An affine map through the poles would read a stream's
zero off-centre (a state with no net ties as China-leaning); stretching each side by its own
pole keeps it at 0.
"""

from __future__ import annotations

import numpy as np

#: The nearest to its zero a stream's reading of a pole is taken to be (at most a twofold
#: stretch; :func:`pole_readings`).
MIN_POLE_READING = 0.5


def pole_readings(Y: np.ndarray, fixed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each stream puts China and the United States: (china_at, us_at) per stream, the
    mean over years of the pole's own figures.

    One reading for all years, not one per year: in the institutions stream the poles are
    hubs whose score grows with every partner they sign with (China's reads -0.49 in 2010
    and -0.83 in 2024, after a dozen bilateral community-with-a-shared-future
    declarations), and measuring each partner against the hub of its year would make
    Cambodia look less aligned because China signed with Kazakhstan. A pole on the wrong
    side of the stream's zero or within 0.1 of it (or without figures) is taken at face
    value (-1, +1); no reading is taken nearer the zero than :data:`MIN_POLE_READING`,
    so no stream is stretched more than twofold."""
    K = Y.shape[0]
    out = []
    for sign in (-1.0, 1.0):
        at = np.full(K, sign)
        for k in range(K):
            rows = Y[k][fixed == sign]
            v = float(np.nanmean(rows)) if rows.size and np.any(~np.isnan(rows)) else np.nan
            if np.isfinite(v) and sign * v >= 0.1:
                at[k] = v
        # A pole read close to the stream's zero is barely registered by it: stretching by
        # the inverse would let one tie stand for the whole pole (China's A2 treaty ties
        # read -0.23, so India's SCO seat alone would read as most of China's position).
        out.append(sign * np.maximum(np.abs(at), MIN_POLE_READING))
    return out[0], out[1]


def to_pole_scale(Y, SE, china_at, us_at):
    """Each stream on the poles' scale, keeping its zero: a figure at or beyond the stream's
    reading of China is -1, at or beyond its reading of the US +1, and 0 stays 0 (every
    stream is built so that 0 means between the poles or balancing, ../shared/AXES.md). Each
    side is stretched by its own pole, so a stream whose poles sit unevenly (institutions:
    China's thin treaty network reads -0.56, the US's +0.89) does not read "no net ties" as
    leaning to either side. Standard errors scale with the side the figure is on."""
    side = np.where(Y >= 0, us_at[:, None, None], -china_at[:, None, None])
    X = np.clip(Y / side, -1.0, 1.0)
    return X, SE / side


def from_pole_scale(X, china_at: float, us_at: float):
    """The inverse of :func:`to_pole_scale` for one stream (figures within the poles)."""
    return np.where(X >= 0, X * us_at, X * -china_at)
