"""The strategy core (issue 12): the derived schedule state at its boundaries, the clock, writes with person and
reason, the form round trip, every refusal of the department round, all-or-nothing, history and rollback, the
demo strategy (loaded and removed with the demo) and the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from conftest import cli, make_settings
from openpyxl import load_workbook

from indicators.config import check_environment, load_settings
from indicators.fmt import fmt_date
from indicators.service import open_monitor
from indicators.strategy import model, schedule, workbook
from indicators.strategy.demo import load_demo_strategy
from indicators.strategy.schedule import ABGESCHLOSSEN, GEFAEHRDET, IM_PLAN, VERZOEGERT, schedule_state

TODAY = dt.date(2026, 3, 31)
D = dt.timedelta


def _m(**kw) -> dict:
    base = {
        "status": "laufend",
        "start_date": TODAY - D(days=100),
        "end_date": TODAY + D(days=300),
        "next_review": None,
        "milestones": [],
    }
    return {**base, **kw}


def _ms(due, done=None, title="Konzept"):
    return {"title": title, "due": due, "done": done}


# -- schedule state: boundaries ---------------------------------------------------------------------
def test_milestone_due_today_is_on_plan_one_day_later_delayed():
    assert schedule_state(_m(milestones=[_ms(TODAY)]), TODAY).state == IM_PLAN
    s = schedule_state(_m(milestones=[_ms(TODAY - D(days=1))]), TODAY)
    assert s.state == VERZOEGERT
    assert s.reason == "Meilenstein „Konzept“ war am 30.03.2026 fällig und ist seit 1 Tag überfällig"


def test_milestone_overdue_90_days_delayed_91_at_risk():
    assert schedule_state(_m(milestones=[_ms(TODAY - D(days=90))]), TODAY).state == VERZOEGERT
    s = schedule_state(_m(milestones=[_ms(TODAY - D(days=91))]), TODAY)
    assert s.state == GEFAEHRDET and "seit 91 Tagen überfällig" in s.reason


def test_done_milestone_is_never_overdue():
    s = schedule_state(
        _m(milestones=[_ms(TODAY - D(days=200), done=TODAY - D(days=199)), _ms(TODAY + D(days=5), title="Bericht")]),
        TODAY,
    )
    assert s.state == IM_PLAN and s.reason == "nächster Meilenstein „Bericht“ am 05.04.2026"


def test_end_date_boundary():
    assert schedule_state(_m(end_date=TODAY), TODAY).state == IM_PLAN
    s = schedule_state(_m(end_date=TODAY - D(days=1)), TODAY)
    assert s.state == GEFAEHRDET and s.reason == "Laufzeit endete am 30.03.2026, Status ist „laufend“"


def test_review_boundary():
    assert schedule_state(_m(next_review=TODAY), TODAY).state == IM_PLAN
    s = schedule_state(_m(next_review=TODAY - D(days=1)), TODAY)
    assert s.state == VERZOEGERT and s.review_overdue and "Überprüfung war am 30.03.2026 fällig" in s.reason


def test_planned_measure_whose_start_passed_is_delayed():
    assert schedule_state(_m(status="geplant", start_date=TODAY), TODAY).state == IM_PLAN
    s = schedule_state(_m(status="geplant", start_date=TODAY - D(days=1)), TODAY)
    assert s.state == VERZOEGERT and "noch „geplant“" in s.reason


def test_status_decides_completed_and_suspended():
    late = [_ms(TODAY - D(days=300))]
    assert schedule_state(_m(status="abgeschlossen", milestones=late), TODAY).state == ABGESCHLOSSEN
    for status in ("ausgesetzt", "abgebrochen"):
        s = schedule_state(_m(status=status), TODAY)
        assert s.state == GEFAEHRDET and f"Status „{status}“" in s.reason


def test_worst_finding_decides_and_reason_names_all_of_that_level():
    s = schedule_state(
        _m(
            milestones=[_ms(TODAY - D(days=3), title="A"), _ms(TODAY - D(days=4), title="B")],
            next_review=TODAY - D(days=2),
        ),
        TODAY,
    )
    assert s.state == VERZOEGERT
    assert "„A“" in s.reason and "„B“" in s.reason and "Überprüfung" in s.reason


def test_clock_from_environment(monkeypatch):
    monkeypatch.setenv("MONITOR_TODAY", "2026-03-31")
    assert load_settings().today == TODAY
    monkeypatch.setenv("MONITOR_TODAY", "01.04.2026")
    assert load_settings().today == dt.date(2026, 4, 1)
    monkeypatch.setenv("MONITOR_TODAY", "morgen")
    with pytest.raises(SystemExit, match="MONITOR_TODAY muss ein Datum sein"):  # at the start of the command line
        check_environment()
    assert load_settings().today == dt.date.today()  # in a page run: the real date (and a warning in the log)
    monkeypatch.delenv("MONITOR_TODAY")
    assert load_settings().today == dt.date.today()


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture
def strat(tmp_path):
    """A monitor with an empty data store and the demo strategy (clock TODAY)."""
    m = open_monitor(settings=make_settings(tmp_path))
    load_demo_strategy(m.store, m.catalog, "demo", TODAY)
    yield m
    m.close()


def _digest(store) -> str:
    parts = []
    for t in model.TENANT_TABLES:  # every table of the strategy
        parts.append(str(store.scalar(f"SELECT count(*) || ':' || coalesce(sum(hash(t)), 0) FROM {t} t")))
    return "|".join(parts)


def _measures_state(store) -> str:
    return json.dumps([{k: v for k, v in x.items()} for x in model.measures(store)], default=str, sort_keys=True)


# -- writes -----------------------------------------------------------------------------------------
def test_demo_strategy_shape(strat):
    goals = model.goals(strat.store)
    ms = model.measures(strat.store)
    assert model.leitbild(strat.store)["adopted_by"].startswith("Kreistag")
    for f in ("bildung", "sprache", "arbeit", "gesellschaft", "kommunikation", "migrationsmanagement"):
        assert sum(g["field"] == f and g["kind"] == "leitziel" for g in goals) == 3
        assert sum(g["field"] == f and g["kind"] == "handlungsziel" for g in goals) == 6
    assert len(ms) == 42 and all(x["demo"] and x["milestones"] for x in ms)
    assert all(x["partners"] for x in ms)
    states = {schedule_state(x, TODAY).state for x in ms}
    assert states == {IM_PLAN, VERZOEGERT, GEFAEHRDET, ABGESCHLOSSEN}
    for x in ms:  # a plan that makes sense: no milestone due before the measure starts, none of a planned one overdue
        assert all(ms_["due"] >= x["start_date"] for ms_ in x["milestones"]), x["title"]
        if x["status"] == "geplant":
            assert schedule_state(x, TODAY).state == IM_PLAN, (x["title"], schedule_state(x, TODAY))
    assert all(set(g["indicators"]) <= set(strat.catalog.indicators) for g in goals)


def test_goal_measure_and_leitbild_changes_are_logged_with_person_and_reason(strat):
    lz = next(g for g in model.goals(strat.store) if g["kind"] == "leitziel" and g["field"] == "arbeit")
    gid = model.save_goal(
        strat.store,
        strat.catalog,
        {
            "kind": "handlungsziel",
            "parent": lz["id"],
            "title": "Neues Ziel",
            "indicators": ["alq_gap", "alq_auslaender"],
        },
        "frau.mueller",
        "Beschluss Steuerungsgruppe",
    )
    h = model.history(strat.store, "ziel", gid)[0]
    assert (h["changed_by"], h["reason"], h["old"]) == ("frau.mueller", "Beschluss Steuerungsgruppe", None)
    assert h["new"]["indicators"] == ["alq_gap", "alq_auslaender"] and h["new"]["field"] == "arbeit"
    mid = model.save_measure(
        strat.store,
        strat.catalog,
        {
            "title": "Jobcoaching",
            "unit": "FD Soziales",
            "goals": [gid],
            "fields": ["arbeit"],
            "partners": ["P-001"],
            "start_date": TODAY,
            "end_date": TODAY + D(days=200),
            "status": "laufend",
            "milestones": [_ms(TODAY + D(days=10), title="Start"), _ms(TODAY + D(days=40), title="Zwischenbericht")],
        },
        "frau.mueller",
        "neu",
    )
    before = model.measure(strat.store, mid)
    model.save_measure(strat.store, strat.catalog, {**before, "status": "ausgesetzt"}, "herr.schmidt", "Träger fehlt")
    h = model.history(strat.store, "massnahme", mid)[0]
    assert (h["changed_by"], h["reason"], h["old"]["status"], h["new"]["status"]) == (
        "herr.schmidt",
        "Träger fehlt",
        "laufend",
        "ausgesetzt",
    )
    n = model.set_leitbild(strat.store, "Neuer Text", dt.date(2026, 3, 1), "Kreistag", "frau.mueller", "Fortschreibung")
    assert n == 2 and [v["version"] for v in model.leitbild_versions(strat.store)] == [2, 1]
    actions = strat.store.query(
        "SELECT action, user_name FROM audit_log WHERE action LIKE 'strategie_%' AND user_name <> 'demo' ORDER BY id"
    )
    assert [a for a, _ in actions] == [
        "strategie_ziel_angelegt",
        "strategie_massnahme_angelegt",
        "strategie_massnahme_geaendert",
        "strategie_leitbild_geaendert",
    ]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"title": ""}, "Feld „Titel“: bitte ausfüllen."),
        ({"status": "erledigt"}, "Feld „Status“: „erledigt“ ist nicht vorgesehen"),
        ({"end_date": TODAY - D(days=500)}, "Feld „Ende“: liegt vor dem Beginn."),
        ({"partners": ["P-999"]}, "Feld „Partner“: unbekannt: P-999."),
        ({"goals": ["HZ-999"]}, "Feld „Handlungsziele“: unbekannt: HZ-999."),
        ({"budget_planned": -5}, "Feld „Budget geplant“: darf nicht negativ sein."),
        ({"milestones": [{"title": "X", "due": None}]}, "Feld „Meilenstein 1: fällig am“"),
    ],
)
def test_bad_measure_is_refused_and_nothing_written(strat, change, message):
    before = _digest(strat.store)
    m = model.measure(strat.store, "M-001")
    with pytest.raises(model.StrategyError, match=message):
        model.save_measure(strat.store, strat.catalog, {**m, **change}, "x", "y")
    assert _digest(strat.store) == before


def test_partner_contact_must_be_a_function(strat):
    with pytest.raises(model.StrategyError, match="keine persönliche Adresse"):
        model.save_partner(
            strat.store,
            strat.catalog,
            {"name": "Verein", "kind": "Ehrenamt", "contact": "max.mustermann@example.org"},
            "x",
        )
    pid = model.save_partner(
        strat.store, strat.catalog, {"name": "Verein", "kind": "Ehrenamt", "contact": "info@verein.example"}, "x"
    )
    assert pid.startswith("P-")


# -- the department round ---------------------------------------------------------------------------
def _form(strat, unit="FD Soziales"):
    n, forms = workbook.start_round(strat.store, "stabsstelle", TODAY)
    return n, forms[unit]


def _edit(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """Change cells (sheet, 'C3') of a workbook as a department would with Excel."""
    wb = load_workbook(io.BytesIO(data))
    for (sheet, ref), value in edits.items():
        wb[sheet][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_every_form_and_the_strategy_export_round_trip_without_changes(strat):
    n, forms = workbook.start_round(strat.store, "stabsstelle", TODAY)
    assert n == 1 and len(forms) == len(model.units(strat.store)) == 7
    for unit, data in forms.items():
        pv = workbook.read_file(strat.store, strat.catalog, data, f"{unit}.xlsx")
        assert pv.ok and pv.changes == [] and pv.unit == unit, (unit, pv.refusal, pv.problems)
        assert workbook.apply(strat.store, strat.catalog, pv, "x") is None
    pv = workbook.read_file(strat.store, strat.catalog, workbook.strategy_bytes(strat.store), "strategie.xlsx")
    assert pv.ok and pv.changes == []


def test_form_has_validation_lists_and_only_its_units_measures(strat):
    _, data = _form(strat)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[workbook.MEASURES_SHEET]
    ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ids and set(ids) == {x["id"] for x in model.measures(strat.store) if x["unit"] == "FD Soziales"}
    kinds = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert '"geplant,laufend,abgeschlossen,ausgesetzt,abgebrochen"' == kinds["list"].formula1
    assert "date" in kinds
    assert wb[workbook.META_SHEET]["B3"].value == "FD Soziales" and wb[workbook.META_SHEET]["B4"].value == 1


def test_bad_cells_are_named_by_sheet_row_and_column_and_nothing_is_written(strat):
    _, data = _form(strat)
    before = _digest(strat.store)
    free = load_workbook(io.BytesIO(data))["Maßnahmen"].max_row + 1
    bad = _edit(
        data,
        {
            ("Maßnahmen", "C2"): "erledigt",
            ("Maßnahmen", "J2"): "31.02.2026",
            ("Meilensteine", "D3"): "bald",
            ("Maßnahmen", f"A{free}"): "M-999",
        },
    )
    pv = workbook.read_file(strat.store, strat.catalog, bad, "fd_soziales.xlsx")
    texts = sorted(str(p) for p in pv.problems)
    assert texts == sorted(
        [
            "Blatt „Maßnahmen“, Zeile 2, Spalte C (Status): „erledigt“ ist kein Status (erlaubt: geplant, laufend, "
            "abgeschlossen, ausgesetzt, abgebrochen)",
            "Blatt „Maßnahmen“, Zeile 2, Spalte J (Nächste Überprüfung): „31.02.2026“ ist kein Datum (bitte TT.MM.JJJJ, "
            "z. B. 31.03.2026)",
            "Blatt „Meilensteine“, Zeile 3, Spalte D (Fällig am): „bald“ ist kein Datum (bitte TT.MM.JJJJ, z. B. "
            "31.03.2026)",
            f"Blatt „Maßnahmen“, Zeile {free}, Spalte A (Maßnahme-Nr.): Maßnahme „M-999“ gibt es nicht",
        ]
    ), texts
    with pytest.raises(workbook.ImportRefused, match="4 Problem"):
        workbook.apply(strat.store, strat.catalog, pv, "x")
    assert _digest(strat.store) == before


def test_missing_column_is_named(strat):
    _, data = _form(strat)
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Maßnahmen", "C1"): "Zustand"}), "f.xlsx")
    assert [str(p) for p in pv.problems] == ["Blatt „Maßnahmen“, Zeile 1, Spalte Status: die Spalte fehlt"]


def test_outdated_round_is_refused_with_its_reason(strat):
    _, old = _form(strat)
    _form(strat)  # round 2
    before = _digest(strat.store)
    pv = workbook.read_file(strat.store, strat.catalog, _edit(old, {("Maßnahmen", "C2"): "abgeschlossen"}), "alt.xlsx")
    assert pv.refusal.startswith("Das Formular stammt aus Runde 1 der Maßnahmenabfrage; aktuell ist Runde 2")
    assert pv.changes == []
    with pytest.raises(workbook.ImportRefused, match="Runde 1"):
        workbook.apply(strat.store, strat.catalog, pv, "x")
    assert _digest(strat.store) == before


def test_round_never_created_is_refused(strat):
    _, data = _form(strat)
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Formular", "B4"): 9}), "f.xlsx")
    assert "Runde 9" in pv.refusal and "nie erstellt" in pv.refusal


def test_form_of_a_unit_without_measures_is_refused(strat):
    _, data = _form(strat)
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Formular", "B3"): "FD Straßenbau"}), "f.xlsx")
    assert (
        pv.refusal == "Das Formular ist für „FD Straßenbau“; dieser Fachdienst ist für keine Maßnahme verantwortlich."
    )


def test_form_with_another_units_measure_is_refused(strat):
    _, data = _form(strat)
    other = next(x for x in model.measures(strat.store) if x["unit"] == "FD Personal")
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Maßnahmen", "A2"): other["id"]}), "f.xlsx")
    assert pv.refusal.startswith(
        "Das Formular ist für „FD Soziales“, enthält aber Maßnahmen eines anderen "
        f"Fachdienstes – Zeile 2: {other['id']} (verantwortlich: FD Personal)"
    )


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"not a workbook", "ist keine lesbare Excel-Datei"),
        (None, "weder ein Formular der Maßnahmenabfrage noch ein Export der Strategie"),
    ],
)
def test_other_files_are_refused(strat, data, reason):
    if data is None:
        from openpyxl import Workbook

        buf = io.BytesIO()
        Workbook().save(buf)
        data = buf.getvalue()
    pv = workbook.read_file(strat.store, strat.catalog, data, "x.xlsx")
    assert reason in pv.refusal and not pv.ok


def test_new_round_between_preview_and_apply_is_refused(strat):
    _, data = _form(strat)
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Maßnahmen", "C2"): "abgeschlossen"}), "f.xlsx")
    assert pv.ok and pv.changes
    _form(strat)
    before = _digest(strat.store)
    with pytest.raises(workbook.ImportRefused, match="Inzwischen gilt Runde 2"):
        workbook.apply(strat.store, strat.catalog, pv, "x")
    assert _digest(strat.store) == before


def test_corrected_form_imports_history_shows_it_rollback_restores(strat):
    _, data = _form(strat)
    mid = load_workbook(io.BytesIO(data))["Maßnahmen"]["A2"].value
    before_state = _measures_state(strat.store)
    before = model.measure(strat.store, mid)
    filled = _edit(
        data,
        {
            ("Maßnahmen", "C2"): "abgeschlossen",
            ("Maßnahmen", "G2"): "12.345,50",
            ("Maßnahmen", "L2"): "Alle Kurse durchgeführt",
            ("Maßnahmen", "K2"): dt.datetime(2026, 3, 30),
            ("Meilensteine", "E3"): dt.datetime(2026, 3, 20),
        },
    )
    pv = workbook.read_file(strat.store, strat.catalog, filled, "fd_soziales.xlsx")
    assert pv.ok, pv.problems
    what = {(c.object_id, c.what): (c.old, c.new) for c in pv.changes}
    assert what[(mid, "Status")] == (before["status"], "abgeschlossen")
    assert what[(mid, "Budget verausgabt (EUR)")][1] == "12.345,50"
    assert (mid, "Meilensteine") in what and (mid, "Überprüfungen") in what
    iid = workbook.apply(strat.store, strat.catalog, pv, "fd.soziales")
    after = model.measure(strat.store, mid)
    assert after["status"] == "abgeschlossen" and after["budget_spent"] == 12345.5
    assert after["reviews"][-1] == {
        "date": dt.date(2026, 3, 30),
        "note": "Alle Kurse durchgeführt",
        "by": "fd.soziales",
    }
    assert schedule_state(after, TODAY).state == ABGESCHLOSSEN
    imp = workbook.imports(strat.store)[0]
    assert (imp["id"], imp["unit"], imp["round"], imp["status"], imp["user_name"], imp["changes"]) == (
        iid,
        "FD Soziales",
        1,
        "aktiv",
        "fd.soziales",
        len(pv.changes),
    )
    h = model.history(strat.store, "massnahme", mid)[0]
    assert h["import_id"] == iid and h["reason"] == "Import „fd_soziales.xlsx“ (FD Soziales, Runde 1)"
    # the same file again: nothing to change
    assert workbook.read_file(strat.store, strat.catalog, filled, "fd_soziales.xlsx").changes == []
    n = workbook.rollback(strat.store, strat.catalog, iid, "stabsstelle")
    assert n == 1 and model.measure(strat.store, mid) == before
    assert _measures_state(strat.store) == before_state
    assert workbook.imports(strat.store)[0]["status"] == "zurueckgenommen"
    with pytest.raises(workbook.ImportRefused, match="bereits zurückgenommen"):
        workbook.rollback(strat.store, strat.catalog, iid, "x")
    with pytest.raises(workbook.ImportRefused, match="Import 99 gibt es nicht"):
        workbook.rollback(strat.store, strat.catalog, 99, "x")


def test_rollback_refused_when_the_measure_changed_afterwards(strat):
    _, data = _form(strat)
    mid = load_workbook(io.BytesIO(data))["Maßnahmen"]["A2"].value
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Maßnahmen", "C2"): "ausgesetzt"}), "f.xlsx")
    iid = workbook.apply(strat.store, strat.catalog, pv, "fd")
    model.add_review(strat.store, strat.catalog, mid, "Träger gefunden", "stabsstelle", TODAY)
    before = _digest(strat.store)
    with pytest.raises(workbook.ImportRefused, match=f"Maßnahme {mid} wurde nach dem Import geändert"):
        workbook.rollback(strat.store, strat.catalog, iid, "x")
    assert _digest(strat.store) == before


def test_strategy_import_changes_goal_and_adds_measure(strat):
    data = workbook.strategy_bytes(strat.store)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Maßnahmen"]
    row = ws.max_row + 1
    for col, value in {"B": "Neue Maßnahme", "F": "FD Gesundheit", "H": "geplant", "E": "HZ-001"}.items():
        ws[f"{col}{row}"] = value
    goal_row = next(c.row for c in wb["Ziele"]["A"] if c.value == "LZ-001")
    wb["Ziele"][f"E{goal_row}"] = "Geänderter Titel"
    buf = io.BytesIO()
    wb.save(buf)
    pv = workbook.read_file(strat.store, strat.catalog, buf.getvalue(), "s.xlsx")
    assert pv.ok, pv.problems
    assert {(c.kind, c.object_id) for c in pv.changes} >= {("ziel", "LZ-001"), ("massnahme", "(neu)")}
    iid = workbook.apply(strat.store, strat.catalog, pv, "x")
    assert model.measure(strat.store, "M-043")["title"] == "Neue Maßnahme"
    workbook.rollback(strat.store, strat.catalog, iid, "x")
    assert model.measure(strat.store, "M-043") is None
    assert next(g for g in model.goals(strat.store) if g["id"] == "LZ-001")["title"] != "Geänderter Titel"


def test_goal_summary_flags_measures_on_track_while_indicator_worsens(strat):
    from types import SimpleNamespace

    goal = {"id": "HZ-X", "indicators": ["alq_gap"]}
    ms = [{"id": "M-1", "goals": ["HZ-X"], **_m()}]
    worse = SimpleNamespace(
        indicator=SimpleNamespace(name="Abstand ALQ"), verdict=SimpleNamespace(status="deterioration")
    )
    s = schedule.goal_summary(goal, ms, {"alq_gap": worse}, TODAY)
    assert s["mismatch"] and s["worsening"] == ["Abstand ALQ"]
    ms[0]["milestones"] = [_ms(TODAY - D(days=2))]
    assert not schedule.goal_summary(goal, ms, {"alq_gap": worse}, TODAY)["mismatch"]


@pytest.mark.parametrize("status", ["limited_progress", "rot", "bewoelkt"])
def test_goal_summary_does_not_call_slow_progress_a_deterioration(status):
    """Issue 25: „Maßnahmen im Plan, aber Indikator verschlechtert sich“ stood beside „▼ geringer Fortschritt“."""
    from types import SimpleNamespace

    goal = {"id": "HZ-X", "indicators": ["alq_gap"]}
    ms = [{"id": "M-1", "goals": ["HZ-X"], **_m()}]
    slow = SimpleNamespace(indicator=SimpleNamespace(name="Abstand ALQ"), verdict=SimpleNamespace(status=status))
    s = schedule.goal_summary(goal, ms, {"alq_gap": slow}, TODAY)
    assert not s["mismatch"] and s["worsening"] == []


# -- demo and command line --------------------------------------------------------------------------
def test_demo_strategy_loaded_with_demo_and_removed_with_it(demo_copy):
    from indicators import service

    m = open_monitor(demo_copy)
    try:
        assert len(model.measures(m.store)) == 42 and model.leitbild(m.store)
        service.remove_demo(m, "test")
        assert model.measures(m.store) == [] and model.goals(m.store) == [] and model.partners(m.store) == []
        assert model.leitbild(m.store) is None
    finally:
        m.close()


def test_cli_measures_list_forms_and_import(demo_copy, tmp_path):
    r = cli("measures", "list", "--json", "--field", "bildung", "--state", "verzögert", db=demo_copy)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and all(x["stand"] == "verzögert" and "bildung" in x["handlungsfelder"] for x in rows)
    assert all("überfällig" in x["grund"] for x in rows)
    r = cli("measures", "list", "--state", "bald", db=demo_copy)
    assert r.returncode == 2 and "nicht erlaubt" in r.stderr
    r = cli("measures", "forms", str(tmp_path / "forms"), db=demo_copy)
    assert r.returncode == 0 and "Runde 1" in r.stdout, r.stderr
    assert "Ungültig geworden" not in r.stdout  # the first round invalidates nothing
    files = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert len(files) == 7
    r = cli("strategy", "import", str(files[0]), "--json", db=demo_copy)
    assert r.returncode == 0 and json.loads(r.stdout)["aenderungen"] == []
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_edit(files[0].read_bytes(), {("Maßnahmen", "C2"): "fertig"}))
    r = cli("strategy", "import", str(bad), db=demo_copy)
    assert r.returncode == 1 and "Blatt „Maßnahmen“, Zeile 2, Spalte C (Status): „fertig“ ist kein Status" in r.stderr
    good = tmp_path / "good.xlsx"
    good.write_bytes(_edit(files[0].read_bytes(), {("Maßnahmen", "C2"): "abgeschlossen"}))
    r = cli("strategy", "import", str(good), "--dry-run", db=demo_copy)
    assert r.returncode == 0 and "Probelauf" in r.stdout
    assert "Übernommen als Import 1" in cli("strategy", "import", str(good), db=demo_copy).stdout
    assert json.loads(cli("strategy", "imports", "--json", db=demo_copy).stdout)[0]["status"] == "aktiv"
    r = cli("strategy", "rollback", "1", db=demo_copy)
    assert r.returncode == 0 and "zurückgenommen" in r.stdout
    out = tmp_path / "strategie.xlsx"
    r = cli("measures", "forms", str(tmp_path / "forms2"), db=demo_copy)  # a second round names what it invalidates
    assert "Ungültig geworden: die Formulare von Runde 1 (erzeugt am " in r.stdout and "FD Soziales" in r.stdout
    assert cli("strategy", "export", str(out), db=demo_copy).returncode == 0
    r = cli("strategy", "import", str(out), db=demo_copy)
    assert r.returncode == 0 and "keine Änderungen" in r.stdout


def test_huge_workbook_is_refused_before_it_is_read(strat):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Formular"
    ws = wb.create_sheet("Maßnahmen")
    for r in range(1, 400):
        ws.cell(row=r, column=1, value="x" * 30_000)
    buf = io.BytesIO()
    wb.save(buf)
    assert len(buf.getvalue()) < 1024 * 1024
    pv = workbook.read_file(strat.store, strat.catalog, buf.getvalue(), "gross.xlsx")
    assert pv.refusal == "Datei „gross.xlsx“: entpackt größer als 10 MB."


def _import_status(strat, data: bytes, status: str, name: str) -> int:
    pv = workbook.read_file(strat.store, strat.catalog, _edit(data, {("Maßnahmen", "C2"): status}), name)
    assert pv.ok and pv.changes, pv.problems
    return workbook.apply(strat.store, strat.catalog, pv, "fd")


def test_rollback_in_any_order_and_a_blocking_later_import_is_named_and_rolled_back_together(strat, tmp_path):
    """Issue 25: rolling back a later import of the same measure left the earlier one blocked for ever."""
    _, data = _form(strat)
    mid = load_workbook(io.BytesIO(data))["Maßnahmen"]["A2"].value
    before = model.measure(strat.store, mid)
    first = _import_status(strat, data, "ausgesetzt", "erste.xlsx")
    second = _import_status(strat, data, "abgeschlossen", "zweite.xlsx")
    # both active: the earlier one names the later one that stands in its way, and nothing changes
    digest = _digest(strat.store)
    with pytest.raises(workbook.RollbackBlocked, match=re.escape(f"Import {second} („zweite.xlsx“)")) as err:
        workbook.rollback(strat.store, strat.catalog, first, "x")
    assert err.value.later == [second] and "--mit-spaeteren" in str(err.value)
    assert _digest(strat.store) == digest
    # the later one first, then the earlier one: both work, the measure is as before both
    workbook.rollback(strat.store, strat.catalog, second, "x")
    assert model.measure(strat.store, mid)["status"] == "ausgesetzt"
    assert workbook.rollback(strat.store, strat.catalog, first, "x") == 1
    assert model.measure(strat.store, mid) == before
    # again, rolled back together in one step (CLI option)
    first = _import_status(strat, data, "ausgesetzt", "erste.xlsx")
    second = _import_status(strat, data, "abgeschlossen", "zweite.xlsx")
    db = strat.settings.db_path
    strat.close()
    proc = cli("strategy", "rollback", str(first), db=db)
    assert proc.returncode != 0 and f"Import {second} („zweite.xlsx“)" in proc.stderr
    proc = cli("strategy", "rollback", str(first), "--mit-spaeteren", db=db)
    assert proc.returncode == 0, proc.stderr
    assert f"Importe {second}, {first} zurückgenommen" in proc.stdout
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        assert model.measure(m.store, mid) == before
        assert [r["status"] for r in workbook.imports(m.store)[:2]] == ["zurueckgenommen"] * 2
    finally:
        m.close()


def test_preview_and_apply_share_one_validation_personal_email_named_by_cell(strat, tmp_path):
    """Issue 25: a personal e-mail as a partner's contact passed the preview and --dry-run, then applying failed with
    a message naming no sheet, row or column."""
    wb = load_workbook(io.BytesIO(workbook.strategy_bytes(strat.store)))
    ws = wb["Partner"]
    row = ws.max_row + 1
    for col, value in {"B": "Verein Miteinander", "C": "Ehrenamt", "E": "max.mustermann@example.org"}.items():
        ws[f"{col}{row}"] = value
    buf = io.BytesIO()
    wb.save(buf)
    before = _digest(strat.store)
    pv = workbook.read_file(strat.store, strat.catalog, buf.getvalue(), "strategie.xlsx")
    assert not pv.ok
    assert [str(p) for p in pv.problems] == [
        f"Blatt „Partner“, Zeile {row}, Spalte E (Kontakt (Funktion)): Feld „Kontakt (Funktion)“: bitte eine "
        "Funktionsadresse (z. B. integration@…) oder eine Funktion angeben, keine persönliche Adresse."
    ]
    path = tmp_path / "strategie.xlsx"
    path.write_bytes(buf.getvalue())
    db = strat.settings.db_path
    strat.close()
    proc = cli("strategy", "import", str(path), "--dry-run", db=db)
    assert proc.returncode == 1 and f"Blatt „Partner“, Zeile {row}, Spalte E (Kontakt (Funktion))" in proc.stderr
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        assert _digest(m.store) == before
    finally:
        m.close()


def test_apply_names_the_cell_when_a_check_fails_while_writing(strat):
    """Should the data change between preview and confirmation, the refusal still names sheet, row and column."""
    wb = load_workbook(io.BytesIO(workbook.strategy_bytes(strat.store)))
    ws = wb["Maßnahmen"]
    row = ws.max_row + 1
    for col, value in {"B": "Neue Maßnahme", "F": "FD Gesundheit", "H": "geplant", "E": "HZ-001"}.items():
        ws[f"{col}{row}"] = value
    buf = io.BytesIO()
    wb.save(buf)
    pv = workbook.read_file(strat.store, strat.catalog, buf.getvalue(), "strategie.xlsx")
    assert pv.ok, pv.problems
    with strat.store.transaction() as cur:  # the Handlungsziel goes away after the preview
        cur.execute("DELETE FROM strat_goals WHERE id = 'HZ-001'")
    before = _digest(strat.store)
    with pytest.raises(workbook.ImportRefused) as err:
        workbook.apply(strat.store, strat.catalog, pv, "x")
    assert (
        f"Blatt „Maßnahmen“, Zeile {row}, Spalte E (Handlungsziele): Feld „Handlungsziele“: unbekannt: HZ-001"
        in str(err.value)
    )
    assert _digest(strat.store) == before


def test_form_messages_name_the_cell_review_date_merged_cell_added_row_renamed_sheet(strat):
    """Issue 25: an earlier review date went through, a merged cell was not reported, an added row got „Maßnahme „“
    gibt es nicht“, a renamed sheet only „das Blatt fehlt“."""
    _, data = _form(strat)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Maßnahmen"]
    mid = ws["A2"].value
    last = model.measure(strat.store, mid)["reviews"][-1]["date"]
    free = ws.max_row + 1
    ws["K2"] = dt.datetime.combine(last - dt.timedelta(days=30), dt.time())
    ws["L2"] = "Zwischenstand nachgetragen"
    ws[f"B{free}"] = "Sprachcafé im Familienzentrum"
    ws[f"C{free}"] = "geplant"
    ws.merge_cells("D3:E3")
    buf = io.BytesIO()
    wb.save(buf)
    before = _digest(strat.store)
    pv = workbook.read_file(strat.store, strat.catalog, buf.getvalue(), "fd_soziales.xlsx")
    got = [str(p) for p in pv.problems]
    earlier = fmt_date(last - dt.timedelta(days=30))
    assert got == [
        "Blatt „Maßnahmen“, Zeile 3, Spalte D bis E: verbundene Zellen D3:E3; bitte die Verbindung aufheben und jede "
        "Zelle einzeln ausfüllen",
        f"Blatt „Maßnahmen“, Zeile {free}, Spalte A (Maßnahme-Nr.): eine hinzugefügte Zeile („Sprachcafé im "
        "Familienzentrum“) ohne Maßnahme-Nr.: im Formular lassen sich keine neuen Maßnahmen anlegen. Bitte die Zeile "
        "löschen und die neue Maßnahme der Stabsstelle melden (sie legt sie auf der Seite Maßnahmen an).",
        f"Blatt „Maßnahmen“, Zeile 2, Spalte K (Überprüft am): {earlier} liegt vor der letzten Überprüfung am "
        f"{fmt_date(last)}; bitte das Datum dieser Überprüfung eintragen",
    ], got
    wb = load_workbook(io.BytesIO(data))
    wb["Maßnahmen"].title = "Tabelle1"
    buf = io.BytesIO()
    wb.save(buf)
    pv = workbook.read_file(strat.store, strat.catalog, buf.getvalue(), "fd_soziales.xlsx")
    assert [str(p) for p in pv.problems] == [
        "Blatt „Maßnahmen“: das Blatt „Maßnahmen“ fehlt; die Datei hat die Blätter „Formular“, „Tabelle1“, "
        "„Meilensteine“. Wurde es umbenannt? Bitte das Blatt wieder „Maßnahmen“ nennen."
    ]
    assert _digest(strat.store) == before


def test_new_note_under_the_prefilled_review_date_gets_the_import_date(strat):
    """A department writes a new note and leaves „Überprüft am“ as prefilled (the last review's date): the note is
    dated on the day of the import; a typed newer date stays; an earlier date is refused."""
    _, data = _form(strat)
    ws = load_workbook(io.BytesIO(data))["Maßnahmen"]
    mid = ws["A2"].value
    last = model.measure(strat.store, mid)["reviews"][-1]
    assert ws["K2"].value is not None and last["date"] < TODAY  # the form shows the last review's date
    later = TODAY + D(days=3)
    pv = workbook.read_file(
        strat.store, strat.catalog, _edit(data, {("Maßnahmen", "L2"): "Neue Notiz"}), "f.xlsx", later
    )
    assert pv.ok, pv.problems
    workbook.apply(strat.store, strat.catalog, pv, "fd.soziales")
    assert model.measure(strat.store, mid)["reviews"][-1]["date"] == later
    # an explicitly typed date is kept
    _, data = _form(strat)
    pv = workbook.read_file(
        strat.store,
        strat.catalog,
        _edit(data, {("Maßnahmen", "L2"): "Noch eine", ("Maßnahmen", "K2"): dt.datetime(2026, 4, 20)}),
        "f.xlsx",
        later,
    )
    workbook.apply(strat.store, strat.catalog, pv, "fd.soziales")
    assert model.measure(strat.store, mid)["reviews"][-1]["date"] == dt.date(2026, 4, 20)
    _, data = _form(strat)
    edited = _edit(data, {("Maßnahmen", "L2"): "Zu früh", ("Maßnahmen", "K2"): dt.datetime(2026, 4, 1)})
    pv = workbook.read_file(strat.store, strat.catalog, edited, "f.xlsx", later)
    assert not pv.ok and "liegt vor der letzten Überprüfung am 20.04.2026" in str(pv.problems[0])


def test_current_round_forms_can_be_downloaded_again_byte_for_byte(strat):
    assert workbook.round_forms(strat.store) is None
    n, forms = workbook.start_round(strat.store, "stabsstelle", TODAY)
    # a later change does not alter the forms sent out; a reload offers them as made
    mid = load_workbook(io.BytesIO(forms["FD Soziales"]))["Maßnahmen"]["A2"].value
    pv = workbook.read_file(
        strat.store, strat.catalog, _edit(forms["FD Soziales"], {("Maßnahmen", "C2"): "ausgesetzt"}), "f.xlsx"
    )
    workbook.apply(strat.store, strat.catalog, pv, "fd.soziales")
    assert model.measure(strat.store, mid)["status"] == "ausgesetzt"
    assert workbook.round_forms(strat.store) == (n, forms)
    n2, forms2 = workbook.start_round(strat.store, "stabsstelle", TODAY)
    assert workbook.round_forms(strat.store) == (n2, forms2) and n2 == n + 1
