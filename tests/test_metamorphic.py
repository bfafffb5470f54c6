"""A metamorphic corpus (issue 21): every sample export re-saved the way people do it (LibreOffice headless: .xlsx, .xls,
.ods, CSV) must give the same values as the original; hand-edited copies (a text in a value cell, a unit typed into a
cell, an empty row, a duplicated row, a thousandfold value) are warned about or refused with the cell named, and no
untouched row is lost.

The conversions run once per test session (:func:`resaved`), one soffice process per target format, in parallel, each
with its own profile (-env:UserInstallation). Tests are grouped for pytest-xdist (``--dist loadgroup``)."""

from __future__ import annotations

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, make_settings

from indicators.ingest.base import RawFile
from indicators.ingest.pipeline import parse

REAL = SAMPLES / "real"
pytestmark = [
    pytest.mark.xdist_group("metamorphic"),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt"),
]

#: sample → how LibreOffice reads it (a CSV: separator, quote, charset 1 = Windows-1252 / 76 = UTF-8, German locale)
CSV_IN = {
    "genesis_12411-03-03-4_kreise.csv": "CSV:59,34,1,1,,1031",
    "genesis_table/regio_12411-01-01-4_bevoelkerung_kreise_2018.csv": "CSV:59,34,1,1,,1031",
    "genesis_table/destatis_12411-0015_bevoelkerung_kreise_2014-2018.csv": "CSV:59,34,1,1,,1031",
    "genesis_table/regio_13211-02-05-4_arbeitslose_kreise_2023.csv": "CSV:59,34,1,1,,1031",
}
#: workbook → the sheet a person saves as CSV (1-based; a CSV holds one sheet)
XLSX_IN = {
    "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx": 2,
    "genesis_xlsx/destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx": 1,
    "ba_excel/ba_sanktionen-d-0-201912-xlsx.xlsx": 10,
}
#: target format → (soffice --convert-to argument, file extension)
TARGETS = {
    "xlsx": ("xlsx", "xlsx"),
    "xls": ("xls", "xls"),
    "ods": ("ods", "ods"),
    "csv_semikolon_utf8": ("csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false", "csv"),
    "csv_komma_1252": ("csv:Text - txt - csv (StarCalc):44,34,1,1,,0,false,true,false,false,false", "csv"),
}
#: a German LibreOffice, as the staff use it (dates '31.12.18', decimal comma)
GERMAN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>de-DE</value>
</prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>de-DE</value></prop></item>
</oor:items>
"""


def _source(name: str) -> Path:
    return SAMPLES / name if (SAMPLES / name).exists() else REAL / name


def _convert(inputs: list[Path], target: str, infilter: str | None, out: Path, profile: Path, sheet: int = 0) -> None:
    convert, _ = TARGETS[target]
    if sheet and convert.startswith("csv:"):  # 1-based, or -1: every sheet into its own file
        convert += f",{sheet}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(GERMAN_PROFILE, encoding="utf-8")
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", convert, "--outdir", str(out), *map(str, inputs)]
    subprocess.run(cmd, capture_output=True, timeout=300, check=False)


@pytest.fixture(scope="session")
def resaved(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(sample, target) → the re-saved file; all conversions of the session at once. LibreOffice's start costs
    most of a conversion (about 10 s on a busy 2-core machine, against about 1 s a further file), so one soffice
    process converts every file of a group: the CSVs per target format, the workbooks per format, and the
    workbooks to CSV with every sheet at once (sheet argument -1, files named ``<file>-<sheet>.csv``)."""
    root = tmp_path_factory.mktemp("resaved")
    jobs = []
    csvs, books = [_source(n) for n in CSV_IN], [_source(n) for n in XLSX_IN]
    for target in TARGETS:  # a CSV opened in a spreadsheet program, saved in every format
        jobs.append((csvs, target, CSV_IN[next(iter(CSV_IN))], root / target / "csv", root / f"profile_{len(jobs)}", 0))
    assert len(set(CSV_IN.values())) == 1, "one reading of all sample CSVs per soffice process"
    for target in ("xls", "ods"):  # the workbooks: one soffice process per format for all of them
        jobs.append((books, target, None, root / target / "arbeitsmappen", root / f"profile_{len(jobs)}", 0))
    for target in ("csv_semikolon_utf8", "csv_komma_1252"):  # saved as CSV: every sheet, the table's is taken
        jobs.append((books, target, None, root / target / "arbeitsmappen", root / f"profile_{len(jobs)}", -1))
    for job in jobs:
        job[3].mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda j: _convert(*j), jobs))
    found: dict[tuple[str, str], Path] = {}
    for n in CSV_IN:
        for target, (_, ext) in TARGETS.items():
            found[(n, target)] = root / target / "csv" / f"{Path(n).stem}.{ext}"
    for n, sheet in XLSX_IN.items():
        stem = Path(n).stem
        for target in ("xls", "ods"):
            found[(n, target)] = root / target / "arbeitsmappen" / f"{stem}.{target}"
        name = openpyxl.load_workbook(_source(n), read_only=True).sheetnames[sheet - 1]
        for target in ("csv_semikolon_utf8", "csv_komma_1252"):
            found[(n, target)] = root / target / "arbeitsmappen" / f"{stem}-{name}.csv"
    return {key: path for key, path in found.items() if path.exists()}


