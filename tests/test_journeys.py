"""The three users' journeys, clicked through in the real browser (headless Debian Chromium) against the real
server on a copy of the demo database:

- Controlling staff: upload an own list with a decimal comma and an official symbol, preview, confirm, see
  the value and the upload in the history, roll it back.
- Stabsstelle: set a target by typing ``30,5``, see it saved as 30,5 and its verdict on the Ziele page, the
  cockpit, the indicator page and in the history; change it; open a deep link in a fresh browser.
- Committee: the projector at 1280x720 and 1920x1080 without a scrollbar, every slide by arrow keys, sizes
  readable from the back of the room (measured from the DOM), the way back to the navigation.

Every step asserts that no error element is on the page. Screenshots go to ``test-artifacts/journey_*.png``.
Each journey is one test: a user's steps depend on each other.
"""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, new_context
from browser_support import wait_idle as _wait_idle
from test_browser import server  # noqa: F401 (the module's own server on a demo copy)

pytestmark = pytest.mark.browser

# an own list in the app's template (Vorlage) as CSV with the foreigners' unemployment rate: a decimal comma and the
# official symbol "." (value unknown or secret) for a year
TEMPLATE_HEAD = (
    "Variable;Regionalschlüssel;Region;Jahr;Stichtag;Staatsangehörigkeit;Geschlecht;Altersgruppe;"
    "Kategorie;Wert;Kennzeichen"
)
UPLOAD_ROWS = [
    "alq;03157;Landkreis Peine;2025;;auslaendisch;;;;13,6;",
    "alq;03157;Landkreis Peine;2024;;auslaendisch;;;;.;",
]
RATE = "alq_auslaender"
RATE_NAME = "Arbeitslosenquote Ausländer"
TARGET_INDICATOR = "sgb2_quote_ausl"


@pytest.fixture
def user(chromium):
    """A fresh browser (own cookies, own session) as a new user has it, German locale, 1440x900."""
    ctx = new_context(chromium, viewport={"width": 1440, "height": 900}, locale="de-DE")
    page = ctx.new_page()
    yield page
    ctx.close()


# -- steps ---------------------------------------------------------------------------------------------
def main_area(page):
    return page.locator('[data-testid="stMain"]')


def no_errors(page, where: str) -> None:
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()}"
    assert "Traceback" not in page.content(), where


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey_{name}.png"))


def visit(page, url: str, expect: str) -> None:
    page.goto(url)
    main_area(page).get_by_text(expect, exact=False).first.wait_for(timeout=60_000)
    _wait_idle(page)
    no_errors(page, url)


def nav(page, title: str, heading: str) -> None:
    """Through the sidebar navigation, as a user does."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    main_area(page).get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    _wait_idle(page)
    no_errors(page, title)


def shows(page, text: str | re.Pattern, timeout: int = 60_000) -> None:
    main_area(page).get_by_text(text).first.wait_for(timeout=timeout)


def grid_text(page) -> str:
    """The text of every table on the page, including st.dataframe's grid (its accessible table); non-breaking
    spaces (between number and unit) as spaces."""
    return page.evaluate(
        '() => Array.from(document.querySelectorAll(\'[data-testid="stMain"] table, '
        '[data-testid="stMain"] [role="grid"]\')).map(t => t.innerText).join(\'\\n\')'
    ).replace("\xa0", " ")


def appears(page, text: str, timeout: int = 30_000) -> None:
    """Until the text is in the main area, also in a table's accessible cells (drawn after the script run)."""
    main_area(page).get_by_text(text).first.wait_for(state="attached", timeout=timeout)


def page_text(page) -> str:
    """What the main area shows, tables included, with non-breaking spaces as spaces."""
    return main_area(page).inner_text().replace("\xa0", " ") + "\n" + grid_text(page)


