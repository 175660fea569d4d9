"""Static reports: the dashboard's charts and tables as one self-contained HTML or PDF.

>>> from orderwatch.reports import write_report     # doctest: +SKIP
>>> write_report(store, "report.html", country="PHL")  # doctest: +SKIP
"""

from orderwatch.reports.render import (
    country_report, find_chromium, region_report, write_region_report, write_report,
)

__all__ = ["country_report", "region_report", "write_report", "write_region_report", "find_chromium"]
