"""Every cell of a real official table accounted for (issue 21): a text in one value cell ('k.A.', '132 979 Personen',
'ca. 100000') no longer ends the table silently. The rows after it are read (Landkreis Peine's own row among them),
the cell is named with sheet, row, column letter and content, and the reconciliation says: cells in the block =
values taken + official symbols + cells refused.

Review before the fix: 87 of 1.614 values read from the Regionalstatistik CSV, 0 errors, 0 warnings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import cli, make_settings

from indicators.fmt import fmt_int
from indicators.ingest.base import RawFile
from indicators.ingest.pipeline import parse
from tests.test_real_files import REAL

CSV = REAL / "genesis_table" / "regio_12411-01-01-4_bevoelkerung_kreise_2018.csv"
XLSX = REAL / "genesis_xlsx" / "destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx"
CSV_ROWS, CSV_CELLS = 538, 1614  # data lines 9 to 546, three value columns
SALZGITTER_LINE = 30  # '03102;      Salzgitter, Kreisfreie Stadt;104948;52202;52746', above Peine (line 38)

pytestmark = pytest.mark.xdist_group("every_cell")


def _csv_with(cells: dict[tuple[int, int], str]) -> RawFile:
    """The real CSV with cells replaced: (1-based line, 0-based field) -> text."""
    lines = CSV.read_bytes().split(b"\n")
    for (line, field), text in cells.items():
        parts = lines[line - 1].split(b";")
        parts[field] = text.encode("cp1252")
        lines[line - 1] = b";".join(parts)
    return RawFile("bevoelkerung_bearbeitet.csv", b"\n".join(lines))


def _peine(parsed, sex: str = "insgesamt") -> float:
    d = parsed.data
    row = d[(d["region"] == "03157") & (d["variable"] == "bevoelkerung") & (d["sex"] == sex)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("text", ["k.A.", "132 979 Personen", "ca. 100000"])
def test_a_text_cell_in_the_real_csv_is_named_and_every_other_row_is_read(tmp_path, text):
    parsed = parse(_csv_with({(SALZGITTER_LINE, 2): text}), make_settings(tmp_path))
    assert len(parsed.data) == CSV_CELLS - 1  # one value left out, not 1.527
    assert _peine(parsed) == 133965  # Peine's row (below the edited cell) is read
    assert not parsed.errors
    (warning,) = [p for p in parsed.warnings if text in p.message]
    assert (warning.row, warning.column.split(" ")[0]) == (SALZGITTER_LINE, "C")
    assert "nicht übernommen" in warning.message
    acc = parsed.accounting
    # the cell left out with a warning is counted apart, not as 'abgelehnt' beside no error (review of issue 21)
    assert (acc.cells, acc.refused_count, acc.left_out) == (CSV_CELLS, 0, 1)
    assert acc.cells == acc.values + acc.symbols + acc.refused_count + acc.left_out
    assert acc.values + acc.symbols == len(parsed.data)
    assert acc.text().endswith(" abgelehnt + 1 mit Warnung ausgelassen")
    assert acc.taken_text() in (
        f"{fmt_int(acc.values)} Werte",
        f"{fmt_int(acc.values)} Werte und {acc.symbols} amtliche Zeichen",
    )
    assert acc.refused == []  # listed apart, never among the refused cells (review of issue 21, F6a)
    assert acc.left_out_cells == [
        {
            "sheet": None,
            "row": SALZGITTER_LINE,
            "column": "C",
            "content": text,
            "reason": f"keine Zahl und kein amtliches Zeichen: „{text}“",
        }
    ]
    assert "Zeile 9 bis 546" in acc.block


def test_many_text_cells_are_errors_each_named(tmp_path):
    edits = {(line, 3): "k.A." for line in range(30, 36)}
    parsed = parse(_csv_with(edits), make_settings(tmp_path))
    errors = [p for p in parsed.errors if "k.A." in p.message]
    assert [(p.row, p.column.split(" ")[0]) for p in errors] == [(line, "D") for line in range(30, 36)]
    assert parsed.accounting.refused_count == 6
    assert _peine(parsed) == 133965


def test_a_text_in_the_first_data_row_does_not_make_it_a_header(tmp_path):
    parsed = parse(_csv_with({(9, 3): "k.A."}), make_settings(tmp_path))  # DG, männlich
    assert len(parsed.data) == CSV_CELLS - 1
    d = parsed.data
    assert float(d[(d["region"] == "DG") & (d["sex"] == "insgesamt")]["value"].iloc[0]) == 83019213
    assert [(p.row, p.column.split(" ")[0]) for p in parsed.problems if "k.A." in p.message] == [(9, "D")]


def test_the_footer_still_ends_the_table(tmp_path):
    """Positive evidence ends the block: the dates inside the quoted footnote are not read as data."""
    parsed = parse(RawFile(CSV.name, CSV.read_bytes()), make_settings(tmp_path))
    assert (len(parsed.data), parsed.problems) == (CSV_CELLS, [])
    acc = parsed.accounting
    assert (acc.cells, acc.values, acc.symbols, acc.refused_count) == (CSV_CELLS, 1344, 270, 0)


def _xlsx_with(cells: dict[str, object]) -> RawFile:
    wb = openpyxl.load_workbook(XLSX)
    ws = wb.worksheets[0]
    for ref, v in cells.items():
        ws[ref] = v
    buf = io.BytesIO()
    wb.save(buf)
    return RawFile("bevoelkerung_bearbeitet.xlsx", buf.getvalue())


def test_a_text_cell_in_the_real_xlsx_is_named_and_peine_is_read(tmp_path):
    parsed = parse(_xlsx_with({"G20": "ca. 100000"}), make_settings(tmp_path))  # a Kreis above Peine (row 31)
    d = parsed.data
    peine = d[(d["region"] == "03157") & (d["year"] == 2018)]
    assert float(peine["value"].iloc[0]) == 133965
    assert len(d) == 2380 - 1
    (p,) = [p for p in parsed.problems if "ca. 100000" in p.message]
    assert (p.sheet, p.row, p.column.split(" ")[0]) == ("12411-0015", 20, "G")
    # a cell left out with a warning is listed apart, never among the refused ones (review of issue 21, F6a)
    assert parsed.accounting.refused == [] and parsed.accounting.left_out_cells[0]["content"] == "ca. 100000"
    assert parsed.assumptions["Datenblock"] == parsed.accounting.text()
    assert parsed.assumptions["Datenblock"].endswith("+ 0 abgelehnt + 1 mit Warnung ausgelassen")


def test_dry_run_json_states_the_block_and_the_reconciliation(demo_copy, tmp_path):
    path = tmp_path / "bevoelkerung_bearbeitet.csv"
    path.write_bytes(_csv_with({(SALZGITTER_LINE, 2): "k.A."}).content)
    proc = cli("import", "--dry-run", "--json", str(path), db=demo_copy)
    out = json.loads(proc.stdout)
    acc = out["abgleich"]
    assert (acc["zellen"], acc["abgelehnt"], acc["ausgelassen"], acc["stimmt"]) == (CSV_CELLS, 0, 1, True)
    assert acc["zellen"] == acc["werte"] + acc["zeichen"] + acc["abgelehnt"] + acc["ausgelassen"]
    assert acc["abgelehnte_zellen"] == []  # the cell left out is listed apart (review of issue 21, F6a)
    (left,) = acc["ausgelassene_zellen"]
    assert left["content"] == "k.A." and left["column"] == "C"
    assert "Zeile 9 bis 546" in acc["datenblock"]
    text = cli("import", "--dry-run", str(path), db=demo_copy).stdout
    assert "1.614 Zellen = " in text and "+ 0 abgelehnt + 1 mit Warnung ausgelassen" in text
    assert "1.613 Zeilen" in text  # German notation (was '1613 Zeilen')


def test_a_footnote_longer_than_10000_characters_is_not_refused(tmp_path):
    """Real school statistics carry footnotes of more than 10.000 characters: the per-cell limit guards the cells of
    data rows, not a note alone in its row (it refused the whole file before)."""
    text = CSV.read_bytes().decode("cp1252")
    long_note = "Anmerkung zur Methodik. " * 600  # 14.400 characters inside the quoted footnote
    edited = text.replace('"zu  ""gesamter Tabelle"":', f'"zu  ""gesamter Tabelle"": {long_note}', 1)
    assert len(edited) > len(text) + 10_000
    parsed = parse(RawFile("lange_fussnote.csv", edited.encode("cp1252")), make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    assert len(parsed.data) == CSV_CELLS and _peine(parsed) == 133965


def test_a_long_text_in_a_data_row_is_still_refused(tmp_path):
    parsed = parse(_csv_with({(SALZGITTER_LINE, 2): "x" * 12_000}), make_settings(tmp_path))
    (error,) = parsed.errors
    assert "12.000 Zeichen" in error.message and error.row == SALZGITTER_LINE


# -- the BA reader (issue 21 a) ------------------------------------------------------------------------------------
BA = Path(__file__).parent / "fixtures" / "samples" / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"
BA_CELLS = 48  # rows 10 to 17, columns C to H


def _ba_with(cells: dict[str, object]) -> RawFile:
    wb = openpyxl.load_workbook(BA)
    ws = wb["aGB - Tabelle II"]
    for ref, v in cells.items():
        ws[ref] = v
    buf = io.BytesIO()
    wb.save(buf)
    return RawFile("ba_bearbeitet.xlsx", buf.getvalue())


@pytest.mark.parametrize("text", ["k.A.", "132 979 Personen", "ca. 100"])
def test_a_text_cell_in_a_ba_table_is_a_warning_naming_the_cell_and_every_other_row_is_read(tmp_path, text):
    """Before: an error (the whole file refused for one cell 'k.A.'); now as in a GENESIS table: a warning naming
    sheet, row and column letter, the one value left out, every other value read."""
    parsed = parse(_ba_with({"C12": text}), make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    (warning,) = [p for p in parsed.warnings if text in p.message]
    assert "Blatt aGB - Tabelle II, Zeile 12, Spalte C (Insgesamt / Anzahl)" in warning.text()
    assert "nicht übernommen" in warning.message
    d = parsed.data
    assert len(d) == BA_CELLS - 1
    hoh = d[(d["region"] == "03157002") & (d["variable"] == "arbeitslose")]
    assert sorted(hoh["nationality"]) == ["auslaendisch", "deutsch"]  # the other cells of the edited row are read
    peine = d[(d["region"] == "03157") & (d["variable"] == "arbeitslose") & (d["nationality"] == "insgesamt")]
    assert float(peine["value"].iloc[0]) == 4312
    acc = parsed.accounting
    assert (acc.cells, acc.refused_count, acc.left_out, acc.balanced) == (BA_CELLS, 0, 1, True)
    assert acc.refused == []
    assert (acc.left_out_cells[0]["row"], acc.left_out_cells[0]["column"], acc.left_out_cells[0]["content"]) == (
        12,
        "C",
        text,
    )
    assert parsed.assumptions["Datenblock"] == acc.text()


def test_several_text_cells_in_a_ba_table_are_errors_each_named(tmp_path):
    parsed = parse(_ba_with({"C12": "k.A.", "E13": "k.A."}), make_settings(tmp_path))
    assert [(p.row, p.column) for p in parsed.errors] == [
        (12, "C (Insgesamt / Anzahl)"),
        (13, "E (Deutsche / Anzahl)"),
    ]
    assert len(parsed.data) == BA_CELLS - 2


def test_problems_found_after_reading_name_the_column_letter(tmp_monitor):
    """The checks after reading (plausibility, codes, regions) named a BA, Open SDG or Personalamt column by its
    label only ('Ausländer / Quote in %'); now by its letter and label, as the reader's own problems."""
    from indicators.ingest import pipeline

    m = tmp_monitor
    parsed = pipeline.preview(_ba_with({"H10": 140.5}), m.store, m.catalog, m.settings)
    (p,) = [p for p in parsed.problems if "Anteil 140" in p.message]
    assert (p.sheet, p.row, p.column) == ("aGB - Tabelle II", 10, "H (Ausländer / Quote in %)")
    assert p.message == "Anteil 140,5 % liegt außerhalb von 0 bis 100 %."  # German notation (was '140.5 %')
    sdg = Path(__file__).parent / "fixtures" / "samples" / "opensdg_indicator_5-3-2_niedersachsen.csv"
    text = sdg.read_text(encoding="utf-8").replace("Insgesamt,%,8.5", "Insgesamt,%,108.5", 1)
    parsed = pipeline.preview(RawFile("sdg.csv", text.encode()), m.store, m.catalog, m.settings)
    (p,) = [p for p in parsed.problems if "Anteil 108" in p.message]
    assert (p.row, p.column) == (2, "E (Value)")


