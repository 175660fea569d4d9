"""Roll calls x states as a small integer matrix: the one shape every votes model reads.

The store keeps votes long (``rcid, iso3, vote``). Agreement, ideal points and alignment
all want them wide, one row per roll call and one column per state, so this module does
that pivot once, with integer codes that are cheap to compare and to one-hot encode.

Codes
-----
==========  ====  =====================================================================
vote        code  note
==========  ====  =====================================================================
yes         0
abstain     1
no          2
absent      3     known in Voeten's data to 2015 and in the UN Digital Library records
                  ("X", non-voting) from 2020; missing otherwise
(missing)   -1    ``non_member`` or no record at all
==========  ====  =====================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

VOTE_CODES: dict[str, int] = {"yes": 0, "abstain": 1, "no": 2, "absent": 3}
CODE_LABELS: tuple[str, ...] = ("yes", "abstain", "no", "absent")
MISSING = -1
# Signorino & Ritter's S places each vote on a line; yes=1, abstain=0.5, no=0.
S_VALUES = np.array([1.0, 0.5, 0.0])


@dataclass
class VoteMatrix:
    """Votes as an ``(n_rollcalls, n_states)`` int8 array plus the labels of both axes.

    Attributes
    ----------
    codes : ndarray of int8, shape (n_rollcalls, n_states)
        Vote codes (see the module docstring); -1 is missing.
    rcids : ndarray of int64
        Roll-call ids, the row labels.
    iso3 : ndarray of str
        State codes, the column labels.
    roll_calls : DataFrame
        One row per roll call in row order (whatever columns the caller passed:
        ``date``, ``session``, ``resolution``, ``short`` ...).
    """

    codes: np.ndarray
    rcids: np.ndarray
    iso3: np.ndarray
    roll_calls: pd.DataFrame

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape

    def column(self, iso3: str) -> int:
        """Column index of a state, or -1 if it cast no vote here."""
        hits = np.flatnonzero(self.iso3 == iso3)
        return int(hits[0]) if hits.size else -1

    def subset_rows(self, mask: np.ndarray) -> "VoteMatrix":
        """The roll calls where ``mask`` is true (columns kept)."""
        mask = np.asarray(mask, dtype=bool)
        return VoteMatrix(
            self.codes[mask], self.rcids[mask], self.iso3, self.roll_calls.loc[mask].reset_index(drop=True)
        )

    def subset_columns(self, iso3: list[str] | np.ndarray) -> "VoteMatrix":
        """Only these states, in this order (a state with no votes becomes all missing)."""
        iso3 = np.asarray(iso3, dtype=object)
        out = np.full((self.codes.shape[0], len(iso3)), MISSING, dtype=np.int8)
        for j, code in enumerate(iso3):
            k = self.column(code)
            if k >= 0:
                out[:, j] = self.codes[:, k]
        return VoteMatrix(out, self.rcids, iso3, self.roll_calls)


def vote_matrix(votes: pd.DataFrame, roll_calls: pd.DataFrame | None = None) -> VoteMatrix:
    """Pivot long votes into a :class:`VoteMatrix`.

    Parameters
    ----------
    votes : DataFrame
        Columns ``rcid``, ``iso3``, ``vote`` (yes/no/abstain/absent/non_member).
    roll_calls : DataFrame, optional
        Roll-call metadata with an ``rcid`` column. When given, rows follow its order
        (roll calls without any vote are kept as all-missing rows) and its columns are
        carried along; otherwise rows are the sorted distinct ``rcid`` of ``votes``.

    Returns
    -------
    VoteMatrix
    """
    if roll_calls is None:
        rcids = np.sort(votes["rcid"].astype("int64").unique())
        meta = pd.DataFrame({"rcid": rcids})
    else:
        meta = roll_calls.drop_duplicates("rcid").reset_index(drop=True)
        rcids = meta["rcid"].to_numpy(dtype="int64")
    codes_long = votes["vote"].map(VOTE_CODES)
    keep = codes_long.notna().to_numpy()
    v_rcid = votes["rcid"].to_numpy(dtype="int64")[keep]
    v_iso = votes["iso3"].to_numpy(dtype=object)[keep]
    v_code = codes_long.to_numpy()[keep].astype(np.int8)
    iso3 = np.array(sorted(set(v_iso)), dtype=object)
    col = np.searchsorted(iso3, v_iso) if len(iso3) else np.zeros(0, dtype=int)
    order = np.argsort(rcids, kind="stable")
    pos = np.searchsorted(rcids[order], v_rcid)
    pos = np.clip(pos, 0, max(len(rcids) - 1, 0))
    found = (rcids[order][pos] == v_rcid) if len(rcids) else np.zeros(len(v_rcid), dtype=bool)
    row = order[pos]
    out = np.full((len(rcids), len(iso3)), MISSING, dtype=np.int8)
    out[row[found], col[found]] = v_code[found]
    return VoteMatrix(out, rcids, iso3, meta)
