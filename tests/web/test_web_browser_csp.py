"""The Content-Security-Policy in force in headless Chromium: nothing on any page is blocked.

Every page, the API docs and ReDoc load with the policy the server sends (no bypass), and
Chromium reports no violation; the pieces that used to be inline (the docs' start-up script,
the country page's year selector) still work, and the colour chips (inline style attributes,
which the policy allows) are coloured.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]

PAGES = ["/", "/movers", "/validity", "/country/PHL", "/compare?c=JPN&c=PHL&c=VNM", "/score", "/claims", "/methods"]


@pytest.fixture(scope="module")
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        pg = browser.new_page(viewport={"width": 1300, "height": 900})
        pg.violations = []
        pg.on("console", lambda m: pg.violations.append(m.text) if "Content Security Policy" in m.text else None)
        pg.on("pageerror", lambda e: pg.violations.append(str(e)))
        pg.base = live_server
        yield pg
        browser.close()


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_with_no_policy_violation(page, path):
    page.violations.clear()
    response = page.goto(page.base + path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if path == "/":
        page.wait_for_selector("#map[data-ready='1']", timeout=30000)
    page.wait_for_load_state("networkidle")
    assert page.violations == []


def test_colour_chips_keep_their_inline_colour(page):
    page.goto(page.base + "/country/PHL")
    colour = page.evaluate("() => { const c = document.querySelector('span.pos[style]');"
                           " return c ? getComputedStyle(c).backgroundColor : null; }")
    assert colour and colour not in ("rgba(0, 0, 0, 0)", "transparent")


def test_year_selector_submits_without_inline_handler(page):
    page.goto(page.base + "/country/PHL")
    options = page.eval_on_selector_all("#cyear option", "os => os.map(o => o.value).filter(Boolean)")
    with page.expect_navigation():
        page.select_option("#cyear", options[-1])
    assert f"year={options[-1]}" in page.url


def test_api_docs_render_under_their_policy(page):
    page.violations.clear()
    page.goto(page.base + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    assert page.locator(".swagger-ui .opblock").count() >= 10
    page.goto(page.base + "/redoc")
    page.wait_for_selector("redoc [data-section-id], .api-content", timeout=30000)
    # ReDoc's footer logo comes from its CDN: the policy is there to block exactly that.
    assert [v for v in page.violations if "https://cdn.redoc.ly/" not in v] == []
