"""End to end in headless Chromium: upload a file through the real page "Daten und Upload", see the
preview, confirm, see the success message. Its own Streamlit server on a copy of the demo database
(the ``server`` and ``browser`` fixtures of test_browser.py, module-scoped, so a new server here).

Screenshots: ``test-artifacts/upload_preview.png`` and ``test-artifacts/upload.png``.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, open_upload_page, settle
from browser_support import wait_idle as _wait_idle
from conftest import SAMPLES
from test_browser import server  # noqa: F401 (the module's own server on a demo copy)

from indicators.ingest.template import TEMPLATE_COLUMNS

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
    page, main = open_upload_page(browser, server)
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


def test_review_of_the_numbers_on_the_upload_page(server, browser, tmp_path):  # noqa: F811
    """The fresh-user review of issue 21, in the browser: a GENESIS table re-saved with the wrong character set and a
    thousandfold Peine 2022 (encoding repaired with a warning; the total above its parts named; the outlier flagged,
    not the correct 2023 beside it), the Personalamt's list (read with its profile at once; its cells accounted for)
    and a DNS file (Länder with their German names). Screenshot ``test-artifacts/upload_review_numbers.png``."""
    table = (SAMPLES / "genesis_12411-03-03-4_kreise.csv").read_bytes().decode("cp1252")
    table = table.replace(
        "31.12.2022;03157;      Peine, Landkreis;153088;", "31.12.2022;03157;      Peine, Landkreis;153088000;"
    )
    damaged = tmp_path / "kreise_neu_gespeichert.csv"
    damaged.write_bytes(table.encode("utf-8").decode("cp1252").encode("utf-8"))
    personal = SAMPLES / "personalamt_migrationsgeschichte_2024.xlsx"
    dns = SAMPLES / "real" / "open_sdg" / "dns_indicator_10-1_auslaendische_schulabsolventen.csv"
    template = tmp_path / "vorlage_ausgefuellt.xlsx"  # a share of 140,5 % and a text in a value cell
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(list(TEMPLATE_COLUMNS.values()))
    ws.append(["alq", "03157", "Peine", 2024, None, None, None, None, None, 140.5, None])
    ws.append(["bevoelkerung", "03157", "Peine", 2024, None, None, None, None, None, "ca. 130000", None])
    wb.save(template)
    page, main = open_upload_page(browser, server)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(damaged), str(personal), str(dns), str(template)]
    )
    main.get_by_text("An ihrer Form erkannt", exact=False).first.wait_for(timeout=90_000)
    _wait_idle(page)
    text = main.inner_text()
    assert "Zeichenkodierung: Die Datei wurde offenbar einmal mit falschem Zeichensatz" in text  # item 3
    assert "die Summe weicht von ihren Teilen ab (über 2 %): Landkreis Peine (03157), 2022" in text  # item 2
    assert "insgesamt 153.088.000, Deutsche + Ausländer/-innen zusammen 153.088" in text
    assert "Landkreis Peine (03157), 2023, Bevölkerung: 153.088.000" not in text  # item 1: 2023 not against 2022
    assert "Zeile 5 bis 9, Spalten B, C, D, E: 20 Zellen = 20 Werte übernommen" in text  # items 4 and 5
    assert "bavaria" not in text.lower() and "lower saxony" not in text.lower()  # item 8
    assert "Anteil 140,5 % liegt außerhalb von 0 bis 100 %." in text  # item 7 (was '140.5 %')
    refused = main.locator('[data-testid="stTable"]').filter(has_text="ca. 130000")
    assert refused.count() >= 1  # item 6: the template's refused cell with its content
    # no exception; the one error alert is the template's (its two refused rows), the other files are sound
    assert page.locator('[data-testid="stException"]').count() == 0 and "Traceback" not in page.content()
    alerts = page.locator('[data-testid="stAlertContentError"]')
    assert alerts.count() == 1 and "2 Fehler" in alerts.first.inner_text()
    notice = main.get_by_text("An ihrer Form erkannt", exact=False).first
    notice.scroll_into_view_if_needed()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload_review_numbers.png"))
    page.close()


def test_the_counts_of_one_file_agree_in_the_browser(server, browser, tmp_path):  # noqa: F811
    """Review of issue 21 (F6, F7), in the browser: Peine's 2022 total typed as 'k.A.' in the GENESIS CSV. The
    reconciliation, the data block, the tiles and the warning counts say the same; the cell left out is listed under
    its own heading; no empty sheet. Screenshots ``test-artifacts/upload_counts_top.png``, ``…/upload_counts.png``."""
    table = (SAMPLES / "genesis_12411-03-03-4_kreise.csv").read_bytes()
    edited = tmp_path / "kreise_ka.csv"
    edited.write_bytes(
        table.replace(
            b"31.12.2022;03157;      Peine, Landkreis;153088;", b"31.12.2022;03157;      Peine, Landkreis;k.A.;"
        )
    )
    page, main = open_upload_page(browser, server)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(edited))
    main.get_by_text("Mit Warnung ausgelassene Zellen (1)").first.wait_for(timeout=90_000)
    _wait_idle(page)
    text = main.inner_text()
    assert text.count("162 Zellen = 158 Werte übernommen + 3 amtliche Zeichen + 0 abgelehnt + 1 mit Warnung") == 2
    assert "Abgelehnte Zellen" not in text and "1 abgelehnt" not in text
    assert "Blatt ," not in text and "(geprüft: )" not in text
    tiles = main.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any(t.split() == ["Werte", "158"] for t in tiles) and any(t.split()[-1] == "3" for t in tiles), tiles
    n_warn = re.search(r"([\d.]+) Warnungen, davon ([\d.]+) Plausibilitätswarnungen", text)
    assert n_warn, text
    assert f"{n_warn.group(2)} Plausibilitätswarnungen (eine je Wert und Regel)" in text
    assert f"Geprüft, {n_warn.group(1)} Warnungen" in text
    ARTIFACTS.mkdir(exist_ok=True)
    main.locator('[data-testid="stMetric"]').last.scroll_into_view_if_needed()  # the file's tiles
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload_counts_top.png"))
    main.get_by_text("Jede Zelle gezählt").first.scroll_into_view_if_needed()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "upload_counts.png"))
    page.close()
