"""Regions of official files are facts (issue 10): Deutschland, Länder, statistische Regionen, Kreise and Gemeinden
of an official export are kept as comparison regions with the file's names and the level from the key; the own
area (Landkreis 03157 and its Gemeinden) stays the shipped list; own lists and the template refuse unknown keys."""

from __future__ import annotations

import math

import badfiles
import pandas as pd
import pytest
from conftest import cli, make_settings
from regions_table import foreign_share, genesis_all_regions, regions

from indicators import regions as reg
from indicators.ingest import pipeline, session
from indicators.ingest.base import RawFile
from indicators.service import open_monitor

NI_KREISE = [
    r["key"] for r in regions() if len(r["key"]) == 5 and r["key"].startswith("03") and r["bevoelkerung_2018"].isdigit()
]


def _without(content: bytes, *keys: str) -> bytes:
    return b"\r\n".join(ln for ln in content.split(b"\r\n") if not any(f";{k};".encode() in ln for k in keys))


def _value(m, indicator: str, region: str, year: int) -> tuple[float | None, str | None]:
    row = m.store.query(
        "SELECT value, flag FROM indicator_values WHERE indicator = ? AND region = ? AND year = ? "
        "AND nationality = 'insgesamt' AND sex = 'insgesamt' AND age_group = 'insgesamt' "
        "AND category = 'insgesamt'",
        [indicator, region, year],
    )
    return row[0] if row else (None, None)


def test_a_table_of_all_kreise_of_germany_imports_in_one_step(tmp_monitor):
    m = tmp_monitor
    content = genesis_all_regions(peine_share=0.30)
    parsed = pipeline.preview(RawFile("kreise_deutschland.csv", content), m.store, m.catalog, m.settings)
    assert parsed.format == "genesis_tabelle" and not parsed.errors, parsed.errors[:3]
    assert parsed.assumptions["Weitere Regionen"].startswith(
        "enthält 535 weitere Regionen; sie werden als Vergleichsregionen übernommen (535 davon neu in der "
        "Regionsliste); neu in der Regionsliste als Vergleichsregion: DG Deutschland"
    )
    result = pipeline.commit(parsed, m.store, m.catalog, m.settings, "test")
    assert result.status == "importiert"
    r = m.store.regions().set_index("key")
    assert (r.loc["DG", "name"], r.loc["DG", "level"], r.loc["DG", "origin"]) == (
        "Deutschland",
        "deutschland",
        "Vergleich",
    )
    assert (r.loc["031", "level"], r.loc["031", "parent"]) == ("regierungsbezirk", "03")
    assert (r.loc["03241", "name"], r.loc["03241", "level"]) == ("Region Hannover, Landkreis", "kreis")
    assert (r.loc["03241001", "level"], r.loc["03241001", "parent"]) == ("gemeinde", "03241")
    assert r.loc["11001001", "level"] == "gemeinde" and pd.isna(r.loc["11001001", "parent"])  # no Kreis above it
    assert r.loc["03157", "name"] == "Landkreis Peine" and r.loc["03157", "origin"] == "Liste"  # own list unchanged
    assert r.loc["03152", "name"] == "Göttingen, Landkreis"  # dissolved in 2016, '-' rows: no failure
    assert _value(m, "auslaenderanteil", "03152", 2023)[0] is None
    assert (r["origin"] == "Vergleich").sum() == 536
    # indicators for every region whose base data is there
    value, _ = _value(m, "auslaenderanteil", "03241", 2023)
    assert value == pytest.approx(
        100 * round(1157624 + 1000) ** 0 * round((1157624 + 1000) * foreign_share("03241")) / (1157624 + 1000), abs=1e-9
    )
    assert _value(m, "auslaenderanteil", "DG", 2022)[0] == pytest.approx(100 * foreign_share("DG"), abs=1e-4)
    # the rank among the 45 Kreise of Niedersachsen (all present): 30 % is above every made-up share
    ind = m.catalog.indicators["auslaenderanteil"]
    rank = reg.land_rank(m.store, ind, 2023, "03157", m.settings)
    assert rank is not None and (rank.rank, rank.count, rank.land_name) == (1, 45, "Niedersachsen")
    assert reg.default_comparison(m.store, ind, "03157", m.settings) == [
        "03241",
        "03254",
        "03151",
        "03101",
        "03102",
        "03103",
        "03158",
    ]


