"""End to end in headless Chromium: the real server, every page, deep links, projector keys, upload.

Screenshots go to ``test-artifacts/``. Needs Debian's chromium at /usr/bin/chromium (.ci/run installs it).
"""

from __future__ import annotations

import shutil

import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, serve_app
from browser_support import wait_idle as _wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_database, tmp_path_factory):
    # a copy, so that this server does not hold the session's demo database open for other tests
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    yield from serve_app(db, folder)


def _open(browser, url: str, expect: str, shot: str, viewport=(1920, 1080)):
    page = browser.new_page()
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(url)
    page.locator('[data-testid="stMain"]').get_by_text(expect, exact=False).first.wait_for(timeout=45_000)
    _wait_idle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=False)
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, errors.first.inner_text()
    assert "Traceback" not in page.content()
    return page


def test_first_request_is_a_deep_link(server, browser):
    """A link from an e-mail is the first request a fresh server gets: the page must come with the app frame."""
    page = _open(
        browser,
        server + "/indikator?id=alq_auslaender&bd=nationality",
        "Arbeitslosenquote Ausländer",
        "deeplink_erster_aufruf",
    )
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Cockpit" in nav and "Gemeindevergleich" in nav and "indikator" not in nav
    assert page.get_by_role("radio", name="Deutsche / Ausländer").is_checked()
    page.close()


# Every page opening without an error: test_browser_german.py (one visit per page checks errors, language and
# requests together).


def test_deep_link_reproduces_view(server, browser):
    page = _open(
        browser,
        server + "/indikator?id=alq_auslaender&bd=nationality",
        "Arbeitslosenquote Ausländer",
        "deeplink_indikator",
    )
    assert page.get_by_role("radio", name="Deutsche / Ausländer").is_checked()
    page.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_projector_mode_arrow_keys(server, browser, size):
    page = _open(browser, server + "/praesentation?folie=1", "1 / ", f"praesentation_{size[0]}", viewport=size)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    title = page.locator(".praes-title").inner_text()
    value_size = page.locator(".praes-value").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body_size = page.locator(".praes-verdict").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert value_size >= 64 and body_size >= 28
    page.keyboard.press("ArrowRight")
    page.get_by_text("2 / ", exact=False).first.wait_for(timeout=20_000)
    _wait_idle(page)
    assert page.locator(".praes-title").inner_text() != title
    assert "folie=2" in page.url
    page.screenshot(path=str(ARTIFACTS / f"praesentation_{size[0]}_folie2.png"))
    page.keyboard.press("ArrowLeft")
    page.get_by_text("1 / ", exact=False).first.wait_for(timeout=20_000)
    page.close()


# -- committee: projector fills the screen, readable from the back, a way back; cockpit at 1280 px --------------

