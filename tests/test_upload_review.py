"""Findings of a fresh user's review of the page "Daten und Upload" (Datenpflege): the recognised format names the
real kind of file, template errors are listed where they are (every one, in reading order, counted right), a
duplicate does not offer "übernehmen", codes and paths stay out of what users read, columns are letters, and a BA
month's value does not silently replace a yearly average."""

from __future__ import annotations

import dataclasses
import io
import re

import openpyxl
import pandas as pd
from conftest import ROOT, SAMPLES, load_frame, obs
from streamlit.testing.v1 import AppTest

from indicators import texts as T
from indicators.ingest import pipeline, session
from indicators.ingest.base import Accounting, RawFile
from indicators.ingest.template import TEMPLATE_COLUMNS

GENESIS_XLSX = SAMPLES / "real" / "genesis_xlsx" / "destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx"
GENESIS_12613 = SAMPLES / "real" / "genesis_table" / "destatis_12613-0004_gestorbene_nationalitaet.csv"
BA_JUNE = SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"
GENESIS_CSV = SAMPLES / "genesis_12411-03-03-4_kreise.csv"
OPENSDG = SAMPLES / "opensdg_indicator_5-3-2_niedersachsen.csv"


def template_with_errors() -> bytes:
    """Rows 2–5 of sheet Daten: an unknown variable, an unknown region, a row with three problems (year, sex code,
    value), a negative count."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(list(TEMPLATE_COLUMNS.values()))
    for row in (
        ["xyz_unbekannt", "03157", "Peine", 2024, None, None, None, None, None, 5, None],
        ["bevoelkerung", "03157999", "Nirgendwo", 2024, None, None, None, None, None, 5, None],
        ["bevoelkerung", "03157", "Peine", "20x4", None, None, "q", None, None, "abc", None],
        ["bevoelkerung", "03157", "Peine", 2023, None, None, None, None, None, -5, None],
    ):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _preview(m, name: str, content: bytes):
    return pipeline.preview(RawFile(name, content), m.store, m.catalog, m.settings)


# -- 1. the recognised format names the real kind of file ------------------------------------------------------------
def test_genesis_xlsx_is_explained_as_excel_not_csv(tmp_monitor):
    parsed = _preview(tmp_monitor, GENESIS_XLSX.name, GENESIS_XLSX.read_bytes())
    assert parsed.format_label == "GENESIS-Tabelle (Excel)"
    assert parsed.reasoning.startswith("Erkannt als GENESIS-Tabelle (Excel):"), parsed.reasoning
    assert "(CSV)" not in parsed.reasoning.split("Vorher")[0]
    csv = _preview(tmp_monitor, GENESIS_CSV.name, GENESIS_CSV.read_bytes())
    assert csv.reasoning.startswith("Erkannt als GENESIS-Tabelle (CSV):")


def test_every_family_names_the_kind_of_file(tmp_monitor):
    """BA tables and the template come as Excel or CSV: the label says which (the BA label said Excel for a CSV)."""
    from indicators.ingest.sources.ba_excel import BaExcelReader

    assert BaExcelReader().label_for(RawFile("ba.csv", b"")).endswith("(CSV)")
    assert BaExcelReader().label_for(RawFile("ba.xlsx", b"")).endswith("(Excel)")
    xlsx = _preview(tmp_monitor, "vorlage.xlsx", template_with_errors())
    assert xlsx.reasoning.startswith("Erkannt als Vorlage des Integrationsmonitors (Excel):")
    text = "Variable;Regionalschlüssel;Jahr;Wert\nbevoelkerung;03157;2024;5\n".encode()
    csv = _preview(tmp_monitor, "vorlage.csv", text)
    assert csv.reasoning.startswith("Erkannt als Vorlage des Integrationsmonitors (CSV):"), csv.reasoning


# -- 2. template errors: their own column, all of a row, in order, counted right ------------------------------------
def test_template_errors_are_listed_where_they_are_all_in_order_and_counted(tmp_monitor):
    parsed = _preview(tmp_monitor, "vorlage.xlsx", template_with_errors())
    places = [(p.sheet, p.row, p.column) for p in parsed.errors]
    assert places == [
        ("Daten", 2, "Variable"),
        ("Daten", 3, "Regionalschlüssel"),
        ("Daten", 4, "Jahr"),
        ("Daten", 4, "Geschlecht"),
        ("Daten", 4, "Wert"),
        ("Daten", 5, "Wert"),
    ], places
    by_row = {p.row: p.message for p in parsed.errors if p.row != 4}
    assert by_row[2].startswith("Unbekannte Variable „xyz_unbekannt“")
    assert by_row[3].startswith("Unbekannte Region 03157999")
    assert "Code des Geschlechts „q“" in " ".join(p.message for p in parsed.errors)  # genitive (was "des Geschlecht")
    assert parsed.error_counts() == (4, 6)  # 4 rows with errors, 6 errors


def test_capped_errors_still_count_every_row_and_error(tmp_monitor):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(list(TEMPLATE_COLUMNS.values()))
    for _i in range(250):  # each row: year and value wrong (two columns, 250 each: 200 listed per column)
        ws.append(["bevoelkerung", "03157", "Peine", "nie", None, None, None, None, None, "abc", None])
    out = io.BytesIO()
    wb.save(out)
    parsed = _preview(tmp_monitor, "viele.xlsx", out.getvalue())
    assert parsed.error_counts() == (250, 500)
    assert len(parsed.errors) == 402  # 200 + 200 listed, one count line per column


# -- 4. no internal codes, no genitive slips, no paths, one term, letters for columns --------------------------------
def test_refusal_of_an_unused_statistic_names_no_path_and_says_what_to_do(tmp_monitor):
    parsed = _preview(tmp_monitor, GENESIS_12613.name, GENESIS_12613.read_bytes())
    msg = parsed.errors[0].message
    assert "indicators/" not in msg and "/" not in msg.replace("Ausländer/-innen", "")
    assert "Administration" in msg and f"„{T.UPL_MAPPING_TOGGLE}“" in msg and "Zuordnungseditor" not in msg
    for source in (ROOT / "indicators").rglob("*.py"):  # one term for the column mapping in everything users read
        assert "Zuordnungseditor" not in source.read_text(encoding="utf-8"), source


def test_columns_are_named_by_letters_in_excel_and_csv(tmp_monitor):
    parsed = _preview(tmp_monitor, GENESIS_XLSX.name, GENESIS_XLSX.read_bytes())
    assert parsed.assumptions["Regionalschlüssel"] == "Spalte A (erkannt am Inhalt)"
    csv = _preview(tmp_monitor, GENESIS_CSV.name, GENESIS_CSV.read_bytes())
    assert re.fullmatch(r"Spalte [A-Z] \(erkannt am Inhalt\)", csv.assumptions["Regionalschlüssel"])


def test_codes_are_shown_as_german_labels(tmp_monitor):
    from indicators.wording import breakdown_text, code_label, readable_assumption

    c = tmp_monitor.catalog
    assert code_label("nationality", "auslaendisch", c) == "Ausländer/-innen"
    assert code_label("category", "mit_mh", c, "kinder_in_betreuung") == "mit Migrationshintergrund"
    assert code_label("age_group", "15-65", c) == "15 bis unter 65 Jahre"
    assert (
        breakdown_text({"variable": "bevoelkerung", "nationality": "auslaendisch", "sex": "maennlich"}, c)
        == "Ausländer/-innen · männlich"
    )
    assert (
        readable_assumption("kreis (aus der Länge der Regionalschlüssel)", c)
        == "Kreis (aus der Länge der Regionalschlüssel)"
    )
    assert (
        readable_assumption("E Deutsche / Anzahl → arbeitslose, Staatsangehörigkeit deutsch", c)
        == "E Deutsche / Anzahl → Arbeitslose, Staatsangehörigkeit Deutsche"
    )


# -- 5. a BA month's value for a yearly average ------------------------------------------------------------------------
def test_june_value_does_not_replace_a_yearly_average(tmp_monitor, tmp_path):
    m = tmp_monitor
    yearly = load_frame(
        m,
        obs(
            [
                {"variable": "arbeitslose", "region": "03157", "year": 2025, "value": 4400},
                {"variable": "alq", "region": "03157", "year": 2025, "value": 5.1},
            ]
        ),
        tmp_path,
    )
    assert yearly.status == "importiert"
    digest = m.store.content_digest()
    parsed = _preview(m, BA_JUNE.name, BA_JUNE.read_bytes())
    refused = [p for p in parsed.errors if "Jahresdurchschnitt" in p.message]
    assert refused, [p.text() for p in parsed.problems]
    first = refused[0]
    assert first.sheet == "aGB - Tabelle II" and first.row == 10 and first.column  # file, sheet, row, column
    assert "30.06.2025" in first.message and "ersetzt ihn nicht" in first.message and "4.400" in first.message
    # refused as a whole: no warning that says what "would be taken over" (the preview contradicted itself)
    assert not [p for p in parsed.warnings if "übernommen" in p.message], [p.text() for p in parsed.warnings]
    result = session.import_bytes(BA_JUNE.name, BA_JUNE.read_bytes(), m.store, m.catalog, m.settings, "test")
    assert result.status == "abgelehnt" and m.store.content_digest() == digest  # nothing written
    assert (
        m.store.scalar(
            "SELECT value FROM obs_current WHERE variable = 'arbeitslose' AND region = '03157' "
            "AND year = 2025 AND nationality = 'insgesamt'"
        )
        == 4400
    )


def test_june_value_replaces_a_yearly_average_of_the_demo(tmp_monitor, tmp_path):
    """The review: with the demo loaded, every real BA table was refused („Für 2025 ist der Jahresdurchschnitt schon
    geladen … ein Monatswert ersetzt ihn nicht“) over the demo's synthetic averages. Those do not count: the month's
    values are taken with the warning, and replace the demo's."""
    from indicators.ingest.template import write_template

    m = tmp_monitor
    regions = list(m.store.regions()[["key", "name"]].itertuples(index=False, name=None))
    frame = obs([{"variable": "arbeitslose", "region": "03157", "year": 2025, "value": 4400}])
    path = write_template(tmp_path / "demo.xlsx", frame, m.catalog, regions)
    demo = session.import_path(path, m.store, m.catalog, m.settings, "Demodaten", demo=True)
    assert demo.status == "importiert"
    parsed = _preview(m, BA_JUNE.name, BA_JUNE.read_bytes())
    assert not parsed.errors, [p.text() for p in parsed.errors]
    assert [p for p in parsed.warnings if "Jahresdurchschnitt" in p.message]
    result = session.import_bytes(BA_JUNE.name, BA_JUNE.read_bytes(), m.store, m.catalog, m.settings, "test")
    assert result.status == "importiert", [e.text() for e in result.errors]
    assert m.store.scalar(
        "SELECT value FROM obs_current WHERE variable = 'arbeitslose' AND region = '03157' AND year = 2025 "
        "AND nationality = 'insgesamt'"
    ) not in (None, 4400)


