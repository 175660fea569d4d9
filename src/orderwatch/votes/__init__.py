"""The votes stream: UNGA agreement, ideal points and alignment with the two poles.

>>> from orderwatch.votes import prepare, select, agreement      # doctest: +SKIP
>>> vm = prepare(store.roll_calls(), store.votes(countries=["JPN", "USA"]))          # doctest: +SKIP
>>> agreement(select(vm, "2015-01-01", "2019-12-31"), "JPN", "USA", "kappa").to_dict()  # doctest: +SKIP

Modules: ``matrix`` (votes as a roll-call x state matrix), ``subsets`` (issue codes,
security and axis subsets), ``agreement`` (share, kappa, S on contingency tables),
``dyad`` (a pair's figure with its roll calls), ``ideal`` (EM probit ideal points),
``sessions`` (per-session fits), ``alignment`` (kappa with the two poles),
``derive`` (the store tables). Method notes: docs/votes.md.
"""

from orderwatch.votes.data import prepare, select
from orderwatch.votes.derive import derive
from orderwatch.votes.dyad import agreement
from orderwatch.votes.ideal import EMIdealPoints

__all__ = ["TABLES", "prepare", "select", "agreement", "derive", "EMIdealPoints"]

#: The store tables this stream's ``derive`` writes (the build checks it).
TABLES: tuple[str, ...] = (
    "votes_ideal_points",
    "votes_pole_alignment",
    "votes_positions",
)
