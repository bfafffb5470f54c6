"""The public website in Chromium, opened from disk (file://): the links from the start page reach every indicator,
every chart draws from the bundled Plotly and nothing is requested from anywhere else, axe-core (WCAG 2.0/2.1 A and
AA) finds no violation, and the pages fit a phone and 200 % zoom without sideways scrolling. One browser context for
the module; the site is the session's ``demo_site``. Screenshots in test-artifacts/ (website_*.png)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, new_context

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "fixtures" / "axe" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = ("index.html", "felder/arbeit.html", "indikatoren/alq_auslaender.html")
CHART_DRAWN = "() => !!document.querySelector('.plot .main-svg')"


@pytest.fixture(scope="module")
def page(chromium):
    ctx = new_context(chromium, viewport={"width": 1366, "height": 768})
    p = ctx.new_page()
    p.requests = []  # every URL the pages asked for
    p.problems = []  # script errors and console errors
    p.on("request", lambda r: p.requests.append(r.url))
    p.on("pageerror", lambda e: p.problems.append(str(e)))
    p.on("console", lambda m: p.problems.append(m.text) if m.type == "error" else None)
    yield p
    ctx.close()


def _open(page, url: str, chart: bool = True) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if chart and page.locator(".plot").count():
        page.wait_for_function(CHART_DRAWN)


def _no_plotly(route) -> None:
    """While walking the links: Plotly's 4,8 MB are answered by an empty script (parsing them took 0,7 s a page);
    the charts are drawn in the other tests."""
    route.fulfill(body="/* leer */", content_type="text/javascript")


def test_links_from_the_start_page_reach_every_indicator(page, demo_site):
    page.route("**/plotly.min.js", _no_plotly)
    try:
        _walk(page, demo_site)
    finally:
        page.unroute("**/plotly.min.js", _no_plotly)


def _walk(page, demo_site) -> None:
    _open(page, (demo_site / "index.html").as_uri(), chart=False)
    fields = page.eval_on_selector_all("main a[href^='felder/']", "els => [...new Set(els.map(e => e.href))]")
    assert len(fields) == 7
    reached: dict[str, str] = {}
    for field_url in fields:
        _open(page, field_url, chart=False)
        links = page.eval_on_selector_all(
            "main table a[href*='indikatoren/']", "els => els.map(e => [e.href, e.textContent.trim()])"
        )
        assert links, field_url
        for url, name in links:
            _open(page, url, chart=False)
            assert page.locator("h1").inner_text() == name
            assert page.locator("figure.diagramm figcaption").count() == 1
            reached[url.rsplit("/", 1)[1]] = name
    on_disk = {p.name for p in (demo_site / "indikatoren").glob("*.html")}
    assert set(reached) == on_disk
    assert all(u.startswith("file://") for u in page.requests), [u for u in page.requests if not u.startswith("file:")]
    assert page.problems == []


@pytest.mark.parametrize("rel", PAGES)
def test_axe_core_finds_no_wcag_violation(page, demo_site, rel):
    _open(page, (demo_site / rel).as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return {violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})), passes: r.passes.length}; }",
        WCAG,
    )
    assert result["violations"] == [], json.dumps(result["violations"], ensure_ascii=False, indent=1)
    assert result["passes"] >= 10  # axe ran its rules


@pytest.mark.parametrize(
    "size", [(1366, 768), (390, 844), (683, 384)], ids=["desktop", "telefon", "zoom200"]
)  # 683×384: 1366×768 at 200 % zoom
def test_pages_fit_without_sideways_scrolling(page, demo_site, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    try:
        for rel in PAGES:
            _open(page, (demo_site / rel).as_uri())
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (rel, size, overflow)
            ARTIFACTS.mkdir(exist_ok=True)
            name = rel.replace("/", "_").removesuffix(".html")
            page.screenshot(path=str(ARTIFACTS / f"website_{size[0]}x{size[1]}_{name}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1366, "height": 768})


def test_keyboard_skip_link_and_focus_outline(page, demo_site):
    _open(page, (demo_site / "indikatoren" / "alq_auslaender.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, getComputedStyle(document.activeElement).top]")
    assert focused[0] == "Zum Inhalt springen" and focused[1] != "-48px"  # visible while focused
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#inhalt'")
    page.keyboard.press("Tab")  # the next stop is inside the content, with a visible outline
    style = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.closest('main') !== null, s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] and style[1] != "none" and style[2] == "3px", style
