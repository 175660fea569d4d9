"""Analyst surfaces: movers page, empty selectors, readable figures, exports (fake and real store)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def real(real_app):
    return TestClient(real_app)


@pytest.mark.parametrize("url", ["/?group=", "/?group=&axis=overall&stream=combined&year=2019",
                                 "/api/map?group=", "/api/rankings?group=&year=2019",
                                 "/movers", "/movers?group=&start=&end=", "/movers?group=southeast&start=2018&end=2020"])
def test_empty_selectors_mean_all_asia_not_422(client, url):
    r = client.get(url, headers=HTML)
    assert r.status_code == 200, r.text[:300]


@pytest.mark.parametrize("url", ["/movers?start=abc", "/movers?start=2020&end=2010", "/movers?start=2019-2018",
                                 "/movers?group=atlantis"])
def test_bad_movers_input_is_a_readable_400(client, url):
    r = client.get(url, headers=HTML)
    assert r.status_code == 400
    assert "<html" in r.text and "detail" not in r.text[:20]


def test_movers_page_on_the_real_store(real):
    r = real.get("/movers?group=southeast&start=2015-2017&end=2023-2024", headers=HTML)
    assert r.status_code == 200
    html = r.text
    assert "Philippines" in html and "contribution" in html and "moved most towards the US pole" in html
    assert "orderwatch positions --group southeast --change 2015-2017:2023-2024" in html
    assert "None" not in html and "nan" not in html.lower().replace("nanum", "")
    rows = html.count('<tr data-iso3=')
    assert rows == 11
