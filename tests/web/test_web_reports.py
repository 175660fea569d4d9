"""Reports (HTML, PDF) and the CLI commands `serve` and `report`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from orderwatch.errors import OrderwatchError
from orderwatch.reports import find_chromium, write_report
from web_fakestore import fake_store


def test_country_report_is_self_contained(tmp_path):
    out = write_report(fake_store(), tmp_path / "phl.html", country="PHL")
    html = out.read_text("utf-8")
    assert "Philippines" in html and html.count("<svg") >= 5
    # No external asset: no script, no stylesheet link, no http(s) src.
    assert "<script" not in html and 'rel="stylesheet"' not in html and 'src="http' not in html


def test_region_report_has_the_map_coloured(tmp_path):
    out = write_report(fake_store(), tmp_path / "se.html", region="southeast")
    html = out.read_text("utf-8")
    assert 'class="map"' in html
    # Southeast Asia's eleven states are in the rankings; colour on the map for every one.
    assert html.count("<tr><td>") >= 11
    assert 'data-id="608"' in html  # the Philippines' shape


def test_unknown_region_and_suffix_are_domain_errors(tmp_path):
    with pytest.raises(OrderwatchError, match="unknown region"):
        write_report(fake_store(), tmp_path / "x.html", region="europe")
    with pytest.raises(OrderwatchError, match=r"\.html or \.pdf"):
        write_report(fake_store(), tmp_path / "x.docx", country="PHL")
    with pytest.raises(OrderwatchError, match="unknown country"):
        write_report(fake_store(), tmp_path / "x.html", country="ZZZ")


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="PDF needs chromium (apt-get install chromium)")
def test_pdf_report(tmp_path):
    out = write_report(fake_store(), tmp_path / "phl.pdf", country="PHL")
    head = out.read_bytes()[:5]
    assert head == b"%PDF-" and out.stat().st_size > 10_000


def test_cli_report_json(store, tmp_path):
    from orderwatch.cli import app

    out = tmp_path / "asia.html"
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--db", str(store.path), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["out"] == str(out) and doc["region"] == "asia" and out.exists()


def test_cli_report_rejects_bad_axis(store, tmp_path):
    from orderwatch.cli import app

    res = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "x.html"), "--axis", "A9",
                                   "--db", str(store.path)])
    assert res.exit_code == 2 and "unknown axis" in res.output


@pytest.mark.parametrize("cmd", ["serve", "report"])
def test_commands_have_help_with_an_example(cmd):
    from orderwatch.cli import app

    res = CliRunner().invoke(app, [cmd, "--help"])
    assert res.exit_code == 0 and "Example: orderwatch" in res.output
