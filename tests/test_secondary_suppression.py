"""Secondary suppression (issue 14): a Gemeinde value suppressed as 'Fz' must not be derivable from the
shown Kreis total and the other Gemeinden, wherever values leave the system."""

from __future__ import annotations

import io
import json
import random

import pandas as pd
from conftest import load_frame, make_settings, obs, write_definitions
from test_compute import FIELD, GEMEINDEN_2020, VARIABLES, _gemeinde_rows, mini  # noqa: F401 (fixture)

from indicators import export, queries
from indicators.service import open_monitor

KREIS = "03157"


def _suppressed(flag) -> bool:
    return isinstance(flag, str) and any(f.startswith("Fz") for f in flag.split(","))


def _check_no_disclosure(rows: pd.DataFrame, value_col: str = "value") -> None:
    """rows: Kreis and its Gemeinden for one cell. If the Kreis is shown, 0 or >= 2 Gemeinden are hidden."""
    kreis = rows[rows["region"] == KREIS]
    gem = rows[rows["region"] != KREIS]
    if len(kreis) and not pd.isna(kreis.iloc[0][value_col]):
        hidden = int(gem[value_col].isna().sum())
        assert hidden != 1, rows


def _stored(m, name):
    """Every stored value of an indicator, numerator and denominator included."""
    return m.store.query_df("SELECT * FROM indicator_values WHERE indicator = ?", [name])


def _one_small(mini, tmp_path, ausl):
    deu = [190, 180, 170, 160, 150, 140, 110]
    load_frame(mini, obs(_gemeinde_rows(2020, ausl, deu)), tmp_path)


def test_one_gemeinde_below_minimum_is_not_derivable_anywhere(mini, tmp_path, monkeypatch, capsys):
    _one_small(mini, tmp_path, [10, 2, 30, 40, 50, 60, 90])
    ind = mini.catalog.indicators["anteil"]
    # Gemeindevergleich data (share: its numerator is the suppressed count)
    gv = queries.gemeinde_values(mini.store, ind, 2020)
    assert gv["value"].isna().sum() == 2, gv
    flags = gv.set_index("region")["flag"]
    assert "Fz" in flags["03157002"].split(",")
    secondary = [r for r, f in flags.items() if isinstance(f, str) and "Fz2" in f.split(",")]
    assert secondary == ["03157001"]  # the smallest other cell
    _check_no_disclosure(gv)
    # the counts themselves, numerator columns included
    for name in ("anzahl", "anteil"):
        vals = _stored(mini, name).query("year == 2020")
        for _, cell in vals.groupby(["nationality", "sex", "age_group", "category"]):
            _check_no_disclosure(cell)
            _check_no_disclosure(cell.assign(value=cell["numerator"]))
    # CSV and Excel downloads of the indicator page (its frame: queries.series, Landkreis and all Gemeinden)
    page = queries.series(mini.store, ind, [KREIS, *GEMEINDEN_2020]).query("year == 2020")
    out = page.rename(columns={"region": "Reihe", "year": "Jahr", "value": "Wert", "flag": "Kennzeichen"})
    out = out[["Reihe", "Jahr", "Wert", "Kennzeichen"]]
    csv = pd.read_csv(
        io.BytesIO(export.to_csv_bytes(out)), sep=";", encoding="utf-8-sig", dtype={"Reihe": str}, decimal=","
    )
    xls = pd.read_excel(io.BytesIO(export.to_excel_bytes({ind.name: out})), dtype={"Reihe": str}, engine="calamine")
    for frame in (csv, xls):
        frame = frame.rename(columns={"Reihe": "region", "Wert": "value"})
        frame["region"] = frame["region"].str.lstrip("'")
        assert len(frame) == 8
        _check_no_disclosure(frame)
        assert frame["value"].isna().sum() == 2
    # values --json through the command line
    import shutil

    from indicators import cli

    shutil.copy(mini.settings.regions_file, mini.settings.definitions_dir / "regions.csv")
    monkeypatch.setenv("MONITOR_DEFINITIONS", str(mini.settings.definitions_dir))
    db = mini.settings.db_path
    mini.close()
    assert cli.main(["--db", str(db), "values", "anzahl", "--year", "2020", "--json"]) == 0
    data = pd.DataFrame(json.loads(capsys.readouterr().out))
    _check_no_disclosure(data)
    assert sorted(data.loc[data["value"].isna(), "flag"]) == ["Fz", "Fz2"]


