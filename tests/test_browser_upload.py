"""End to end in headless Chromium: upload a file through the real page "Daten und Upload", see the
preview, confirm, see the success message. Its own Streamlit server on a copy of the demo database
(the ``server`` and ``browser`` fixtures of test_browser.py, module-scoped, so a new server here).

Screenshots: ``test-artifacts/upload_preview.png`` and ``test-artifacts/upload.png``.
"""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, settle
from browser_support import wait_idle as _wait_idle
from conftest import SAMPLES
from test_browser import server  # noqa: F401 (the module's own server on a demo copy)

pytestmark = pytest.mark.browser

OPENSDG = SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv"


def _no_errors(page) -> None:
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, errors.first.inner_text()
    assert "Traceback" not in page.content()


def test_upload_preview_confirm_success(server, browser):  # noqa: F811 (fixtures imported above)
    page = browser.new_page()
    # through the navigation, as a user does
    page.goto(server)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Cockpit", exact=False).first.wait_for(timeout=45_000)
    _wait_idle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Daten und Upload", exact=True).click()
    main.get_by_role("heading", name="Daten und Upload").wait_for(timeout=45_000)
    _wait_idle(page)
    assert "/daten" in page.url

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(OPENSDG))
    main.get_by_text("Erkanntes Format:", exact=False).first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert main.get_by_text("Open-SDG-Indikatordatei (CSV)", exact=False).count() >= 1
    # June values for a yearly average (Niedersachsen, a comparison region): a warning, the file can be taken over
    assert main.get_by_text("1 Warnung", exact=False).count() >= 1
    assert main.get_by_text("Monatswert", exact=False).count() >= 1
    assert main.get_by_text("Vergleich mit dem aktuellen Stand", exact=False).count() == 1
    _no_errors(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload_preview.png"))

    page.get_by_role("button", name="Geprüft, 1 Warnung – trotzdem übernehmen").click()
    success = main.get_by_text("übernommen (Upload Nr.", exact=False).first
    success.wait_for(timeout=60_000)
    _wait_idle(page)
    success.scroll_into_view_if_needed()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload.png"))
    _no_errors(page)
    page.close()


def test_preview_warns_that_kreis_values_disappear_at_1280(server, browser):  # noqa: F811
    """The GENESIS file of Gemeinden with one '.' (Hohenhameln 2021): before the button, the preview says which values
    of the Landkreis disappear and why (screenshot ``test-artifacts/upload_impact_1280.png``)."""
    gemeinden = SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv"
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/daten")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("heading", name="Daten und Upload").wait_for(timeout=45_000)
    _wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(gemeinden))
    heading = main.get_by_text("Auswirkung auf die Indikatoren: Landkreis Peine", exact=False).first
    heading.wait_for(timeout=60_000)
    _wait_idle(page)
    # 3 warnings of the impact, and the plausibility warnings of the sample's illustrative jumps (issue 21)
    assert main.get_by_text(re.compile(r"\b\d+ Warnungen")).count() >= 1
    alert = main.get_by_text("Mit der Übernahme entfallen Werte des eigenen Kreises (3 Werte)", exact=False).first
    assert alert.is_visible()
    _no_errors(page)
    heading.scroll_into_view_if_needed()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload_impact_1280.png"))
    page.close()