def test_the_rank_is_shown_only_where_every_kreis_of_the_land_has_a_value(tmp_monitor):
    m = tmp_monitor
    content = _without(genesis_all_regions(), "03254")  # Hildesheim missing
    assert (
        session.import_bytes("ohne_hildesheim.csv", content, m.store, m.catalog, m.settings, "test").status
        == "importiert"
    )
    ind = m.catalog.indicators["auslaenderanteil"]
    assert reg.land_rank(m.store, ind, 2023, "03157", m.settings) is None
    assert "03254" not in reg.default_comparison(m.store, ind, "03157", m.settings)
    complete = session.import_bytes(
        "alle.csv", genesis_all_regions(peine_share=0.01), m.store, m.catalog, m.settings, "test"
    )
    assert complete.status == "importiert"
    rank = reg.land_rank(m.store, ind, 2023, "03157", m.settings)  # 1 % is below every made-up share
    assert rank is not None and (rank.rank, rank.count) == (45, 45) and len(NI_KREISE) == 45


def test_other_regions_skip_on_the_command_line(tmp_path):
    db = tmp_path / "monitor.duckdb"
    assert cli("init", "--empty", db=db).returncode == 0
    path = tmp_path / "kreise.csv"
    path.write_bytes(genesis_all_regions())
    out = cli("import", str(path), "--other-regions", "skip", db=db)
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "Regionen: 535 weitere Regionen ausgelassen (gewählt: nur das eigene Gebiet, das Land und Deutschland)"
        in out.stdout
    )
    m = open_monitor(settings=make_settings(tmp_path))
    try:
        regions_in_data = {k for (k,) in m.store.query("SELECT DISTINCT region FROM observations")}
        assert regions_in_data == {"03157", "03", "DG"}
        assert set(m.store.regions().query("origin == 'Vergleich'")["key"]) == {"DG"}
    finally:
        m.close()
    bad = cli("import", str(path), "--other-regions", "alle", db=db)
    assert bad.returncode == 2 and "keep" in bad.stderr and "skip" in bad.stderr


def test_keep_on_the_command_line_names_the_comparison_regions(tmp_path):
    db = tmp_path / "monitor.duckdb"
    assert cli("init", "--empty", db=db).returncode == 0
    path = tmp_path / "kreise.csv"
    path.write_bytes(genesis_all_regions())
    out = cli("import", str(path), db=db)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Regionen: enthält 535 weitere Regionen; sie werden als Vergleichsregionen übernommen" in out.stdout


def test_template_and_own_lists_keep_refusing_unknown_keys(tmp_monitor):
    m = tmp_monitor
    row = [
        "bevoelkerung",
        "03241",
        "Region Hannover",
        2023,
        None,
        "insgesamt",
        "insgesamt",
        "insgesamt",
        "insgesamt",
        1000,
        None,
    ]
    res = session.import_bytes("vorlage.xlsx", badfiles.template_xlsx([row]), m.store, m.catalog, m.settings, "test")
    assert res.status == "abgelehnt"
    assert any(e.message.startswith("Unbekannte Region 03241") for e in res.errors)
    assert "03241" not in set(m.store.regions()["key"]) and m.store.uploads().empty


def test_unknown_gemeinde_of_the_own_area_still_blocks_an_official_file(tmp_monitor):
    m = tmp_monitor
    text = genesis_all_regions(years=(2023,)).decode("latin-1")
    text = text.replace("__________", "31.12.2023;03157999;      Neue Gemeinde;10;5;5;9;4;5;1;1;0\r\n__________", 1)
    res = session.import_bytes("neu.csv", text.encode("latin-1"), m.store, m.catalog, m.settings, "test")
    assert res.status == "abgelehnt"
    assert [e.message.split(":")[0] for e in res.errors if e.message.startswith("Unbekannte Region")] == [
        "Unbekannte Region 03157999 („Neue Gemeinde“)"
    ]
    assert m.store.uploads().empty and "DG" not in set(m.store.regions()["key"])  # nothing written