def test_june_value_without_a_yearly_average_is_taken_with_a_warning(tmp_monitor):
    m = tmp_monitor
    parsed = _preview(m, BA_JUNE.name, BA_JUNE.read_bytes())
    assert not parsed.errors
    warned = [p for p in parsed.warnings if "Jahresdurchschnitt" in p.message]
    assert {p.message.split(":")[0] for p in warned} == {
        "Arbeitslose",
        "Arbeitslosenquote (alle zivilen Erwerbspersonen)",
    }
    assert all(p.sheet == "aGB - Tabelle II" and p.row == 10 for p in warned)
    assert "Monatswerte (zuerst den Stand 30.06.2025)" in warned[0].message


def test_june_values_of_a_comparison_region_are_taken_with_a_warning_that_says_what_they_replace(tmp_monitor, tmp_path):
    """Open SDG (LSN) publishes June values for Niedersachsen; where a yearly average of the Land is loaded, the
    preview says that the month's values replace it (a comparison region); the own area is never touched."""
    m = tmp_monitor
    assert (
        load_frame(m, obs([{"variable": "alq", "region": "03", "year": 2020, "value": 5.8}]), tmp_path).status
        == "importiert"
    )
    parsed = _preview(m, OPENSDG.name, OPENSDG.read_bytes())
    assert not parsed.errors, [p.text() for p in parsed.errors]
    warned = [p for p in parsed.warnings if "Jahresdurchschnitt" in p.message]
    assert (
        len(warned) == 1 and "1 von ihnen den geladenen Jahresdurchschnitt einer Vergleichsregion" in warned[0].message
    )
    assert "Niedersachsen, 2020: bisher 5,8" in warned[0].message and warned[0].row is not None  # a name, not "03"


