"""Each formula kind on small hand-made data; the expected numbers are worked out here."""

from __future__ import annotations

import math

import pytest
from conftest import load_frame, make_settings, obs, write_definitions

from indicators import queries
from indicators.service import open_monitor

VARIABLES = """
variables:
  - {id: bev, name: Bevölkerung}
  - {id: einb, name: Einbürgerungen}
  - {id: azr, name: Ausländer nach Aufenthaltsdauer, rounded_to: 5}
  - {id: quote, name: Veröffentlichte Quote, unit: "%", additive: false}
  - {id: saldo, name: Wanderungssaldo, allow_negative: true}
"""
COMMON = """
    description: Eine Beschreibung für den Test.
    interpretation: Ein Anstieg bedeutet etwas.
    source: Test
    update_interval: jährlich
    reference_date: "31.12."
"""


def _ind(text: str) -> str:
    return text.rstrip() + "\n" + "\n".join("    " + ln.strip() for ln in COMMON.strip().splitlines()) + "\n"


FIELD = "field: {id: test, name: Testfeld}\nindicators:\n" + "".join(
    _ind(t)
    for t in [
        """  - id: anzahl
    name: Ausländer Anzahl
    kind: published
    value: {variable: bev, filter: {nationality: auslaendisch}}
    unit: Anzahl
    direction: context""",
        """  - id: anteil
    name: Ausländeranteil
    kind: share
    numerator: {variable: bev, filter: {nationality: auslaendisch}}
    denominator: {variable: bev}
    breakdowns: [sex]
    unit: "%"
    direction: context
    gemeinde_level: true""",
        """  - id: saldo_rate
    name: Saldo je 1000
    kind: rate
    numerator: {variable: saldo}
    denominator: {variable: bev}
    unit: je 1000 EW
    direction: context""",
        """  - id: verhaeltnis
    name: Verhältnis Männer zu Frauen
    kind: ratio
    numerator: {variable: bev, filter: {sex: maennlich}}
    denominator: {variable: bev, filter: {sex: weiblich}}
    unit: Index
    direction: context""",
        """  - id: quote_gap
    name: Abstand Quote
    kind: gap
    numerator: {variable: quote}
    unit: "%-Pkt."
    direction: zero""",
        """  - id: einb_quote
    name: Einbürgerungsquote
    kind: share
    numerator: {variable: einb}
    denominator: {variable: azr, filter: {category: 8j}, lag: 1}
    unit: "%"
    direction: up""",
        """  - id: segregation
    name: Segregationsindex
    kind: dissimilarity
    group_a: {variable: bev, filter: {nationality: auslaendisch}}
    group_b: {variable: bev, filter: {nationality: deutsch}}
    unit: Index
    direction: down""",
    ]
)

GEMEINDEN_2020 = ["03157001", "03157002", "03157004", "03157005", "03157006", "03157007", "03157008"]


@pytest.fixture
def mini(tmp_path):
    defs = write_definitions(tmp_path / "defs", VARIABLES, {"test": FIELD})
    m = open_monitor(settings=make_settings(tmp_path, definitions=defs))
    yield m
    m.close()


def _value(m, indicator, region="03157", year=2020, **dims):
    df = queries.values(m.store, indicator, region, year)
    for k, v in dims.items():
        df = df[df[k] == v]
    assert len(df) == 1, df
    return df.iloc[0]


