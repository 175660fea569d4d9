"""Property-based tests of the JSON API against its own OpenAPI schema (schemathesis)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from orderwatch.web import create_app
from web_fakestore import fake_store


def _scorer(text):
    return {"value": None, "interval": None, "n": 0, "evidence": [], "warnings": ["test scorer"]}


# The real scorer is tested with the text stream; here only the API's shape matters.
app = create_app(fake_store(), scorer=_scorer)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    excluded = []
    if case.operation.path in ("/api/score/upload", "/api/claims/check"):
        # The schema can say "a file", not "a UTF-8 ledger": a schema-valid file with bad
        # contents is rightly a 400, and a file whose bytes read "null" is still a file
        # (schemathesis takes it for JSON null). Both acceptance checks are off here only.
        excluded += [schemathesis.checks.negative_data_rejection, schemathesis.checks.positive_data_acceptance]
    case.call_and_validate(excluded_checks=excluded)


def test_schema_lists_the_routes_other_tools_rely_on():
    from fastapi.testclient import TestClient

    paths = TestClient(app).get("/openapi.json").json()["paths"]
    for p in ("/api/map", "/api/rankings", "/api/country/{iso3}", "/api/country/{iso3}/evidence",
              "/api/compare", "/api/score", "/api/claims", "/api/methods", "/api/tables", "/download/{name}.{fmt}"):
        assert p in paths, p