# -- the page ------------------------------------------------------------------------------------------------------------
APP = str(ROOT / "app.py")


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("views/daten.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, name: str, content: bytes) -> None:
    at.file_uploader(key="uploader").set_value([(name, content, "application/octet-stream")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _problems(at: AppTest) -> pd.DataFrame:
    return next(t.value for t in at.table if list(t.value.columns) == ["Art", "Blatt", "Zeile", "Spalte", "Meldung"])


def test_page_counts_rows_and_errors_and_lists_them_in_order(writable_demo_db):
    at = _page()
    _upload(at, "vorlage_fehler.xlsx", template_with_errors())
    shown = " ".join(e.value for e in at.error)
    assert "6 Fehler, 4 Zeilen betroffen" in shown, shown
    problems = _problems(at)
    assert problems["Zeile"].tolist() == ["2", "3", "4", "4", "4", "5"]
    assert problems["Spalte"].tolist() == ["Variable", "Regionalschlüssel", "Jahr", "Geschlecht", "Wert", "Wert"]


def test_page_shows_labels_not_codes_and_the_xlsx_format_in_the_history(writable_demo_db):
    at = _page()
    _upload(at, GENESIS_XLSX.name, GENESIS_XLSX.read_bytes())
    md = "\n".join(x.value for x in at.markdown)
    assert "GENESIS-Tabelle (Excel)" in md
    assumptions = next(t.value for t in at.table if "Regionsebene" in t.value.index)
    assert assumptions.loc["Regionsebene"].iloc[0].startswith("Kreis"), assumptions
    assert (
        "→ Bevölkerung" in assumptions.loc["Spalten"].iloc[0]
        and "bevoelkerung" not in assumptions.loc["Spalten"].iloc[0]
    )
    sample = next(d.value for d in at.dataframe if "Staatsangehörigkeit" in d.value.columns)
    assert "bevoelkerung" not in set(sample["Variable"]) and "Bevölkerung" in set(sample["Variable"])
    next(b for b in at.button if b.key and b.key.startswith("commit_")).click()
    at.run()
    assert not at.exception
    history = next(d.value for d in at.dataframe if "Prüfsumme (SHA-256)" in d.value.columns)
    row = history[history["Datei"] == GENESIS_XLSX.name].iloc[0]
    assert row["Format"] == "GENESIS-Tabelle (Excel)"
    labels = [t.value for t in at.table if "Regionsebene" in t.value.index]
    assert labels and labels[-1].loc["Regionsebene"].iloc[0].startswith("Kreis")


def test_page_sample_and_diff_show_breakdowns_in_words(writable_demo_db):
    at = _page()
    _upload(at, GENESIS_CSV.name, GENESIS_CSV.read_bytes())
    frames = [d.value for d in at.dataframe if "Staatsangehörigkeit" in d.value.columns]
    values = set().union(*(set(f["Staatsangehörigkeit"]) for f in frames))
    assert "Ausländer/-innen" in values and "auslaendisch" not in values, values
    sexes = set().union(*(set(f["Geschlecht"]) for f in frames))
    assert "männlich" in sexes and "maennlich" not in sexes
    diffs = [d.value for d in at.dataframe if "Aufschlüsselung" in d.value.columns]
    for d in diffs:
        assert not d["Aufschlüsselung"].str.contains("auslaendisch|maennlich").any()


GENESIS_FLAT = SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv"


def test_a_refused_text_cell_of_a_flat_file_is_listed_with_its_content(tmp_monitor):
    """The reconciliation's table of refused cells named 'k.A.' in the reason but left the column "Inhalt" empty for
    a GENESIS flat file; it has the cell's content now."""
    lines = GENESIS_FLAT.read_bytes().decode("utf-8-sig").splitlines()
    cells = lines[1].split(";")
    cells[13] = "k.A."  # column N (value): Edemissen, Deutsche, 2021
    lines[1] = ";".join(cells)
    m = tmp_monitor
    upload = session.UploadSession.from_bytes(
        "flat.csv", "\n".join(lines).encode("utf-8"), m.store, m.catalog, m.settings, "test"
    )
    acc = upload.check().accounting
    assert acc is not None and acc.refused_count == 1
    assert acc.refused[0]["row"] == 2 and acc.refused[0]["content"] == "k.A."
    assert "„k.A.“" in acc.refused[0]["reason"]


def test_the_reconciliation_counts_one_symbol_in_the_singular():
    """'1 amtliche Zeichen' read wrong; one symbol (and one value) is singular, more stay plural."""
    acc = Accounting("Zeile 2 bis 4", cells=3, values=1, symbols=1, refused_count=1)
    assert acc.text() == "Zeile 2 bis 4: 3 Zellen = 1 Wert übernommen + 1 amtliches Zeichen + 1 abgelehnt"
    assert "2 amtliche Zeichen" in dataclasses.replace(acc, cells=4, symbols=2).text()


def test_a_refused_text_cell_of_an_open_sdg_file_is_listed_with_its_content(tmp_monitor):
    """The same for an Open SDG file: the refused cell's content stands in the reconciliation."""
    lines = OPENSDG.read_bytes().decode("utf-8-sig").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",ca. 8"
    m = tmp_monitor
    upload = session.UploadSession.from_bytes(
        "sdg.csv", "\n".join(lines).encode("utf-8"), m.store, m.catalog, m.settings, "test"
    )
    acc = upload.check().accounting
    assert acc is not None and acc.refused_count == 1
    assert acc.refused[0]["row"] == 2 and acc.refused[0]["content"] == "ca. 8"


def _refused(m, name: str, content: bytes, reader=None):
    parsed = pipeline.parse(RawFile(name, content), m.settings, reader)
    assert parsed.accounting is not None
    return parsed.accounting


def test_a_refused_cell_of_an_own_list_read_by_a_profile_is_listed_with_its_content(tmp_monitor):
    """The mapping reader (own lists, profiles) left the column "Inhalt" empty; it has the cell's content now."""
    from indicators.ingest.sources.mapping import MappingReader, get_profile

    wb = openpyxl.load_workbook(SAMPLES / "personalamt_migrationsgeschichte_2024.xlsx")
    wb.active["C6"] = "ca. 30"  # Dezernat II, davon mit Migrationsgeschichte
    out = io.BytesIO()
    wb.save(out)
    reader = MappingReader(get_profile(tmp_monitor.store, "personalamt"))
    acc = _refused(tmp_monitor, "personal.xlsx", out.getvalue(), reader)
    refused = [r for r in acc.refused if r["row"] == 6]
    assert refused and refused[0]["content"] == "ca. 30" and refused[0]["column"].startswith("C")


def test_a_refused_cell_of_the_template_is_listed_with_its_content(tmp_monitor):
    """The same for the app's template: row 4's value 'abc' stands in the column "Inhalt"."""
    acc = _refused(tmp_monitor, "vorlage.xlsx", template_with_errors())
    (row4,) = [r for r in acc.refused if r["row"] == 4 and "abc" in r["reason"]]
    assert row4["content"] == "abc"


def test_the_reconciliation_of_a_summed_own_list_counts_its_cells(tmp_monitor):
    """Review: 'Zeile 5 bis 5 … 4 Zellen' for an own list whose 5 rows × 4 columns are summed to 4 values. Now the
    block is the list's rows and columns, its cells add up, and the sentence says they were summed."""
    from indicators.ingest.sources.mapping import MappingReader, get_profile

    reader = MappingReader(get_profile(tmp_monitor.store, "personalamt"))
    raw = RawFile("personal.xlsx", (SAMPLES / "personalamt_migrationsgeschichte_2024.xlsx").read_bytes())
    acc = pipeline.parse(raw, tmp_monitor.settings, reader).accounting
    assert acc.text() == (
        "Zeile 5 bis 9, Spalten B, C, D, E: 20 Zellen = 20 Werte übernommen + 0 amtliche Zeichen + 0 abgelehnt "
        "(summiert zu 4 Werten)"
    )
    assert acc.balanced and acc.taken_text() == "20 Werte, summiert zu 4 Werten"


def test_the_summary_says_values_and_symbols_as_the_reconciliation_counts_them():
    """Review: the status line said '41 Werte' while the reconciliation had 40 values + 1 symbol + 1 left out."""
    acc = Accounting("Zeile 9 bis 50 (ein Wert je Zeile)", cells=42, values=40, symbols=1, refused_count=0, left_out=1)
    assert acc.balanced
    assert acc.text() == (
        "Zeile 9 bis 50 (ein Wert je Zeile): 42 Zellen = 40 Werte übernommen + 1 amtliches Zeichen + 0 abgelehnt "
        "+ 1 mit Warnung ausgelassen"
    )
    assert acc.taken_text() == "40 Werte und 1 amtliches Zeichen"
    assert not dataclasses.replace(acc, left_out=0).balanced
