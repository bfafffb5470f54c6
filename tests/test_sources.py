"""The source readers on the sample exports in tests/fixtures/samples and on variants of their layouts:
recognised by content, the right values with flags, every assumption recorded, every value located."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest
from badfiles import SAMPLES, ff_row, ffcsv, template_csv
from conftest import ROOT, make_settings
from openpyxl import Workbook, load_workbook

from indicators import queries
from indicators.cli import main as cli_main
from indicators.ingest import pipeline, session
from indicators.ingest.base import PARSED_COLUMNS, RawFile
from indicators.ingest.files import decode_text
from indicators.ingest.sources.mapping import (
    MappingReader,
    find_profile_for,
    get_profile,
    list_profiles,
    load_profile_file,
    load_spec,
    save_profile,
)
from indicators.ingest.template import write_template
from indicators.ingest.values import parse_cell, parse_series
from indicators.service import open_monitor

PROFILE_FILE = ROOT / "indicators" / "definitions" / "mappings" / "profile_personalamt.yaml"


def raw_sample(name: str) -> RawFile:
    return RawFile(name, (SAMPLES / name).read_bytes())


def parse(monitor, raw: RawFile, reader=None):
    return pipeline.parse(raw, monitor.settings, reader)


def one(df: pd.DataFrame, **where) -> pd.Series:
    for k, v in where.items():
        df = df[df[k] == v]
    assert len(df) == 1, df
    return df.iloc[0]


def current(monitor) -> pd.DataFrame:
    return monitor.store.query_df("SELECT * FROM obs_current")


def import_file(monitor, raw: RawFile, reader=None):
    return session.import_bytes(
        raw.name, raw.content, monitor.store, monitor.catalog, monitor.settings, "test", reader=reader
    )


def personalamt_reader():
    return MappingReader(load_profile_file(PROFILE_FILE))


# -- recognition ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, fmt",
    [
        ("genesis_12411-03-03-4_kreise.csv", "genesis_tabelle"),
        ("genesis_flat_12411-01-01-5_gemeinden.csv", "genesis_flat"),
        ("ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx", "ba_excel"),
        ("opensdg_indicator_5-3-2_niedersachsen.csv", "opensdg"),
    ],
)
def test_samples_are_recognised_by_content_not_name(tmp_monitor, name, fmt):
    raw = raw_sample(name)
    renamed = RawFile("upload." + name.rsplit(".", 1)[1], raw.content)
    parsed = parse(tmp_monitor, renamed)
    assert parsed.format == fmt, parsed.problems
    assert parsed.reasoning.startswith("Erkannt als ")
    assert parsed.assumptions["Format"] == parsed.format_label
    assert parsed.assumptions["Erkannt, weil"] == parsed.reasoning
    assert list(parsed.data.columns) == list(PARSED_COLUMNS)
    d = parsed.data
    assert d["source_row"].notna().all() and (d["source_row"] >= 1).all()
    assert d["source_column"].notna().all()


def test_reasoning_lists_the_formats_checked_before(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("genesis_12411-03-03-4_kreise.csv"))
    assert "Vorher geprüft und verworfen: GENESIS-Flatfile (ffcsv), Open-SDG-Indikatordatei (CSV)" in parsed.reasoning
    assert "12411-03-03-4" in parsed.reasoning


def test_unrecognised_file_says_what_was_checked(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("personalamt_migrationsgeschichte_2024.xlsx"))
    assert parsed.format == "unbekannt"
    msg = parsed.errors[0].message
    assert "Geprüft und verworfen" in msg and "GENESIS-Tabelle (Excel)" in msg and "Vorlage" in msg


# -- GENESIS table CSV ---------------------------------------------------------------------------
def test_genesis_table_values_flags_and_positions(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("genesis_12411-03-03-4_kreise.csv"))
    d = parsed.data
    peine = d[(d.region == "03157") & (d.year == 2022)]
    assert one(peine, nationality="auslaendisch", sex="insgesamt")["value"] == 12521
    male = one(peine, nationality="auslaendisch", sex="maennlich")
    assert male["value"] == 6636
    assert (male["source_row"], male["source_column"]) == (16, "K (Ausländer(innen) / männlich)")
    assert str(male["ref_date"]) == "2022-12-31"
    sz = one(d, region="03102", year=2023, nationality="auslaendisch", sex="insgesamt")
    assert math.isnan(sz["value"]) and sz["flag"] == "..."
    assert set(d["variable"]) == {"bevoelkerung"}
    a = parsed.assumptions
    assert a["Zeichenkodierung"] == "Windows-1252" and a["Trennzeichen"] == "Semikolon"
    assert a["Kopfzeilen"] == "Zeile 7, Zeile 8" and a["Einheit"] == "Anzahl" and a["Statistik"] == "12411"
    assert parsed.region_names["03157"] == "Peine, Landkreis"
    assert len(d) == 18 * 9


def test_genesis_table_footer_is_found_by_keys_not_by_count(tmp_monitor):
    text = (SAMPLES / "genesis_12411-03-03-4_kreise.csv").read_bytes().decode("cp1252")
    longer = text.replace(
        'Die Werte sind gerundet."', 'Die Werte sind gerundet.\r\nNoch eine Zeile;\r\nUnd noch eine."'
    )
    longer = longer.replace(
        "Fortschreibung des Bevölkerungsstandes", "Fortschreibung des Bevölkerungsstandes (Kosten in €)"
    )
    parsed = parse(tmp_monitor, RawFile("t.csv", longer.encode("cp1252")))
    assert parsed.ok and len(parsed.data) == 18 * 9
    assert b"\x80" in longer.encode("cp1252")
    assert "€" in decode_text(RawFile("t.csv", longer.encode("cp1252")))[0]


def test_genesis_table_with_age_groups_and_years(tmp_monitor):
    lines = [
        "GENESIS-Tabelle: 12411-02-02-4;;;;",
        "Bevölkerung nach Altersgruppen;;;;",
        "Stichtag 31.12.;;;;",
        "regionale Tiefe: Kreise und krfr. Städte;;;;",
        "Bevölkerungsstand (Anzahl);;;;",
        ";;;;Insgesamt;Deutsche;Ausländer(innen)",
        ";;;;Insgesamt;Insgesamt;Insgesamt",
        "2023;03157;      Peine, Landkreis;unter 3 Jahre;3.900;3.500;400",
        "2023;03157;      Peine, Landkreis;15 bis unter 18 Jahre;(4.100);3.700;400",
        "2023;03157;      Peine, Landkreis;75 Jahre und mehr;17.000 p;16.800;200",
        "2023;03157;      Peine, Landkreis;Insgesamt;24.000;-;x",
        "__________;;;;",
        "Stand: 01.01.2025;;;;",
    ]
    raw = RawFile("alter.csv", "\r\n".join(lines).encode("cp1252"))
    parsed = parse(tmp_monitor, raw)
    assert parsed.format == "genesis_tabelle", parsed.problems
    d = parsed.data
    assert set(d["age_group"]) == {"u3", "15-18", "75_plus", "insgesamt"}
    r = one(d, age_group="15-18", nationality="insgesamt")
    assert (r["value"], r["flag"], r["year"]) == (4100, "()", 2023)
    assert one(d, age_group="75_plus", nationality="insgesamt")[["value", "flag"]].tolist() == [17000, "p"]
    dash = one(d, age_group="insgesamt", nationality="deutsch")
    assert math.isnan(dash["value"]) and dash["flag"] == "-"
    assert parsed.assumptions["Altersgruppe"] == "Spalte D"


# -- GENESIS flat CSV ----------------------------------------------------------------------------
def test_genesis_flat_values(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("genesis_flat_12411-01-01-5_gemeinden.csv"))
    d = parsed.data
    ede = one(d, region="03157001", year=2021, nationality="deutsch")
    assert ede["value"] == 13724 and ede["source_row"] == 2 and ede["source_column"] == "N (value)"
    hoh = one(d, region="03157002", year=2021, nationality="auslaendisch")
    assert math.isnan(hoh["value"]) and hoh["flag"] == "." and hoh["source_row"] == 5
    assert parsed.assumptions["Zeichenkodierung"] == "UTF-8 mit BOM"
    assert parsed.assumptions["Wertmerkmal BEVSTD (Statistik 12411)"] == "Variable bevoelkerung"
    assert parsed.region_names["03157005"] == "Peine, Stadt"


def test_genesis_flat_more_groups_value_q_years_and_kreise(tmp_monitor):
    head = (
        "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
        "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
        "2_variable_attribute_code;2_variable_attribute_label;3_variable_code;3_variable_label;"
        "3_variable_attribute_code;3_variable_attribute_label;4_variable_code;4_variable_label;"
        "4_variable_attribute_code;4_variable_attribute_label;value;value_q;value_unit;value_variable_code;"
        "value_variable_label"
    )
    rows = []
    for nat, nat_label, ges, ges_label, value, q in [
        ("NATD", "Deutsche", "GESM", "männlich", "60.000", ""),
        ("NATA", "Ausländer(innen)", "GESW", "weiblich", "6.000", "e"),
        ("NATA", "Ausländer(innen)", "GESM", "männlich", "/", ""),
    ]:
        rows.append(
            f"12411;Bevölkerung;JAHR;Jahr;2022;KREISE;Kreise;03157;Peine, Landkreis;NAT;Nationalität;{nat};"
            f"{nat_label};GES;Geschlecht;{ges};{ges_label};ALTX20;Altersgruppen;ALT015B18;15 bis unter 18 Jahre;"
            f"{value};{q};Anzahl;BEVSTD;Bevölkerungsstand"
        )
    raw = RawFile("ff.csv", ("\r\n".join([head, *rows]) + "\r\n").encode("utf-8"))
    parsed = parse(tmp_monitor, raw)
    assert parsed.format == "genesis_flat", parsed.problems
    d = parsed.data
    r = one(d, nationality="auslaendisch", sex="weiblich")
    assert (r["value"], r["flag"], r["year"], r["age_group"], r["region"]) == (6000, "e", 2022, "15-18", "03157")
    assert r["ref_date"] is None
    assert one(d, nationality="deutsch")["value"] == 60000
    assert one(d, nationality="auslaendisch", sex="maennlich")["flag"] == "/"
    assert parsed.assumptions["Qualitätskennzeichen"].startswith("Spalte value_q")


def test_unmapped_feature_names_the_mapping_file(tmp_monitor):
    rows = [ff_row().replace("NAT;Nationalität;NATD;Deutsche", "FAMST;Familienstand;LEDIG;ledig")]
    parsed = parse(tmp_monitor, RawFile("ff.csv", ffcsv(rows)))
    msg = parsed.errors[0].message
    assert "Merkmal FAMST" in msg and "der Zuordnung „genesis.yaml“" in msg and "Administration" in msg
    assert "indicators/" not in msg and "definitions" not in msg  # no server path (review: users never see paths)


# -- BA Excel ------------------------------------------------------------------------------------
def test_ba_values_symbols_and_sheet(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"))
    d = parsed.data
    quote = one(d, variable="alq", region="03157", nationality="auslaendisch")
    assert quote["value"] == pytest.approx(14.9)
    assert (quote["source_sheet"], quote["source_row"], quote["source_column"]) == (
        "aGB - Tabelle II",
        10,
        "H (Ausländer / Quote in %)",
    )
    star = one(d, variable="arbeitslose", region="03157002", nationality="auslaendisch")
    assert math.isnan(star["value"]) and star["flag"] == "*"
    x = d[(d.variable == "alq") & (d.region.str.len() == 8)]
    assert len(x) == 21 and x["value"].isna().all() and set(x["flag"]) == {"x"}
    assert one(d, variable="arbeitslose", region="03157", nationality="insgesamt")["value"] == 4312
    assert set(d["year"]) == {2025}
    a = parsed.assumptions
    assert a["Blatt"].startswith("aGB - Tabelle II") and "Inhalt" in a["Blatt"]
    assert a["Stichtag"] == "Berichtsmonat: Juni 2025 → Jahr 2025"
    assert parsed.region_names["03157"] == "Landkreis Peine"


def _ba_workbook(extra_header: bool = True) -> bytes:
    wb = Workbook()
    wb.active.title = "Inhalt"
    wb.active.append(["Inhaltsverzeichnis"])
    ws = wb.create_sheet("Tabelle 3")
    rows = [
        ["Arbeitslose nach Staatsangehörigkeit"],
        ["Berichtsmonat: März 2024"],
        [],
        ["Region", "Schlüssel", "Arbeitslose", None, None, None],
        ["", "", "Insgesamt", None, "Ausländer", None],
        ["", "", "Anzahl", "Quote in %", "Anzahl", "Quote in %"],
        ["Landkreis Peine", 3157, 4000, "5,1", 1000, 12.0],
        ["Edemissen", 3157001, "-", "x ", ".x", "x"],
        ["Insgesamt", None, 4000, None, 1000, None],
        [],
        ["Quelle: © Statistik der Bundesagentur für Arbeit"],
    ]
    if not extra_header:
        del rows[3]
        rows[3][:2] = ["Region", "Schlüssel"]
    for r in rows:
        ws.append(r)
    if extra_header:
        ws.merge_cells("C4:F4")
        ws.merge_cells("C5:D5")
        ws.merge_cells("E5:F5")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_ba_three_header_rows_numeric_keys_and_totals_row(tmp_monitor):
    parsed = parse(tmp_monitor, RawFile("ba.xlsx", _ba_workbook()))
    assert parsed.format == "ba_excel", parsed.problems
    d = parsed.data
    assert set(d["region"]) == {"03157", "03157001"}
    assert one(d, variable="alq", region="03157", nationality="insgesamt")["value"] == pytest.approx(5.1)
    dash = one(d, variable="arbeitslose", region="03157001", nationality="insgesamt")
    assert math.isnan(dash["value"]) and dash["flag"] == "-"
    assert one(d, variable="arbeitslose", region="03157001", nationality="auslaendisch")["flag"] == ".x"
    assert one(d, variable="alq", region="03157001", nationality="insgesamt")["flag"] == "x"
    assert set(d["year"]) == {2024}
    assert any("Summenzeile „Insgesamt“ übersprungen" in w.message and w.row == 9 for w in parsed.warnings)
    assert parsed.assumptions["Kopfzeilen"] == "Zeile 4, Zeile 5, Zeile 6"


# -- Open SDG ------------------------------------------------------------------------------------
def test_opensdg_sample(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("opensdg_indicator_5-3-2_niedersachsen.csv"))
    d = parsed.data
    r = one(d, year=2022, nationality="auslaendisch")
    assert r["value"] == pytest.approx(18.1) and r["region"] == "03" and r["variable"] == "alq"
    assert str(r["ref_date"]) == "2022-06-30" and r["source_row"] == 33 and r["source_column"] == "E (Value)"
    assert one(d, year=2007, nationality="insgesamt")["value"] == pytest.approx(8.5)
    assert parsed.assumptions["Dezimalzeichen"] == "Punkt"


def test_opensdg_headline_and_kreise(tmp_monitor):
    text = (
        "Year,Kategorie,Kreise,Units,Value\n"
        "2021,,,%,5.5\n"
        "2021,Arbeitslosenquote von Ausländerinnen und Ausländern (alle Erwerbspersonen),,%,15.7\n"
        "2021,,Peine,%,5.1\n"
        "2021,,03158,%,4.9\n"
    )
    parsed = parse(tmp_monitor, RawFile("sdg.csv", text.encode()))
    d = parsed.data
    assert one(d, region="03", nationality="insgesamt")["value"] == pytest.approx(5.5)
    assert one(d, region="03", nationality="auslaendisch")["value"] == pytest.approx(15.7)
    assert one(d, region="03157")["value"] == pytest.approx(5.1)
    assert one(d, region="03158")["value"] == pytest.approx(4.9)
    bad = parse(tmp_monitor, RawFile("sdg.csv", text.replace("Peine", "Atlantis").encode()))
    assert "„Atlantis“" in bad.errors[0].message and "opensdg.yaml" in bad.errors[0].message


# -- mapping profiles ----------------------------------------------------------------------------
def test_personalamt_via_shipped_profile(tmp_monitor):
    parsed = parse(tmp_monitor, raw_sample("personalamt_migrationsgeschichte_2024.xlsx"), personalamt_reader())
    assert parsed.ok, parsed.problems
    d = parsed.data
    assert one(d, variable="personal_verwaltung", category="insgesamt")["value"] == 212 + 305 + 188 + 96 + 140
    assert one(d, variable="personal_verwaltung", category="mit_mh")["value"] == 19 + 31 + 12 + 11 + 14
    assert one(d, variable="auszubildende_verwaltung", category="insgesamt")["value"] == 14 + 11 + 9 + 2 + 0
    assert one(d, variable="auszubildende_verwaltung", category="mit_mh")["value"] == 6
    assert set(d["region"]) == {"03157"} and set(d["year"]) == {2024}
    warnings = [w for w in parsed.warnings]
    assert any(
        "als Text gespeichert" in w.message and w.row == 9 and w.column == "C (davon mit Migrationsgeschichte)"
        for w in warnings
    )
    assert any("Summenzeile „Summe“ übersprungen" in w.message and w.row == 10 for w in warnings)
    assert parsed.assumptions["Jahr"].startswith("2024 aus „Stand: 31.12.2024“")
    res = import_file(tmp_monitor, raw_sample("personalamt_migrationsgeschichte_2024.xlsx"), personalamt_reader())
    assert res.status == "importiert", res.errors


def test_profile_long_layout_csv_cp1252_tab_thousands(tmp_monitor):
    spec = {
        "name": "eigene_liste",
        "header_row": 2,
        "decimal": ",",
        "region": {"column": "Gemeinde", "codes": {"Edemissen": "03157001", "Peine, Stadt": "03157005"}},
        "year": {"column": "Jahr"},
        "variable": {"column": "Merkmal", "codes": {"Einwohner": "bevoelkerung"}},
        "value_column": "Anzahl",
        "dimensions": {
            "nationality": {"column": "Pass", "codes": {"Deutsch": "deutsch", "Ausländisch": "auslaendisch"}},
            "sex": {"value": "insgesamt"},
        },
    }
    text = (
        "Liste der Gemeinden\n"
        "Gemeinde\tJahr\tMerkmal\tPass\tAnzahl\n"
        "Edemissen\t2023\tEinwohner\tDeutsch\t1.234\n"
        "Peine, Stadt\t31.12.2023\tEinwohner\tAusländisch\t5.678\n"
        "Gesamt\t2023\tEinwohner\t\t6.912\n"
    )
    raw = RawFile("liste.txt", text.encode("cp1252"))
    parsed = parse(tmp_monitor, raw, MappingReader(spec))
    assert parsed.ok, parsed.problems
    d = parsed.data
    assert one(d, region="03157001")["value"] == 1234
    r = one(d, region="03157005")
    assert (r["value"], r["nationality"], r["year"], r["source_row"], r["source_column"]) == (
        5678,
        "auslaendisch",
        2023,
        4,
        "E (Anzahl)",
    )
    assert (
        parsed.assumptions["Trennzeichen"] == "Tabulator" and parsed.assumptions["Zeichenkodierung"] == "Windows-1252"
    )
    assert any("Summenzeile „Gesamt“" in w.message for w in parsed.warnings)


def test_profile_spec_errors_are_german_and_name_the_entry():
    with pytest.raises(Exception) as exc:
        load_spec(
            {
                "name": "x",
                "region": {"value": "03157"},
                "year": {"column": "Jahr", "value": 2020},
                "value_column": "Wert",
                "variable": {"value": "bevoelkerung"},
            }
        )
    assert "Zuordnungsprofil" in str(exc.value) and "year" in str(exc.value) and "genau eine Angabe" in str(exc.value)
    with pytest.raises(Exception) as exc:
        load_spec(
            {
                "name": "x",
                "region": {"value": "03157"},
                "year": {"value": 2020},
                "value_column": "Wert",
                "variable": {"value": "bevoelkerung"},
                "dimensions": {"sex": {"value": "x"}},
                "extra": 1,
            }
        )
    assert "extra" in str(exc.value) and "unbekannter Eintrag" in str(exc.value)


def test_profiles_save_list_find_and_cli(tmp_path):
    settings = make_settings(tmp_path)
    m = open_monitor(settings=settings)
    try:
        raw = raw_sample("personalamt_migrationsgeschichte_2024.xlsx")
        spec = load_profile_file(PROFILE_FILE)
        assert find_profile_for(m.store, raw).name == "personalamt"  # shipped example, matched by its columns
        saved = save_profile(m.store, "personal_2025", spec, "test", raw=raw)
        assert saved.name == "personal_2025"
        listed = {p["name"]: p for p in list_profiles(m.store)}
        assert listed["personal_2025"]["origin"] == "gespeichert" and listed["personal_2025"]["signature"]
        assert listed["personalamt"]["origin"] == "mitgeliefert"
        assert find_profile_for(m.store, raw).name == "personal_2025"  # same header signature wins
        assert find_profile_for(m.store, raw_sample("genesis_flat_12411-01-01-5_gemeinden.csv")) is None
        assert get_profile(m.store, "personal_2025").header_row == 4
        hint = pipeline.preview(raw, m.store, m.catalog, m.settings)
        assert "Passendes Zuordnungsprofil: „personal_2025“" in hint.errors[0].message
    finally:
        m.close()
    db = str(settings.db_path)
    import os

    os.environ["MONITOR_ARCHIVE_DIR"] = str(tmp_path / "archive")
    try:
        assert cli_main(["--db", db, "profiles"]) == 0
        assert (
            cli_main(
                [
                    "--db",
                    db,
                    "import",
                    "--profile",
                    "personal_2025",
                    str(SAMPLES / "personalamt_migrationsgeschichte_2024.xlsx"),
                ]
            )
            == 0
        )
        assert (
            cli_main(
                [
                    "--db",
                    db,
                    "import",
                    "--profile",
                    "gibt_es_nicht",
                    str(SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv"),
                ]
            )
            == 2
        )
        # deleting: a saved profile goes (audited), a shipped example stays, an unknown name is an error
        assert cli_main(["--db", db, "profiles", "--delete", "personal_2025", "--user", "pruefer"]) == 0
        assert cli_main(["--db", db, "profiles", "--delete", "personalamt"]) == 1
        assert cli_main(["--db", db, "profiles", "--delete", "gibt_es_nicht"]) == 1
        m = open_monitor(settings=settings)
        try:
            names = {p["name"]: p["origin"] for p in list_profiles(m.store)}
            assert "personal_2025" not in names and names["personalamt"] == "mitgeliefert"
            log = m.store.audit_log()
            assert (
                (log["action"] == "profil_geloescht")
                & (log["object"] == "personal_2025")
                & (log["user_name"] == "pruefer")
            ).sum() == 1
            assert m.store.scalar("SELECT count(*) FROM uploads WHERE status = 'aktiv'") == 1  # its import stays
        finally:
            m.close()
    finally:
        del os.environ["MONITOR_ARCHIVE_DIR"]


def test_cli_profiles_json(tmp_path, capsys):
    assert cli_main(["--db", str(tmp_path / "m.duckdb"), "profiles", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert any(p["name"] == "personalamt" for p in out)


# -- whole imports ---------------------------------------------------------------------------------
def test_samples_import_with_values_in_the_database(tmp_monitor):
    m = tmp_monitor
    for name in (
        "genesis_flat_12411-01-01-5_gemeinden.csv",
        "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx",
        "opensdg_indicator_5-3-2_niedersachsen.csv",
    ):
        res = import_file(m, raw_sample(name))
        assert res.status == "importiert", res.errors
        assert res.assumptions["Format"] and res.assumptions["Erkannt, weil"]
    res = import_file(m, raw_sample("personalamt_migrationsgeschichte_2024.xlsx"), personalamt_reader())
    assert res.status == "importiert", res.errors
    cur = current(m)
    assert one(cur, variable="bevoelkerung", region="03157001", year=2021, nationality="deutsch")["value"] == 13724
    assert one(cur, variable="alq", region="03157", year=2025, nationality="auslaendisch")["value"] == pytest.approx(
        14.9
    )
    assert one(cur, variable="alq", region="03", year=2022, nationality="auslaendisch")["value"] == pytest.approx(18.1)
    assert one(cur, variable="personal_verwaltung", region="03157", year=2024, category="insgesamt")["value"] == 941
    uploads = m.store.uploads()
    assumptions = json.loads(uploads.iloc[0]["assumptions"])
    assert assumptions["Zuordnungsprofil"] == "personalamt"


def test_unknown_regions_error_then_added_from_the_file(tmp_monitor):
    """An official file's Kreise outside the own area are comparison regions (issue 10); an unknown key of the own
    area (a Gemeinde of Peine the list does not know) still blocks the file until it is added from the file."""
    m = tmp_monitor
    sample = raw_sample("genesis_12411-03-03-4_kreise.csv")
    text = sample.content.decode("cp1252")
    extra = "31.12.2022;03157999;      Neue Gemeinde;100;50;50;90;45;45;10;5;5\r\n"
    raw = RawFile("mit_neuer_gemeinde.csv", text.replace("__________", extra + "__________", 1).encode("cp1252"))
    before = m.store.content_digest()
    res = import_file(m, raw)
    assert res.status == "abgelehnt"
    unknown = [e for e in res.errors if e.message.startswith("Unbekannte Region")]
    assert [e.message.split(":")[0] for e in unknown] == ["Unbekannte Region 03157999 („Neue Gemeinde“)"]
    assert (
        "enthält 8 weitere Regionen; sie werden als Vergleichsregionen übernommen"
        in res.assumptions["Weitere Regionen"]
    )
    assert m.store.content_digest() == before
    parsed = pipeline.preview(raw, m.store, m.catalog, m.settings)
    assert parsed.unknown_regions == ["03157999"]  # what the page offers to add
    added = pipeline.add_regions_from_file(parsed, ["03157999"], m.store, m.catalog, m.settings, "test")
    assert [a["key"] for a in added] == ["03157999"]
    res = import_file(m, raw)
    assert res.status == "importiert", res.errors
    regions = m.store.regions().set_index("key")
    assert regions.loc["03157999", "origin"] == "Upload" and regions.loc["03157999", "parent"] == "03157"
    assert regions.loc["03101", "name"] == "Braunschweig, Kreisfreie Stadt"
    assert regions.loc["03101", "level"] == "kreis" and regions.loc["03101", "parent"] == "03"
    assert regions.loc["03101", "origin"] == "Vergleich"
    cur = current(m)
    peine = cur[(cur.region == "03157") & (cur.year == 2022) & (cur.nationality == "auslaendisch")]
    assert one(peine, sex="insgesamt")["value"] == 12521 and one(peine, sex="maennlich")["value"] == 6636
    sz = one(cur, region="03102", year=2023, nationality="auslaendisch", sex="insgesamt")
    assert math.isnan(sz["value"]) and sz["flag"] == "..."
    log = m.store.audit_log()
    assert (log["action"] == "region_hinzugefuegt").sum() == 1
    assert (log["action"] == "vergleichsregionen_hinzugefuegt").sum() == 1


def test_round_trip_through_the_template(tmp_path):
    first = open_monitor(settings=make_settings(tmp_path / "a"))
    second = open_monitor(settings=make_settings(tmp_path / "b"))
    try:
        for name in (
            "genesis_flat_12411-01-01-5_gemeinden.csv",
            "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx",
            "opensdg_indicator_5-3-2_niedersachsen.csv",
        ):
            assert import_file(first, raw_sample(name)).status == "importiert"
        assert (
            import_file(first, raw_sample("personalamt_migrationsgeschichte_2024.xlsx"), personalamt_reader()).status
            == "importiert"
        )
        regions = list(first.store.regions()[["key", "name"]].itertuples(index=False, name=None))
        path = write_template(
            tmp_path / "export.xlsx", queries.current_observations(first.store), first.catalog, regions
        )
        res = session.import_path(path, second.store, second.catalog, second.settings, "test")
        assert res.status == "importiert", res.errors

        def values(m):
            df = m.store.query_df("SELECT * FROM indicator_values")
            return df.sort_values(list(df.columns[:7])).reset_index(drop=True)

        a, b = values(first), values(second)
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)
    finally:
        first.close()
        second.close()


def test_formula_injection_in_a_text_column_is_harmless(tmp_monitor, tmp_path):
    m = tmp_monitor
    evil = '=HYPERLINK("http://example.org","klick")'
    raw = RawFile("injektion.csv", template_csv([f"bevoelkerung;03157999;{evil};2020;;;;;;10;"]))
    parsed = pipeline.preview(raw, m.store, m.catalog, m.settings)
    assert any("Unbekannte Region 03157999" in e.message for e in parsed.errors)
    pipeline.add_regions_from_file(parsed, ["03157999"], m.store, m.catalog, m.settings, "test")
    res = import_file(m, raw)
    assert res.status == "importiert", res.errors
    assert m.store.regions().set_index("key").loc["03157999", "name"] == evil
    regions = list(m.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    path = write_template(tmp_path / "export.xlsx", queries.current_observations(m.store), m.catalog, regions)
    ws = load_workbook(path)["Daten"]
    names = [c.value for c in ws["C"]]
    assert evil in names and "'" + evil not in names  # a text cell, as it is: the round trip keeps it (issue 11)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# -- values -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cell, value, flag",
    [
        ("* ", None, "*"),
        ("…", None, "…"),
        ("...", None, "..."),
        ("–", None, "-"),
        (".x", None, ".x"),
        ("(12)", 12.0, "()"),
        ("12 p", 12.0, "p"),
        ("1.234,5r", 1234.5, "r"),
        ("x ", None, "x"),
        ("0", 0.0, None),
    ],
)
def test_special_symbols(cell, value, flag):
    parsed = parse_series(pd.Series([cell], dtype=object), ",").iloc[0]
    assert (None if math.isnan(parsed["value"]) else parsed["value"]) == value
    assert parsed["flag"] == flag
    assert parsed["error"] is None
    single = parse_cell(cell)
    assert single.flag == flag


# -- more containers and layouts -------------------------------------------------------------------
def test_xlsm_is_read_like_xlsx(tmp_monitor):
    raw = RawFile("arbeitsmarkt.xlsm", (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes())
    parsed = parse(tmp_monitor, raw)
    assert parsed.format == "ba_excel" and len(parsed.data) == 48


def test_genesis_table_with_years_as_columns(tmp_monitor):
    lines = [
        "GENESIS-Tabelle: 12411-01-01-4;;",
        "Bevölkerung: Kreise, Stichtag;;",
        "Bevölkerungsstand (Anzahl);;",
        ";;31.12.2022;31.12.2023",
        "03157;Peine, Landkreis;153088;127815",
        "03;Niedersachsen;8140242;8161981",
        "__________;;;",
        "© Statistische Ämter des Bundes und der Länder;;;",
    ]
    parsed = parse(tmp_monitor, RawFile("jahre.csv", "\r\n".join(lines).encode("cp1252")))
    assert parsed.format == "genesis_tabelle", parsed.problems
    d = parsed.data
    assert one(d, region="03157", year=2023)["value"] == 127815
    assert one(d, region="03", year=2022)["source_column"] == "C (31.12.2022)"
    assert parsed.assumptions["Stichtag"] == "aus den Spaltenköpfen"


def _ods(rows: list[list[object]]) -> bytes:
    from xml.sax.saxutils import escape

    from badfiles import ods

    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = f'<table:table table:name="Liste">{body}</table:table>'
    return ods(content)


def test_profile_reads_ods(tmp_monitor):
    spec = {
        "name": "ods_liste",
        "header_row": 1,
        "region": {"column": "AGS"},
        "year": {"value": 2024},
        "values": [{"column": "Lotsen", "variable": "integrationslotsen_aktiv"}],
    }
    raw = RawFile(
        "lotsen.ods",
        _ods(
            [
                ["AGS", "Gemeinde", "Lotsen"],
                ["03157001", "Edemissen", 4],
                ["03157005", "Peine, Stadt", 11],
                ["Summe", None, 15],
            ]
        ),
    )
    parsed = parse(tmp_monitor, raw, MappingReader(spec))
    assert parsed.ok, parsed.problems
    d = parsed.data
    assert one(d, region="03157005")["value"] == 11 and set(d["year"]) == {2024}
    assert any("Summenzeile „Summe“" in w.message for w in parsed.warnings)


def test_broken_mapping_table_is_named_with_file_and_entry(tmp_path, monkeypatch, tmp_monitor):
    import shutil

    defs = tmp_path / "defs"
    shutil.copytree(PROFILE_FILE.parent.parent, defs)
    path = defs / "mappings" / "genesis.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("dimension: nationality", "dimension: nation", 1), encoding="utf-8"
    )
    monkeypatch.setenv("MONITOR_DEFINITIONS", str(defs))
    parsed = parse(tmp_monitor, raw_sample("genesis_flat_12411-01-01-5_gemeinden.csv"))
    msg = parsed.errors[0].message
    assert "Zuordnung „genesis.yaml“" in msg and "features → NAT → dimension" in msg
    assert str(path) not in msg  # the page never names a path of the server


def test_ba_workbook_with_two_tables_reads_both(tmp_path):
    """A BA workbook often holds several tables: none of them may be dropped silently."""
    from openpyxl import Workbook

    from indicators.ingest.base import RawFile
    from indicators.ingest.sources.ba_excel import BaExcelReader

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, title, period, value in (
        ("Tabelle 1", "Arbeitslose nach Staatsangehörigkeit", "Berichtsmonat: Juni 2025", 4312),
        ("Tabelle 2", "Beschäftigte am Wohnort nach Staatsangehörigkeit", "Jahresdurchschnitt 2025", 51000),
    ):
        ws = wb.create_sheet(sheet)
        ws.append([title])
        ws.append([period])
        ws.append([])
        ws.append(["Region", "Schlüssel", "Insgesamt"])
        ws.append(["", "", "Anzahl"])
        ws.append(["Landkreis Peine", "03157", value])
        ws.append([])
        ws.append(["© Statistik der Bundesagentur für Arbeit"])
    path = tmp_path / "ba_zwei_tabellen.xlsx"
    wb.save(path)
    parsed = BaExcelReader().read(RawFile(path.name, path.read_bytes()))
    got = {(r.variable, r.year): r.value for r in parsed.data.itertuples()}
    assert got == {("arbeitslose", 2025): 4312, ("svb_wohnort", 2025): 51000}
    assert {"Tabelle 1", "Tabelle 2"} <= set(parsed.data["source_sheet"])


# -- legacy Excel (.xls) ----------------------------------------------------------------------------
XLS_FIXTURE = ROOT / "tests" / "fixtures" / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xls"


def test_ba_table_as_legacy_xls_reads_like_the_xlsx(tmp_monitor):
    """A real BIFF8 .xls (the BA sample's cells and merged header cells, written once with xlwt into
    tests/fixtures/) is read by calamine like the .xlsx and imports with the same values."""
    m = tmp_monitor
    cols = ["variable", "region", "year", "nationality", "value", "flag"]
    assert XLS_FIXTURE.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE compound file, not a zip
    xls = pipeline.preview(RawFile(XLS_FIXTURE.name, XLS_FIXTURE.read_bytes()), m.store, m.catalog, m.settings)
    xlsx = pipeline.preview(
        raw_sample("ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"), m.store, m.catalog, m.settings
    )
    assert xls.format == "ba_excel" and not xls.errors
    assert "Kopf" not in xls.assumptions  # the merged header cells were found, nothing guessed
    as_rows = lambda p: p.data[cols].astype(object).sort_values(cols[:4]).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(as_rows(xls), as_rows(xlsx))
    res = pipeline.commit(xls, m.store, m.catalog, m.settings, "test")
    assert res.status == "importiert"
    star = m.store.scalar("SELECT flag FROM observations WHERE variable = 'arbeitslose' AND value IS NULL LIMIT 1")
    assert star == "*"


def test_many_bad_cells_are_listed_and_counted_once(tmp_monitor):
    """100 unreadable dates: 50 are listed with row and column, one line counts the other 50 (no second,
    contradicting total)."""
    rows = [ff_row(key=f"031570{i % 10:02d}", time=f"Jahr {i}", value=str(i)) for i in range(100)]
    parsed = pipeline.preview(
        RawFile("zeiten.csv", ffcsv(rows)), tmp_monitor.store, tmp_monitor.catalog, tmp_monitor.settings
    )
    dates = [p for p in parsed.errors if "Keine Jahreszahl" in p.message]
    assert len(dates) == 50 and dates[0].row == 2 and dates[0].column == "time"
    counted = [p.message for p in parsed.errors if "weitere" in p.message or "insgesamt" in p.message]
    assert counted == ["… und 50 weitere Zellen mit demselben Problem."]


def test_a_text_file_problem_names_no_sheet(tmp_monitor):
    """A CSV has no sheets: the place of a bad cell is file, row and column (not "Blatt nan"), also in JSON."""
    m = tmp_monitor
    parsed = pipeline.preview(
        RawFile("g.csv", ffcsv([ff_row(value="abc"), ff_row("03157002", "Hohenhameln")])),
        m.store,
        m.catalog,
        m.settings,
    )
    bad = [p for p in parsed.errors if "abc" in p.message]
    assert [p.text() for p in bad] == [
        "Datei g.csv, Zeile 2, Spalte N (value): keine Zahl und kein amtliches Zeichen: „abc“"
    ]
    assert json.loads(json.dumps([p.as_dict() for p in bad]))[0]["sheet"] is None


def test_deleting_a_profile_says_why_it_cannot(tmp_monitor):
    """A shipped example and a name that is not (or no longer) saved are refused with their reason, for the
    page (which shows it) and the command line alike; nothing is recorded."""
    from indicators.ingest.sources.common import MappingError
    from indicators.ingest.sources.mapping import delete_profile

    m = tmp_monitor
    with pytest.raises(MappingError, match=r"^Zuordnungsprofil „personalamt“ ist ein mitgeliefertes Beispiel"):
        delete_profile(m.store, "personalamt", "test")
    with pytest.raises(MappingError, match=r"^Zuordnungsprofil „weg“ gibt es nicht \(mehr\)\.$"):
        delete_profile(m.store, "weg", "test")
    assert "profil_geloescht" not in set(m.store.audit_log()["action"])


def test_unreadable_inputs_are_explained_without_the_libraries_english(tmp_monitor, tmp_path, monkeypatch):
    """The reader's own words (calamine, the csv module, the operating system) go to the log, not to the user."""
    import python_calamine

    from indicators.ingest.base import RejectFile
    from indicators.ingest.files import read_sheets, read_text_table

    class Broken:
        @staticmethod
        def from_filelike(_fh):
            raise ValueError("invalid Zip archive: Could not find central directory end")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Broken)
    with pytest.raises(RejectFile) as sheet:
        read_sheets(
            RawFile("kaputt.xlsx", (SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx").read_bytes())
        )
    assert sheet.value.problem.message == (
        "Die Arbeitsmappe lässt sich nicht lesen (beschädigt oder unvollständig): "
        "Inhalt passt nicht zum Aufbau einer Arbeitsmappe."
    )
    with pytest.raises(RejectFile) as text:
        read_text_table(RawFile("lang.csv", ('a;b\n1;"' + "x" * 200_000 + '"\n').encode()))
    assert text.value.problem.row == 2 and "field larger" not in text.value.problem.message
    # the csv module's own limit (131.072 characters) no longer decides: the cell is measured and named (issue 11)
    assert (
        text.value.problem.message.startswith("Eine Zelle enthält 200.000 Zeichen") and text.value.problem.column == "B"
    )
    m = tmp_monitor
    missing = session.import_path(tmp_path / "fehlt.csv", m.store, m.catalog, m.settings, "test")
    assert (
        missing.errors[0].message == f"Die Datei lässt sich nicht öffnen: es gibt sie nicht ({tmp_path / 'fehlt.csv'})."
    )
