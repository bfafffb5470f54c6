"""Issue 22: a table's own "Tabelle als CSV herunterladen" (Streamlit's toolbar) wrote every text as it is, so a
measure title =HYPERLINK(…) became a formula in Excel. The button is hidden; the pages' own CSV downloads go through
the guarded writer (indicators/export.py, tests/test_formula_injection.py)."""

from __future__ import annotations

import pytest
from test_browser import _open, server  # noqa: F401 (the module's own server on a demo copy)

pytestmark = pytest.mark.browser


def test_table_toolbar_offers_no_unguarded_csv_download(server, browser):  # noqa: F811
    page = _open(browser, server + "/indikator?id=alq_auslaender", "Ausländer", "csv_guard")
    box = page.locator('[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])').first
    box.scroll_into_view_if_needed()
    box.locator('[data-testid="stDataFrame"]').hover()
    search = box.locator('button[aria-label="Suchen"], button[aria-label="Search"]').first
    search.wait_for(state="visible", timeout=10_000)  # the toolbar is shown
    csv = box.locator('button[aria-label="Tabelle als CSV herunterladen"], button[aria-label="Download as CSV"]')
    assert csv.count() >= 1 and not csv.first.is_visible()
    assert page.get_by_text("Werte als CSV herunterladen").count() >= 1  # the guarded download is still there
