"""The strategy journey of issue 12 in the real browser (headless Chromium, the real Streamlit server): a
Handlungsziel linked to two indicators, a measure with a partner and two milestones; the clock (MONITOR_TODAY)
passes a milestone's date → "verzögert" with its reason on the measure, the goal and the cockpit; the department
round: forms generated, one filled in with openpyxl as a department would (a bad date, an unknown status), the
preview names the bad cells, the corrected form imports, the history shows it, rollback restores. Screenshots of
the three pages in test-artifacts/."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, ERROR_SELECTORS, new_context, serve_app
from browser_support import wait_idle as _wait_idle
from openpyxl import load_workbook

pytestmark = pytest.mark.browser

T0 = dt.date.today()
T1 = T0 + dt.timedelta(days=10)
DUE1 = T0 + dt.timedelta(days=5)
DUE2 = T0 + dt.timedelta(days=60)


def _d(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture(scope="module")
def journey_db(demo_database, tmp_path_factory) -> Path:
    """The demo database without the demo measures (goals, partners and indicator data stay), so that the cockpit's
    line shows the journey's measure."""
    from indicators.service import open_monitor

    folder = tmp_path_factory.mktemp("strategy_journey")
    db = folder / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    m = open_monitor(db)
    with m.store.transaction() as cur:
        cur.execute("DELETE FROM strat_measures")
    m.close()
    return db


def _server(db: Path, today: dt.date, folder: Path):
    import os

    env = {**os.environ, "MONITOR_DB": str(db), "MONITOR_USER": "stabsstelle", "MONITOR_TODAY": today.isoformat()}
    return serve_app(db, folder, env)


def main(page):
    return page.locator('[data-testid="stMain"]')


def visit(page, url: str, expect: str) -> None:
    page.goto(url)
    main(page).get_by_text(expect, exact=False).first.wait_for(timeout=60_000)
    _wait_idle(page)
    no_errors(page, url)


def no_errors(page, where: str) -> None:
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()}"
    assert "Traceback" not in page.content(), where


def text(page) -> str:
    return main(page).inner_text().replace("\xa0", " ")


def shows(page, what, timeout: int = 30_000) -> None:
    try:
        main(page).get_by_text(what).first.wait_for(timeout=timeout)
    except Exception:
        shot(page, "strategie_fehler")  # what the page showed instead
        raise AssertionError(f"nicht angezeigt: {what!r}; die Seite zeigt: {text(page)[-1500:]}") from None


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def choose(page, label: str, option: str) -> None:
    """A selectbox or multiselect: type into it and take the first match, as with the keyboard."""
    box = main(page).get_by_label(label, exact=True).first
    box.click()
    box.type(option)
    # the list has followed the typing: every option shown matches (it filters after the last key)
    page.wait_for_function(
        "t => { const o = [...document.querySelectorAll('[role=option]')];"
        " return o.length > 0 && o.every(e => e.textContent.includes(t)); }",
        arg=option,
    )
    page.get_by_role("option").filter(has_text=option).first.click()
    widget = main(page).locator('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]').filter(has_text=label)
    widget.first.locator("span, div").filter(has_text=option).first.wait_for(state="attached")  # taken
    _wait_idle(page)
    page.keyboard.press("Escape")


def choose_one(page, label: str, option: str) -> None:
    """A selectbox: open it, type, click the matching option; checked (and retried) until it shows the choice."""
    widget = main(page).locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    for _ in range(3):
        widget.locator("input").first.click()
        page.keyboard.type(option, delay=50)
        opt = page.get_by_role("option").filter(has_text=option).first
        opt.wait_for(timeout=10_000)
        opt.click()
        _wait_idle(page)
        shown = widget.inner_text() + " " + widget.locator("input").first.input_value()
        if option in shown:
            return
    raise AssertionError(f"{label}: {option} nicht auswählbar; zeigt {shown!r}")


def type_date(page, label: str, day: dt.date) -> None:
    """Streamlit's date field (day, month, year segments): click the day and type the digits."""
    widget = main(page).locator('[data-testid="stDateInput"]').filter(has_text=label).first
    widget.locator('[role="spinbutton"][data-type="day"]').click()
    page.keyboard.type(day.strftime("%d%m%Y"), delay=50)
    page.keyboard.press("Tab")
    _wait_idle(page)


