"""The read side: one place where the CLI, the web, the reports and the claims read a built store.

============  ==========================================================================
module        what is made there
============  ==========================================================================
core          :class:`Observatory`: cached, thread-safe views of a store (positions,
              map values, rankings, series, figures, downloads)
years         the one default-year rule (:func:`default_year`) and a state's figure year
profile       the country profile (:func:`country_profile`): what ``orderwatch country``,
              ``/country/X`` and the country report show
evidence      the evidence lists, each from its stream's own evidence function
positions     positions stored or computed on demand (:func:`load_positions`)
names         country-name resolution (:func:`resolve`) and the surfaces' labels
overview      the overview (:func:`summarise`)
tables        cached table access and :class:`NotComputed`
============  ==========================================================================

>>> obs = Observatory(None)           # ``orderwatch.observe()`` opens the built store
>>> obs.default_year() is None        # no store: nothing computed, nothing invented
True
"""

from orderwatch.observatory.core import Observatory
from orderwatch.observatory.names import AXIS_LABELS, GROUPS, SOURCE_LABELS, SOURCES, UnknownCountry, resolve
from orderwatch.observatory.positions import load_positions, positions_listing
from orderwatch.observatory.profile import country_profile
from orderwatch.observatory.tables import NotComputed, records
from orderwatch.observatory.years import default_year

__all__ = ["Observatory", "NotComputed", "UnknownCountry", "resolve", "default_year", "country_profile",
           "load_positions", "positions_listing", "records", "AXIS_LABELS", "GROUPS", "SOURCE_LABELS", "SOURCES"]