def test_published_share_rate_ratio(mini, tmp_path):
    rows = []
    for sex, ausl, deu in (("maennlich", 60, 440), ("weiblich", 40, 460)):
        rows += [
            dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", sex=sex, value=ausl),
            dict(variable="bev", region="03157", year=2020, nationality="deutsch", sex=sex, value=deu),
            dict(variable="bev", region="03157", year=2020, nationality="insgesamt", sex=sex, value=ausl + deu),
        ]
    rows += [
        dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=100),
        dict(variable="bev", region="03157", year=2020, nationality="deutsch", value=900),
        dict(variable="bev", region="03157", year=2020, value=1000),
        dict(variable="saldo", region="03157", year=2020, value=-7),
    ]
    res = load_frame(mini, obs(rows), tmp_path)
    assert res.status == "importiert", res.errors
    assert _value(mini, "anzahl")["value"] == 100
    assert _value(mini, "anzahl")["nationality"] == "auslaendisch"
    assert _value(mini, "anteil", sex="insgesamt")["value"] == pytest.approx(100 / 1000 * 100)
    assert _value(mini, "anteil", sex="weiblich")["value"] == pytest.approx(40 / 500 * 100)
    assert _value(mini, "anteil", sex="maennlich")["value"] == pytest.approx(60 / 500 * 100)
    assert _value(mini, "saldo_rate")["value"] == pytest.approx(-7 / 1000 * 1000)
    assert _value(mini, "verhaeltnis")["value"] == pytest.approx(500 / 500)


def test_gap_of_published_rates(mini, tmp_path):
    rows = [
        dict(variable="quote", region="03157", year=2020, nationality="auslaendisch", value=14.9),
        dict(variable="quote", region="03157", year=2020, nationality="deutsch", value=4.5),
        dict(variable="quote", region="03157", year=2020, nationality="insgesamt", value=5.6, flag="p"),
    ]
    load_frame(mini, obs(rows), tmp_path)
    gap = _value(mini, "quote_gap")
    assert gap["value"] == pytest.approx(14.9 - 4.5)
    assert gap["nationality"] == "insgesamt"


def test_lagged_denominator_and_rounding_flag(mini, tmp_path):
    rows = [
        dict(variable="azr", region="03157", year=2019, category="8j", value=2000),
        dict(variable="azr", region="03157", year=2020, category="8j", value=4000),
        dict(variable="einb", region="03157", year=2020, value=50),
    ]
    load_frame(mini, obs(rows), tmp_path)
    v = _value(mini, "einb_quote")
    assert v["value"] == pytest.approx(50 / 2000 * 100)  # the previous year's denominator, not 4000
    assert "~5" in v["flag"].split(",")  # computed from counts rounded to 5
    assert queries.values(mini.store, "einb_quote", "03157", 2019).empty  # no 2018 denominator


def _gemeinde_rows(year, ausl, deu, flags=None):
    rows = []
    for i, key in enumerate(GEMEINDEN_2020):
        rows.append(
            dict(
                variable="bev",
                region=key,
                year=year,
                nationality="auslaendisch",
                value=ausl[i],
                flag=(flags or {}).get(key),
            )
        )
        rows.append(dict(variable="bev", region=key, year=year, nationality="deutsch", value=deu[i]))
        total = None if ausl[i] is None else ausl[i] + deu[i]
        rows.append(dict(variable="bev", region=key, year=year, value=total, flag=(flags or {}).get(key)))
    return rows


def test_aggregation_from_gemeinden_and_dissimilarity(mini, tmp_path):
    ausl = [10, 20, 30, 40, 50, 60, 90]
    deu = [190, 180, 170, 160, 150, 140, 110]
    load_frame(mini, obs(_gemeinde_rows(2020, ausl, deu)), tmp_path)
    # Kreis value summed from the seven Gemeinden because the data has no Kreis row
    assert _value(mini, "anzahl")["value"] == sum(ausl)
    assert _value(mini, "anteil", sex="insgesamt")["value"] == pytest.approx(sum(ausl) / (sum(ausl) + sum(deu)) * 100)
    # dissimilarity index: 1/2 * sum |a_i/A - d_i/D| * 100
    A, D = sum(ausl), sum(deu)
    expected = 50 * sum(abs(a / A - d / D) for a, d in zip(ausl, deu))
    assert _value(mini, "segregation")["value"] == pytest.approx(expected)
    # Gemeinde values are computed too
    assert _value(mini, "anteil", region="03157005", sex="insgesamt")["value"] == pytest.approx(40 / 200 * 100)