PROJECTOR_SIZES = [(1280, 720), (1280, 900), (1366, 768), (1920, 1080)]
SLIDE_FIT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  const axis = chart && chart.querySelector('.xaxislayer-above');
  const box = e => e ? e.getBoundingClientRect() : null;
  return {inner: innerHeight, doc: document.documentElement.scrollHeight, main: main ? main.scrollHeight : 0,
          chartHeight: chart ? box(chart).height : null, axisBottom: axis ? box(axis).bottom : null};
}"""
CHART_TEXT_JS = """() => {
  const lum = c => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => x / 255)
                       .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const info = e => { if (!e) return null; const s = getComputedStyle(e);
                      return {text: e.textContent, size: parseFloat(s.fontSize), contrast: 1.05 / (lum(s.fill) + 0.05)}; };
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  const target = Array.from(chart.querySelectorAll('.textpoint text')).find(t => t.textContent.startsWith('Ziel'));
  return {ytitle: info(chart.querySelector('.ytitle')), target: info(target),
          xtick: info(chart.querySelector('.xtick text')), ytick: info(chart.querySelector('.ytick text'))};
}"""


def _slide(page) -> tuple[int, int]:
    k, n = page.locator(".praes-count").inner_text().split("/")
    return int(k), int(n)


def _next_slide(page, expect: int, n: int) -> None:
    page.keyboard.press("ArrowRight")
    page.locator(".praes-count").get_by_text(f"{expect} / {n}").wait_for(timeout=20_000)
    _wait_idle(page)


@pytest.mark.parametrize("size", PROJECTOR_SIZES, ids=[f"{w}x{h}" for w, h in PROJECTOR_SIZES])
def test_projector_slide_fills_the_screen_without_scrolling(server, browser, size):
    """Every slide fits the screen (the page and Streamlit's scrolling main area), the year axis is on screen,
    and the chart takes its height from the viewport (it grows on a larger screen). At 1920x1080 (on the same walk
    through the slides) the text is readable from the back: axis title, target label and tick labels at least
    24 px, contrast at least 4.5:1."""
    page = _open(
        browser, server + "/praesentation?folie=1", "1 / ", f"praesentation_{size[0]}x{size[1]}", viewport=size
    )
    _, n = _slide(page)
    seen_target = False
    for k in range(1, n + 1):
        if k > 1:
            _next_slide(page, k, n)
        m = page.evaluate(SLIDE_FIT_JS)
        assert m["doc"] <= m["inner"] and m["main"] <= m["inner"], (k, m)
        assert m["axisBottom"] is not None and m["axisBottom"] <= m["inner"], (k, m)
        assert m["chartHeight"] >= 0.45 * m["inner"], (k, m)
        # the way back is readable: its words are not cut (was "Zurück zum Cock" at 1280x900)
        clipped = page.get_by_role("link", name="Zurück zum Cockpit").evaluate(
            "a => [...a.querySelectorAll('*')].filter(e => e.innerText && e.innerText.trim() === 'Zurück zum Cockpit')"
            ".some(e => e.scrollWidth > e.clientWidth + 1)"
        )
        assert not clipped, (k, size)
        if size == (1920, 1080):
            seen_target |= _readable_from_the_back(page, k)
    assert seen_target or size != (1920, 1080), "keine Folie zeigt einen Zielwert"
    page.close()


def _readable_from_the_back(page, k: int) -> bool:
    """The chart's texts on slide ``k`` at least 24 px with contrast 4.5:1; whether it shows a target label."""
    t = page.evaluate(CHART_TEXT_JS)
    for name in ("ytitle", "xtick", "ytick", "target"):
        if t[name] is None:
            continue
        assert t[name]["size"] >= 24, (k, name, t[name])
        assert t[name]["contrast"] >= 4.5, (k, name, t[name])
    if t["target"]:
        page.screenshot(path=str(ARTIFACTS / "praesentation_1920x1080_ziel.png"))
    return bool(t["target"])


def test_projector_has_a_way_back(server, browser):
    page = _open(browser, server + "/praesentation?folie=2", "2 / ", "praesentation_zurueck", viewport=(1280, 720))
    back = page.get_by_role("link", name="Zurück zum Cockpit")
    assert back.is_visible()
    box = back.bounding_box()
    assert box["y"] + box["height"] <= 720
    page.keyboard.press("Escape")
    page.locator('[data-testid="stMain"]').get_by_text("Cockpit", exact=True).first.wait_for(timeout=20_000)
    _wait_idle(page)
    assert "praesentation" not in page.url and "folie" not in page.url, page.url
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    page.close()


COCKPIT_COLUMNS = ["Bewertung", "Indikator", "Stand", "Wert", "Veränderung zum Vorjahr", "Ziel", "Verlauf", "Hinweis"]


def _columns_visible(page, names) -> None:
    """Every named column header lies inside the main column, none hidden in a horizontally scrolled box."""
    right = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMainBlockContainer"]');
          if (!m) return innerWidth;  // the content box of the main column: its right edge without the padding
          const r = m.getBoundingClientRect(); return Math.min(innerWidth, r.right - parseFloat(getComputedStyle(m).paddingRight) + 1); }""")
    for name in names:
        header = page.get_by_role("columnheader", name=name, exact=True).first
        header.wait_for(state="attached", timeout=5_000)
        box = header.bounding_box()
        assert box and box["width"] > 10, (name, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= right, (name, box, right)
        clipped = header.evaluate("""e => { for (let p = e.parentElement; p; p = p.parentElement) {
              const s = getComputedStyle(p);
              if (s.overflowX !== 'visible' && p.scrollWidth > p.clientWidth + 1) return true; } return false; }""")
        assert not clipped, name


def test_cockpit_every_column_visible_at_1280(server, browser):
    page = _open(browser, server + "/", "Cockpit", "cockpit_1280", viewport=(1280, 800))
    _columns_visible(page, COCKPIT_COLUMNS)
    page.close()


@pytest.mark.parametrize(
    "path,title,columns",
    [
        ("/ziele", "Ziele", ["Indikator", "Neuester Wert", "Ziel", "Methode", "Bewertung"]),
        (
            "/massnahmen",
            "42 Maßnahmen",
            ["Nr.", "Maßnahme", "Stand", "Grund", "Verantwortlich", "Ende", "Nächste Überprüfung", "Überfällig"],
        ),
        ("/netzwerk", "Partner nach Handlungsfeld", ["Partner", "Art", "Kontakt (Funktion)", "Maßnahmen"]),
    ],
    ids=["ziele", "massnahmen", "netzwerk"],
)
def test_tables_fit_at_1280(server, browser, path, title, columns):
    """Review finding: at 1280 px the Ziele overview cut Methode and Bewertung, the Maßnahmen table ran past the
    page, the Netzwerk cut 'Maßnahmen'."""
    page = _open(browser, server + path, title, f"tabelle{path.replace('/', '_')}_1280", viewport=(1280, 800))
    _columns_visible(page, columns)
    page.close()


def test_cockpit_one_click_opens_the_indicator_in_the_same_tab(server, browser):
    page = _open(browser, server + "/", "Cockpit", "cockpit_klick", viewport=(1280, 800))
    pages_before = len(browser.pages)
    page.get_by_role("link", name="Ausländeranteil", exact=True).first.click(timeout=5_000)
    page.wait_for_url("**/indikator?id=auslaenderanteil*", timeout=20_000)
    page.locator('[data-testid="stMain"] h1').get_by_text("Ausländeranteil").first.wait_for(timeout=45_000)
    assert len(browser.pages) == pages_before
    page.close()


def test_field_page_details_link_opens_in_the_same_tab(server, browser):
    page = _open(browser, server + "/bildung", "Bildung", "feld_bildung_klick", viewport=(1280, 800))
    pages_before = len(browser.pages)
    link = page.locator('[data-testid="stMain"] a').filter(has_text="Details öffnen").first
    assert link.get_attribute("target") in (None, "", "_self")
    link.click(timeout=5_000)
    page.wait_for_url("**/indikator?id=*", timeout=20_000)
    _wait_idle(page)
    assert len(browser.pages) == pages_before
    page.close()


BROKEN_WORDS = """() => {  // words of the Maßnahmen table that wrap over two lines, and whether they break at a soft hyphen
  const out = [];
  for (const td of document.querySelectorAll('table.strat-table td')) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-–/]+/g)) {
        const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) out.push({word: m[0], soft: m[0].includes('\\u00ad')});
      }
    }
  }
  return out; }"""


def test_measures_table_breaks_words_only_at_syllables_at_1280(server, browser):
    """Review finding 10: at 1280 px 'Migrationsgeschichte' broke mid-word ('Migrationsgeschic|hte'). Long words now
    carry soft hyphens at their syllables, and every word that wraps does so at one of them (with a hyphen)."""
    page = _open(browser, server + "/massnahmen", "42 Maßnahmen", "massnahmen_silben_1280", viewport=(1280, 800))
    broken = page.evaluate(BROKEN_WORDS)
    assert broken, "no word wraps at all: the check would prove nothing"
    assert all(b["soft"] for b in broken), [b["word"] for b in broken if not b["soft"]]
    assert any(b["word"].replace("\u00ad", "").startswith("Migrationsgeschichte") for b in broken)
    cell = page.locator("table.strat-table td").filter(has_text="Migrations").first
    cell.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "massnahmen_silben_1280.png"))
    _columns_visible(
        page, ["Nr.", "Maßnahme", "Stand", "Grund", "Verantwortlich", "Ende", "Nächste Überprüfung", "Überfällig"]
    )
    page.close()


def test_projector_keys_are_queued_home_end_and_nothing_cut_at_1024x768(server, browser):
    """Issue 25: a key pressed while a slide was drawn was lost; Home/End did nothing; at 1024x768 the buttons
    read „‹ Zurü…“ and „Weite…“."""
    page = _open(browser, server + "/praesentation?folie=1", "1 / ", "praesentation_1024x768", viewport=(1024, 768))
    _, n = _slide(page)
    cut = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMainBlockContainer\"] button p')]"
        ".filter(p => p.offsetParent && p.scrollWidth > p.clientWidth + 1).map(p => p.innerText)"
    )
    assert cut == [], cut
    page.keyboard.press("End")
    page.locator(".praes-count").get_by_text(f"{n} / {n}").wait_for(timeout=20_000)
    page.keyboard.press("Home")
    page.locator(".praes-count").get_by_text(f"1 / {n}").wait_for(timeout=20_000)
    _wait_idle(page)
    for _ in range(3):  # at once, without waiting for the slides: none is lost
        page.keyboard.press("ArrowRight")
    page.locator(".praes-count").get_by_text(f"4 / {n}").wait_for(timeout=30_000)
    _wait_idle(page)
    assert "folie=4" in page.url
    page.screenshot(path=str(ARTIFACTS / "praesentation_1024x768_folie4.png"))
    page.close()


def test_projector_text_grows_up_to_4k(server, browser):
    """At 3840x2160 the text is no longer capped at 42 px, nor the chart's labels at 24 px."""
    page = _open(browser, server + "/praesentation?folie=2", "2 / ", "praesentation_3840x2160", viewport=(3840, 2160))
    size = page.locator(".praes-verdict").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    tick = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=\"stPlotlyChart\"] .xtick text'))"
        ".fontSize)"
    )
    assert size >= 0.035 * 2160 and tick >= 40, (size, tick)
    page.close()


TABLE_SCROLL_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(e => e.offsetParent)
  .map(e => { const s = e.querySelector('.dvn-scroller'); return s ? s.scrollWidth - s.clientWidth : -1; })"""


@pytest.mark.parametrize(("path", "title"), [("/ziele", "Ziele"), ("/verwaltung", "Verwaltung")])
def test_tables_keep_their_columns_inside_the_page_at_1280(server, browser, path, title):
    """Issue 25: at 1280 px the Ziele history's „Begründung“ and Verwaltung's „gesperrt bis“ lay beyond the right
    edge (the table scrolled sideways)."""
    page = _open(browser, server + path, title, f"tabellen_1280{path.replace('/', '_')}", viewport=(1280, 900))
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').first.wait_for(timeout=30_000)
    overflow = page.evaluate(TABLE_SCROLL_JS)
    assert overflow and all(0 <= x <= 1 for x in overflow), overflow
    page.close()
