"""The pages' shared cache (issue 11, many viewers): charts and reads are built once per data version and shared by
every session, and a change of the data (a target, a note, an import) shows on the next page run of every session."""

from __future__ import annotations

import json
import re

from conftest import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT = 60


def _field_app(fid):
    from ui.field_page import render_field

    render_field(fid)


def _chart_names(at: AppTest) -> list[list[str]]:
    """Trace names of every chart of the page (in page order)."""
    out = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        out.append([t.get("name", "") for t in spec["data"]])
    return out


def _monitor():
    from ui.state import _monitor

    return _monitor()


def test_field_page_charts_follow_a_new_target_in_every_session(writable_demo_db):
    from indicators import targets

    first = AppTest.from_function(_field_app, args=("arbeit",), default_timeout=TIMEOUT)
    first.run()
    assert not first.exception
    before = _chart_names(first)
    assert before and not any("Ziel 2033" in n for names in before for n in names), before

    m = _monitor()
    ind = m.catalog.indicators["alq_auslaender"]
    assert ind.field == "arbeit"
    targets.set_target(m.store, m.catalog, targets.Target(ind.id, 9.5, 2033, reason="Test"), "test")

    for at in (first, AppTest.from_function(_field_app, args=("arbeit",), default_timeout=TIMEOUT)):
        at.run()
        assert not at.exception
        after = _chart_names(at)
        assert any("Ziel 2033" in n for names in after for n in names), after  # the new target's star


def test_indicator_page_shows_a_new_note_at_once(writable_demo_db):
    from indicators import targets

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("views/indikator.py")
    at.query_params["id"] = "alq_auslaender"
    at.run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Merkzeichen 2023" not in json.dumps(spec)

    targets.add_note(_monitor().store, "alq_auslaender", 2023, "Merkzeichen 2023", "test")
    at.run()
    assert not at.exception
    assert any("Merkzeichen 2023" in c.value for c in at.caption)  # the numbered note under the chart


def test_charts_are_built_once_per_data_version(writable_demo_db, monkeypatch):
    """Two sessions open the same field page: its charts are built for the first and shared with the second (the
    speed of many viewers rests on it); after a write they are built anew."""
    from indicators import charts, targets

    built = []
    real = charts.trend
    monkeypatch.setattr(charts, "trend", lambda *a, **k: built.append(a[0].id) or real(*a, **k))

    for _ in range(2):
        at = AppTest.from_function(_field_app, args=("arbeit",), default_timeout=TIMEOUT)
        at.run()
        assert not at.exception
    n = len([c for c in at.get("plotly_chart")])
    assert n >= 3 and len(built) == n, (n, built)

    targets.add_note(_monitor().store, None, 2022, "Allgemeine Notiz", "test")  # a new data version
    at.run()
    assert len(built) == 2 * n


def test_store_version_follows_every_write(tmp_path):
    from indicators import targets
    from indicators.store import Store

    path = tmp_path / "v.duckdb"
    store = Store(path)
    v1 = store.version()
    assert store.version() == v1  # unchanged without a write
    targets.add_note(store, None, 2020, "eins", "test")
    v2 = store.version()
    assert v2 != v1
    targets.add_note(store, None, 2021, "zwei", "test")
    assert store.version() not in (v1, v2)
    store.close()