# -- controlling staff ---------------------------------------------------------------------------------
def test_controlling_staff_uploads_checks_and_rolls_back(server, user, tmp_path):  # noqa: F811 (fixture)
    page = user
    csv = tmp_path / "arbeitslosenquote_auslaender_2025.csv"
    csv.write_bytes(("\r\n".join([TEMPLATE_HEAD, *UPLOAD_ROWS]) + "\r\n").encode("utf-8"))

    visit(page, server, "Cockpit")
    nav(page, "Daten und Upload", "Daten und Upload")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    shows(page, "Erkanntes Format:")
    _wait_idle(page)
    no_errors(page, "Vorschau")
    # the '.' of 2024 removes the Kreis's 2024 values of the rate and of its gap: two warnings (still takeable)
    shows(page, "2 Warnungen")
    preview = page_text(page)
    # the preview compares with the current state: two values change (14,9 → 13,6 and 14,9 → ".")
    assert re.search(r"\b2\s+geändert", preview), preview[:3000]
    assert f"entfällt der Wert „{RATE_NAME}“ 2024 (bisher 14,9 %)" in preview, preview[:3000]
    assert "entfällt der Wert „Abstand Arbeitslosenquote“ 2024" in preview, preview[:3000]
    main_area(page).get_by_text(re.compile(r"\d+\s+geändert")).first.scroll_into_view_if_needed()
    shot(page, "controlling_vorschau")

    page.get_by_role("button", name="Geprüft, 2 Warnungen – trotzdem übernehmen").click()
    shows(page, "übernommen (Upload Nr.")
    _wait_idle(page)
    no_errors(page, "nach der Übernahme")
    upload_no = re.search(r"übernommen \(Upload Nr\. (\d+)", main_area(page).inner_text()).group(1)

    # the value with its decimal comma and the symbol on the indicator page
    visit(page, f"{server}/indikator?id={RATE}", RATE_NAME)
    text = page_text(page)
    assert "13,6 %" in text, "der Wert 13,6 fehlt auf der Indikatorseite"
    shot(page, "controlling_indikator")

    # the upload in the history, with the same counts as the preview, then rolled back
    visit(page, f"{server}/daten", "Daten und Upload")
    page.get_by_role("tab", name="Upload-Verlauf").click()
    shows(page, f"Upload Nr. {upload_no}")
    _wait_idle(page)
    appears(page, "13,6")
    history = page_text(page)
    assert re.search(r"\b2\s+geändert", history), history[:3000]
    assert "13,6" in history
    main_area(page).get_by_text(re.compile(r"\d+\s+geändert")).first.scroll_into_view_if_needed()
    shot(page, "upload_verlauf")
    page.get_by_text(f"Ich möchte Upload Nr. {upload_no} zurücknehmen.").click()
    page.get_by_role("button", name="Upload zurücknehmen").click()
    shows(page, f"Upload Nr. {upload_no} wurde zurückgenommen")
    _wait_idle(page)
    no_errors(page, "nach der Rücknahme")

    visit(page, f"{server}/indikator?id={RATE}", RATE_NAME)
    text = page_text(page)
    assert "13,6" not in text and "14,9 %" in text, "nach der Rücknahme gilt wieder der vorige Stand"


# -- Stabsstelle -----------------------------------------------------------------------------------------
def _save_target(page, value: str, reason: str) -> None:
    form = page.locator('[data-testid="stForm"]')
    field = form.get_by_label(re.compile(r"^Zielwert"))
    field.fill(value)
    form.get_by_label(re.compile(r"^Begründung")).fill(reason)
    page.get_by_role("button", name="Ziel speichern").click()
    _wait_idle(page)
    _wait_idle(page)
    confirm = main_area(page).get_by_text(re.compile(r"trotzdem speichern", re.I))
    if confirm.count():  # a value far off the indicator's range asks first
        confirm.first.click()
        page.get_by_role("button", name="Ziel speichern").click()
        _wait_idle(page)
    no_errors(page, f"Ziel {value} speichern")