def _values(parsed) -> dict[tuple, tuple]:
    d = parsed.data
    out = {}
    for r in d.itertuples(index=False):
        value = None if r.value != r.value else round(float(r.value), 6)
        out[(r.variable, r.region, int(r.year), r.nationality, r.sex, r.age_group, r.category)] = (value, r.flag)
    return out


def _read(path: Path, tmp_path: Path, name: str | None = None):
    return parse(RawFile(name or path.name, path.read_bytes()), make_settings(tmp_path))


CASES = [(n, t) for n in CSV_IN for t in TARGETS] + [(n, t) for n in XLSX_IN for t in TARGETS if t != "xlsx"]
#: container changes not handled yet (issue 21, reported as open): the expected failure is strict, so a fix shows
KNOWN_GAPS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize(("sample", "target"), CASES, ids=[f"{Path(n).stem[:30]}-{t}" for n, t in CASES])
def test_a_resaved_copy_gives_the_same_values(resaved, tmp_path, sample, target):
    if (sample, target) in KNOWN_GAPS:
        pytest.xfail(KNOWN_GAPS[(sample, target)])
    assert (sample, target) in resaved, "LibreOffice hat die Datei nicht umgewandelt"
    original = _read(_source(sample), tmp_path)
    assert original.ok
    copy = _read(resaved[(sample, target)], tmp_path)
    assert copy.ok, [p.text() for p in copy.errors][:5]
    a, b = _values(original), _values(copy)
    assert set(a) == set(b), (sorted(set(a) - set(b))[:5], sorted(set(b) - set(a))[:5])
    assert a == b, [(k, a[k], b[k]) for k in a if a[k] != b[k]][:5]


# -- containers made in Python (no soffice): tab-separated, UTF-16 as Excel's "Unicode-Text", Windows-1252, UTF-8 ------
def _text_rows(sample: str) -> list[list[str]]:
    """The sample's table as the text cells a person sees: a CSV split by its ';', a workbook's sheet with the
    numbers as a German Excel writes them into a text file ('14,9', '4312')."""
    import csv

    path = _source(sample)
    if path.suffix == ".csv":
        return list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";"))
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_index(XLSX_IN[sample] - 1).to_python()

    def shown(v: object) -> str:
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else repr(v).replace(".", ",")
        return "" if v is None else str(v)

    return [[shown(v) for v in r] for r in rows]


def _as_text(rows: list[list[str]], sep: str) -> str:
    import csv

    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


