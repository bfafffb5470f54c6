"""AppTest of every page on the demo data: no exception, the expected titles and charts present."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT = 60


def _run(page: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page:  # the page itself is the first request, as a deep link would (the cockpit drops other pages' parameters)
        at.switch_page(page)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def test_cockpit(demo_db):
    at = _run()
    assert [t.value for t in at.title] == ["Cockpit"]
    subheaders = [s.value for s in at.subheader]
    for name in ("Bildung", "Sprache", "Arbeit", "Migrationsmanagement"):
        assert any(name in s for s in subheaders), subheaders
    tables = [h.proto.body for h in at.get("html") if "cockpit-table" in h.proto.body and "<table" in h.proto.body]
    assert len(tables) == 7  # one table per field of action
    for column in ("Bewertung", "Indikator", "Wert", "Verlauf", "Ziel", "Hinweis"):
        assert f">{column}</th>" in tables[0]
    assert 'href="indikator?id=auslaenderanteil"' in tables[0] and "_blank" not in tables[0]
    assert any("Demodaten (synthetisch)" in i.value for i in at.info)


@pytest.mark.parametrize("field_id,title", [("rahmen", "Rahmendaten"), ("bildung", "Bildung"), ("arbeit", "Arbeit")])
def test_field_pages(demo_db, field_id, title):
    def field_app(fid):
        from ui.field_page import render_field

        render_field(fid)

    at = AppTest.from_function(field_app, args=(field_id,), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert title in at.title[0].value
    assert _charts(at) >= 3


def test_indicator_page_with_deep_link(demo_db):
    at = _run("views/indikator.py", {"id": "alq_auslaender"})
    assert at.title[0].value == "Arbeitslosenquote Ausländer"
    assert _charts(at) == 1
    assert any("Bewertung" in md.value for md in at.markdown)
    # breakdown switch Deutsche / Ausländer exists for this indicator
    assert "Deutsche / Ausländer" in at.radio[0].options
    at.radio[0].set_value("nationality").run()
    assert not at.exception
    assert at.query_params["bd"] == "nationality"


def test_indicator_page_every_indicator(demo_db):
    from indicators.catalog import load_catalog

    cat = load_catalog(ROOT / "indicators" / "definitions")
    at = _run("views/indikator.py")
    for ind in cat.indicators.values():
        at.selectbox(key="indicator_select").set_value(ind.id).run()
        assert not at.exception, (ind.id, [e.value for e in at.exception])
        assert at.title[0].value == ind.name


def test_gemeindevergleich(demo_db):
    at = _run("views/gemeindevergleich.py", {"id": "auslaenderanteil"})
    assert at.title[0].value == "Gemeindevergleich"
    assert _charts(at) == 1


def test_daten_page(demo_db):
    at = _run("views/daten.py")
    assert at.title[0].value == "Daten und Upload"
    assert len(at.get("file_uploader")) == 1
    assert len(at.dataframe) >= 1  # history


def test_ziele_page(demo_db):
    at = _run("views/ziele.py")
    assert at.title[0].value == "Ziele"
    assert len(at.dataframe) >= 1


def test_abdeckung_page(demo_db):
    at = _run("views/abdeckung.py")
    assert at.title[0].value == "Datenabdeckung"
    assert _charts(at) == 1


def test_praesentation_steps_through_slides(demo_db):
    at = _run("views/praesentation.py")
    first = [md.value for md in at.markdown if "praes-title" in md.value]
    assert first
    at.button(key="praes_next").click().run()
    assert not at.exception
    assert at.query_params["folie"] == "2"
    second = [md.value for md in at.markdown if "praes-title" in md.value]
    assert second != first


def test_note_is_added_and_deleted_on_the_indicator_page(writable_demo_db):
    """A note added through the form shows in the list; deleting needs a confirmation and leaves the text
    in the audit log. Runs on a copy of the demo database."""
    from indicators import targets
    from indicators.service import open_monitor

    db = writable_demo_db
    at = _run("views/indikator.py", {"id": "auslaenderanteil"})
    at.text_input[0].set_value("Test-Notiz zum Löschen")
    at.number_input[0].set_value(2020)
    at.button[[b.label for b in at.button].index("Notiz speichern")].click()
    at.run()
    assert not at.exception
    listed = next(d.value for d in at.dataframe if "Notiz" in d.value.columns)
    assert "Test-Notiz zum Löschen" in listed["Notiz"].tolist()
    assert any("Notiz gespeichert" in s.value for s in at.success)  # the user sees that it worked

    at.selectbox(key="note_delete_pick").set_value("2020: Test-Notiz zum Löschen")
    at.run()
    assert at.button(key="note_delete").disabled  # only after the confirmation
    at.checkbox(key=[c.key for c in at.checkbox if c.key and c.key.startswith("note_delete_sure_")][0]).check()
    at.run()
    at.button(key="note_delete").click()
    at.run()
    assert not at.exception
    assert any("Notiz gelöscht" in s.value for s in at.success)
    m = open_monitor(db)
    try:
        assert "Test-Notiz zum Löschen" not in targets.notes(m.store, "auslaenderanteil")["text"].tolist()
        log = m.store.audit_log()
        assert (log["action"] == "notiz_geloescht").sum() == 1
        assert "Test-Notiz zum Löschen" in log.loc[log["action"] == "notiz_geloescht", "detail"].iloc[0]
    finally:
        m.close()


def test_steckbrief_states_numerator_and_denominator(demo_db):
    """Issue 14: the profile tab names numerator and denominator with source and reference date."""
    at = _run("views/indikator.py", {"id": "einbuergerungsquote_alle"})
    rows = {str(k): str(v) for t in at.table for k, v in zip(t.value.index, t.value.iloc[:, 0])}
    assert rows["Zähler"].startswith("Einbürgerungen im Kalenderjahr")
    assert rows["Nenner"] == (
        "Ausländerinnen und Ausländer insgesamt; 31.12. des Vorjahres; "
        "Ausländerzentralregister (Ausländerstatistik 12521)"
    )


def test_cockpit_on_an_empty_database_says_no_data_not_stale(tmp_path, monkeypatch):
    """Before anything is loaded the cockpit's note column reads „noch keine Daten“, not „veraltet“."""
    import re

    import streamlit as st

    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "leer.duckdb"))
    monkeypatch.setenv("MONITOR_ARCHIVE_DIR", str(tmp_path / "archive"))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = _run()
        body = " ".join(h.proto.body for h in at.get("html") if "cockpit-table" in h.proto.body)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td(?:\s[^>]*)?>(.*?)</td>", body, re.S)]
        assert "noch keine Daten" in cells
        assert "veraltet" not in cells
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
