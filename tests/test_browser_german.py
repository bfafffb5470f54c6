"""German, accessible, offline – in headless Chromium against the real server (issue 9, section 5).

- no English from Streamlit's or Plotly's chrome on any page (with a short, explained allow-list),
- nothing is fetched from outside the server (favicon, fonts, icons),
- a visible keyboard focus in the sidebar, chart toolbars with at most two tab stops,
- user text (notes, target reasons) shown as written, not as Markdown,
- a note over the limit is refused with the limit named, and the text stays in the field.

The server runs on its own copy of the demo database, prepared with a target whose reason is Markdown.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, no_dialog, serve_app
from browser_support import wait_idle as _wait_idle
from conftest import cli

pytestmark = pytest.mark.browser

MARKDOWN = "**fett** [link](http://example.invalid/x) ![bild](http://example.invalid/b.png)"

#: English that Streamlit 1.67 and plotly.js put on the page by themselves (visible text, tooltips, labels)
ENGLISH = {
    "Skip to main content",
    "Select all",
    "Deselect all",
    "Clear all",
    "No results",
    "Press Enter to submit form",
    "Press Enter to apply",
    "Upload",
    "Browse files",
    "Download as CSV",
    "Download plot as a PNG",
    "Download plot",
    "Search",
    "Fullscreen",
    "Close fullscreen",
    "Exit fullscreen",
    "Show/hide columns",
    "Autoscale",
    "Reset axes",
    "Zoom",
    "Zoom in",
    "Zoom out",
    "Pan",
    "Box Select",
    "Lasso Select",
    "Collapse sidebar",
    "Expand sidebar",
    "Sidebar",
    "App pages",
    "Link to heading",
    "Open",
    "Close",
    "Choose an option",
    "Copy to clipboard",
    "Add row",
    "Delete row",
    "Delete rows",
    "Clear selection",
    "Running...",
    "Stop",
    "file upload",
    "Remove",
    "Clear value",
    "Double-click to zoom back out",
    "Preparing image - this may take a few seconds",
    "Image download succeeded",
    "Sort ascending",
    "Sort descending",
    "Pin column",
    "Unpin column",
    "Hide column",
    "Type to search",
    "Close Search",
    "Next Result",
    "Previous Result",
    "No data",
    "Connecting",
    "Please wait...",
    "Dismiss",
}
ENGLISH_PATTERNS = [
    re.compile(r"^\d+(\.\d+)?\s?(B|KB|MB|GB)$"),  # file sizes as Streamlit writes them: "10.9KB"
    re.compile(r"\b\d+\.\d+\s?(KB|MB|GB)$"),  # a file chip's label: "liste.csv, 13.4KB"
    re.compile(r"per file"),
    re.compile(r"^Help for "),
    re.compile(r"^Press .*Enter to "),
    re.compile(r"^Remove "),
    re.compile(r"^[a-z0-9_]+ icon$"),  # hidden text beside an icon ("download icon")
    re.compile(r"files are not allowed"),
]
#: what remains, and why (also listed in the README)
ALLOWED = {}

#: (path, text that shows the page has run)
PAGES = [
    ("/", "Cockpit"),
    ("/bildung", "Bildung"),
    ("/arbeit", "Arbeit"),
    ("/indikator?id=alq_gap", "Abstand Arbeitslosenquote"),
    ("/gemeindevergleich?id=auslaenderanteil", "Gemeindevergleich"),
    ("/regionalvergleich?id=auslaenderanteil", "Regionalvergleich"),
    ("/ziele", "Verlauf der Zieländerungen"),
    ("/daten", "Daten und Upload"),
    ("/abdeckung", "Datenabdeckung"),
    ("/praesentation?folie=1", "1 / "),
    ("/strategie?feld=bildung", "Leitbild"),  # issue 12
    ("/massnahmen", "Maßnahmenabfrage"),
    ("/massnahmen?id=M-001", "Meilensteine"),
    ("/netzwerk", "Partner nach Handlungsfeld"),
    ("/bericht", "Bericht erstellen"),  # issue 13
]

COLLECT_JS = """() => {
  const out = [];
  const shown = (e) => e && e.checkVisibility ? e.checkVisibility() : true;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const p = n.parentElement;
    if (!p || p.closest('script, style, noscript, [data-testid="stIconMaterial"]') || !shown(p)) continue;
    const t = n.textContent.trim();
    if (t) out.push(['text', t]);
  }
  for (const e of document.body.querySelectorAll('[aria-label], [title], [data-title], [placeholder], [alt]')) {
    if (!shown(e)) continue;
    for (const a of ['aria-label', 'title', 'data-title', 'placeholder', 'alt']) {
      const v = e.getAttribute(a);
      if (v && v.trim()) out.push([a, v.trim()]);
    }
  }
  return out;
}"""


def _english(page) -> set[tuple[str, str]]:
    found = set()
    for kind, text in page.evaluate(COLLECT_JS):
        if text in ALLOWED:
            continue
        if text in ENGLISH or any(p.search(text) for p in ENGLISH_PATTERNS):
            found.add((kind, text))
    return found


@pytest.fixture(scope="module")
def server(demo_database, tmp_path_factory):
    """The app on a copy of the demo database with a target whose reason is Markdown."""
    folder = tmp_path_factory.mktemp("browser_german")
    db = folder / "monitor.duckdb"
    db.write_bytes(Path(demo_database).read_bytes())
    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_USER": "browsertest"}
    prep = cli("targets", "set", "alq_gap", "--value", "2", "--year", "2030", "--reason", MARKDOWN, db=db)
    assert prep.returncode == 0, prep.stdout + prep.stderr
    yield from serve_app(db, folder, env)


def _record(browser, url: str, expect: str, shot: str):  # noqa: F811
    """Open a page in a fresh tab and record every request it makes."""
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.locator('[data-testid="stMain"]').get_by_text(expect, exact=False).first.wait_for(timeout=45_000)
    _wait_idle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"deutsch_{shot}.png"))
    return page, requests


@pytest.mark.parametrize("path,expect", PAGES, ids=[p[0].strip("/").split("?")[0] or "cockpit" for p in PAGES])
def test_every_page_opens_in_german_and_loads_nothing_from_outside(server, browser, path, expect):  # noqa: F811
    """Each page once: it runs without an error or a traceback; favicon, fonts, icons, chart code, every request
    goes to the server's own origin; no English text, label or tooltip, also in the table's and the chart's
    toolbar (shown on hover) and the skip link (shown with the first Tab)."""
    page, requests = _record(browser, server + path, expect, (path.strip("/").split("?")[0] or "cockpit"))
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, errors.first.inner_text()
    assert "Traceback" not in page.content()
    page.wait_for_load_state("networkidle")  # the favicon is set after the first script run
    outside = [u for u in requests if not (u.startswith(server + "/") or u.startswith(("data:", "blob:")))]
    assert not outside, outside
    page.keyboard.press("Tab")  # the skip link appears with the first Tab
    page.wait_for_function("() => document.activeElement && document.activeElement !== document.body")
    found = _english(page)
    if page.locator('[data-testid="stDataFrame"]:visible').count():  # the table toolbar appears on hover
        table = page.locator('[data-testid="stDataFrame"]:visible').first
        table.hover()
        table.locator('[data-testid="stElementToolbar"]').first.wait_for(state="visible")
        found |= _english(page)
    if page.locator('[data-testid="stPlotlyChart"]:visible').count():  # the chart toolbar appears on hover
        chart = page.locator('[data-testid="stPlotlyChart"]:visible').first
        chart.hover()
        if chart.locator(".modebar").count():  # the projector's charts have none
            chart.locator(".modebar").first.wait_for(state="visible")
        found |= _english(page)
    page.close()
    assert not found, sorted(found)


def test_no_english_in_open_widgets(server, browser, tmp_path):  # noqa: F811
    """The multiselect's list ("Select all"), a form field being typed in ("Press Enter to submit form"),
    an uploaded file ("10.9KB", "Upload")."""
    page, _ = _record(browser, server + "/indikator?id=auslaenderanteil", "Ausländeranteil", "sprache_widgets")
    found = set()
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option").first.wait_for(timeout=10_000)
    found |= _english(page)
    assert page.get_by_text("Alle auswählen").count(), "die Liste der Gemeinden hat sich nicht geöffnet"
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Notizen").click()
    field = page.locator('[data-testid="stTextInput"] input').last
    field.click()
    field.type("Baustelle")
    page.get_by_text("Eingabetaste: Formular absenden").first.wait_for(timeout=10_000)
    found |= _english(page)
    assert page.get_by_text("Eingabetaste: Formular absenden").count()
    page.close()

    page, _ = _record(browser, server + "/daten", "Daten und Upload", "sprache_upload")
    sample = tmp_path / "liste.csv"
    sample.write_text(
        "Region;Jahr;Wert\n" + "".join(f"Peine;{2000 + i % 25};{i}\n" for i in range(900)), encoding="utf-8"
    )
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(sample))
    page.get_by_text("liste.csv").first.wait_for(timeout=30_000)
    _wait_idle(page)
    found |= _english(page)
    uploader = page.locator('[data-testid="stFileUploader"]').inner_text()
    assert re.search(r"\d+,\d\u00a0KB", uploader), uploader
    page.screenshot(path=str(ARTIFACTS / "deutsch_upload_datei.png"))
    page.close()

    # the comparison-region picker (issue 25): word matching, no English bulk option ("Select 5 matches")
    page, _ = _record(browser, server + "/regionalvergleich?id=auslaenderanteil", "Vergleichskreise", "sprache_kreise")
    picker = page.locator('[data-testid="stMultiSelect"]').first
    picker.locator('[aria-label="Alle entfernen"], [aria-label="Clear all"]').first.click()
    _wait_idle(page)
    picker.locator("input").first.click()
    page.keyboard.type("Landkreis", delay=30)
    page.get_by_role("option").filter(has_text="Hildesheim").first.wait_for(timeout=10_000)
    found |= _english(page)
    options = [o.inner_text() for o in page.get_by_role("option").all()]
    assert len(options) >= 2 and all("Landkreis" in o for o in options), options
    page.keyboard.press("Escape")
    picker.locator("input").first.fill("")
    page.keyboard.type("Goslar", delay=30)
    page.get_by_role("option").first.wait_for(timeout=10_000)
    assert [o.inner_text() for o in page.get_by_role("option").all()] == ["Goslar, Landkreis (03153)"]
    page.close()

    page, _ = _record(browser, server + "/ziele", "Verlauf der Zieländerungen", "sprache_tabellensuche")
    table = page.locator('[data-testid="stDataFrame"]:visible').first
    table.hover()
    table.locator('button[aria-label="Suchen"]').click()  # the table's own search (was "Search")
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'INPUT'")
    found |= _english(page)
    page.close()
    assert not found, sorted(found)


def test_visible_focus_in_the_sidebar(server, browser):  # noqa: F811
    """Tab into the sidebar navigation: the focused link has an outline one can see."""
    page, _ = _record(browser, server + "/", "Cockpit", "fokus_start")
    for _ in range(12):
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('[data-testid=\"stSidebarNav\"]')")
        if inside:
            break
    assert inside, "Tab erreicht die Navigation in der Seitenleiste nicht"
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }""")
    page.screenshot(path=str(ARTIFACTS / "deutsch_fokus_seitenleiste.png"))
    page.close()
    assert style["style"] != "none" and style["width"] >= 2, style


