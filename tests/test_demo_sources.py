"""The demo in the real export layouts: every file is recognised as its format, the files look like the
real ones where the readers rely on it, and loading them gives the same base data and indicator values as
the template demo."""

from __future__ import annotations

import csv
import io
import time

import pandas as pd
import pytest
from conftest import SAMPLES, make_settings
from openpyxl import load_workbook

from indicators.compute import recompute
from indicators.demo import generator as demo
from indicators.demo import sources as demo_sources
from indicators.ingest import pipeline
from indicators.ingest.base import RawFile
from indicators.ingest.session import import_path
from indicators.service import open_monitor

KEY = ["variable", "region", "year", "nationality", "sex", "age_group", "category"]
IND_KEY = ["indicator", "region", "year", "nationality", "sex", "age_group", "category"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The real-layout demo written once (with a monitor for settings, catalog and regions)."""
    folder = tmp_path_factory.mktemp("demo_sources")
    m = open_monitor(settings=make_settings(folder))
    regions = list(m.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    paths = demo_sources.write_demo_exports(folder / "out", m.catalog, regions)
    yield m, folder / "out", paths
    m.close()


def load_template_demo(monitor):
    """The template path as ``service.load_demo`` ran it before it switched to the real layouts
    (spelled out here, so that the comparison stays meaningful after the switch)."""
    regions = list(monitor.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    paths = demo.write_demo_files(monitor.settings.db_path.parent / "demo", monitor.catalog, regions)
    results = [
        import_path(p, monitor.store, monitor.catalog, monitor.settings, "Demodaten", demo=True, recompute=False)
        for p in paths
    ]
    recompute(monitor.store, monitor.catalog, monitor.settings.min_count, own=monitor.settings.own_region)
    return results


@pytest.fixture(scope="module")
def both_databases(tmp_path_factory):
    """One database loaded with the template demo, one with the real-layout demo."""
    template = open_monitor(settings=make_settings(tmp_path_factory.mktemp("template_demo")))
    real = open_monitor(settings=make_settings(tmp_path_factory.mktemp("real_demo")))
    template_results = load_template_demo(template)
    start = time.perf_counter()
    real_results = demo_sources.load_demo_exports(real)
    seconds = time.perf_counter() - start
    yield template, real, template_results, real_results, seconds
    template.close()
    real.close()


def _parse(monitor, folder, entry):
    raw = RawFile(entry.file, (folder / entry.file).read_bytes())
    reader = demo_sources.profile_reader(entry.profile) if entry.profile else None
    return pipeline.validate(pipeline.parse(raw, monitor.settings, reader), monitor.store, monitor.catalog)


# -- (1) every file is recognised as its format, without errors ----------------------------------
def test_manifest_lists_every_written_file(written):
    _, folder, paths = written
    entries = demo_sources.read_manifest(folder)
    assert [folder / e.file for e in entries] == paths
    assert all(p.exists() for p in paths)
    formats = {e.format for e in entries}
    assert formats == {"genesis_flat", "genesis_tabelle", "ba_excel", "opensdg", "zuordnung", "vorlage"}
    profiles = {e.profile for e in entries if e.format == "zuordnung"}
    assert profiles == {"profile_personalamt.yaml", "profile_auslaenderbehoerde.yaml"}
    assert all(e.profile is None for e in entries if e.format != "zuordnung")


def test_every_file_is_recognised_as_its_format(written):
    m, folder, _ = written
    for entry in demo_sources.read_manifest(folder):
        parsed = _parse(m, folder, entry)
        assert parsed.format == entry.format, (entry.file, parsed.reasoning, [p.text() for p in parsed.problems])
        assert not parsed.errors, (entry.file, [p.text() for p in parsed.errors[:5]])
        assert len(parsed.data) == entry.values, entry.file
        assert sorted(parsed.data["variable"].unique()) == entry.variables, entry.file


def test_fixed_layouts_are_recognised_without_being_told(written):
    """The official layouts by content (pipeline.detect); the own lists only with their profile."""
    m, folder, _ = written
    for entry in demo_sources.read_manifest(folder):
        raw = RawFile(entry.file, (folder / entry.file).read_bytes())
        parsed = pipeline.parse(raw, m.settings)
        if entry.profile:
            assert parsed.format == "unbekannt", entry.file
            assert demo_sources.profile_reader(entry.profile).sniff(raw), entry.file
        else:
            assert parsed.format == entry.format, entry.file
            assert parsed.reasoning.startswith("Erkannt als"), entry.file


def test_routing_loses_nothing_and_duplicates_nothing(written):
    m, _, _ = written
    obs = demo.generate_observations()
    obs = obs[obs["variable"].isin(set(m.catalog.variables))]
    routed = demo_sources.route(obs)
    assert sum(len(f) for f in routed.values()) == len(obs)
    assert not pd.concat(routed.values())[KEY].duplicated().any()
    assert set(routed) >= {
        "genesis_flat",
        "genesis_table",
        "ba_arbeitslose",
        "ba_beschaeftigte",
        "ba_leistungsberechtigte",
        "opensdg",
        "personalamt",
        "auslaenderbehoerde",
        "template",
    }
    assert "bevoelkerung" not in set(routed["template"]["variable"])
    # a catalog without 'alq' (changed definitions): the BA unemployment table is not written, its counts
    # go to the template instead of a table whose columns the catalog would reject
    without = demo_sources.route(obs[obs["variable"] != "alq"])
    assert "ba_arbeitslose" not in without and "opensdg" not in without
    assert "arbeitslose" in set(without["template"]["variable"])


def test_personalamt_units_sum_to_the_landkreis_value():
    units = demo_sources.split_total(1187, demo_sources.UNIT_WEIGHTS["personal_verwaltung"])
    assert sum(units) == 1187 and len(units) == 5
    mh = demo_sources.split_total(103, tuple(float(u) for u in units), caps=units)
    assert sum(mh) == 103 and all(a <= b for a, b in zip(mh, units))
    assert demo_sources.split_total(2, (0.36, 0.30, 0.24, 0.10, 0.0)) == [1, 1, 0, 0, 0]


# -- (2) the same data as the template demo -----------------------------------------------------
def test_all_files_import(both_databases):
    _, _, template_results, real_results, _ = both_databases
    assert all(r.status == "importiert" for r in template_results)
    assert [r for r in real_results if r.status != "importiert"] == []
    assert len(real_results) > len(template_results)


def test_same_base_data_as_the_template_demo(both_databases):
    template, real, *_ = both_databases
    sql = (
        "SELECT variable, region, year, ref_date, nationality, sex, age_group, category, value, flag "
        "FROM obs_current ORDER BY ALL"
    )
    a, b = template.store.query_df(sql), real.store.query_df(sql)
    assert len(a) == len(b) > 0
    pd.testing.assert_frame_equal(a[KEY + ["ref_date", "flag"]], b[KEY + ["ref_date", "flag"]])
    pd.testing.assert_series_equal(a["value"], b["value"], rtol=0, atol=1e-9)


def test_identical_indicator_values(both_databases):
    template, real, *_ = both_databases
    sql = "SELECT * FROM indicator_values ORDER BY ALL"
    a, b = template.store.query_df(sql), real.store.query_df(sql)
    assert len(a) == len(b) > 1000
    pd.testing.assert_frame_equal(a[IND_KEY + ["flag"]], b[IND_KEY + ["flag"]])
    for col in ("value", "numerator", "denominator"):
        pd.testing.assert_series_equal(a[col], b[col], rtol=0, atol=1e-9)


def test_uploads_are_demo_and_name_their_format(both_databases):
    _, real, *_ = both_databases
    up = real.store.query_df("SELECT file_name, format, demo FROM uploads")
    assert up["demo"].all()
    assert set(up["format"]) == {"genesis_flat", "genesis_tabelle", "ba_excel", "opensdg", "zuordnung", "vorlage"}


def test_load_time_is_reasonable(both_databases):
    *_, seconds = both_databases
    assert seconds < 120, seconds


# -- (3) the files look like the real ones where the readers rely on it ---------------------------
def _entry(folder, fmt, contains=""):
    return next(e for e in demo_sources.read_manifest(folder) if e.format == fmt and contains in e.file)


def test_genesis_table_csv_looks_like_the_export(written):
    _, folder, _ = written
    data = (folder / _entry(folder, "genesis_tabelle").file).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    lines = text.split("\r\n")
    assert lines[0].startswith("GENESIS-Tabelle: 12411-") and lines[0].endswith(";")
    assert lines[6].startswith(";;;;Insgesamt;Insgesamt;Insgesamt;Deutsche")
    assert lines[7].startswith(";;;;Insgesamt;männlich;weiblich")
    assert lines[8].startswith("31.12.2019;03157001;      Edemissen;Insgesamt;")
    footer = lines[lines.index(next(ln for ln in lines if ln.startswith("__________"))) :]
    assert footer[1].startswith('"zu ""gesamte Tabelle"":') and footer[3].endswith('Zensus 2022."')
    assert any(ln.startswith("© Statistische Ämter") for ln in footer)
    assert any(ln.startswith("Stand: ") for ln in footer)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert any("\n" in cell for row in rows for cell in row)  # the footnote spans several lines
    assert any(demo.DEMO_LABEL in ln for ln in footer)


def test_genesis_flat_csv_looks_like_the_export(written):
    _, folder, _ = written
    data = (folder / _entry(folder, "genesis_flat").file).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    sample = (SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv").read_bytes()
    head = data.decode("utf-8-sig").split("\r\n")[0].split(";")
    sample_head = sample.decode("utf-8-sig").split("\r\n")[0].split(";")
    assert head[:5] == sample_head[:5] and head[-4:] == sample_head[-4:]
    assert head[5:9] == sample_head[5:9] and len(head) == 5 + 4 * 4 + 4
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert {r["1_variable_code"] for r in rows} == {"GEMEIN"}
    assert {r["value"] for r in rows if not r["value"].isdigit()} == {"."}  # the secret cells as symbols
    assert rows[0]["time"] == "2012-12-31"


def test_ba_workbook_looks_like_the_export(written):
    _, folder, _ = written
    wb = load_workbook(folder / _entry(folder, "ba_excel", "arbeitsmarkt").file)
    assert wb.sheetnames == ["Inhalt", "aGB - Tabelle II", "Hinweise"]
    ws = wb["aGB - Tabelle II"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A7:A9", "B7:B9", "C7:G7"} <= merged
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[6][:3] == ["Region", "Schlüssel", "Insgesamt"]
    assert cells[2][0].startswith("Berichtsjahr: ")
    assert cells[9][:3] == ["1", "2", "3"]  # column numbers under the header
    assert cells[10][:2] == ["Landkreis Peine", "03157"] and "x" in cells[10]
    assert any(row[0] == "© Statistik der Bundesagentur für Arbeit" for row in cells)
    svb = load_workbook(folder / _entry(folder, "ba_excel", "beschaeftigte").file).worksheets[1]
    assert svb["A3"].value.startswith("Stichtag: 30.06.")


def test_opensdg_csv_looks_like_the_export(written):
    _, folder, _ = written
    text = (folder / _entry(folder, "opensdg").file).read_text(encoding="utf-8")
    sample = (SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == sample.splitlines()[0] == "Year,Kategorie,Geschlecht,Units,Value"
    sample_categories = {r["Kategorie"] for r in csv.DictReader(io.StringIO(sample))}
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sample_categories <= {r["Kategorie"] for r in rows}
    assert all("." in r["Value"] or r["Value"].isdigit() for r in rows)


def test_personalamt_list_looks_like_the_sample(written):
    _, folder, _ = written
    ws = load_workbook(folder / _entry(folder, "zuordnung", "personalamt").file).active
    sample = load_workbook(SAMPLES / "personalamt_migrationsgeschichte_2024.xlsx").active
    assert [c.value for c in ws[4]] == [c.value for c in sample[4]]
    assert ws["A2"].value.startswith("Stand: 31.12.")
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(r, 1).value for r in range(5, 11)][-1] == "Summe"
    assert ws["B10"].value == "=SUM(B5:B9)"


def test_auslaenderbehoerde_export_has_its_profile(written):
    from indicators.ingest.sources.mapping import shipped_profiles

    _, folder, _ = written
    assert "auslaenderbehoerde" in {p.name for p in shipped_profiles()}
    ws = load_workbook(folder / _entry(folder, "zuordnung", "auslaenderbehoerde").file).active
    assert [c.value for c in ws[5]] == demo_sources.ABH_HEADER
    values = [ws.cell(r, 5).value for r in range(6, ws.max_row + 1)]
    assert all(isinstance(v, str) for v in values)  # the export writes formatted text
    assert any("." in v for v in values)  # counts with a thousands point