def test_strategy_journey(journey_db, chromium, tmp_path):
    ctx = new_context(chromium, viewport={"width": 1440, "height": 900}, locale="de-DE", accept_downloads=True)
    page = ctx.new_page()
    gen = _server(journey_db, T0, tmp_path)
    url = next(gen)
    try:
        # 1. a Handlungsziel linked to two indicators (Strategie page)
        visit(page, f"{url}/strategie?feld=arbeit", "Leitbild")
        main(page).get_by_text("Ziel anlegen").click()
        form = main(page).locator('[data-testid="stForm"]').filter(has_text="Leitziel (nur für Handlungsziele)")
        form.get_by_label("Titel", exact=True).fill("Abstand der Arbeitslosenquoten halbieren")
        choose_one(page, "Leitziel (nur für Handlungsziele)", "LZ-007")
        choose(page, "Indikatoren (nur für Handlungsziele)", "Arbeitslosenquote Ausländer")
        choose(page, "Indikatoren (nur für Handlungsziele)", "Abstand Arbeitslosenquote")
        form.get_by_label("Begründung der Änderung (für das Protokoll)").fill("Beschluss Steuerungsgruppe")
        form.get_by_role("button", name="Speichern").click()
        shows(page, re.compile(r"Gespeichert: HZ-\d+ Abstand der Arbeitslosenquoten halbieren"))
        hz = re.search(r"Gespeichert: (HZ-\d+)", text(page)).group(1)
        no_errors(page, "Ziel anlegen")

        # 2. a measure with a partner and two milestones (Maßnahmen page)
        visit(page, f"{url}/massnahmen", "Maßnahmen")
        main(page).get_by_role("tab", name="Neue Maßnahme").click()
        form = main(page).locator('[data-testid="stForm"]')
        form.get_by_label("Titel", exact=True).fill("Jobcoaching für Zugewanderte")
        choose(page, "Handlungsziele", hz)
        form.get_by_label("Verantwortlich (Fachdienst/Amt)").fill("FD Soziales")
        form.get_by_role("textbox", name="Budget geplant (EUR)").fill("2.500,00")  # typed the German way
        choose(page, "Partner aus dem Netzwerk", "Jobcenter Landkreis Peine")
        form.get_by_label("Meilenstein 1", exact=True).fill("Kursstart")
        type_date(page, "Meilenstein 1 fällig am", DUE1)
        form.get_by_label("Meilenstein 2", exact=True).fill("Zwischenbericht")
        type_date(page, "Meilenstein 2 fällig am", DUE2)
        form.get_by_label("Begründung der Änderung (für das Protokoll)").fill("neu beschlossen")
        form.get_by_role("button", name="Maßnahme anlegen").click()
        shows(page, "Gespeichert: M-001 Jobcoaching für Zugewanderte")
        no_errors(page, "Maßnahme anlegen")
        visit(page, f"{url}/massnahmen?id=M-001", "Jobcoaching für Zugewanderte")
        body = text(page)
        assert "● im Plan – nächster Meilenstein „Kursstart“ am " + _d(DUE1) in body
        # the partner stands in the measure's table, drawn after the script run
        main(page).get_by_text("Jobcenter Landkreis Peine").first.wait_for(state="attached", timeout=30_000)
        assert "Jobcenter Landkreis Peine" in page.content() and hz in page.content()
    finally:
        next(gen, None)  # runs serve_app's end: stops the server (close() would skip it)
    from indicators.service import open_monitor
    from indicators.strategy import model

    m = open_monitor(journey_db)
    try:  # the budget typed as "2.500,00" is stored as 2500 (not 2,5, not refused)
        assert model.measure(m.store, "M-001")["budget_planned"] == 2500.0
    finally:
        m.close()

    # 3. the clock passes the first milestone's date
    gen = _server(journey_db, T1, tmp_path)
    url = next(gen)
    reason = f"Meilenstein „Kursstart“ war am {_d(DUE1)} fällig und ist seit 5 Tagen überfällig"
    try:
        visit(page, f"{url}/massnahmen?id=M-001", "Jobcoaching für Zugewanderte")
        assert f"Stand: ◐ verzögert – {reason}" in text(page)
        shot(page, "strategie_massnahme")
        visit(page, f"{url}/strategie?feld=arbeit", "Leitbild")
        body = text(page)
        assert f"◐ verzögert · M-001 Jobcoaching für Zugewanderte\n↳ {reason}" in body or (
            "M-001" in body and reason in body
        ), body[-2000:]
        goal_box = main(page).locator('[data-testid="stVerticalBlock"]').filter(has_text=f"Handlungsziel {hz}:")
        goal_text = goal_box.last.inner_text()
        assert "Arbeitslosenquote Ausländer" in goal_text and reason in goal_text and "1 verzögert" in goal_text
        goal_box.last.scroll_into_view_if_needed()
        shot(page, "strategie_seite")
        visit(page, url, "Cockpit")
        assert f"M-001 „Jobcoaching für Zugewanderte“: ◐ verzögert – {reason}" in text(page)
        visit(page, f"{url}/netzwerk?partner=P-001", "Integrationsnetzwerk")
        assert "Jobcoaching für Zugewanderte" in page.content().replace("\u00ad", "")  # (soft hyphens in the table)
        shot(page, "strategie_netzwerk")

        # 4. the department round: generate the forms, download the unit's form
        visit(page, f"{url}/massnahmen", "Maßnahmen")
        main(page).get_by_role("tab", name="Maßnahmenabfrage").click()
        main(page).get_by_role("button", name="Neue Runde starten und Formulare erzeugen").click()
        shows(page, "Runde 1 gestartet")
        main(page).get_by_role("tab", name="Maßnahmenabfrage").click()
        with page.expect_download() as dl:
            main(page).get_by_role("button", name="Formular FD Soziales").click()
        form_path = tmp_path / "form.xlsx"
        dl.value.save_as(form_path)

        def filled(status: str, done: object) -> Path:
            wb = load_workbook(form_path)
            ws, ms = wb["Maßnahmen"], wb["Meilensteine"]
            assert ws["A2"].value == "M-001" and ms["C2"].value == "Kursstart"
            ws["C2"] = status
            ws["L2"] = "Kurs läuft mit 12 Teilnehmenden"
            ms["E2"] = done
            buf = io.BytesIO()
            wb.save(buf)
            out = tmp_path / f"FD_Soziales_{status}.xlsx"
            out.write_bytes(buf.getvalue())
            return out

        uploader = main(page).locator('[data-testid="stFileUploader"] input[type="file"]')
        uploader.set_input_files(str(filled("erledigt", "35.12.2026")))
        shows(page, "2 Problem(e) – nichts wird übernommen")
        _wait_idle(page)
        problems = main(page).locator("table").filter(has_text="Problem").first.inner_text()
        assert re.search(r"Maßnahmen\s+2\s+C \(Status\)\s+„erledigt“ ist kein Status", problems), problems
        assert re.search(r"Meilensteine\s+2\s+E \(Erledigt am\)\s+„35.12.2026“ ist kein Datum", problems), problems
        assert main(page).get_by_role("button", name="Änderungen übernehmen").count() == 0
        main(page).locator("table").filter(has_text="Problem").first.scroll_into_view_if_needed()
        shot(page, "strategie_formular_probleme")

        uploader.set_input_files(str(filled("laufend", dt.datetime.combine(T1, dt.time()))))
        shows(page, "Vorschau: 2 Änderungen")
        main(page).get_by_role("button", name="Änderungen übernehmen").click()
        shows(page, "Übernommen als Import 1: 2 Änderungen.")
        main(page).get_by_role("tab", name="Maßnahmenabfrage").click()
        history = main(page).locator("table").filter(has_text="Fachdienst").last.inner_text()
        assert re.search(r"FD_Soziales_laufend\.xlsx\s+FD Soziales\s+1\s+stabsstelle\s+2\s+aktiv", history), history
        visit(page, f"{url}/massnahmen?id=M-001", "Jobcoaching für Zugewanderte")
        assert "● im Plan – nächster Meilenstein „Zwischenbericht“" in text(page)

        # 5. rollback restores the state before the import
        visit(page, f"{url}/massnahmen", "Maßnahmen")
        main(page).get_by_role("tab", name="Maßnahmenabfrage").click()
        undo = main(page).get_by_role("button", name="Zurücknehmen", exact=True)
        assert undo.is_disabled()  # asks first (issue 11: every dangerous action)
        main(page).get_by_text("Ich möchte Import Nr. 1 zurücknehmen.").click()
        _wait_idle(page)
        undo.click()
        shows(page, "Import 1 zurückgenommen: 1 Einträge (Maßnahmen, Ziele, Partner, Leitbild) wieder im Stand davor.")
        visit(page, f"{url}/massnahmen?id=M-001", "Jobcoaching für Zugewanderte")
        assert f"Stand: ◐ verzögert – {reason}" in text(page)
        visit(page, f"{url}/massnahmen", "Maßnahmen")
        shot(page, "strategie_massnahmen")
    finally:
        next(gen, None)  # runs serve_app's end: stops the server (close() would skip it)
        ctx.close()