def test_suppressed_cell_is_never_summed(mini, tmp_path):
    ausl = [10, None, 30, 40, 50, 60, 90]
    deu = [190, 180, 170, 160, 150, 140, 110]
    load_frame(mini, obs(_gemeinde_rows(2020, ausl, deu, flags={"03157002": "*"})), tmp_path)
    kreis = _value(mini, "anzahl")
    assert math.isnan(kreis["value"]) or kreis["value"] is None
    assert set(kreis["flag"].split(",")) == {"*", "tw"}
    seg = _value(mini, "segregation")
    assert seg["value"] is None or math.isnan(seg["value"])
    assert "tw" in seg["flag"]


def test_missing_gemeinde_makes_kreis_sum_unknown(mini, tmp_path):
    ausl = [10, 20, 30, 40, 50, 60, 90]
    deu = [190, 180, 170, 160, 150, 140, 110]
    rows = [r for r in _gemeinde_rows(2020, ausl, deu) if r["region"] != "03157008"]
    load_frame(mini, obs(rows), tmp_path)
    kreis = _value(mini, "anzahl")
    assert math.isnan(kreis["value"])
    assert kreis["flag"] == "tw"


def test_merger_years_use_the_gemeinden_valid_then(mini, tmp_path):
    keys_2014 = ["03157001", "03157002", "03157003", "03157004", "03157005", "03157006", "03157007", "03157009"]
    rows = [
        dict(variable="bev", region=k, year=2014, nationality="auslaendisch", value=10 + i)
        for i, k in enumerate(keys_2014)
    ]
    load_frame(mini, obs(rows), tmp_path)
    assert _value(mini, "anzahl", year=2014)["value"] == sum(10 + i for i in range(8))


def test_small_counts_are_suppressed_and_flags_travel(mini, tmp_path):
    rows = [
        dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=2),
        dict(variable="bev", region="03157", year=2020, value=1000, flag="p"),
        dict(variable="bev", region="03157", year=2021, nationality="auslaendisch", value=30),
        dict(variable="bev", region="03157", year=2021, value=1000, flag="p"),
    ]
    load_frame(mini, obs(rows), tmp_path)
    sup = _value(mini, "anteil", sex="insgesamt")
    assert math.isnan(sup["value"])
    assert "Fz" in sup["flag"].split(",")
    assert math.isnan(_value(mini, "anzahl")["value"])  # a published count of 2 < 3
    ok = _value(mini, "anteil", year=2021, sex="insgesamt")
    assert ok["value"] == pytest.approx(3.0)
    assert ok["flag"] == "p"  # the source's 'vorläufig' travels to the result


def test_min_count_is_configurable(tmp_path):
    defs = write_definitions(tmp_path / "defs", VARIABLES, {"test": FIELD})
    m = open_monitor(settings=make_settings(tmp_path, definitions=defs, min_count=1))
    try:
        load_frame(
            m,
            obs(
                [
                    dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=2),
                    dict(variable="bev", region="03157", year=2020, value=1000),
                ]
            ),
            tmp_path,
        )
        assert _value(m, "anteil", sex="insgesamt")["value"] == pytest.approx(0.2)
    finally:
        m.close()


def test_newest_upload_wins_and_rollback_restores(mini, tmp_path):
    from indicators.ingest.pipeline import rollback

    base = [
        dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=100),
        dict(variable="bev", region="03157", year=2020, value=1000),
    ]
    load_frame(mini, obs(base), tmp_path, "v1.xlsx")
    res = load_frame(
        mini,
        obs([dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=150)]),
        tmp_path,
        "v2.xlsx",
    )
    assert res.diff == {"neu": 0, "geändert": 1, "unverändert": 0}
    assert _value(mini, "anteil", sex="insgesamt")["value"] == pytest.approx(15.0)
    rollback(res.upload_id, mini.store, mini.catalog, mini.settings, "test")
    assert _value(mini, "anteil", sex="insgesamt")["value"] == pytest.approx(10.0)
    log = mini.store.audit_log()
    assert "rollback" in set(log["action"])


