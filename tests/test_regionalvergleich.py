"""Regionalvergleich (issue 10) as AppTests: the upload page takes a table of all regions of Germany over in one
step (or leaves the other regions out, as the user chooses); the comparison page shows the Landkreis against
Niedersachsen, Deutschland and its neighbours with its rank; deep links; the indicator page's comparison."""

from __future__ import annotations

import json
import re

from conftest import ROOT
from regions_table import genesis_all_regions
from streamlit.testing.v1 import AppTest
from test_upload_page import _button, _clean, _monitor, _unescaped, _upload

from indicators import texts as T
from indicators.demo.comparison import comparison_regions

APP = str(ROOT / "app.py")
TIMEOUT = 90
NEIGHBOURS = ["03241", "03254", "03151", "03101", "03102", "03103", "03158"]


def _app(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    _clean(at)
    return at


def _texts(at: AppTest) -> str:
    return _unescaped(
        "\n".join(
            [
                *(x.value for x in at.markdown),
                *(x.value for x in at.info),
                *(x.value for x in at.caption),
                *(x.value for x in at.warning),
            ]
        )
    )


def _listed(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _import_all(at: AppTest, **kw) -> AppTest:
    _upload(at, ("kreise_deutschland.csv", genesis_all_regions(**kw)))
    return at


def test_upload_takes_all_regions_over_and_the_comparison_page_shows_them(writable_demo_db):
    at = _app("views/daten.py")
    _import_all(at, peine_share=0.30, years=(2024, 2025))  # the latest year (the demo's comparison data end in 2025)
    infos = _unescaped("\n".join(i.value for i in at.info))
    assert "Die Datei enthält 535 weitere Regionen; sie werden als Vergleichsregionen übernommen" in infos
    assert not at.error, [e.value for e in at.error]
    _button(at, "commit_").click().run()
    _clean(at)
    assert (_monitor().store.regions()["origin"] == "Vergleich").sum() == 536
    page = _app("views/regionalvergleich.py", id="auslaenderanteil")
    table = page.dataframe[0].value
    assert table["Region"].tolist()[:3] == ["Landkreis Peine", "Niedersachsen", "Deutschland"]
    assert len(table) == 3 + len(NEIGHBOURS) and "Region Hannover, Landkreis" in table["Region"].tolist()
    assert page.multiselect(key="reg_kreise").value == NEIGHBOURS
    assert "Rang 1 von 45 Kreisen in Niedersachsen im Jahr 2025" in _texts(page)
    assert _listed(page.query_params["kreis"]) == NEIGHBOURS and _listed(page.query_params["jahr"]) == ["2025"]


def test_leaving_the_other_regions_out_on_the_upload_page(writable_demo_db):
    at = _app("views/daten.py")
    _import_all(at)
    at.checkbox(key=next(c.key for c in at.checkbox if c.key and c.key.startswith("skipother_"))).check().run()
    _clean(at)
    infos = _unescaped("\n".join(i.value for i in at.info))
    assert "535 weitere Regionen ausgelassen" in infos
    _button(at, "commit_").click().run()
    _clean(at)
    m = _monitor()
    demo_regions = {"DG", *(k for k, _ in comparison_regions() if len(k) == 5)}  # the demo's comparison data
    assert set(m.store.regions().query("origin == 'Vergleich'")["key"]) == demo_regions
    upload = m.store.scalar("SELECT max(id) FROM uploads")
    assert m.store.scalar("SELECT count(*) FROM observations WHERE upload_id = ? AND region = '03241'", [upload]) == 0
    assert m.store.scalar("SELECT count(*) FROM observations WHERE upload_id = ? AND region = '03157'", [upload])


def test_deep_links_of_the_comparison_page(writable_demo_db):
    at = _app("views/daten.py")
    _import_all(at)
    _button(at, "commit_").click().run()
    page = _app("views/regionalvergleich.py", id="auslaenderanteil", jahr="2022", kreis=["03254", "99999"])
    assert page.multiselect(key="reg_kreise").value == ["03254"]
    assert page.select_slider(key="reg_year").value == 2022
    warnings = _texts(page)
    assert "Die Kreise `99999` aus der Adresse haben keine Werte dieses Indikators" in warnings
    assert page.dataframe[0].value["Region"].tolist() == [
        "Landkreis Peine",
        "Niedersachsen",
        "Deutschland",
        "Hildesheim, Landkreis",
    ]
    assert _listed(page.query_params["kreis"]) == ["03254"] and _listed(page.query_params["jahr"]) == ["2022"]


def test_the_demo_brings_comparison_data(demo_db):
    """A fresh demo shows the Landkreis against Niedersachsen, Deutschland and its neighbours (synthetic values,
    labelled as demo data), with its rank among the 45 Kreise of Niedersachsen; before, only the explanation."""
    page = _app("views/regionalvergleich.py")
    assert T.REG_NO_COMPARISON not in _texts(page)
    table = page.dataframe[0].value
    assert table["Region"].tolist() == [
        "Landkreis Peine",
        "Niedersachsen",
        "Deutschland",
        "Region Hannover, Landkreis",
        "Hildesheim, Landkreis",
        "Gifhorn, Landkreis",
        "Braunschweig, Kreisfreie Stadt",
        "Salzgitter, Kreisfreie Stadt",
        "Wolfsburg, Kreisfreie Stadt",
        "Wolfenbüttel, Landkreis",
    ]
    assert table["Wert"].notna().all()
    assert page.multiselect(key="reg_kreise").value == NEIGHBOURS
    assert re.search(r"Rang \d+ von 45 Kreisen in Niedersachsen im Jahr 2025", _texts(page))
    for indicator in ("auslaenderanteil", "alq_auslaender", "alq_gap"):
        page = _app("views/regionalvergleich.py", id=indicator)
        assert T.REG_NO_COMPARISON not in _texts(page), indicator
        assert page.dataframe[0].value["Region"].tolist()[:3] == ["Landkreis Peine", "Niedersachsen", "Deutschland"]


def test_without_comparison_data_the_page_says_where_it_comes_from(writable_demo_db):
    """The comparison data go with the demo data: afterwards the page explains where comparison values come from."""
    from indicators.service import remove_demo

    store = _monitor().store
    listed = store.regions()
    comparison = set(listed.loc[listed["origin"] == "Vergleich", "key"])
    assert {"03241", "03158"} <= comparison  # Region Hannover, Wolfenbüttel (Land and Bund are shipped regions)
    own = set(listed.loc[listed["origin"] != "Vergleich", "key"])
    assert remove_demo(_monitor(), "apptest") > 0
    page = _app("views/regionalvergleich.py", id="auslaenderanteil")
    assert T.REG_NO_COMPARISON in _texts(page)
    # the demo's comparison regions go with their data; the own Kreis and its Gemeinden stay (issue 10 follow-up)
    after = store.regions()
    assert not set(after.loc[after["origin"] == "Vergleich", "key"]), after
    assert own <= set(after["key"])
    removed = store.query("SELECT detail FROM audit_log WHERE action = 'vergleichsregionen_entfernt'")
    assert removed and json.loads(removed[0][0])["count"] == len(comparison)


def test_indicator_page_shows_the_comparison(writable_demo_db):
    at = _app("views/daten.py")
    _import_all(at, peine_share=0.30, years=(2024, 2025))
    _button(at, "commit_").click().run()
    page = _app("views/indikator.py", id="auslaenderanteil")
    text = _texts(page)
    assert T.IND_REGIONS_TITLE in [t.label for t in page.tabs] and "Rang 1 von 45 Kreisen in Niedersachsen" in text
    tables = [d.value for d in page.dataframe if "Region" in d.value.columns]
    assert tables and tables[0]["Region"].tolist()[:3] == ["Landkreis Peine", "Niedersachsen", "Deutschland"]


def test_switching_indicator_and_year_on_the_comparison_page(writable_demo_db):
    at = _app("views/daten.py")
    _import_all(at)
    _button(at, "commit_").click().run()
    page = _app("views/regionalvergleich.py", id="auslaenderanteil")
    page.select_slider(key="reg_year").set_value(2022).run()
    _clean(page)
    assert _listed(page.query_params["jahr"]) == ["2022"]
    page.selectbox(key="reg_indicator").set_value("auslaender_anzahl").run()
    _clean(page)
    assert _listed(page.query_params["id"]) == ["auslaender_anzahl"]
    assert page.dataframe[0].value["Region"].tolist()[:3] == ["Landkreis Peine", "Niedersachsen", "Deutschland"]
    assert not page.main.warning  # the page's own Kreise in the address are no link from outside
    m = _monitor()
    own_only = next(
        i
        for i in m.catalog.indicators
        if not m.store.scalar(
            "SELECT count(*) FROM indicator_values WHERE indicator = ? AND NOT starts_with(region, '03157') "
            "AND value IS NOT NULL",
            [i],
        )
    )
    page.selectbox(key="reg_indicator").set_value(own_only).run()  # no comparison values: says so
    _clean(page)
    assert T.REG_NO_COMPARISON in _texts(page) and "jahr" not in list(page.query_params)