#: container → (file name, bytes of the table's text)
TEXT_CONTAINERS = {
    "unicode_text": ("tabelle.txt", lambda t: t.encode("utf-16")),  # Excel: "Unicode-Text" (UTF-16 LE, BOM, tabs)
    "unicode_ohne_bom": ("tabelle.txt", lambda t: t.encode("utf-16-le")),
    "tab_1252": ("tabelle.txt", lambda t: t.encode("cp1252")),
    "tab_utf8": ("tabelle.csv", lambda t: t.encode("utf-8-sig")),
}
TEXT_SAMPLES = [
    "genesis_table/regio_12411-01-01-4_bevoelkerung_kreise_2018.csv",
    "genesis_table/destatis_12411-0015_bevoelkerung_kreise_2014-2018.csv",
    "genesis_xlsx/destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx",
    "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx",
]
TEXT_CASES = [(n, c) for n in TEXT_SAMPLES for c in TEXT_CONTAINERS]


@pytest.mark.parametrize(("sample", "container"), TEXT_CASES, ids=[f"{Path(n).stem[:30]}-{c}" for n, c in TEXT_CASES])
def test_a_tab_separated_or_utf16_copy_gives_the_same_values(tmp_path, sample, container):
    """Before: UTF-16 text was refused ("Bitte als CSV UTF-8 speichern"); now read like the original."""
    original = _read(_source(sample), tmp_path)
    assert original.ok
    name, encode = TEXT_CONTAINERS[container]
    text = _as_text(_text_rows(sample), "\t")
    copy = parse(RawFile(name, encode(text)), make_settings(tmp_path))
    assert copy.ok, [p.text() for p in copy.errors][:5]
    assert copy.format == original.format
    assert _values(copy) == _values(original)
    if container.startswith("unicode"):
        assert copy.assumptions["Zeichenkodierung"] == "UTF-16 (Unicode-Text)"


def test_a_broken_utf16_file_is_refused_in_german(tmp_path):
    content = "Kreis\tWert\r\n".encode("utf-16") + b"\x00\xd8"  # a lone surrogate at the end
    parsed = parse(RawFile("kaputt.txt", content), make_settings(tmp_path))
    (error,) = parsed.errors
    assert "UTF-16" in error.message and error.file == "kaputt.txt"


# -- hand edits ------------------------------------------------------------------------------------------------
CSV = REAL / "genesis_table" / "destatis_12411-0015_bevoelkerung_kreise_2014-2018.csv"
PEINE_LINE = 32  # '03157;Peine, Landkreis;130601;132320;132979;133368;133965'


def _edit_csv(edit) -> RawFile:
    lines = CSV.read_bytes().split(b"\n")
    edit(lines)
    return RawFile("bearbeitet.csv", b"\n".join(lines))


def _set(lines: list[bytes], line: int, field: int, text: str) -> None:
    parts = lines[line - 1].split(b";")
    parts[field] = text.encode("cp1252")
    lines[line - 1] = b";".join(parts)


def _untouched_rows_read(original, edited, skip: set[tuple] = frozenset()) -> None:
    a, b = _values(original), _values(edited)
    missing = [k for k in a if k not in b and k not in skip]
    assert not missing, missing[:5]


@pytest.mark.parametrize("text", ["k.A.", "132 979 Personen", "ca. 100000", "133.965 EW"])
def test_a_text_or_a_unit_in_a_value_cell_is_named(tmp_path, text):
    original = _read(CSV, tmp_path)
    edited = parse(_edit_csv(lambda ls: _set(ls, 20, 4, text)), make_settings(tmp_path))  # a Kreis above Peine
    named = [p for p in edited.problems if text in p.message]
    assert named and (named[0].row, named[0].column.split(" ")[0]) == (20, "E")
    key = next(
        k for k, r in zip(_values(original), original.data.itertuples()) if r.source_row == 20 and r.year == 2016
    )
    _untouched_rows_read(original, edited, {key})


def test_an_empty_row_loses_nothing(tmp_path):
    original = _read(CSV, tmp_path)
    edited = parse(_edit_csv(lambda ls: ls.insert(25, b";;;;;;")), make_settings(tmp_path))
    assert edited.ok and _values(edited) == _values(original)


