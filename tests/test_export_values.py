"""Export of every current indicator value (issue 13): Excel with one sheet per field of action plus flags and
sources, re-imported with identical values; CSV long format, UTF-8 with BOM and ';'; formula injection."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from conftest import cli


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b and type(a) is type(b) if not isinstance(a, (int, float)) else a == b


@pytest.fixture
def monitor(demo_copy):
    from indicators.service import open_monitor

    m = open_monitor(demo_copy)
    yield m
    m.close()


def test_excel_export_reimports_with_identical_values(demo_copy, tmp_path):
    from indicators.report.values import SOURCES_SHEET, read_excel_export, values_frame
    from indicators.service import open_monitor

    out = tmp_path / "werte.xlsx"
    proc = cli("export-values", str(out), db=demo_copy)
    assert proc.returncode == 0, proc.stderr
    sheets = read_excel_export(out)
    monitor = open_monitor(demo_copy, read_only=True)  # the values as the database holds them
    try:
        fields = monitor.catalog.ordered_fields()
        expected = values_frame(monitor)
        indicator_ids = set(monitor.catalog.indicators)
    finally:
        monitor.close()
    assert list(sheets) == [f.short or f.name for f in fields] + [SOURCES_SHEET]
    back = pd.concat([sheets[f.short or f.name] for f in fields], ignore_index=True)
    assert list(back.columns) == list(expected.columns)
    assert len(back) == len(expected) > 1000
    for col in expected.columns:
        for i, (a, b) in enumerate(zip(expected[col].tolist(), back[col].tolist())):
            assert _same(a, b), (col, i, a, b)
    # full precision (15 significant digits, Excel's), not the rounded display value
    assert any(isinstance(v, float) and v != round(v, 3) for v in back["Wert"])
    raw = open_monitor(demo_copy, read_only=True)
    try:
        stored = raw.store.query_df("SELECT value FROM indicator_values WHERE value IS NOT NULL")["value"]
    finally:
        raw.close()
    assert back["Wert"].notna().sum() == len(stored)
    assert sorted(f"{v:.15g}" for v in back["Wert"].dropna()) == sorted(f"{v:.15g}" for v in stored)
    # the sheet of flags and sources: every flag with its meaning, every indicator with its source
    src = sheets[SOURCES_SHEET]
    assert {"Fz", "Fz2", "p"} <= set(src.loc[src["Art"] == "Kennzeichen", "Code"])
    assert set(src.loc[src["Art"] == "Indikator", "Code"]) == indicator_ids
    # suppressed values are empty, never a number
    assert back.loc[back["Kennzeichen"].fillna("").str.contains("Fz"), "Wert"].isna().all()


def test_csv_export_long_format_bom_semicolon(demo_copy, tmp_path):
    out = tmp_path / "werte.csv"
    proc = cli("export-values", str(out), db=demo_copy)
    assert proc.returncode == 0, proc.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n" if b"\r\n" in raw[:400] else b"\n")[0].decode("utf-8")
    assert header.split(";")[:3] == ["Handlungsfeld", "Indikator", "Bezeichnung"] and "Wert" in header
    df = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Regionalschlüssel": str})
    assert {"Ausländeranteil", "Arbeitslosenquote Ausländer"} <= set(df["Bezeichnung"])
    assert (df["Regionalschlüssel"] == "03157").any()  # keys keep their leading zero
    assert pd.api.types.is_float_dtype(df["Wert"])


def test_unknown_ending_is_refused(demo_copy, tmp_path):
    proc = cli("export-values", str(tmp_path / "werte.ods"), db=demo_copy)
    assert proc.returncode == 1 and "xlsx oder .csv" in proc.stderr
    assert not (tmp_path / "werte.ods").exists()


DANGEROUS = ['=HYPERLINK("http://example.org";"klick")', "+49 5171 401-0", "-Peine", "@SUMME(A1:A9)"]


def test_text_starting_with_formula_characters_stays_the_same_text(monitor):
    """Region names come from files: a name starting with =, +, - or @ is a text cell in Excel (never a formula) and
    reads back as exactly the same text; in the CSV it carries the apostrophe guard, negative numbers stay bare."""
    from openpyxl import load_workbook

    from indicators.report import values

    keys = [
        r[0]
        for r in monitor.store.query(
            "SELECT DISTINCT region FROM indicator_values WHERE region LIKE '03157___' ORDER BY 1"
        )
    ][:4]
    with monitor.store.transaction() as cur:  # as if a file had brought these names
        for key, name in zip(keys, DANGEROUS):
            cur.execute("UPDATE regions SET name = ? WHERE key = ?", [name, key])
        cur.execute(
            "UPDATE indicator_values SET value = -1.5 WHERE indicator = 'wanderungssaldo_auslaender' "
            "AND region = '03157' AND year = 2020"
        )  # a negative balance
    wb = load_workbook(io.BytesIO(values.excel_bytes(monitor)))
    seen = {}
    for ws in wb.worksheets[:-1]:
        head = [c.value for c in ws[1]]
        col = head.index("Region")
        for row in ws.iter_rows(min_row=2):
            cell = row[col]
            if cell.value in DANGEROUS:
                assert cell.data_type == "s", (cell.value, cell.data_type)  # text, not a formula
                seen[cell.value] = True
            assert cell.data_type != "f"
    assert set(seen) == set(DANGEROUS)

    csv = values.csv_bytes(monitor).decode("utf-8-sig")
    df = pd.read_csv(io.StringIO(csv), sep=";", decimal=",")
    names = set(df["Region"])
    for name in DANGEROUS:  # a spreadsheet opening the CSV shows the text, it does not run it
        assert "'" + name in names and name not in names, name
    assert ";-1,5;" in csv and (df["Wert"] == -1.5).any()  # a negative value is a number, no apostrophe