def test_incremental_state_equals_rebuild_from_history(mini, tmp_path):
    """Each import updates the current state in place; it must equal a rebuild from all uploads."""
    from indicators.compute import rebuild_current
    from indicators.ingest.pipeline import rollback

    load_frame(
        mini,
        obs(_gemeinde_rows(2020, [10, 20, 30, 40, 50, 60, 90], [190, 180, 170, 160, 150, 140, 110])),
        tmp_path,
        "a.xlsx",
    )
    second = load_frame(
        mini,
        obs([dict(variable="bev", region="03157005", year=2020, nationality="auslaendisch", value=45)]),
        tmp_path,
        "b.xlsx",
    )
    load_frame(mini, obs([dict(variable="bev", region="03157", year=2021, value=1000)]), tmp_path, "c.xlsx")
    rollback(second.upload_id, mini.store, mini.catalog, mini.settings, "test")
    load_frame(
        mini,
        obs([dict(variable="bev", region="03157001", year=2020, nationality="auslaendisch", value=12)]),
        tmp_path,
        "d.xlsx",
    )
    query = "SELECT * FROM obs_current ORDER BY ALL"
    incremental = mini.store.query_df(query)
    with mini.store.transaction() as cur:
        rebuild_current(cur, mini.settings.own_region)
    rebuilt = mini.store.query_df(query)
    import pandas as pd

    pd.testing.assert_frame_equal(incremental, rebuilt)
    assert _value(mini, "anzahl")["value"] == 10 + 20 + 30 + 40 + 50 + 60 + 90 + 2  # 12 replaces 10 for Edemissen


def _all_values(m):
    return m.store.query_df("SELECT * FROM indicator_values ORDER BY ALL")


def _set_values(m, value, indicators):
    with m.store.transaction() as cur:
        cur.execute("UPDATE indicator_values SET value = ? WHERE list_contains(?, indicator)", [value, indicators])


def test_import_recomputes_only_the_indicators_that_read_its_variables(mini, tmp_path):
    """An import of naturalisations leaves the population indicators as they are (they do not read
    'einb') and computes the naturalisation rate anew; the result equals a full recompute."""
    import pandas as pd

    from indicators.compute import affected_indicators, recompute
    from indicators.ingest.pipeline import rollback

    rows = [
        dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=100),
        dict(variable="bev", region="03157", year=2020, value=1000),
        dict(variable="azr", region="03157", year=2019, category="8j", value=2000),
        dict(variable="einb", region="03157", year=2020, value=50),
    ]
    load_frame(mini, obs(rows), tmp_path, "a.xlsx")
    assert affected_indicators(mini.catalog, ["einb"]) == ["einb_quote"]
    # a marker in a value the next import must not touch, and one it must replace
    _set_values(mini, -1, ["anzahl", "einb_quote"])
    second = load_frame(mini, obs([dict(variable="einb", region="03157", year=2020, value=80)]), tmp_path, "b.xlsx")
    assert second.status == "importiert", second.errors
    assert _value(mini, "anzahl")["value"] == -1  # kept: it does not read 'einb'
    assert _value(mini, "einb_quote")["value"] == pytest.approx(80 / 2000 * 100)  # computed anew
    rollback(second.upload_id, mini.store, mini.catalog, mini.settings, "test")
    assert _value(mini, "anzahl")["value"] == -1
    assert _value(mini, "einb_quote")["value"] == pytest.approx(50 / 2000 * 100)
    _set_values(mini, 100, ["anzahl"])  # its true value
    partial = _all_values(mini)
    recompute(mini.store, mini.catalog, mini.settings.min_count, own=mini.settings.own_region)
    pd.testing.assert_frame_equal(partial, _all_values(mini))


def test_partial_recompute_falls_back_to_full_when_the_minimum_count_changed(mini, tmp_path):
    from indicators.compute import recompute_in

    load_frame(
        mini,
        obs(
            [
                dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=2),
                dict(variable="bev", region="03157", year=2020, value=1000),
            ]
        ),
        tmp_path,
    )
    assert math.isnan(_value(mini, "anteil", sex="insgesamt")["value"])  # 2 < minimum count 3: suppressed
    with mini.store.transaction() as cur:
        report = recompute_in(cur, mini.catalog, 0, variables=["einb"])
    assert report.recomputed == len(mini.catalog.indicators)  # stored with 3, asked for 0: everything anew
    assert _value(mini, "anteil", sex="insgesamt")["value"] == pytest.approx(0.2)
    with mini.store.transaction() as cur:
        assert recompute_in(cur, mini.catalog, 0, variables=["einb"]).recomputed == 1


