"""Property-based tests of the JSON API against its own OpenAPI schema (schemathesis).

Every built-in check runs on every operation (status codes, content types, headers, response
schemas, positive data accepted, negative data rejected, ...), in positive and negative
generation modes. Two settings, both for the file uploads and both for what the schema cannot
say, are made explicit here instead of switching checks off:

- a ledger upload's schema says "a file" (any bytes); a file that is not a ledger is rightly a
  400, so for /api/claims/check positive data may get 400 as well as 2xx;
- schemathesis sends a "non-string" file (``{}``, ``1``, ``null``) as that text in the file
  part, which on the wire is a valid file; those few negative cases are skipped (``assume``).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, assume, settings
from schemathesis.config import SchemathesisConfig

from orderwatch.web import create_app
from web_fakestore import fake_store


def _scorer(text):
    return {"value": None, "interval": None, "n": 0, "evidence": [], "warnings": ["test scorer"]}


# The real scorer is tested with the text stream; here only the API's shape matters.
app = create_app(fake_store(), scorer=_scorer)
CONFIG = SchemathesisConfig.from_str("""
[generation]
mode = "all"

[[operations]]
include-path = "/api/claims/check"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400"]
""")
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
UPLOADS = ("/api/score/upload", "/api/claims/check")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    if case.operation.path in UPLOADS and isinstance(case.body, dict):
        assume(isinstance(case.body.get("file", b""), (str, bytes)))
    case.call_and_validate()


def test_schema_lists_the_routes_other_tools_rely_on():
    from fastapi.testclient import TestClient

    paths = TestClient(app).get("/openapi.json").json()["paths"]
    for p in ("/api/map", "/api/rankings", "/api/country/{iso3}", "/api/country/{iso3}/evidence",
              "/api/compare", "/api/score", "/api/claims", "/api/methods", "/api/tables", "/download/{name}.{fmt}"):
        assert p in paths, p