def test_nothing_suppressed_where_no_disclosure_is_possible(mini, tmp_path):
    _one_small(mini, tmp_path, [10, 20, 30, 40, 50, 60, 90])
    for name in ("anzahl", "anteil"):
        vals = _stored(mini, name)
        assert vals["value"].notna().all() and not vals["flag"].fillna("").str.contains("Fz").any()


def test_two_small_gemeinden_need_no_further_cell(mini, tmp_path):
    _one_small(mini, tmp_path, [10, 2, 1, 40, 50, 60, 90])
    vals = _stored(mini, "anzahl")
    assert vals["value"].isna().sum() == 2
    assert sorted(vals["flag"].dropna()) == ["Fz", "Fz"]


def test_no_secondary_suppression_where_the_total_is_not_shown(mini, tmp_path):
    """A Kreis sum that is itself unknown ('tw': a Gemeinde missing) reveals nothing."""
    ausl = [10, 2, 30, 40, 50, 60, 90]
    deu = [190, 180, 170, 160, 150, 140, 110]
    rows = [r for r in _gemeinde_rows(2020, ausl, deu) if r["region"] != "03157008"]
    load_frame(mini, obs(rows), tmp_path)
    vals = _stored(mini, "anzahl").set_index("region")
    assert "tw" in vals.loc[KREIS, "flag"]
    assert not vals["flag"].fillna("").str.contains("Fz2").any()


def test_random_gemeinde_tables(tmp_path):
    """Property over random Gemeinde tables (seeded): after suppression, wherever the Kreis total is shown,
    0 or at least 2 of its Gemeinde cells are hidden (value and numerator); no cell at or above the minimum
    is hidden unless exactly one other was."""
    rng = random.Random(14)
    defs = write_definitions(tmp_path / "defs", VARIABLES, {"test": FIELD})
    m = open_monitor(settings=make_settings(tmp_path, definitions=defs))
    try:
        checked = single = 0
        for round_ in range(6):  # each round a new random table (the newer upload replaces the values)
            rows = []
            for year in range(2015, 2026):  # 2015: the Gemeinden before the merger, the Kreis sum is 'tw'
                ausl = [rng.choice([0, 1, 2, 3, 4, rng.randint(0, 60)]) for _ in GEMEINDEN_2020]
                deu = [rng.randint(0, 300) for _ in GEMEINDEN_2020]
                rows += _gemeinde_rows(year, ausl, deu)
            load_frame(m, obs(rows), tmp_path, name=f"daten{round_}.xlsx")
            for name in ("anzahl", "anteil"):
                vals = _stored(m, name)
                vals = vals[vals["region"].isin([KREIS, *GEMEINDEN_2020])]
                for _, cell in vals.groupby(["year", "nationality", "sex", "age_group", "category"]):
                    _check_no_disclosure(cell)
                    _check_no_disclosure(cell.assign(value=cell["numerator"]))
                    gem = cell[cell["region"] != KREIS]
                    primary = gem["flag"].fillna("").str.split(",").map(lambda f: "Fz" in f).sum()
                    secondary = gem["flag"].fillna("").str.split(",").map(lambda f: "Fz2" in f).sum()
                    kreis_shown = cell.loc[cell["region"] == KREIS, "value"].notna().any()
                    assert secondary == (1 if primary == 1 and kreis_shown else 0), cell
                    checked += 1
                    single += primary == 1 and kreis_shown
        assert checked == 6 * 11 * 2 and single >= 5  # the property was really exercised
    finally:
        m.close()
