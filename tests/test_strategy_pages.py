"""AppTest of the strategy pages (issue 12) on the demo data: the tree with both halves, the measures table and a
measure's page, deep links that cannot be shown, the network, the cockpit's measures line, forms that refuse bad
input with a German message and write nothing."""

from __future__ import annotations

from conftest import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def _run(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_strategy_tree_shows_indicators_beside_measures(demo_db):
    at = _run("views/strategie.py", {"feld": "arbeit"})
    assert not at.error
    assert [t.value for t in at.title] == ["Strategie"]
    assert [h.value for h in at.header] == ["Arbeit"]
    assert sum(s.value.startswith("Leitziel LZ-") for s in at.subheader) == 3
    md = _markdown(at)
    assert md.count("**Handlungsziel HZ-") == 6
    assert "indikator?id=alq_auslaender" in md and "massnahmen?id=M-" in md
    assert "Kreistag \\(Demo\\), am 24\\.06\\.2021" in "\n".join(c.value for c in at.caption)  # escaped: plain text


def test_goal_deep_link_shows_only_that_goal_with_target_values(demo_db):
    """Issue 25: the way back from an indicator or a measure lands on its Handlungsziel; target values are shown."""
    at = _run("views/strategie.py", {"ziel": "HZ-013"})
    assert not at.error
    md = _markdown(at)
    assert md.count("**Handlungsziel HZ-") == 1 and "**Handlungsziel HZ-013:" in md
    assert "Ziel 2030: 10,4 %" in md.replace("\\", "")  # the demo's target of the Arbeitslosenquote Ausländer
    assert any("Gezeigt wird nur Handlungsziel HZ-013" in i.value for i in at.info)
    assert [s.value for s in at.subheader if s.value.startswith("Leitziel")] == [
        "Leitziel LZ-007: Zugang zum Arbeitsmarkt"
    ]


def test_indicator_and_measure_link_back_to_their_handlungsziel(demo_db):
    at = _run("views/indikator.py", {"id": "alq_auslaender"})
    links = [h.proto.body for h in at.get("html") if "Gehört in der Strategie zu" in h.proto.body]
    assert len(links) == 1 and 'href="strategie?ziel=HZ-013" target="_self"' in links[0]
    assert 'href="strategie?ziel=LZ-007"' in links[0]
    at = _run("views/massnahmen.py", {"id": "M-015"})
    links = [h.proto.body for h in at.get("html") if "Gehört in der Strategie zu" in h.proto.body]
    assert len(links) == 1 and 'href="strategie?ziel=HZ-013"' in links[0]


def test_unknown_field_in_address_says_so_and_shows_all(demo_db):
    at = _run("views/strategie.py", {"feld": "<script>"})
    assert any("gibt es nicht" in i.value and "`script`" in i.value for i in at.info)
    assert len(at.header) == 6


def test_measures_table_and_filter_from_address(demo_db):
    at = _run("views/massnahmen.py", {"stand": "verzögert"})
    tables = [h.proto.body for h in at.get("html") if "strat-table" in h.proto.body and "<table" in h.proto.body]
    assert len(tables) == 1
    assert tables[0].count("<tr>") - 1 >= 1 and "◐ verzögert" in tables[0] and "● im Plan" not in tables[0]
    assert 'href="massnahmen?id=M-' in tables[0] and "überfällig" in tables[0]


def test_measure_page_and_unknown_measure(demo_db):
    at = _run("views/massnahmen.py", {"id": "M-001"})
    assert at.title[0].value.startswith("M-001: ")
    assert any(x.value.startswith("Stand") and "– " in x.value for x in [*at.info, *at.warning])
    assert [s.value for s in at.subheader] == ["Meilensteine", "Überprüfungen", "Verlauf der Änderungen"]
    at = _run("views/massnahmen.py", {"id": "M-999"})
    assert any("Maßnahme `M-999` gibt es nicht" in i.value for i in at.info)
    assert [t.value for t in at.title] == ["Maßnahmen"]


def test_network_lists_partners_and_their_measures(demo_db):
    at = _run("views/netzwerk.py", {"partner": "P-001"})
    assert [t.value for t in at.title] == ["Netzwerk"]
    assert len(at.table) >= 6  # one partner table per field of action
    assert any("strat-table" in h.proto.body for h in at.get("html"))


def test_cockpit_has_a_measures_line_per_field(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    lines = [c.value for c in at.caption if "Maßnahmen\\:" in c.value]
    assert len(lines) == 6, lines
    assert all("im Plan" in x for x in lines)


def test_review_form_writes_with_person(writable_demo_db):
    at = _run("views/massnahmen.py", {"id": "M-003"})
    at.text_area[0].input("")
    at.button[0].click().run()
    assert any("Fortschrittsnotiz" in e.value for e in at.error)
    at.text_area[0].input("Zweiter Kurs gestartet")
    at.button[0].click().run()
    assert not at.exception
    from indicators.strategy import model
    from ui.state import _monitor

    m = _monitor()
    rev = model.measure(m.store, "M-003")["reviews"][-1]
    assert (rev["note"], rev["by"]) == ("Zweiter Kurs gestartet", "apptest")
    assert model.history(m.store, "massnahme", "M-003")[0]["changed_by"] == "apptest"


def test_partner_with_personal_address_is_refused(writable_demo_db):
    at = _run("views/netzwerk.py")
    before = len([x for x in at.table])
    inputs = {t.label: t for t in at.text_input}
    inputs["Name der Organisation"].input("Elternverein")
    inputs["Kontakt (Funktion oder Funktionsadresse, keine Privatperson)"].input("erika.muster@example.org")
    at.button[0].click().run()
    assert any("keine persönliche Adresse" in e.value for e in at.error)
    assert len(at.table) == before


def test_projector_slide_of_a_field_has_both_halves(demo_db):
    at = _run("views/praesentation.py", {"folien": "feld:arbeit,alq_gap,feld:nix", "folie": "1"})
    body = "\n".join(x.value for x in at.markdown)
    assert "Arbeit: Lage und Maßnahmen" in body and "1 / 2" in body
    assert "Wird die Lage besser?" in body and "Tun wir, was wir beschlossen haben?" in body
    assert "7 Maßnahmen: " in body and "überfällig" in body
    assert "Arbeitslosenquote Ausländer" in body
    assert any("nix" in w.value for w in at.warning)
    assert at.query_params["folien"] == "feld:arbeit,alq_gap"


def test_field_slide_orders_worst_first_and_never_hides_a_deterioration(demo_db):
    """Issue 25: Bildung's slide showed six indicators in catalog order and hid its only „✖ Verschlechterung“."""
    at = _run("views/praesentation.py", {"folien": "feld:bildung", "folie": "1"})
    lines = [x.value for x in at.markdown if "praes-field-line" in x.value]
    verdicts = [x for x in lines if " · " in x and "Maßnahmen" not in x]
    assert verdicts and "Verschlechterung" in verdicts[0], verdicts
    assert not any("weitere" in x for x in lines)  # eight indicators: all shown, the space is used


def test_field_slide_rows_keep_every_deterioration_in_front():
    from types import SimpleNamespace

    from ui.strategy import field_slide_rows

    def st(i, status, score):
        return SimpleNamespace(
            indicator=SimpleNamespace(id=i), verdict=SimpleNamespace(status=status, score=score, assessable=True)
        )

    cat = SimpleNamespace(by_field=lambda f: [SimpleNamespace(id=f"i{k}") for k in range(10)])
    status = {f"i{k}": st(f"i{k}", "substantial_progress", 4.0) for k in range(10)}
    status["i9"] = st("i9", "deterioration", -4.0)
    status["i8"] = st("i8", "limited_progress", -1.0)
    assert [s.indicator.id for s in field_slide_rows(cat, "f", status)][:3] == ["i9", "i8", "i0"]


def test_field_slides_are_reachable_from_an_indicator_slide_and_the_cockpit(demo_db):
    at = _run("views/praesentation.py", {"folie": "2"})
    at.button(key="praes_field_slide").click().run()
    assert not at.exception
    assert at.query_params["folie"] == "3" and at.query_params["folien"].split(",")[2].startswith("feld:")
    assert any("Lage und Maßnahmen" in x.value for x in at.markdown if "praes-title" in x.value)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    links = [h.proto.body for h in at.get("html") if "field-slide-link" in h.proto.body]
    assert len(links) == 6 and 'href="praesentation?folien=feld%3Abildung&amp;folie=1"' in links[0], links[:1]


def test_new_goal_lists_leitziele_in_number_order(writable_demo_db):
    """'Ziel anlegen': the Leitziele to choose from in the order of their numbers, not grouped by field id."""
    from indicators.fmt import natural_key
    from indicators.strategy import model
    from ui.state import _monitor

    at = _run("views/strategie.py")
    box = next(s for s in at.selectbox if s.label == "Leitziel (nur für Handlungsziele)")
    ids = [str(o).split(" ")[0] for o in box.options]
    expected = sorted((g["id"] for g in model.goals(_monitor().store) if g["kind"] == "leitziel"), key=natural_key)
    assert len(ids) >= 5 and ids == expected, ids
    assert sorted(["LZ-10", "LZ-2", "lz-1"], key=natural_key) == ["lz-1", "LZ-2", "LZ-10"]


def test_timeline_shows_measure_titles_as_text_not_links():
    """Issue 22: a measure title <a href=…> became a clickable link in the timeline chart (plotly renders HTML)."""
    import datetime as dt

    from indicators.strategy import schedule
    from ui import strategy as ust

    day = dt.date(2026, 3, 31)
    m = {
        "id": "M-001",
        "title": '<a href="http://angreifer.example">Bitte klicken</a>',
        "start_date": day - dt.timedelta(days=30),
        "end_date": day + dt.timedelta(days=30),
        "status": "laufend",
        "reviews": [],
        "milestones": [{"title": '<a href="http://angreifer.example">Meilenstein</a>', "due": day, "done": None}],
    }
    fig = ust.timeline([(m, schedule.schedule_state(m, day))], day)
    shown = [str(v) for trace in fig.data for v in [*(trace.y or []), *(trace.text or [])]]
    assert shown and not any("<a" in v for v in shown), shown
    assert any("&lt;a href" in v for v in shown)


def test_region_picker_matches_words_and_offers_no_english_bulk_option(demo_db):
    """Issue 25: the picker's first option read „Select 3 matches“ and typing „Goslar“ added unrelated Kreise
    (Streamlit's fuzzy matching)."""
    at = _run("views/regionalvergleich.py", {"id": "auslaenderanteil"})
    box = next(x for x in at.multiselect if x.label == "Vergleichskreise")
    assert box.proto.placeholder == "Kreise zum Vergleich wählen"
    assert box.proto.select_all == 0  # no bulk option (English in Streamlit)
    from streamlit.proto.MultiSelect_pb2 import MultiSelect

    mode = MultiSelect.DESCRIPTOR.fields_by_name["filter_mode"].enum_type.values_by_number[box.proto.filter_mode]
    assert mode.name == "FILTER_MODE_CONTAINS"


def test_demo_banner_on_the_daten_page_points_here(demo_db):
    at = _run("views/daten.py")
    banners = [i.value for i in at.info if "Demodaten (synthetisch)" in i.value]
    assert banners and "hier unten" in banners[0] and "auf der Seite *Daten und Upload*" not in banners[0]


def test_empty_cockpit_shows_where_to_start(tmp_path, empty_template, monkeypatch):
    import shutil

    import streamlit as st

    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(empty_template, db)
    monkeypatch.setenv("MONITOR_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception
        assert [s.value for s in at.subheader][:1] == ["So fangen Sie an"]
        links = [p.proto.page for p in at.get("page_link")]
        assert any("daten" in x for x in links) and any("ziele" in x for x in links), links
        assert any("strategie" in x for x in links)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