def test_dry_run_json_counts_the_warnings_as_the_page_does(demo_copy, tmp_path):
    """Review of issue 21 (F6c): the list of warnings ends with '… und 48 weitere Werte mit derselben
    Plausibilitätswarnung'; the JSON gives the count those lines stand for, and the data block after the cell left out
    was counted apart."""
    sample = Path(__file__).parent / "fixtures" / "samples" / "genesis_12411-03-03-4_kreise.csv"
    path = tmp_path / "kreise_ka.csv"
    path.write_bytes(
        sample.read_bytes().replace(
            b"31.12.2022;03157;      Peine, Landkreis;153088;", b"31.12.2022;03157;      Peine, Landkreis;k.A.;"
        )
    )
    out = json.loads(cli("import", "--dry-run", "--json", str(path), db=demo_copy).stdout)
    summaries = [w for w in out["warnings"] if "weitere" in w]
    assert summaries and all(w["message"].startswith(f"… und {w['weitere']} weitere") for w in summaries)
    listed = [w for w in out["warnings"] if "weitere" not in w]
    assert out["warning_count"] == len(listed) + sum(w["weitere"] for w in summaries)
    assert out["assumptions"]["Datenblock"].endswith("+ 0 abgelehnt + 1 mit Warnung ausgelassen")
    assert out["abgleich"]["abgelehnte_zellen"] == [] and len(out["abgleich"]["ausgelassene_zellen"]) == 1
