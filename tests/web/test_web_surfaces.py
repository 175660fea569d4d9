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


# -- reports, charts, contrast ---------------------------------------------------------
import datetime as _dt  # noqa: E402
import re  # noqa: E402

from orderwatch.reports import find_chromium, write_report  # noqa: E402
from orderwatch.present import charts, views  # noqa: E402
from orderwatch.observatory import Observatory as Data  # noqa: E402
from web_fakestore import fake_store  # noqa: E402


def test_reports_have_findings_chinese_names_and_no_dead_links(tmp_path):
    html = write_report(fake_store(), tmp_path / "phl.html", country="PHL").read_text("utf-8")
    assert "Key findings" in html and "菲律宾" in html
    assert not re.search(r'href="/', html) and "file:" not in html
    assert "size: A4" in html
    se = write_report(fake_store(), tmp_path / "se.html", region="southeast", paper="letter").read_text("utf-8")
    assert "size: letter" in se and "Key findings" in se and "印度尼西亚" in se
    # Small multiples: one panel per placed state, not one chart of overlapping lines.
    assert se.count('<figure><svg class="chart"') >= 11
    assert not re.search(r'href="/', se)


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="PDF needs chromium")
@pytest.mark.parametrize("paper, box", [("a4", (595, 842)), ("letter", (612, 792))])
def test_pdf_page_size(tmp_path, paper, box):
    out = write_report(fake_store(), tmp_path / "se.pdf", region="southeast", paper=paper)
    boxes = {tuple(round(float(x)) for x in m.split()[2:]) for m in
             re.findall(rb"/MediaBox \[([^\]]+)\]", out.read_bytes()).__iter__() for m in [m.decode()]}
    assert boxes == {box}


def test_institutions_axis_runs_to_this_year_with_a_legend():
    svg = charts.spans([{"label": "A very long arrangement name that used to be cut at thirty-six", "start": 1999,
                         "end": None, "pole": 1.0}, {"label": "Old pact", "start": 1990, "end": 2005, "pole": -1.0}])
    this_year = _dt.date.today().year
    assert f">{this_year}</text>" in svg
    assert "US-led" in svg and "China-led" in svg and "ASEAN/inclusive" in svg
    assert "used to be cut at thirty-six" in svg
    assert "<title>Institutions over time" in svg


def test_country_charts_share_one_year_axis():
    ctx = views.country(Data(fake_store()), "PHL")
    first_years = {re.findall(r">(\d{4})</text>", svg)[0] for svg in ctx["charts"].values()}
    assert len(first_years) == 1 and ctx["span"] is not None
    for svg in ctx["charts"].values():
        assert re.search(r"<svg[^>]*role=\"img\"[^>]*><title>[^<]+</title>", svg)


@pytest.mark.parametrize("p", [-1.0, -0.75, -0.5, -0.3, -0.1, 0.0, 0.2, 0.45, 0.6, 0.8, 1.0, None])
def test_chip_text_has_aa_contrast(p):
    assert charts.contrast(charts.colour(p), charts.text_colour(p)) >= 4.5


def test_country_page_year_selector(client):
    r = client.get("/country/PHL?year=2019", headers=HTML)
    assert r.status_code == 200
    assert 'id="cyear"' in r.text and '<option value="2019" selected>' in r.text and "Figures in 2019" in r.text


def test_gzip_and_self_hosted_docs(client):
    r = client.get("/", headers={"accept-encoding": "gzip", **HTML})
    assert r.headers.get("content-encoding") == "gzip"
    plain = client.get("/", headers={"accept-encoding": "identity", **HTML})
    assert plain.headers.get("content-encoding") is None and plain.text == r.text
    for path, asset in (("/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
                        ("/redoc", "/static/vendor/redoc/redoc.standalone.js")):
        page = client.get(path).text
        assert asset in page and "cdn." not in page and "googleapis" not in page and 'lang="en"' in page
        assert client.get(asset).status_code == 200


def test_downloads_long_wide_and_dictionary(client):
    import io

    import pandas as pd

    long = pd.read_csv(io.StringIO(client.get("/download/positions.csv").text))
    assert {"iso3", "name_en", "name_zh", "year", "axis", "position"} <= set(long.columns)
    wide = pd.read_csv(io.StringIO(client.get("/download/positions_wide.csv").text))
    assert {"iso3", "name_en", "year", "overall", "A1", "A2", "A3", "overall_lo"} <= set(wide.columns)
    assert len(wide) * 4 == len(long)
    digits = long["position"].dropna().map(lambda v: len(repr(float(v)).split(".")[1]))
    assert digits.max() <= 3
    dic = pd.read_csv(io.StringIO(client.get("/download/positions_dictionary.csv").text))
    for col in ("position", "lo", "hi", "name_zh"):
        assert col in set(dic["column"])
    full = pd.read_parquet(io.BytesIO(client.get("/download/positions.parquet").content))
    assert len(full) == len(long) and "name_en" in full.columns


def test_map_and_charts_export_as_files(client):
    svg = client.get("/export/map.svg?axis=overall&stream=combined&group=")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "<title>" in svg.text and 'class="map"' in svg.text
    chart = client.get("/export/country/PHL.svg?axis=A2")
    assert chart.status_code == 200 and "<title>" in chart.text
    png = client.get("/export/country/PHL.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/export/country/PHL.gif").status_code == 404
    assert client.get("/export/country/ZZZ.svg").status_code == 404