def test_a_duplicated_row_is_named_and_nothing_is_lost(tmp_path):
    original = _read(CSV, tmp_path)
    edited = parse(_edit_csv(lambda ls: ls.insert(PEINE_LINE, ls[PEINE_LINE - 1])), make_settings(tmp_path))
    assert _values(edited) == _values(original)
    assert any(p.row == PEINE_LINE + 1 and "wiederholt" in p.message for p in edited.problems), [
        p.text() for p in edited.problems
    ]


def test_a_thousandfold_value_is_a_plausibility_warning(tmp_monitor, tmp_path):
    from indicators.ingest import pipeline

    raw = _edit_csv(lambda ls: _set(ls, PEINE_LINE, 4, "132320000"))  # 2016 typed a thousand times too large
    parsed = pipeline.preview(raw, tmp_monitor.store, tmp_monitor.catalog, tmp_monitor.settings, impact=False)
    warned = [p for p in parsed.plausibility_warnings if p.rule == "tausendfach"]
    assert warned and warned[0].row == PEINE_LINE and "Peine" in warned[0].message
    assert "132.320.000" in warned[0].message
    _untouched_rows_read(_read(CSV, tmp_path), parsed)


def test_a_text_cell_in_the_real_xlsx_names_sheet_row_and_column(tmp_path):
    src = REAL / "genesis_xlsx" / "destatis_12411-0015_bevoelkerung_kreise_2014-2018.xlsx"
    wb = openpyxl.load_workbook(src)
    wb.worksheets[0]["D12"] = "k.A."
    buf = io.BytesIO()
    wb.save(buf)
    original = _read(src, tmp_path)
    edited = parse(RawFile("bearbeitet.xlsx", buf.getvalue()), make_settings(tmp_path))
    (p,) = [p for p in edited.problems if "k.A." in p.message]
    assert (p.sheet, p.row, p.column.split(" ")[0]) == ("12411-0015", 12, "D")
    assert len(edited.data) == len(original.data) - 1


def test_genesis_online_in_english_gives_the_same_values(tmp_path):
    """GENESIS-Online's English labels (Table, Reference date, Total/Male/Female, Population): the same values. A
    variant of the real German file with the labels of the English download (no real English export was at hand)."""
    src = REAL / "genesis_table" / "regio_12411-01-01-4_bevoelkerung_kreise_2018.csv"
    text = src.read_bytes().decode("cp1252")
    english = (
        text.replace("GENESIS-Tabelle:", "GENESIS-Table:")
        .replace(";;Stichtag;Stichtag;Stichtag", ";;Reference date;Reference date;Reference date")
        .replace(";;Insgesamt;männlich;weiblich", ";;Total;Male;Female")
        .replace("Bevölkerungsstand (Anzahl)", "Population (number)")
    )
    assert english.count("Total;Male;Female") == 1
    original = _read(src, tmp_path)
    parsed = parse(RawFile("population.csv", english.encode("cp1252")), make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    assert _values(parsed) == _values(original)


def test_ba_table_with_the_subject_in_the_header_and_a_written_out_measure(tmp_path):
    """A BA table whose subject ('Arbeitslose') stands in the top header row rather than the title, and whose rate is
    written out ('Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen'): the same values as the sample."""
    src = SAMPLES / "ba_arbeitsmarkt_staatsangehoerigkeit_2025-06.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb["aGB - Tabelle II"]
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    ws["A1"] = "Ausgewählte Staatsangehörigkeiten"
    for col, measure in enumerate(
        ["Anzahl", "Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen"] * 3, start=3
    ):
        ws.cell(7, col, "Arbeitslose" if col == 3 else None)
        ws.cell(9, col, measure)
        ws.cell(8, col, None)
    ws["C8"], ws["E8"], ws["G8"] = "Insgesamt", "Deutsche", "Ausländer"
    ws["A8"] = ws["B8"] = ws["A9"] = ws["B9"] = None
    for rng in ("A7:A9", "B7:B9", "C7:H7", "C8:D8", "E8:F8", "G8:H8"):
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    original = _read(src, tmp_path)
    parsed = parse(RawFile("ba_kopf.xlsx", buf.getvalue()), make_settings(tmp_path))
    assert parsed.ok, [p.text() for p in parsed.errors]
    assert _values(parsed) == _values(original)
