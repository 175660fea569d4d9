"""Validity report: orderwatch's positions against criteria others published.

The criteria (vendored with provenance: ``iseas_alignment``, ``amti_arbitration``,
``bsv_calendar``) are *criteria, not truth*: an elite survey measures opinion, a tracker
codes public statements, another team's ideal points model the same votes differently.
They are used to check the positions, never to fit them: no estimate in orderwatch
reads them. See docs/synthesis.md for the goals and the measured figures.

>>> from orderwatch.validation import validity_report        # doctest: +SKIP
>>> report = validity_report(store.table)                     # doctest: +SKIP
"""

from orderwatch.validation.criteria import (
    AMTI_ORDER, CHINA_PARTNERS, US_ALLIES, amti, bsv_calendar, iseas,
)
from orderwatch.validation.report import GOALS, derive, report_tables, validity_report

__all__ = ["TABLES", "AMTI_ORDER", "CHINA_PARTNERS", "GOALS", "US_ALLIES", "amti", "bsv_calendar", "derive", "iseas",
           "report_tables", "validity_report"]

#: The store tables this stream's ``derive`` writes (the build checks it).
TABLES: tuple[str, ...] = (
    "validity",
    "validity_goals",
    "validity_publication",
)
