"""The methods page shows how every derived table of the real store was made."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_methods_page_lists_the_lineage_of_derived_tables(real_app, full_store):
    html = TestClient(real_app).get("/methods").text
    assert 'id="lineage"' in html
    lineage = full_store.table("table_provenance")
    for row in lineage.itertuples():
        assert f"<td>{row.table}</td>" in html
        assert row.code_sha256[:12] in html


def test_methods_page_without_lineage_says_so(empty_client):
    html = empty_client.get("/methods").text
    assert "table_provenance" in html and 'id="lineage"' not in html