def test_three_pages_on_the_demo(demo_database, chromium, tmp_path):
    """The three pages with the whole demo strategy (42 measures), screenshots for review."""
    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    ctx = new_context(chromium, viewport={"width": 1440, "height": 900}, locale="de-DE")
    page = ctx.new_page()
    gen = _server(db, T0, tmp_path)
    url = next(gen)
    try:
        visit(page, f"{url}/strategie?feld=bildung", "Leitziel LZ-001")
        assert text(page).count("Handlungsziel HZ-") == 6
        main(page).get_by_text("Leitziel LZ-001").first.scroll_into_view_if_needed()
        shot(page, "strategie_demo_strategie")
        visit(page, f"{url}/massnahmen", "Übersicht")
        assert "42 Maßnahmen" in text(page)
        shot(page, "strategie_demo_massnahmen")
        main(page).get_by_role("tab", name="Zeitleiste").click()
        _wait_idle(page)
        no_errors(page, "Zeitleiste")
        shot(page, "strategie_demo_zeitleiste")
        visit(page, f"{url}/netzwerk?partner=P-001", "Partner nach Handlungsfeld")
        main(page).get_by_text("Maßnahmen eines Partners").first.scroll_into_view_if_needed()
        shot(page, "strategie_demo_netzwerk")
        visit(page, url, "Cockpit")
        assert "7 Maßnahmen: " in text(page)
        main(page).get_by_role("heading", name="Bildung").first.scroll_into_view_if_needed()
        shot(page, "strategie_demo_cockpit")
        page.set_viewport_size({"width": 1280, "height": 720})
        visit(page, f"{url}/praesentation?folien=feld:arbeit,alq_gap&folie=1", "Tun wir, was wir beschlossen haben?")
        shot(page, "strategie_demo_folie_arbeit")
    finally:
        next(gen, None)
        ctx.close()


