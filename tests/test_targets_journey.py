"""The Stabsstelle's journey with targets: typed German numbers, the history after a change, the Soll/Ist
table, a far-off value asks first, and error texts that only promise what is true. AppTest on a copy of the
demo database, and the command line."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, cli
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT = 60
IND = "betreuungsquote_u3_mh"  # a share, about 27 % in the demo data


def _app(page: str, query: dict | None = None) -> AppTest:
    """The app opened on ``page`` with ``query`` in its address (as a deep link to that page would)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    _no_error(at)
    return at


def _no_error(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _shown(markdown: str) -> str:
    """What a reader sees of escaped Markdown source: backslash escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _text_input(at: AppTest, label: str):
    found = [w for w in at.text_input if w.label.startswith(label)]
    assert len(found) == 1, [w.label for w in at.text_input]
    return found[0]


def _click(at: AppTest, label: str) -> None:
    [b for b in at.button if b.label == label][0].click()
    at.run()


def _frame(at: AppTest, *columns: str):
    """The first table (grid or static) with these columns."""
    return next(d.value for d in [*at.dataframe, *at.table] if set(columns) <= set(d.value.columns))


def _name(indicator: str) -> str:
    from indicators.catalog import load_catalog

    return load_catalog(ROOT / "indicators" / "definitions").indicators[indicator].name


def _store(db):
    from indicators.service import open_monitor

    return open_monitor(db)


def _delete_demo_target(db, indicator: str) -> None:
    from indicators import targets

    m = _store(db)
    try:
        targets.delete_target(m.store, indicator, "test", "für den Test")
    finally:
        m.close()


def _stored(db, indicator: str):
    from indicators import targets

    m = _store(db)
    try:
        return targets.get_target(m.store, indicator), targets.target_history(m.store, indicator)
    finally:
        m.close()


def test_target_typed_with_decimal_comma_is_saved_shown_and_changed(writable_demo_db):
    db = writable_demo_db
    _delete_demo_target(db, IND)
    at = _app("views/ziele.py", {"id": IND})
    _text_input(at, "Zielwert").set_value("30,5")
    _click(at, "Ziel speichern")
    _no_error(at)
    target, _ = _stored(db, IND)
    assert target is not None and target.target_value == 30.5
    assert [s.value for s in at.success] == [f"Ziel für „{_name(IND)}“ gespeichert: 30,5 % bis 2030."]

    overview = _frame(at, "Indikator", "Ziel")
    row = overview[overview["Indikator"] == _name(IND)]
    assert not row.empty, overview["Indikator"].tolist()
    assert row["Ziel"].iloc[0] == "30,5 % bis 2030"
    assert _text_input(at, "Zielwert").value == "30,5"
    history = _frame(at, "Alt", "Neu")
    assert history["Neu"].iloc[0] == "30,5 % bis 2030"
    assert history["Alt"].iloc[0] == "–"

    # change it: a reason is needed, the value typed the German way again
    _text_input(at, "Zielwert").set_value("32,25")
    _text_input(at, "Toleranz Sollpfad").set_value("0,75")
    _text_input(at, "Begründung der Änderung").set_value("Beschluss des Ausschusses")
    _click(at, "Ziel speichern")
    _no_error(at)
    target, hist = _stored(db, IND)
    assert target.target_value == 32.25 and target.tolerance == 0.75
    assert (hist["target_id"] == target.id).sum() == 2  # set, then changed
    history = _frame(at, "Alt", "Neu")
    assert history["Alt"].iloc[0] == "30,5 % bis 2030" and history["Neu"].iloc[0] == "32,25 % bis 2030"
    assert history["Begründung"].iloc[0] == "Beschluss des Ausschusses"
    assert _text_input(at, "Toleranz Sollpfad").value == "0,75"

    # typed the international way where it is unambiguous: saved, and the field then shows it the German way
    _text_input(at, "Zielwert").set_value("33.5")
    _text_input(at, "Begründung der Änderung").set_value("Punkt statt Komma getippt")
    _click(at, "Ziel speichern")
    _no_error(at)
    assert _stored(db, IND)[0].target_value == 33.5
    assert _text_input(at, "Zielwert").value == "33,5"


def test_target_history_renders_after_a_change(writable_demo_db):
    """pandas 3: the history's old value is NaN (not None) for a new target once another row has one."""
    from indicators import targets
    from indicators.catalog import load_catalog

    db = writable_demo_db
    m = _store(db)
    try:
        t = targets.get_target(m.store, IND)
        t.target_value, t.reason = 33.0, "geändert"
        targets.set_target(m.store, load_catalog(ROOT / "indicators" / "definitions"), t, "test")
    finally:
        m.close()
    at = _app("views/ziele.py", {"id": IND})
    history = _frame(at, "Alt", "Neu")
    assert history["Neu"].iloc[0] == "33,0 % bis 2030"
    assert (history["Alt"] == "–").sum() == len(history) - 1


def test_inputs_show_german_notation(writable_demo_db):
    """Inputs showed 57.40: the target value, tolerances and the Soll path are German."""
    at = _app("views/ziele.py", {"id": "aufenthalt_8j_anteil"})
    assert _text_input(at, "Zielwert").value == "57,4"
    assert _text_input(at, "Toleranz Sollpfad").value == "0,5"
    assert _text_input(at, "zweite Toleranz").value == "1,5"
    assert not at.number_input or all("Zielwert" not in w.label and "Toleranz" not in w.label for w in at.number_input)

    at = _app("views/ziele.py", {"id": "personal_mh_anteil"})  # the demo target with its own Soll path
    path = _frame(at, "Jahr", "Soll")  # the Soll path editor
    assert "7,43" in path["Soll"].astype(str).tolist(), path


def test_a_typo_in_a_number_is_named_and_nothing_is_saved(writable_demo_db):
    db = writable_demo_db
    before, _ = _stored(db, IND)
    at = _app("views/ziele.py", {"id": IND})
    _text_input(at, "Zielwert").set_value("3x")
    _text_input(at, "Begründung der Änderung").set_value("Tippfehler")
    _click(at, "Ziel speichern")
    assert not at.exception
    assert [_shown(e.value) for e in at.error] == ["Feld „Zielwert“: „3x“ ist keine Zahl. Beispiel: 30,5"]
    after, _ = _stored(db, IND)
    assert after.target_value == before.target_value


def test_typed_text_in_a_number_error_is_not_markdown(writable_demo_db):
    at = _app("views/ziele.py", {"id": IND})
    _text_input(at, "Zielwert").set_value("**3x** [a](http://x.de)")
    _text_input(at, "Begründung der Änderung").set_value("Tippfehler")
    _click(at, "Ziel speichern")
    assert not at.exception
    [msg] = [e.value for e in at.error]
    assert _shown(msg) == "Feld „Zielwert“: „**3x** [a](http://x.de)“ ist keine Zahl. Beispiel: 30,5", msg
    assert "**3x**" not in msg and "](" not in msg, msg  # escaped: shown as typed, not bold, not a link


def test_far_off_value_asks_for_confirmation(writable_demo_db):
    """305 instead of 30,5 (the old misreading) for a series around 20-30: asked before it is saved."""
    db = writable_demo_db
    _delete_demo_target(db, "sprachkursplaetze_je_100")  # about 80 je 100: no hard limit of 100 %
    at = _app("views/ziele.py", {"id": "sprachkursplaetze_je_100"})
    _text_input(at, "Zielwert").set_value("8050")
    _click(at, "Ziel speichern")
    _no_error(at)
    assert any("8050" in w.value.replace(".", "") and "bisherigen Werte" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    target, _ = _stored(db, "sprachkursplaetze_je_100")
    assert target is None
    confirm = [c for c in at.checkbox if c.label.startswith("Ja, der Wert ist richtig")]
    assert len(confirm) == 1
    confirm[0].check()
    _click(at, "Ziel speichern")
    _no_error(at)
    target, _ = _stored(db, "sprachkursplaetze_je_100")
    assert target is not None and target.target_value == 8050


def test_soll_ist_table_says_open_for_future_years(writable_demo_db):
    at = _app("views/indikator.py", {"id": "personal_mh_anteil"})
    table = _frame(at, "Soll", "Ist", "Bewertung")
    flat = table.astype(str).to_numpy().ravel().tolist()
    assert not any("None" in cell for cell in flat), table
    future = table[table["Jahr"].astype(int) > 2025]
    assert len(future) and set(future["Bewertung"]) == {"noch offen"}, future


def test_generic_page_error_does_not_claim_data_unchanged():
    """After a save the page cannot know whether data changed: the generic message promises nothing."""
    from indicators import texts

    assert "unverändert" not in texts.PAGE_ERROR
    assert "neu" in texts.PAGE_ERROR  # reload
    assert "unverändert" not in (ROOT / "app.py").read_text(encoding="utf-8")


# -- command line ------------------------------------------------------------------------------------
def _cli_target(db, indicator: str) -> dict:
    out = json.loads(cli("targets", "list", "--json", db=db).stdout)
    return next(t for t in out if t["indicator"] == indicator)


def test_cli_target_value_with_decimal_comma(demo_copy):
    r = cli(
        "targets",
        "set",
        IND,
        "--value",
        "30,5",
        "--year",
        "2030",
        "--tolerance",
        "0,5",
        "--reason",
        "Beschluss",
        db=demo_copy,
    )
    assert r.returncode == 0, r.stderr
    assert "30,5" in r.stdout
    t = _cli_target(demo_copy, IND)
    assert t["target_value"] == 30.5 and t["tolerance"] == 0.5


def test_cli_thousands_dot_and_far_off_value_needs_ja(demo_copy):
    ind = "ehrenamt_integrationslotsen"  # about 65 Lotsen
    r = cli("targets", "set", ind, "--value", "1.234,5", "--year", "2030", "--reason", "Tippfehler?", db=demo_copy)
    assert r.returncode == 1
    assert "nicht gespeichert" in r.stderr and "--ja" in r.stderr and "1.234,5" in r.stderr, r.stderr
    assert _cli_target(demo_copy, ind)["target_value"] != 1234.5
    r = cli("targets", "set", ind, "--value", "1.234,5", "--year", "2030", "--reason", "wirklich", "--ja", db=demo_copy)
    assert r.returncode == 0, r.stderr
    assert _cli_target(demo_copy, ind)["target_value"] == 1234.5


def test_cli_rejects_unreadable_and_ambiguous_numbers(demo_copy):
    r = cli("targets", "set", IND, "--value", "3x", "--year", "2030", db=demo_copy)
    assert r.returncode == 2
    assert "„3x“ ist keine Zahl" in r.stderr and "--value" in r.stderr, r.stderr
    r = cli("targets", "set", IND, "--value", "1.234", "--year", "2030", db=demo_copy)
    assert r.returncode == 2 and "mehrdeutig" in r.stderr, r.stderr


# -- NaN, not None, elsewhere in the pages -----------------------------------------------------------
def test_field_page_with_an_indicator_whose_values_are_all_suppressed(tmp_path, monkeypatch):
    """The cockpit table's year is NaN (not None) for an indicator without a shown value once another indicator
    has one; the field page converted it with int() and failed as a whole."""
    import streamlit as st
    from conftest import load_frame, make_settings, obs

    from indicators.service import open_monitor

    m = open_monitor(settings=make_settings(tmp_path))
    try:
        res = load_frame(
            m,
            obs(
                [
                    dict(variable="bevoelkerung", region="03157", year=2024, value=1000),
                    dict(variable="bevoelkerung", region="03157", year=2024, nationality="auslaendisch", value=50),
                    dict(variable="schutzsuchende", region="03157", year=2024, value=2),  # below the minimum count
                    dict(variable="auslaender_aufenthaltsstatus", region="03157", year=2024, value=40),
                ]
            ),
            tmp_path,
        )
        assert res.status == "importiert"
    finally:
        m.close()
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "monitor.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()

    def field_app():
        from ui.field_page import render_field

        render_field("rahmen")

    try:
        at = AppTest.from_function(field_app, default_timeout=TIMEOUT)
        at.run()
        _no_error(at)
        assert _name("schutzsuchende_anteil") in [s.value for s in at.subheader]
    finally:
        from ui.state import _monitor

        _monitor().close()
        st.cache_resource.clear()
        st.cache_data.clear()


# -- the core: Soll path rows and far-off values -----------------------------------------------------
@pytest.fixture(scope="module")
def catalog():
    from indicators.catalog import load_catalog

    return load_catalog(ROOT / "indicators" / "definitions")


def test_parse_path_reads_german_rows_and_skips_empty_ones():
    from indicators.targets import parse_path

    rows = [
        (2026, "12,5"),
        (2027.0, "1.234,5"),
        (2028, ""),
        (None, "3"),
        (2029, None),
        (2030, float("nan")),
        (2031, 13.25),
    ]
    assert parse_path(rows) == {2026: 12.5, 2027: 1234.5, 2031: 13.25}


def test_parse_path_names_the_year():
    from indicators.fmt import NumberError
    from indicators.targets import TargetError, parse_path

    with pytest.raises(NumberError, match="^Feld „Sollpfad 2027“: „12x“ ist keine Zahl"):
        parse_path([(2026, "12,5"), (2027, "12x")])
    with pytest.raises(TargetError, match="2027 steht zweimal"):
        parse_path([(2027, "1"), (2027, "2")])
    with pytest.raises(TargetError, match="Jahr 3027"):
        parse_path([(3027, "1")])


def test_far_off(catalog):
    from indicators.targets import Target, far_off

    share = [25.0, 26.5, 27.4]
    assert far_off(Target(IND, 30.5, 2030), catalog, share) == []
    assert far_off(Target(IND, 0.0, 2030, tolerance=0.5, tolerance2=1.5), catalog, share) == []
    assert far_off(Target(IND, 60.0, 2030), catalog, share) == []  # ambitious, but not a typo
    [msg] = far_off(Target(IND, 95.0, 2030), catalog, share)
    assert msg == "Feld „Zielwert“: 95,0 % liegt weit außerhalb der bisherigen Werte (25,0 % bis 27,4 %)."
    [msg] = far_off(Target(IND, 30.5, 2030, path={2027: 28.0, 2028: 290.5}), catalog, share)
    assert msg.startswith("Feld „Sollpfad 2028“: 290,5 %") and "zwischen 0 und 100 %" in msg
    [msg] = far_off(Target(IND, 30.5, 2030, tolerance=30.0), catalog, share)
    assert msg.startswith("Feld „Toleranz“: 30,0 %")
    assert far_off(Target(IND, 305.0, 2030), catalog, []) != []  # a share: 0 to 100 % even without data

    count = [50.0, 58.0, 65.0]
    assert far_off(Target("ehrenamt_integrationslotsen", 115.0, 2030), catalog, count) == []
    [msg] = far_off(Target("ehrenamt_integrationslotsen", 1234.5, 2030), catalog, count)
    assert "1.234,5 liegt weit außerhalb der bisherigen Werte (50 bis 65)" in msg
    [msg] = far_off(Target("ehrenamt_integrationslotsen", -5.0, 2030), catalog, count)
    assert "negativ" in msg
    assert far_off(Target("ehrenamt_integrationslotsen", 1234.5, 2030), catalog, []) == []  # nothing to compare

    gap = [8.0, 10.4, 12.0, None, float("nan")]
    assert far_off(Target("alq_gap", 0.0, 2035), catalog, gap) == []
    assert far_off(Target("alq_gap", -2.0, 2035), catalog, gap) == []  # a gap may change its sign
    assert far_off(Target("alq_gap", 104.0, 2035), catalog, gap) != []


def test_a_target_the_latest_value_already_meets_asks_first(catalog):
    """A higher-is-better indicator at 43,2 % with a target of 30,5 % (a typo for 50,5?): the verdict would say
    'erreicht' at once, so the form and the command line ask first (was: saved without a word)."""
    from indicators.targets import Target, far_off

    series = {2023: 38.8, 2024: 41.0, 2025: 43.2}
    [msg] = far_off(Target(IND, 30.5, 2030), catalog, series)
    assert msg == (
        "Feld „Zielwert“: 30,5 % ist schon erreicht – der Wert von 2025 ist 43,2 %, und ein höherer Wert "
        "ist besser; die Bewertung hieße sofort „Ziel erreicht“."
    )
    assert far_off(Target(IND, 50.5, 2030), catalog, series) == []
    assert far_off(Target(IND, 43.2, 2030), catalog, series) == []  # holding the level is not a typo
    assert far_off(Target(IND, 30.5, 2030), catalog, list(series.values())) == []  # without years: no latest value
