"""Page "Bericht" in headless Chromium (issue 13): choose a field, build the PDF with the progress bar, see the
preview, download the file a committee member would send out."""

from __future__ import annotations

import subprocess

import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS
from browser_support import wait_idle as _wait_idle
from test_browser import server  # noqa: F401 (the module's own server on a demo copy)

pytestmark = pytest.mark.browser


def test_report_page_builds_and_downloads_the_pdf(server, browser, tmp_path):  # noqa: F811
    from indicators import texts

    page = browser.new_page()
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(server + "/bericht")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text(texts.REPORT_BUILD).first.wait_for(timeout=60_000)
    _wait_idle(page)
    fields = main.locator('[data-testid="stMultiSelect"]').filter(has_text=texts.REPORT_FIELDS)
    fields.click()
    page.keyboard.type("Sprache")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _wait_idle(page)
    main.get_by_role("button", name=texts.REPORT_BUILD).click()
    download_button = main.get_by_role("button", name=texts.REPORT_DOWNLOAD)
    download_button.wait_for(timeout=120_000)
    _wait_idle(page)
    assert main.get_by_text("Seite 1").count() >= 1  # the preview of the first pages
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bericht_seite.png"), full_page=True)
    assert page.locator(ERROR_SELECTORS).count() == 0
    with page.expect_download(timeout=60_000) as info:
        download_button.click()
    dl = info.value
    assert dl.suggested_filename.startswith("Integrationsbericht_") and dl.suggested_filename.endswith(".pdf")
    target = tmp_path / dl.suggested_filename
    dl.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sprache" in text and "Demodaten (synthetisch)" in text
    assert "Erfolgsquote B1 im Deutsch-Test für Zuwanderer" in text
    assert "Arbeitslosenquote Ausländer" not in text  # only the chosen field
    page.close()
