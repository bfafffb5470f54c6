"""Members of known families the samples do not show (issue 21 f): built here from the samples, the shapes of the
unseen real exports – a BA table exported as CSV from the BA portal (quoted cells, thousands separators, group labels
repeated instead of merged, UTF-8 with BOM), the same with the subject in the header rows and a written-out measure,
re-saved as .xls, GENESIS-Online in English with nationality, and long footnotes in a workbook. Each gives the values
of the original."""

from __future__ import annotations

import io

import openpyxl
import pytest
from conftest import SAMPLES, make_settings

from indicators.ingest.base import RawFile
from indicators.ingest.pipeline import parse

BA = SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"
pytestmark = pytest.mark.xdist_group("families")


def _values(parsed) -> dict[tuple, tuple]:
    d = parsed.data
    return {
        (r.variable, r.region, int(r.year), r.nationality, r.sex, r.age_group, r.category): (
            None if r.value != r.value else round(float(r.value), 6),
            r.flag,
        )
        for r in d.itertuples(index=False)
    }


def _read(raw: RawFile, tmp_path):
    parsed = parse(raw, make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    return parsed


def _ba_rows(subject_in_header: bool = False) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(BA)).get_sheet_by_name("aGB - Tabelle II").to_python()
    rows = [list(r) for r in rows]
    rows[6][3], rows[6][5], rows[6][7] = "Insgesamt", "Deutsche", "Ausländer"  # group labels repeated, not merged
    if subject_in_header:
        rows[0][0] = "Ausgewählte Staatsangehörigkeiten"
        rows.insert(6, ["", "", *(["Arbeitslose"] * 6)])
        for j in (3, 5, 7):
            rows[8][j] = "Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen"
    return rows


def _portal_csv(rows: list[list[object]], sep: str = ";") -> bytes:
    """As the BA portal's CSV export writes a table: every cell quoted, thousands with '.', decimal comma, UTF-8 BOM."""

    def cell(v: object) -> str:
        if isinstance(v, float):
            text = f"{v:,.1f}" if not v.is_integer() else f"{int(v):,}"
            v = text.replace(",", "§").replace(".", ",").replace("§", ".")
        return '"' + ("" if v is None else str(v)).replace('"', '""') + '"'

    return ("\ufeff" + "\r\n".join(sep.join(cell(v) for v in r) for r in rows) + "\r\n").encode("utf-8")


@pytest.mark.parametrize("sep", [";", ","])
def test_ba_table_exported_as_csv_from_the_portal(sep, tmp_path):
    original = _read(RawFile(BA.name, BA.read_bytes()), tmp_path)
    parsed = _read(RawFile("ba_portal.csv", _portal_csv(_ba_rows(), sep)), tmp_path)
    assert parsed.format == "ba_excel"
    assert _values(parsed) == _values(original)


def test_ba_portal_csv_names_no_sheet(tmp_path):
    """Review of issue 21 (F7): a CSV has no sheets; the texts said 'Blatt , Zeile 10 bis 17' and
    'Blatt (geprüft: )'."""
    parsed = _read(RawFile("ba_portal.csv", _portal_csv(_ba_rows())), tmp_path)
    assert "Blatt" not in parsed.assumptions
    assert parsed.accounting is not None and parsed.accounting.text().startswith("Zeile ")
    assert parsed.assumptions["Datenblock"].startswith("Zeile ")
    assert not any("Blatt ," in str(v) or "(geprüft: )" in str(v) for v in parsed.assumptions.values())


def test_ba_portal_csv_with_the_subject_in_the_header_rows(tmp_path):
    original = _read(RawFile(BA.name, BA.read_bytes()), tmp_path)
    parsed = _read(RawFile("ba_portal_kopf.csv", _portal_csv(_ba_rows(subject_in_header=True))), tmp_path)
    assert _values(parsed) == _values(original)


def test_ba_table_with_the_subject_in_the_header_re_saved_as_xls(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Inhalt").write(0, 0, "Inhalt")
    ws = book.add_sheet("aGB - Tabelle II")
    for i, row in enumerate(_ba_rows(subject_in_header=True)):
        for j, v in enumerate(row):
            if v not in (None, ""):
                ws.write(i, j, v)
    buf = io.BytesIO()
    book.save(buf)
    original = _read(RawFile(BA.name, BA.read_bytes()), tmp_path)
    parsed = _read(RawFile("ba_kopf.xls", buf.getvalue()), tmp_path)
    assert _values(parsed) == _values(original)


def test_a_long_footnote_in_a_ba_workbook_is_not_refused(tmp_path):
    """A note of more than 10.000 characters (alone in its row) under the table; a long text in a data row is still
    refused."""
    wb = openpyxl.load_workbook(BA)
    ws = wb["aGB - Tabelle II"]
    ws["A20"] = "x) Quoten auf Gemeindeebene werden nicht ausgewiesen. " + "Methodischer Hinweis. " * 700
    buf = io.BytesIO()
    wb.save(buf)
    original = _read(RawFile(BA.name, BA.read_bytes()), tmp_path)
    parsed = _read(RawFile("ba_fussnote.xlsx", buf.getvalue()), tmp_path)
    assert _values(parsed) == _values(original)
    ws["A13"] = "Lengede " + "x" * 12_000
    buf = io.BytesIO()
    wb.save(buf)
    refused = parse(RawFile("ba_lang.xlsx", buf.getvalue()), make_settings(tmp_path))
    (error,) = refused.errors
    assert (error.row, error.column) == (13, "A") and "12.008 Zeichen" in error.message


GENESIS = SAMPLES / "genesis_12411-03-03-4_kreise.csv"


def test_genesis_online_in_english_with_nationality(tmp_path):
    """GENESIS-Online's English download of a table by nationality (Germans/Foreigners, Total/Male/Female)."""
    text = GENESIS.read_bytes().decode("cp1252")
    original = _read(RawFile(GENESIS.name, GENESIS.read_bytes()), tmp_path)
    english = text
    for de, en in [
        ("GENESIS-Tabelle:", "GENESIS-Table:"),
        ("Deutsche", "Germans"),
        ("Ausländer(innen)", "Foreigners"),
        ("Insgesamt", "Total"),
        ("männlich", "Male"),
        ("weiblich", "Female"),
        ("Stichtag", "Reference date"),
    ]:
        english = english.replace(de, en)
    assert english != text
    parsed = _read(RawFile("english.csv", english.encode("cp1252")), tmp_path)
    assert _values(parsed) == _values(original)


@pytest.mark.parametrize("joiner", [" - ", " ", ": ", " / "])
def test_ba_portal_csv_with_one_flattened_header_row(joiner, tmp_path):
    """The two header rows flattened into one ('Ausländer - Quote in %'): refused before ('Messgröße unbekannt')."""
    rows = _ba_rows()
    group, measure = rows[6], rows[7]
    rows = [*rows[:6], [group[0], group[1], *(f"{group[j]}{joiner}{measure[j]}" for j in range(2, 8))], *rows[8:]]
    original = _read(RawFile(BA.name, BA.read_bytes()), tmp_path)
    parsed = _read(RawFile("ba_flach.csv", _portal_csv(rows)), tmp_path)
    assert _values(parsed) == _values(original)
    assert "Personengruppe" in parsed.assumptions["Kopf"]