def test_department_round_journeys(demo_database, chromium, tmp_path):
    """Issue 25, as the Stabsstelle goes through a round on the demo: a second round asks first and names the forms
    it invalidates; an earlier import blocked by a later one names it and rolls both back together; an earlier review
    date and a personal e-mail are refused in the preview with their cell; from an indicator back to its
    Handlungsziel, whose indicators show their target values."""
    from indicators.service import open_monitor
    from indicators.strategy import model, workbook

    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(demo_database, db)
    m = open_monitor(db)
    try:
        soziales = next(x for x in model.measures(m.store) if x["unit"] == "FD Soziales")
        last_review = soziales["reviews"][-1]["date"]
        hz = next(g for g in model.goals(m.store) if g["kind"] == "handlungsziel" and g["indicators"])
        ind = hz["indicators"][0]
        strategy_file = workbook.strategy_bytes(m.store)
    finally:
        m.close()
    ctx = new_context(chromium, viewport={"width": 1440, "height": 900}, locale="de-DE", accept_downloads=True)
    page = ctx.new_page()
    gen = _server(db, T0, tmp_path)
    url = next(gen)

    def round_tab() -> None:
        """The tab "Maßnahmenabfrage" selected and its panel shown (a click during a rerun can be undone by it: the
        state is checked and the click repeated, at most three times)."""
        tab = main(page).get_by_role("tab", name="Maßnahmenabfrage")
        for _ in range(3):
            tab.click()
            _wait_idle(page)
            if tab.get_attribute("aria-selected") == "true":
                break
        main(page).get_by_role("tabpanel").locator('[data-testid="stFileUploader"]').first.wait_for()

    def upload(path: Path) -> None:
        _wait_idle(page)
        main(page).locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        main(page).get_by_text(path.name).first.wait_for()  # the uploader shows the new file (a short name)
        _wait_idle(page)

    def edited(name: str, edits: dict[tuple[str, str], object], source: Path | None = None) -> Path:
        wb = load_workbook(source or form_path)
        for (sheet, ref), value in edits.items():
            wb[sheet][ref] = value
        out = tmp_path / name
        wb.save(out)
        return out

    def confirm_rollback(iid: int) -> None:
        main(page).get_by_text(f"Ich möchte Import Nr. {iid} zurücknehmen.").click()
        _wait_idle(page)

    try:
        visit(page, f"{url}/massnahmen", "Maßnahmen")
        round_tab()
        start = main(page).get_by_role("button", name="Neue Runde starten und Formulare erzeugen")
        start.click()  # the first round invalidates nothing: no question
        shows(page, "Runde 1 gestartet: 7 Formulare.")
        visit(page, f"{url}/massnahmen", "Maßnahmen")  # a reload still offers the current round's forms
        round_tab()
        with page.expect_download() as dl:
            main(page).get_by_role("button", name="Formular FD Soziales").click()
        form_path = tmp_path / "form.xlsx"
        dl.value.save_as(form_path)

        # two imports of the same measure; the earlier one is blocked by the later one, named, rolled back together
        for i, status in enumerate(("ausgesetzt", "abgeschlossen"), start=1):
            upload(edited(f"import{i}.xlsx", {("Maßnahmen", "C2"): status}))
            shows(page, "Vorschau:")
            main(page).get_by_role("button", name="Änderungen übernehmen").click()
            shows(page, f"Übernommen als Import {i}:")
            round_tab()
            # the confirmation stays beside the file just taken over, which is not called „without changes“
            tab = main(page).get_by_role("tabpanel")  # the visible one
            tab.get_by_text(f"Übernommen als Import {i}:").wait_for()
            assert "enthält keine Änderungen" not in tab.inner_text()
        choose_one(page, "Import zurücknehmen", "1: import1.xlsx")
        confirm_rollback(1)
        main(page).get_by_role("button", name="Zurücknehmen", exact=True).click()
        shows(page, "Import 2 („import2.xlsx“) hat dieselben Einträge danach geändert")
        shot(page, "abfrage_ruecknahme_blockiert")
        main(page).get_by_role("button", name="Zusammen zurücknehmen: Importe 2, 1").click()
        shows(page, "Importe 2, 1 zurückgenommen (die späteren zuerst)")
        round_tab()
        history = main(page).locator("table").filter(has_text="Fachdienst").last.inner_text()
        assert history.count("zurückgenommen") == 2, history

        # an earlier review date: refused in the preview with its cell
        earlier = last_review - dt.timedelta(days=40)
        upload(
            edited(
                "frueher.xlsx",
                {("Maßnahmen", "K2"): dt.datetime.combine(earlier, dt.time()), ("Maßnahmen", "L2"): "nachgetragen"},
            )
        )
        shows(page, "1 Problem(e) – nichts wird übernommen")
        problems = main(page).locator("table").filter(has_text="Problem").first.inner_text()
        assert re.search(
            rf"Maßnahmen\s+2\s+K \(Überprüft am\)\s+{_d(earlier)} liegt vor der letzten Überprüfung am "
            rf"{_d(last_review)}",
            problems,
        ), problems
        assert main(page).get_by_role("button", name="Änderungen übernehmen").count() == 0

        # a strategy file with a personal e-mail as a partner's contact: the preview refuses it, naming the cell
        sfile = tmp_path / "strategie_src.xlsx"
        sfile.write_bytes(strategy_file)
        row = load_workbook(sfile)["Partner"].max_row + 1
        upload(
            edited(
                "strategie.xlsx",
                {
                    ("Partner", f"B{row}"): "Verein Miteinander",
                    ("Partner", f"C{row}"): "Ehrenamt",
                    ("Partner", f"E{row}"): "max.mustermann@example.org",
                },
                source=sfile,
            )
        )
        shows(page, "keine persönliche Adresse")
        problems = main(page).locator("table").filter(has_text="Problem").first.inner_text()
        assert re.search(rf"Partner\s+{row}\s+E \(Kontakt \(Funktion\)\)\s+.*keine persönliche Adresse", problems)
        shot(page, "abfrage_partner_email")

        # a new round: asks first, naming the forms that become invalid
        visit(page, f"{url}/massnahmen", "Maßnahmen")
        round_tab()
        main(page).get_by_role("button", name="Neue Runde starten und Formulare erzeugen").click()
        shows(page, "Eine neue Runde macht die Formulare von Runde 1 ungültig")
        warning = main(page).locator('[data-testid="stAlert"]').filter(has_text="ungültig").first.inner_text()
        assert f"(erzeugt am {_d(T0)})" in warning and "FD Soziales" in warning and "noch keines" in warning, warning
        assert workbook.form_file_name("FD Soziales", 1)  # still round 1: nothing started yet
        shot(page, "abfrage_neue_runde_frage")
        main(page).get_by_role("button", name="Ja, Runde 2 starten – die Formulare von Runde 1 werden ungültig").click()
        shows(page, "Runde 2 gestartet: 7 Formulare.")

        # from an indicator back to its Handlungsziel; the goal shows its indicators' target values
        visit(page, f"{url}/indikator?id={ind}", "Gehört in der Strategie zu")
        main(page).get_by_role("link", name=f"Handlungsziel {hz['id']}").first.click()
        shows(page, f"Gezeigt wird nur Handlungsziel {hz['id']}")
        _wait_idle(page)
        body = text(page)
        assert len(re.findall(r"^Handlungsziel HZ-", body, re.M)) == 1, body[-1500:]
        assert re.search(r"Ziel 20\d\d: |kein Zielwert", body), body[-1500:]
        shot(page, "strategie_ziel_deeplink")
    finally:
        next(gen, None)
        ctx.close()