def test_changed_regions_make_the_indicators_recompute(mini, tmp_path):
    """A new Gemeinde of the Kreis changes every Kreis sum from Gemeinden (it is missing in them now), also
    of variables an import does not bring: adding it recomputes, and an import after a change of the
    regions recomputes everything instead of keeping stale values."""
    import pandas as pd

    from indicators.ingest.base import ParsedFile, RawFile
    from indicators.ingest.pipeline import add_regions_from_file

    load_frame(
        mini,
        obs(_gemeinde_rows(2020, [10, 20, 30, 40, 50, 60, 90], [190, 180, 170, 160, 150, 140, 110])),
        tmp_path,
        "a.xlsx",
    )
    assert _value(mini, "anzahl")["value"] == 300  # the Kreis sum of the seven Gemeinden
    parsed = ParsedFile(RawFile("neu.csv", b""), "test", "Test", "", pd.DataFrame(), {}, [], {"03157099": "Neudorf"})
    add_regions_from_file(parsed, ["03157099"], mini.store, mini.catalog, mini.settings, "test")
    kreis = _value(mini, "anzahl")  # recomputed with the region
    assert math.isnan(kreis["value"]) and "tw" in kreis["flag"]  # Neudorf has no value: the sum is incomplete
    # a change of the regions outside the app (the region list, another tool) is caught by the next import
    with mini.store.transaction() as cur:
        cur.execute("DELETE FROM regions WHERE key = '03157099'")
    res = load_frame(mini, obs([dict(variable="einb", region="03157", year=2020, value=5)]), tmp_path, "b.xlsx")
    assert res.status == "importiert", res.errors
    assert _value(mini, "anzahl")["value"] == 300  # complete again, although the import brought only 'einb'


def test_a_catalog_without_rounded_variables_computes(tmp_path):
    """No variable with ``rounded_to``: the operand table's flag column is all empty and must still be text."""
    defs = write_definitions(tmp_path / "defs", VARIABLES.replace(", rounded_to: 5", ""), {"test": FIELD})
    m = open_monitor(settings=make_settings(tmp_path, definitions=defs))
    try:
        res = load_frame(
            m,
            obs(
                [
                    dict(variable="bev", region="03157", year=2020, nationality="auslaendisch", value=100),
                    dict(variable="bev", region="03157", year=2020, value=1000),
                ]
            ),
            tmp_path,
        )
        assert res.status == "importiert", res.errors
        assert _value(m, "anteil", sex="insgesamt")["value"] == pytest.approx(10.0)
    finally:
        m.close()


def test_partial_recompute_of_every_variable_equals_the_full_one(demo_database, tmp_path):
    """For each base variable of the shipped catalog: recomputing only the indicators that read it (as an
    import of that variable does) leaves exactly the values of a full recompute; the others are kept."""
    import shutil

    from indicators.compute import affected_indicators, recompute_in

    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_database, db)
    m = open_monitor(db)
    try:
        with m.store.transaction() as cur:
            cur.execute("CREATE TABLE full_values AS SELECT * FROM indicator_values")  # a copy of the database
        difference = """SELECT count(*) FROM ((SELECT * FROM indicator_values EXCEPT ALL SELECT * FROM full_values)
                        UNION ALL (SELECT * FROM full_values EXCEPT ALL SELECT * FROM indicator_values))"""
        for variable in m.catalog.variables:
            ids = affected_indicators(m.catalog, [variable])
            assert ids, variable  # every variable is read by some indicator
            with m.store.transaction() as cur:
                cur.execute("UPDATE indicator_values SET value = -999 WHERE list_contains(?, indicator)", [ids])
                report = recompute_in(cur, m.catalog, m.settings.min_count, variables=[variable])
                assert report.recomputed == len(ids)
                assert cur.execute(difference).fetchone()[0] == 0, variable
    finally:
        m.close()
