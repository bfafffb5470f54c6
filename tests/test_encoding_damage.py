"""A text file once opened with the wrong character set and saved again (issue 21, review): 'AuslÃ¤nder' (UTF-8
read as Windows-1252) or 'Ausl�nder' (replacement characters) was refused as an unknown label with a call for the
administration. Now: repaired with a warning where that is unambiguous, else an error naming the encoding."""

from __future__ import annotations

from conftest import SAMPLES, make_settings

from indicators.ingest.base import RawFile
from indicators.ingest.files import repair_mojibake
from indicators.ingest.pipeline import parse

TABLE = "genesis_12411-03-03-4_kreise.csv"  # Windows-1252, labels with umlauts in the header rows


def _text() -> str:
    return (SAMPLES / TABLE).read_bytes().decode("cp1252")


def _values(parsed) -> dict[tuple, float]:
    d = parsed.data[["region", "year", "nationality", "sex", "value", "flag"]].astype(object)
    return {tuple(r[:4]): (None if r[4] != r[4] else r[4], r[5]) for r in d.itertuples(index=False)}


def test_utf8_read_as_windows_1252_and_saved_is_repaired_with_a_warning(tmp_path):
    settings = make_settings(tmp_path)
    clean = parse(RawFile(TABLE, (SAMPLES / TABLE).read_bytes()), settings)
    damaged = _text().encode("utf-8").decode("cp1252").encode("utf-8")
    assert "AuslÃ¤nder(innen)".encode() in damaged
    parsed = parse(RawFile("kreise.csv", damaged), settings)
    assert parsed.ok, [p.text() for p in parsed.errors]
    assert _values(parsed) == _values(clean) and len(clean.data) == 162
    (w,) = [p for p in parsed.warnings if p.message.startswith("Zeichenkodierung")]
    assert (w.row, w.column) == (2, "A")
    assert "hier steht „BevÃ¶lkerung nach Geschlecht“" in w.message
    assert "zurückübersetzt (hier: „Bevölkerung nach Geschlecht“)" in w.message
    assert "„CSV UTF-8“ speichern" in w.message


def test_replacement_characters_are_named_as_an_encoding_problem(tmp_path):
    damaged = _text().encode("cp1252").decode("utf-8", errors="replace").encode("utf-8")
    parsed = parse(RawFile("kreise.csv", damaged), make_settings(tmp_path))
    assert not parsed.ok
    first = parsed.errors[0]
    assert first.message.startswith("Zeichenkodierung: Hier steht „Bev\ufffdlkerung nach Geschlecht“")
    assert (first.row, first.column) == (2, "A")
    assert "Zeichensatz" in first.message and "„CSV UTF-8“" in first.message
    assert not any("Administration" in p.message for p in parsed.errors)  # no unknown label to be mapped


def test_a_correct_text_is_left_alone():
    for text in ("„Groß“ und Ausländer", "Straße – 5 €", "Â© Statistisches Bundesamt"[2:]):
        assert repair_mojibake(text) == (text, None)
    # each mis-read letter is repaired on its own; the correct words beside it stay as they are
    assert repair_mojibake("AuslÃ¤nder und „Groß“")[0] == "Ausländer und „Groß“"
    # a suspicious run that gives no letter back: nothing is changed (never guessed), the finding names it
    text, found = repair_mojibake("AuslÃ¤nder; MÃ¤€nner")
    assert text == "AuslÃ¤nder; MÃ¤€nner" and found is not None and found.repaired is None


def test_a_workbook_saved_from_a_wrongly_opened_csv_names_the_cell(tmp_path):
    """The same damage saved as .xlsx: the cell with 'mÃ¤nnlich' is named (sheet, row, column) as an encoding problem,
    with what is meant, instead of an unknown label for the administration."""
    import csv
    import io

    import openpyxl

    damaged = _text().encode("utf-8").decode("cp1252")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "12411-03-03-4"
    for row in csv.reader(io.StringIO(damaged), delimiter=";"):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    parsed = parse(RawFile("kreise.xlsx", out.getvalue()), make_settings(tmp_path))
    first = parsed.problems[0]
    assert first.message.startswith("Zeichenkodierung: In dieser Zelle steht „BevÃ¶lkerung nach Geschlecht, ")
    assert "(gemeint ist wohl „Bevölkerung nach Geschlecht, Nationalität“)" in first.message
    assert (first.sheet, first.row, first.column) == ("12411-03-03-4", 2, "A")
    assert not any("Administration" in p.message for p in parsed.errors)


def test_a_clean_flat_file_is_not_decoded_for_the_check(tmp_path):
    """The check looks at the bytes first: a large flat file, read by pyarrow straight from its bytes, is not decoded
    into one Python string for it (time and memory of the 250.000-row benchmark)."""
    from indicators.ingest import files

    raw = RawFile("flat.csv", (SAMPLES / "genesis_flat_12411-01-01-5_gemeinden.csv").read_bytes())
    assert parse(raw, make_settings(tmp_path)).ok
    assert "text" not in files._cache(raw) and files.mojibake_of(raw) is None