def test_own_area_values_and_suppression_unchanged_by_comparison_regions(tmp_monitor):
    """The Kreis sum from the own Gemeinden and the secondary suppression of the own area are computed as before
    when hundreds of comparison regions (Gemeinden of other Kreise among them) come in."""
    m = tmp_monitor
    gemeinden = {
        "03157001": 40,
        "03157002": 2,
        "03157004": 30,
        "03157005": 150,
        "03157006": 55,
        "03157007": 25,
        "03157008": 60,
    }
    rows = []
    for key, foreign in gemeinden.items():
        for nat, value in (("insgesamt", 1000 + foreign), ("auslaendisch", foreign)):
            rows.append(["bevoelkerung", key, "", 2022, None, nat, "insgesamt", "insgesamt", "insgesamt", value, None])
    own = session.import_bytes("gemeinden.xlsx", badfiles.template_xlsx(rows), m.store, m.catalog, m.settings, "test")
    assert own.status == "importiert", own.errors
    query = "SELECT * FROM indicator_values WHERE starts_with(region, '03157') ORDER BY ALL"
    before = m.store.query_df(query)
    flags = before.query("indicator == 'auslaender_anzahl' and nationality == 'auslaendisch'").set_index("region")[
        "flag"
    ]
    assert flags["03157002"] == "Fz" and flags["03157007"] == "Fz2"  # primary and secondary suppression
    kreis = before.query("indicator == 'auslaender_anzahl' and region == '03157' and nationality == 'auslaendisch'")
    assert kreis["value"].tolist() == [362.0]  # the Kreis sum from its seven Gemeinden
    content = _without(genesis_all_regions(years=(2022,)), "03157")  # Peine's own rows stay the Gemeinden's sum
    res = session.import_bytes("kreise.csv", content, m.store, m.catalog, m.settings, "test")
    assert res.status == "importiert", res.errors[:3]
    assert m.store.scalar("SELECT count(*) FROM regions WHERE origin = 'Vergleich'") > 500
    after = m.store.query_df(query)
    pd.testing.assert_frame_equal(after, before)


def test_levels_and_own_area():
    assert reg.in_own_area("03157", "03157") and reg.in_own_area("03157001", "03157")
    assert reg.in_own_area("031570001001", "03157") and not reg.in_own_area("03158", "03157")
    assert not reg.is_other("03", "03157") and not reg.is_other("DG", "03157") and reg.is_other("03241", "03157")
    found = reg.check(
        ["03157", "03157009", "03241", "DG", "03157777"], {"03157", "03157009"}, "genesis_tabelle", "03157"
    )
    assert (found.other, found.new_comparison, found.refused) == (["03241"], ["DG", "03241"], ["03157777"])
    own_list = reg.check(["03157", "03241"], {"03157"}, "zuordnung", "03157")
    assert (own_list.new_comparison, own_list.refused) == ([], ["03241"])
    assert reg.kreise_in_land("03", 2015) == 46 and reg.kreise_in_land("03", 2023) == 45
    assert reg.kreise_in_land("09", 2023) is None
    assert math.isfinite(foreign_share("03157"))


def test_region_check_work_grows_linearly_with_the_keys(monkeypatch):
    """Issue 22: a BA workbook with 198.000 regions kept a core busy for minutes: the check built a set of the new
    keys once per unknown key. Counted, not timed: the number of sets built does not grow with the keys."""
    import builtins

    from indicators import regions as reg

    built = []

    def counting_set(*args):
        built.append(1)
        return builtins.set(*args)

    monkeypatch.setattr(reg, "set", counting_set, raising=False)
    for n in (100, 2_000):
        built.clear()
        keys = [f"09{i:07d}" for i in range(n)] + [f"x{i}" for i in range(n)]  # new comparison keys and invalid ones
        found = reg.check(keys, set(), "genesis_flat", "03157")
        assert len(found.new_comparison) == n and len(found.refused) == n
        assert len(built) <= 3, (n, len(built))


def test_rank_of_a_gap_indicator_is_by_distance_from_zero_and_says_so():
    """Issue 25: the rank of alq_gap said „keine Zielrichtung“ although the indicator says „näher an 0 ist besser“."""
    from ui.regions import rank_text

    values = {"03151": 4.0, "03157": -0.5, "03241": 1.2, "03254": -2.0}
    assert reg.rank_order(values, "zero") == ["03157", "03241", "03254", "03151"]
    assert reg.rank_order(values, "down") == ["03254", "03157", "03241", "03151"]
    assert reg.rank_order(values, "up") == ["03151", "03241", "03157", "03254"]
    text = rank_text(reg.Rank(1, 45, "03", "Niedersachsen", True, True), 2024)
    assert text == "Rang 1 von 45 Kreisen in Niedersachsen im Jahr 2024 (1 = bester Wert, am nächsten an 0)."
    assert "keine Zielrichtung" not in text