def test_chart_toolbar_has_at_most_two_tab_stops(server, browser):  # noqa: F811
    page, _ = _record(browser, server + "/bildung", "Bildung", "diagramm_leiste")
    counts = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c =>
        [...c.querySelectorAll('button, a[href], input, [tabindex]')].filter(e =>
            e.tabIndex >= 0 && !e.disabled && e.checkVisibility({visibilityProperty: true})).length)""")
    page.close()
    assert counts and max(counts) <= 2, counts


def test_target_reason_and_note_are_shown_as_written(server, browser):  # noqa: F811
    page, _ = _record(browser, server + "/indikator?id=alq_gap", "Abstand Arbeitslosenquote", "markdown_vorher")
    page.get_by_role("tab", name="Notizen").click()
    field = page.locator('[data-testid="stTextInput"] input').last
    field.fill(MARKDOWN)
    page.get_by_role("button", name="Notiz speichern").click()
    page.locator('[data-testid="stMain"]').get_by_text("[1]", exact=False).first.wait_for(timeout=30_000)
    _wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    text = main.text_content().replace(
        "\u2060", ""
    )  # (all tabs) the invisible word joiner that keeps addresses from becoming links
    links = main.locator('a[href*="example.invalid"]').count()
    images = main.locator('img[src*="example.invalid"]').count()
    bold = main.locator("strong", has_text="fett").count()
    page.screenshot(path=str(ARTIFACTS / "deutsch_markdown_nachher.png"), full_page=True)
    page.close()
    assert links == 0 and images == 0 and bold == 0, (links, images, bold)
    assert text.count("**fett** [link](http://example.invalid/x)") >= 2, text  # the note under the chart, the reason


def test_note_over_the_limit_keeps_the_text(server, browser):  # noqa: F811
    page, _ = _record(browser, server + "/indikator?id=einbuergerungsquote", "Einbürgerung", "notiz_zu_lang")
    page.get_by_role("tab", name="Notizen").click()
    field = page.locator('[data-testid="stTextInput"] input').last
    long_text = "Langer Vermerk zur Datenlage. " * 21  # 630 characters, pasted at once
    field.fill(long_text)
    page.get_by_role("button", name="Notiz speichern").click()
    _wait_idle(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    value = page.locator('[data-testid="stTextInput"] input').last.input_value()
    page.screenshot(path=str(ARTIFACTS / "deutsch_notiz_zu_lang.png"), full_page=True)
    page.close()
    assert "500" in main and "Zeichen" in main, main
    assert value == long_text, len(value)


def test_target_reason_over_the_limit_keeps_the_text(server, browser):  # noqa: F811
    """The same for the reason of a target change (was max_chars=300: a longer paste emptied the field)."""
    page, _ = _record(browser, server + "/ziele?id=alq_gap", "Verlauf der Zieländerungen", "begruendung_zu_lang")
    field = page.get_by_label("Begründung der Änderung", exact=False)
    long_text = "Beschluss des Ausschusses vom 12. März, Vorlage 2026/117. " * 6  # 354 characters, pasted at once
    field.fill(long_text)
    page.get_by_role("button", name="Ziel speichern").click()
    _wait_idle(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    value = page.get_by_label("Begründung der Änderung", exact=False).input_value()
    page.screenshot(path=str(ARTIFACTS / "deutsch_begruendung_zu_lang.png"), full_page=True)
    page.close()
    assert "höchstens 300 Zeichen" in main and str(len(long_text.strip())) in main, main
    assert value == long_text, len(value)


def test_unknown_or_forbidden_page_says_so_in_german(server, browser):  # noqa: F811
    """A page that does not exist answers in German on the page itself; Streamlit's English dialog ("does not seem
    to exist") is closed at once and covers nothing."""
    page = browser.new_page()
    page.goto(f"{server}/gibt-es-nicht")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Diese Seite gibt es nicht", exact=False).first.wait_for(timeout=45_000)
    _wait_idle(page)
    no_dialog(page)
    assert "„/gibt-es-nicht“" in main.inner_text()
    dialog = page.locator('[role="dialog"]')
    assert dialog.count() == 0 or not dialog.first.is_visible()
    assert "does not seem to exist" not in page.locator("body").inner_text()
    page.close()
