"""Reader for the app's own template (xlsx/xlsm/xls/ods sheet ``Daten``, or a CSV with the same header)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

import pandas as pd

from indicators.fmt import _DOT_AMBIGUOUS as fmt_DOT_AMBIGUOUS
from indicators.fmt import NumberError, parse_number
from indicators.ingest.base import PARSED_COLUMNS, ParsedFile, Problem, RawFile, RejectFile, Severity, file_kind
from indicators.ingest.files import (
    DELIMITER_NAMES,
    SPREADSHEET_EXT,
    decode_text,
    detect_delimiter,
    explain_empty,
    read_sheets,
    read_text_table,
)
from indicators.ingest.headers import header_key
from indicators.ingest.sources.common import TOTAL_WORDS, text_as_number_message
from indicators.ingest.template import DATA_SHEET, REQUIRED_COLUMNS, TEMPLATE_COLUMNS
from indicators.ingest.values import parse_cell

FORMAT = "vorlage"
LABEL = "Vorlage des Integrationsmonitors"

_HEADER_TO_COL = {header_key(v): k for k, v in TEMPLATE_COLUMNS.items()}
_HEADER_TO_COL.update(
    {
        "regionalschluessel": "region",
        "ags": "region",
        "schlüssel": "region",
        "staatsangehoerigkeit": "nationality",
        "nationalität": "nationality",
    }
)

#: German labels that people type instead of the codes.
CODE_ALIASES = {
    "nationality": {
        "deutsche": "deutsch",
        "ausländer": "auslaendisch",
        "ausländer(innen)": "auslaendisch",
        "auslaender": "auslaendisch",
        "ausländisch": "auslaendisch",
        "nichtdeutsch": "auslaendisch",
        "gesamt": "insgesamt",
        "alle": "insgesamt",
        "eu-ausländer": "eu",
        "drittstaaten": "drittstaat",
    },
    "sex": {
        "männlich": "maennlich",
        "m": "maennlich",
        "weiblich": "weiblich",
        "w": "weiblich",
        "gesamt": "insgesamt",
        "alle": "insgesamt",
        "männer": "maennlich",
        "frauen": "weiblich",
    },
}
_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

#: problems listed one by one per column and kind; the rest are counted (a file with two million bad rows listed
#: 2,4 million problems: gigabytes, and a page Streamlit could not send)
MAX_LISTED = 200


def _header_map(row: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        if isinstance(cell, str):
            col = _HEADER_TO_COL.get(
                header_key(cell)
            )  # the shared header matching (case, spacing, 'Regional-schlüssel')
            if col and col not in found:
                found[col] = i
    return found


def _is_template_header(row: Sequence[object]) -> bool:
    return all(c in _header_map(row) for c in REQUIRED_COLUMNS)


class TemplateReader:
    format = FORMAT
    label = LABEL

    def label_for(self, raw: RawFile) -> str:
        """'Vorlage des Integrationsmonitors (Excel)' or '(CSV)': the kind of the file at hand."""
        return f"{LABEL} ({file_kind(raw)})"

    def sniff(self, raw: RawFile) -> str | None:
        if raw.extension in SPREADSHEET_EXT:
            try:
                sheets = read_sheets(raw)
            except RejectFile:
                return None
            for sh in sheets:
                if sh.rows and _is_template_header(sh.rows[0]):
                    return f"Blatt „{sh.name}“ beginnt mit den Spaltenköpfen der Vorlage (Variable, Regionalschlüssel, Jahr, Wert)."
            return None
        try:
            text, _ = decode_text(raw)
        except RejectFile:
            return None
        first = text.splitlines()[0] if text else ""
        sep = detect_delimiter(text[:5000])
        if _is_template_header(next(csv.reader([first], delimiter=sep), [])):
            return "Die erste Zeile enthält die Spaltenköpfe der Vorlage (Variable, Regionalschlüssel, Jahr, Wert)."
        return None

    def read(self, raw: RawFile) -> ParsedFile:
        assumptions: dict[str, str] = {}
        if raw.extension in SPREADSHEET_EXT:
            sheets = read_sheets(raw)
            chosen = next(
                (s for s in sheets if s.name == DATA_SHEET and s.rows and _is_template_header(s.rows[0])), None
            )
            chosen = chosen or next((s for s in sheets if s.rows and _is_template_header(s.rows[0])), None)
            if chosen is None:
                raise RejectFile(raw.error("Kein Blatt mit den Spaltenköpfen der Vorlage gefunden."))
            rows, sheet = chosen.rows, chosen.name
            assumptions["Blatt"] = sheet
            decimal = ","
        else:
            text, enc = decode_text(raw)
            sep = detect_delimiter(text[:5000])
            rows = cast(
                "list[list[object]]", read_text_table(raw, sep).rows
            )  # bounded: columns and the length of every cell checked
            sheet = None
            decimal = "," if sep == ";" else "."
            assumptions.update(
                {
                    "Zeichenkodierung": enc,
                    "Trennzeichen": DELIMITER_NAMES[sep],
                    "Dezimalzeichen": "Komma" if decimal == "," else "Punkt",
                }
            )
        assumptions["Kopfzeile"] = "Zeile 1"
        return parse_template_rows(raw, rows, sheet, decimal, assumptions)


def _content(v: object) -> str | None:
    """A cell's content for the reconciliation's column "Inhalt" (None for an empty cell)."""
    return None if v is None or (isinstance(v, float) and v != v) else str(v)


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def normalise_region(v: object) -> tuple[str, bool]:
    """AGS as text; a key that a spreadsheet stored as a number gets its leading zero back."""
    s = _text(v)
    fixed = False
    if isinstance(v, (int, float)) or (s.isdigit() and len(s) in (1, 4, 7, 11)):
        if len(s) in (1, 4, 7, 11):
            s, fixed = "0" + s, True
    return s, fixed


def parse_date(v: object) -> dt.date | None | str:
    """A date cell: a real date, 'dd.mm.yyyy' text, or empty. Returns an error text if unreadable."""
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    m = _DATE_RE.match(str(v).strip())
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return f"kein gültiges Datum: „{v}“"
    try:
        return dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        return f"kein Datum im Format TT.MM.JJJJ: „{str(v)[:30]}“"


def _ambiguous(v: object) -> str | None:
    """The message of :func:`indicators.fmt.parse_number` for a text value like '1.234' (1234 or 1,234?): the
    template refuses it as the target inputs do, instead of guessing by the file's decimal sign."""
    if not isinstance(v, str):
        return None
    core = v.strip().strip("()").strip()
    core = re.sub(r"\s*[prs]$", "", core)
    if not fmt_DOT_AMBIGUOUS.fullmatch(core.lstrip("+-\u2212")):
        return None
    try:
        parse_number(core, "Wert")
    except NumberError as exc:
        return str(exc)
    return None