def test_stabsstelle_sets_and_changes_a_target_typed_the_german_way(server, user, chromium):  # noqa: F811
    page = user
    visit(page, server, "Cockpit")
    nav(page, "Ziele", "Ziele")
    # the indicator is picked as the deep link picks it
    visit(page, f"{server}/ziele?id={TARGET_INDICATOR}", "Verlauf der Zieländerungen")
    _save_target(page, "30,5", "Beschluss Kreisausschuss (Journey-Test)")
    shows(page, "30,5 % bis 2030")
    appears(page, "Beschluss Kreisausschuss (Journey-Test)")
    text = page_text(page)
    assert "305" not in text.replace("2030", "")
    assert "Beschluss Kreisausschuss (Journey-Test)" in text
    main_area(page).get_by_text("gespeichert: 30,5 % bis 2030").first.scroll_into_view_if_needed()
    shot(page, "ziele_nach_speichern")
    # the form shows the stored value the German way
    assert page.locator('[data-testid="stForm"]').get_by_label(re.compile(r"^Zielwert")).input_value() in (
        "30,5",
        "30,50",
    )

    # the cockpit and the indicator page show the target and a verdict
    nav(page, "Cockpit", "Cockpit")
    cockpit = page_text(page)
    assert "30,5 % bis 2030" in cockpit
    visit(page, f"{server}/indikator?id={TARGET_INDICATOR}", "SGB-II-Quote Ausländer")
    indicator = page_text(page)
    assert "30,5" in indicator

    # change it; both changes in the history
    visit(page, f"{server}/ziele?id={TARGET_INDICATOR}", "Verlauf der Zieländerungen")
    _save_target(page, "28,75", "Nachsteuerung nach Haushaltsberatung")
    shows(page, "28,75 % bis 2030")
    appears(page, "Nachsteuerung nach Haushaltsberatung")
    history = page_text(page)
    assert "Nachsteuerung nach Haushaltsberatung" in history
    assert "30,5 % bis 2030" in history  # the old value in the history

    # a colleague opens the link from an e-mail in a fresh browser
    ctx = new_context(chromium, viewport={"width": 1280, "height": 800}, locale="de-DE")
    try:
        other = ctx.new_page()
        visit(other, f"{server}/indikator?id={TARGET_INDICATOR}&bd=nationality", "SGB-II-Quote Ausländer")
        assert "28,75" in page_text(other)
        shot(other, "deeplink_frischer_browser")
    finally:
        ctx.close()


# -- committee --------------------------------------------------------------------------------------------
def _contrast(fg: str, bg: str) -> float:
    def lum(rgb: str) -> float:
        parts = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_committee_walks_through_the_projector(server, chromium, size):  # noqa: F811
    ctx = new_context(chromium, viewport={"width": size[0], "height": size[1]}, locale="de-DE")
    page = ctx.new_page()
    try:
        visit(page, server, "Cockpit")
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Präsentation", exact=True).click()
        main_area(page).get_by_text(re.compile(r"^1 / \d+$")).first.wait_for(timeout=60_000)
        _wait_idle(page)
        total = int(re.search(r"1 / (\d+)", main_area(page).inner_text()).group(1))
        assert total >= 6
        seen = set()
        for n in range(1, total + 1):
            main_area(page).get_by_text(f"{n} / {total}", exact=True).first.wait_for(timeout=60_000)
            _wait_idle(page)
            no_errors(page, f"Folie {n}")
            title = page.locator(".praes-title").inner_text()
            seen.add(title)
            overflow = page.evaluate(
                "() => ({sh: document.documentElement.scrollHeight, ih: innerHeight, "
                "main: (document.querySelector('[data-testid=\"stMain\"]')||document.body).scrollHeight})"
            )
            assert overflow["sh"] <= overflow["ih"] and overflow["main"] <= overflow["ih"] + 1, (n, overflow)
            if n == 1:
                shot(page, f"praesentation_{size[0]}x{size[1]}")
                sizes = page.evaluate("""() => {
                    const px = s => parseFloat(getComputedStyle(s).fontSize);
                    const svgText = Array.from(document.querySelectorAll('.js-plotly-plot text'))
                        .filter(t => t.textContent.trim()).map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize));
                    const v = document.querySelector('.praes-verdict');
                    return {value: px(document.querySelector('.praes-value')), verdict: px(v),
                            minChart: Math.min(...svgText), colour: getComputedStyle(v).color,
                            bg: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor};
                }""")
                minimum = 24 if size[0] >= 1920 else 16
                assert sizes["minChart"] >= minimum, sizes
                assert sizes["verdict"] >= minimum and sizes["value"] >= 2 * minimum, sizes
                assert _contrast(sizes["colour"], sizes["bg"]) >= 4.5, sizes
            if n < total:
                page.keyboard.press("ArrowRight")
        assert len(seen) == total
        page.keyboard.press("ArrowRight")  # wraps around to the first slide
        main_area(page).get_by_text(f"1 / {total}", exact=True).first.wait_for(timeout=60_000)
        page.keyboard.press("ArrowLeft")
        main_area(page).get_by_text(f"{total} / {total}", exact=True).first.wait_for(timeout=60_000)
        # back to the navigation
        page.get_by_role("link", name=re.compile("Cockpit|Navigation|Zurück")).first.click()
        page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
        _wait_idle(page)
        no_errors(page, "zurück aus der Präsentation")
    finally:
        ctx.close()
