"""Plausibility before the commit (issue 21): improbable values are warnings naming region, year, variable,
old → new and the rule; the command line takes such a file only with --ja, the page only after a tick.

Review before: '1.234,5' typed as Peine's population, a value a thousand times the previous year's, a number replaced
by '-': all passed without a word."""

from __future__ import annotations

import json

import pytest
from conftest import cli, load_frame, obs

from indicators.catalog import load_catalog
from indicators.ingest import pipeline, session
from indicators.ingest.base import RawFile
from indicators.service import open_monitor
from tests.conftest import SHIPPED_DEFINITIONS

pytestmark = pytest.mark.xdist_group("plausibility")

FF_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label"
)


def _ffcsv(rows: list[tuple[str, str, str]]) -> bytes:
    """A GENESIS flat file of population (12411) per Gemeinde/Kreis: (key, date, value)."""
    lines = [FF_HEADER]
    for key, date, value in rows:
        level = "GEMEIN" if len(key) == 8 else "KREISE"
        lines.append(
            f"12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;{date};{level};Gemeinden;{key};Region;"
            f"NAT;Nationalität;;Insgesamt;{value};Anzahl;BEVSTD;Bevölkerungsstand"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _seed(m, tmp_path, rows: list[dict]) -> None:
    res = load_frame(m, obs(rows), tmp_path, "bestand.xlsx")
    assert res.status == "importiert", [e.text() for e in res.errors]


def _preview(m, content: bytes, name: str = "neu.csv"):
    return pipeline.preview(RawFile(name, content), m.store, m.catalog, m.settings, impact=False)


def _rules(parsed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in parsed.plausibility_warnings:
        out.setdefault(p.rule, []).append(p.message)
    return out


def test_thresholds_live_in_variables_yaml():
    cat = load_catalog(SHIPPED_DEFINITIONS)
    pop = cat.variables["bevoelkerung"].plausibility
    assert (pop.change_pct, pop.whole) == (10, True)  # own threshold, 'whole' from the unit's defaults
    assert cat.variables["alq"].plausibility.whole is False


def test_population_change_beyond_ten_percent_is_named(tmp_monitor, tmp_path):
    _seed(tmp_monitor, tmp_path, [dict(variable="bevoelkerung", region="03157001", year=2021, value=13000)])
    parsed = _preview(tmp_monitor, _ffcsv([("03157001", "31.12.2022", "15000")]))
    assert parsed.ok
    (msg,) = _rules(parsed)["vorjahr"]
    assert "Veränderung zum Vorjahr über ±10 %" in msg
    assert "Edemissen (03157001), 2022, Bevölkerung: 13.000 (2021) → 15.000 (+15,4 %)" in msg


def test_small_change_and_small_base_pass(tmp_monitor, tmp_path):
    _seed(tmp_monitor, tmp_path, [dict(variable="bevoelkerung", region="03157001", year=2021, value=13000)])
    assert _rules(_preview(tmp_monitor, _ffcsv([("03157001", "31.12.2022", "13500")]))) == {}


def test_thousandfold_value_against_the_previous_year(tmp_monitor, tmp_path):
    _seed(tmp_monitor, tmp_path, [dict(variable="bevoelkerung", region="03157001", year=2021, value=13000)])
    parsed = _preview(tmp_monitor, _ffcsv([("03157001", "31.12.2022", "13000000")]))
    rules = _rules(parsed)
    assert list(rules) == ["tausendfach"]  # one warning per cell: the stronger rule
    assert "13.000 (2021) → 13.000.000" in rules["tausendfach"][0]


def test_fractional_persons_and_a_number_replaced_by_a_symbol(tmp_monitor, tmp_path):
    _seed(tmp_monitor, tmp_path, [dict(variable="bevoelkerung", region="03157002", year=2022, value=10500)])
    parsed = _preview(tmp_monitor, _ffcsv([("03157001", "31.12.2022", "1234,5"), ("03157002", "31.12.2022", "-")]))
    rules = _rules(parsed)
    assert "Edemissen (03157001), 2022, Bevölkerung: 1.234,5" in rules["bruchteil"][0]
    assert "Zahl wird durch das Zeichen „-“ ersetzt" in rules["zeichen"][0]
    assert "Hohenhameln (03157002), 2022, Bevölkerung: 10.500 → „-“" in rules["zeichen"][0]
    rows = {p.rule: p.row for p in parsed.plausibility_warnings}
    assert rows == {"bruchteil": 2, "zeichen": 3}


def test_gemeinden_summing_to_more_than_the_kreis(tmp_monitor, tmp_path):
    parsed = _preview(
        tmp_monitor,
        _ffcsv(
            [
                ("03157", "31.12.2022", "20000"),
                ("03157001", "31.12.2022", "13000"),
                ("03157002", "31.12.2022", "10000"),
            ]
        ),
    )
    (msg,) = _rules(parsed)["gemeinden"]
    assert "Peine" in msg and "Kreis 20.000 → Summe der 2 Gemeinden 23.000" in msg


def test_cli_takes_a_doubtful_file_only_with_ja(demo_copy, tmp_path):
    path = tmp_path / "bevoelkerung.csv"
    path.write_bytes(_ffcsv([("03157001", "31.12.2023", "1234,5")]))

    def digest() -> str:
        m = open_monitor(demo_copy)
        try:
            return m.store.content_digest()
        finally:
            m.close()

    before = digest()
    proc = cli("import", "--json", str(path), db=demo_copy)
    out = json.loads(proc.stdout)
    assert proc.returncode == 1 and out["status"] == "zu_bestaetigen" and out["upload_id"] is None
    assert any(w.get("regel") == "bruchteil" for w in out["warnings"])
    assert digest() == before  # nothing written
    proc = cli("import", "--json", "--ja", str(path), db=demo_copy)
    assert proc.returncode == 0 and json.loads(proc.stdout)["status"] == "importiert"


def test_the_upload_page_asks_for_the_tick_before_the_button(writable_demo_db):
    from streamlit.testing.v1 import AppTest

    from tests.test_upload_page import APP, PAGE, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE)
    at.run()
    content = _ffcsv([("03157001", "31.12.2023", "1234,5")])
    at.file_uploader(key="uploader").set_value([("bevoelkerung.csv", content, "text/csv")])
    at.run()
    assert not at.exception
    button = next(b for b in at.button if b.key and b.key.startswith("commit_"))
    assert button.disabled
    assert any("Plausibilitätswarnung" in w.value for w in at.warning)
    next(c for c in at.checkbox if c.key and c.key.startswith("plausible_")).check()
    at.run()
    button = next(b for b in at.button if b.key and b.key.startswith("commit_"))
    assert not button.disabled


def test_the_impact_section_names_comparison_regions_whose_values_jump(tmp_monitor, tmp_path):
    """Issue 21: the impact section named the own Kreis's indicators only; a comparison region whose population
    jumps tenfold (Salzgitter) is named there too, beside the plausibility warning."""
    m = tmp_monitor
    first = _ffcsv([("03102", "31.12.2021", "104000"), ("03157", "31.12.2021", "133000")])
    res = session.import_bytes("bestand.csv", first, m.store, m.catalog, m.settings, "test")
    assert res.status == "importiert", [e.text() for e in res.errors]
    raw = RawFile("neu.csv", _ffcsv([("03102", "31.12.2022", "1040000"), ("03157", "31.12.2022", "133500")]))
    parsed = pipeline.preview(raw, m.store, m.catalog, m.settings)
    assert parsed.ok and parsed.impact is not None
    (jump,) = parsed.impact.jumps
    assert jump[0] == "03102"
    assert "(03102), 2022, Bevölkerung: 104.000 (2021) → 1.040.000" in jump[1] and "Plausibilität" not in jump[1]
    assert parsed.impact.as_dict()["comparison_jumps"] == [{"region": "03102", "text": jump[1]}]


def test_the_year_after_a_thousandfold_value_is_not_flagged(tmp_monitor, tmp_path):
    """Review: after a thousandfold 2022 the correct 2023 was flagged too (compared with the outlier); the outlier
    alone is named, against its plausible neighbour."""
    _seed(tmp_monitor, tmp_path, [dict(variable="bevoelkerung", region="03157001", year=2021, value=13000)])
    parsed = _preview(
        tmp_monitor, _ffcsv([("03157001", "31.12.2022", "13000000"), ("03157001", "31.12.2023", "13100")])
    )
    rules = _rules(parsed)
    assert list(rules) == ["tausendfach"], rules
    (msg,) = rules["tausendfach"]
    assert "2022, Bevölkerung: 13.000 (2021) → 13.000.000" in msg


def test_an_outlier_at_the_start_of_a_file_alone(tmp_monitor):
    """Without values in the database: the first year a thousandfold of the two after it is the one named."""
    parsed = _preview(
        tmp_monitor,
        _ffcsv(
            [
                ("03157001", "31.12.2021", "13000000"),
                ("03157001", "31.12.2022", "13000"),
                ("03157001", "31.12.2023", "13100"),
            ]
        ),
    )
    (msg,) = _rules(parsed)["tausendfach"]
    assert "2021, Bevölkerung: 13.000 (2022) → 13.000.000" in msg
    assert list(_rules(parsed)) == ["tausendfach"]


def test_the_year_after_a_tenfold_typing_error_is_not_flagged(tmp_monitor, tmp_path):
    _seed(tmp_monitor, tmp_path, [dict(variable="bevoelkerung", region="03157001", year=2021, value=13000)])
    parsed = _preview(tmp_monitor, _ffcsv([("03157001", "31.12.2022", "130000"), ("03157001", "31.12.2023", "13100")]))
    (msg,) = _rules(parsed)["vorjahr"]
    assert "2022, Bevölkerung: 13.000 (2021) → 130.000" in msg
    assert list(_rules(parsed)) == ["vorjahr"]


def test_a_thousandfold_level_shift_is_flagged_on_both_sides(tmp_monitor):
    """Two years in a row a thousandfold (a unit changed in the file): neither side vouches for the other."""
    parsed = _preview(
        tmp_monitor,
        _ffcsv(
            [
                ("03157001", "31.12.2020", "13000"),
                ("03157001", "31.12.2021", "13000"),
                ("03157001", "31.12.2022", "13000000"),
                ("03157001", "31.12.2023", "13000000"),
            ]
        ),
    )
    msgs = _rules(parsed)["tausendfach"]
    assert len(msgs) == 2 and "2021" in msgs[0] and "2022" in msgs[1]


def test_a_total_far_above_the_sum_of_its_parts_is_named(tmp_monitor):
    """Review: 'Insgesamt' 153.088.000 beside Deutsche + Ausländer summing to 153.088 passed without a word."""
    from tests.conftest import SAMPLES

    text = (SAMPLES / "genesis_12411-03-03-4_kreise.csv").read_bytes().decode("latin-1")
    row = "31.12.2022;03157;      Peine, Landkreis;153088;"
    assert row in text
    content = text.replace(row, "31.12.2022;03157;      Peine, Landkreis;153088000;").encode("latin-1")
    parsed = _preview(tmp_monitor, content, "12411-03-03-4.csv")
    assert parsed.ok, [p.text() for p in parsed.problems]
    (msg,) = _rules(parsed)["teile"]
    assert msg.startswith(
        "Plausibilität – die Summe weicht von ihren Teilen ab (über 2 %): Landkreis Peine (03157), 2022, "
    )
    assert "Bevölkerung: insgesamt 153.088.000, Deutsche + Ausländer/-innen zusammen 153.088." in msg
    (warning,) = [p for p in parsed.plausibility_warnings if p.rule == "teile"]
    assert warning.row == 16 and warning.column.startswith("D")


def test_totals_equal_to_their_parts_pass(tmp_monitor):
    from tests.conftest import SAMPLES

    parsed = _preview(tmp_monitor, (SAMPLES / "genesis_12411-03-03-4_kreise.csv").read_bytes(), "12411.csv")
    assert parsed.ok and "teile" not in _rules(parsed)


def test_of_two_years_alone_the_one_far_from_the_other_regions_is_named(tmp_monitor):
    """Review: a table of 2022 and 2023 with Peine's 2022 a thousandfold flagged the correct 2023 too (against
    2022). With two values alone, the one a thousandfold of the typical value of its year among the file's Kreise is
    the outlier."""
    from tests.conftest import SAMPLES

    text = (SAMPLES / "genesis_12411-03-03-4_kreise.csv").read_bytes().decode("latin-1")
    row = "31.12.2022;03157;      Peine, Landkreis;153088;"
    content = text.replace(row, "31.12.2022;03157;      Peine, Landkreis;153088000;").encode("latin-1")
    msgs = _rules(_preview(tmp_monitor, content, "12411-03-03-4.csv"))["tausendfach"]
    assert len(msgs) == 1 and "Landkreis Peine (03157), 2022, Bevölkerung: " in msgs[0], msgs
