"""Issue 22: text that looks like a formula stays text in every workbook and CSV the monitor hands out (the
department-round forms, ``strategy export``, the template, the values export, the page downloads). A measure title
``=HYPERLINK(…)`` was written as a live formula into the forms that go out to every department."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from conftest import make_settings
from openpyxl import load_workbook

from indicators import export
from indicators.service import open_monitor, template_bytes
from indicators.strategy import model, workbook
from indicators.strategy.demo import load_demo_strategy

TODAY = dt.date(2026, 3, 31)
EVIL = ['=HYPERLINK("http://angreifer.example/x","Bitte klicken")', "+1+1 Fachdienst", "@SUMME(A1)", "-2+3 Amt"]


@pytest.fixture
def strat(tmp_path):
    m = open_monitor(settings=make_settings(tmp_path))
    load_demo_strategy(m.store, m.catalog, "demo", TODAY)
    first = model.measures(m.store)[0]
    model.save_measure(m.store, m.catalog, {**first, "title": EVIL[0], "unit": EVIL[1]}, "x", "Test")
    yield m
    m.close()


def _no_formula_anywhere(data: bytes) -> list[str]:
    """Every text of the workbook (its cells as openpyxl reads them back), after checking that the file's XML holds
    no formula element at all (openpyxl would also read a formula back as its text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = load_workbook(io.BytesIO(data))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def test_department_forms_and_strategy_export_keep_formula_text_as_text(strat):
    _, forms = workbook.start_round(strat.store, "stabsstelle", TODAY)
    data = forms[EVIL[1]]
    texts = _no_formula_anywhere(data)
    assert EVIL[0] in texts and EVIL[1] in texts  # unchanged, as text
    # and it comes back unchanged: the form round-trips without changes
    pv = workbook.read_file(strat.store, strat.catalog, data, "form.xlsx")
    assert pv.ok and pv.changes == [], (pv.refusal, pv.problems, pv.changes)
    texts = _no_formula_anywhere(workbook.strategy_bytes(strat.store))
    assert EVIL[0] in texts and EVIL[1] in texts


def test_template_and_values_export_keep_formula_text_as_text(tmp_path):
    from indicators.ingest.template import write_template

    m = open_monitor(settings=make_settings(tmp_path))
    try:
        path = write_template(tmp_path / "vorlage.xlsx", None, m.catalog, [("03157999", EVIL[0])], note=EVIL[2])
        texts = _no_formula_anywhere(path.read_bytes())
        assert EVIL[0] in texts and EVIL[2] in texts
        assert "Regionalschlüssel" in _no_formula_anywhere(template_bytes(m, with_data=False))
    finally:
        m.close()
    df = pd.DataFrame({"Region": EVIL, "Wert": [1.0, 2.0, 3.0, 4.0]})
    assert _no_formula_anywhere(export.to_excel_bytes({"Daten": df})) == ["Region", "Wert", *EVIL]


def test_csv_downloads_neutralise_every_formula_prefix():
    import csv

    df = pd.DataFrame({"Titel": [*EVIL, "\tTab", "\rCR", "-", "-5"], "Wert": range(8)})
    text = export.to_csv_bytes(df).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")][1:]
    assert cells[:6] == ["'" + v for v in [*EVIL, "\tTab", "\rCR"]], cells
    assert cells[-2:] == ["-", "-5"]  # the special sign and a number stay as they are


def test_the_write_helper_makes_every_text_a_text_cell():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for i, v in enumerate(EVIL, start=1):
        export.put(ws, i, 1, v)
    export.append_row(ws, EVIL)
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)