def _elements(at: AppTest) -> list:
    """What a viewer sees of a page part: headings, texts, links and the charts' traces, in page order."""
    return (
        [s.value for s in at.subheader]
        + [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [h.proto.body for h in at.get("html")]
        + _chart_names(at)
    )


def _count_figure_serialisations(monkeypatch) -> list:
    """Every conversion of a Plotly figure for the browser (what ``st.plotly_chart`` does on each call)."""
    from plotly.basedatatypes import BaseFigure

    calls = []
    real = BaseFigure.to_dict
    monkeypatch.setattr(BaseFigure, "to_dict", lambda self: calls.append(1) or real(self))
    return calls


def test_field_page_is_drawn_once_and_replayed_for_the_next_viewer(writable_demo_db, monkeypatch):
    """The second viewer of a field page sees exactly what the first saw, without a figure being converted again;
    after a change of the data the page is drawn anew and shows the change."""
    from indicators import targets

    first = AppTest.from_function(_field_app, args=("arbeit",), default_timeout=TIMEOUT)
    first.run()
    assert not first.exception
    seen = _elements(first)
    assert len(first.get("plotly_chart")) >= 3 and any("Details öffnen" in h for h in seen)

    converted = _count_figure_serialisations(monkeypatch)
    second = AppTest.from_function(_field_app, args=("arbeit",), default_timeout=TIMEOUT)
    second.run()
    assert not second.exception
    assert _elements(second) == seen
    assert converted == []  # replayed: no chart converted again

    m = _monitor()
    targets.set_target(m.store, m.catalog, targets.Target("alq_auslaender", 9.5, 2033, reason="Test"), "test")
    second.run()
    assert not second.exception
    assert len(converted) == len(second.get("plotly_chart"))  # drawn anew for the new data version
    assert any("Ziel 2033" in n for names in _chart_names(second) for n in names)


def test_cockpit_shows_a_changed_measure_at_once(writable_demo_db):
    """The cockpit's body is shared by its viewers per data and strategy version: a measure set to "ausgesetzt"
    with a reason shows on the next run, although the indicators' data did not change."""
    from indicators.strategy import model

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    before = [c.value for c in at.caption]
    m = _monitor()
    version = m.store.version()
    measure = next(x for x in model.measures(m.store) if x["status"] == "laufend")
    changed = {**measure, "status": "ausgesetzt", "title": "Geänderte Maßnahme für den Test"}
    model.save_measure(m.store, m.catalog, changed, "test", reason="Träger fällt aus")
    assert m.store.version() == version  # the indicators' data are the same
    at.run()
    assert not at.exception
    after = [c.value for c in at.caption]
    assert after != before
    assert any("Geänderte Maßnahme für den Test" in c for c in after), after


def test_indicator_tabs_are_replayed_and_follow_a_new_target(writable_demo_db, monkeypatch):
    """Soll/Ist, values, comparison and Steckbrief of the indicator page are drawn once per data version: the second
    viewer gets the same tables without the Soll path or the value table being computed again; a new target shows in
    the next run."""
    import pandas as pd

    from indicators import progress, targets

    def indicator_page():
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.switch_page("views/indikator.py")
        at.query_params["id"] = "alq_auslaender"
        at.run()
        assert not at.exception
        return at

    def tables(at):
        return [d.value.to_dict() for d in at.dataframe] + [t.value.to_dict() for t in at.table]

    first = indicator_page()
    seen = tables(first)
    assert len(first.dataframe) >= 3 and len(first.table) == 1  # Soll/Ist, values, comparison; Steckbrief

    computed = []
    real_path, real_pivot = progress.sollpfad_table, pd.DataFrame.pivot_table
    monkeypatch.setattr(progress, "sollpfad_table", lambda *a, **k: computed.append("soll") or real_path(*a, **k))
    monkeypatch.setattr(pd.DataFrame, "pivot_table", lambda *a, **k: computed.append("pivot") or real_pivot(*a, **k))
    second = indicator_page()
    assert tables(second) == seen and computed == []

    m = _monitor()
    targets.set_target(m.store, m.catalog, targets.Target("alq_auslaender", 9.5, 2034, reason="Neu"), "test")
    second.run()
    assert not second.exception
    assert {"soll", "pivot"} <= set(computed)
    assert any("Zieljahr 2034" in c.value and "Begründung: Neu" in c.value for c in second.caption)
    # a share's tolerance is a difference of shares: percentage points, like the deviations in the table
    assert any(re.search(r"Toleranz \d+,\d %-Pkt\.", c.value) for c in second.caption), [
        c.value for c in second.caption
    ]


def test_a_context_indicator_names_no_assessment_method(writable_demo_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("views/indikator.py")
    at.query_params["id"] = "auslaenderanteil"  # a context indicator
    at.run()
    assert not at.exception
    text = " ".join(md.value for md in at.markdown)
    assert "ohne Bewertung" in text and "Fortschrittsmaß" not in text and "Open SDG" not in text, text