def parse_template_rows(
    raw: RawFile, rows: list[list[object]], sheet: str | None, decimal: str, assumptions: dict[str, str]
) -> ParsedFile:
    reader = _RowReader(raw, sheet, decimal, _header_map(rows[0]))
    for idx in range(1, len(rows)):
        reader.read(rows[idx], idx + 1)
    return reader.parsed(assumptions)


#: the columns of the frame of the template's values
RECORD_COLUMNS = list(PARSED_COLUMNS)


class _RowReader:
    """The template's data rows one by one: the values, the problems (capped per kind), the region names the file
    gives, and the key fields of the rows left out for an error (their codes are still checked)."""

    def __init__(self, raw: RawFile, sheet: str | None, decimal: str, cols: dict[str, int]) -> None:
        self.raw, self.sheet, self.decimal, self.cols = raw, sheet, decimal, cols
        self.header_name = {k: TEMPLATE_COLUMNS[k] for k in TEMPLATE_COLUMNS}
        self.problems = _Capped()
        self.records: list[tuple[Any, ...]] = []
        self.region_names: dict[str, str] = {}
        self.fixed_regions = 0
        self.text_numbers, self.first_text_row = 0, cast("int | None", None)
        self.incomplete: list[tuple[Any, ...]] = []

    def get(self, row: list[object], col: str) -> object:
        i = self.cols.get(col)
        return row[i] if i is not None and i < len(row) else None

    def read(self, row: list[object], rownum: int) -> None:
        """One data row (``rownum``: its number in the sheet)."""
        raw, sheet, header_name = self.raw, self.sheet, self.header_name
        if not any(c not in (None, "") for c in row):
            return
        var = _text(self.get(row, "variable"))
        if var.casefold() in TOTAL_WORDS or _text(self.get(row, "region")).casefold() in TOTAL_WORDS:
            self.problems.append(
                raw.warning("Summenzeile erkannt und nicht als Daten gelesen.", sheet, rownum, header_name["variable"])
            )
            return
        region, fixed = normalise_region(self.get(row, "region"))
        self.fixed_regions += fixed
        # every problem of the row is listed; the row is left out if there is one
        found, ytxt, ref = self._key_problems(row, rownum, var, region)
        dims = {}
        for dim in ("nationality", "sex", "age_group", "category"):
            code = _text(self.get(row, dim)).lower()
            code = CODE_ALIASES.get(dim, {}).get(code, code)
            dims[dim] = code or "insgesamt"
        cell, flag, value_problem = self._value(row, rownum)
        if value_problem is not None:
            found.append(value_problem)
        if found:
            for problem in found:
                self.problems.append(problem)
            # the codes of a row left out are still checked (a row lists all its problems)
            self.incomplete.append(
                (var or None, region or None, dims["nationality"], dims["sex"], dims["age_group"], dims["category"])
                + (sheet, rownum)
            )
            return
        if cell.as_text and sheet is not None:
            self.text_numbers += 1
            self.first_text_row = self.first_text_row or rownum  # the warning names the first one
        name = _text(self.get(row, "region_name"))
        if name:
            self.region_names.setdefault(region, name)
        self.records.append(
            (var, region, int(ytxt), ref, dims["nationality"], dims["sex"], dims["age_group"], dims["category"])
            + (cell.value, flag or None, sheet, rownum, header_name["value"])
        )

    def _key_problems(
        self, row: list[object], rownum: int, var: str, region: str | None
    ) -> tuple[list[Problem], str, Any]:
        """The problems of the row's variable, region, year and reference date; the year's text and the date."""
        raw, sheet, header_name = self.raw, self.sheet, self.header_name
        found: list[Problem] = []
        if not var:
            found.append(raw.error("Variable fehlt.", sheet, rownum, header_name["variable"]))
        if not region:
            found.append(raw.error("Regionalschlüssel fehlt.", sheet, rownum, header_name["region"]))
        ytxt = _text(self.get(row, "year"))
        if not re.fullmatch(r"\d{4}", ytxt):
            found.append(
                raw.error(f"Jahr ist keine vierstellige Jahreszahl: „{ytxt[:20]}“.", sheet, rownum, header_name["year"])
            )
        ref = parse_date(self.get(row, "ref_date"))
        if isinstance(ref, str):
            found.append(raw.error(ref, sheet, rownum, header_name["ref_date"]))
        return found, ytxt, ref

    def _value(self, row: list[object], rownum: int) -> tuple[Any, str | None, Problem | None]:
        """The row's value cell read, its flags (the cell's and the flag column's), and its problem if any."""
        raw, sheet, header_name = self.raw, self.sheet, self.header_name
        cell = parse_cell(self.get(row, "value"), self.decimal)
        ambiguous = _ambiguous(self.get(row, "value"))
        flag_cell = _text(self.get(row, "flag"))
        flag = cell.flag
        if flag_cell:
            flag = ",".join(
                sorted({*(flag.split(",") if flag else []), *[f.strip() for f in flag_cell.split(",") if f.strip()]})
            )
        content = _content(self.get(row, "value"))  # the refused cell as the file has it (the reconciliation)
        if ambiguous:
            return cell, flag, replace(raw.error(ambiguous, sheet, rownum, header_name["value"]), content=content)
        if cell.error and not (cell.value is None and flag_cell and self.get(row, "value") in (None, "")):
            # (an empty value explained by the flag column is no error)
            cols = self.cols
            message = explain_empty(raw, sheet, rownum, cols["value"], cell.error) if "value" in cols else cell.error
            return cell, flag, replace(raw.error(message, sheet, rownum, header_name["value"]), content=content)
        return cell, flag, None

    def parsed(self, assumptions: dict[str, str]) -> ParsedFile:
        """The file as read: values, problems (with the summary warnings and the counts of the rest)."""
        raw, sheet, header_name, problems, cols = self.raw, self.sheet, self.header_name, self.problems, self.cols
        if self.fixed_regions:
            problems.append(
                raw.warning(
                    f"{self.fixed_regions} Regionalschlüssel waren als Zahl gespeichert; die führende 0 wurde ergänzt.",
                    sheet,
                    None,
                    header_name["region"],
                )
            )
            assumptions["Regionalschlüssel"] = "führende 0 ergänzt, wo als Zahl gespeichert"
        if self.text_numbers:
            problems.append(
                raw.warning(text_as_number_message(self.text_numbers), sheet, self.first_text_row, header_name["value"])
            )
        problems.close(raw, sheet)
        data = pd.DataFrame.from_records(self.records, columns=RECORD_COLUMNS)
        data["value"] = data["value"].astype("float64")
        assumptions["Spalten"] = ", ".join(f"{TEMPLATE_COLUMNS[c]} → {c}" for c in cols)
        parsed = ParsedFile(
            raw, FORMAT, f"{LABEL} ({file_kind(raw)})", "", data, assumptions, list(problems), self.region_names
        )
        parsed.key_columns = {
            k: header_name[k] for k in ("variable", "region", "year", "nationality", "sex", "age_group", "category")
        }
        parsed.column_order = [header_name[c] for c in sorted(cols, key=lambda c: cols[c])]
        for sh, rows_ in problems.unlisted.items():
            parsed.note_unlisted_errors(sh, rows_)
        parsed.incomplete_rows = pd.DataFrame.from_records(
            self.incomplete,
            columns=["variable", "region", "nationality", "sex", "age_group", "category", "source_sheet", "source_row"],
        )
        return parsed


class _Capped(list[Any]):
    """The problems of the rows: the first MAX_LISTED of each kind (severity and column), the rest counted."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[tuple[Severity, str | None], int] = {}
        self.unlisted: dict[str | None, list[int]] = {}  # rows of the errors only counted

    def append(self, p: Problem) -> None:
        kind = (p.severity, p.column)
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if self.seen[kind] <= MAX_LISTED:
            super().append(p)
        elif p.severity == "fehler" and p.row is not None:
            self.unlisted.setdefault(p.sheet, []).append(p.row)

    def close(self, raw: RawFile, sheet: str | None) -> None:
        for (severity, column), n in self.seen.items():
            if n > MAX_LISTED:
                more = f"{n - MAX_LISTED:_}".replace("_", ".")
                super().append(
                    Problem(
                        severity,
                        f"… und {more} weitere Zeilen mit einem Problem in dieser Spalte "
                        "(nur die ersten {MAX_LISTED} sind einzeln aufgeführt).".replace(
                            "{MAX_LISTED}", str(MAX_LISTED)
                        ),
                        raw.name,
                        sheet,
                        None,
                        column,
                        more=n - MAX_LISTED,
                    )
                )
