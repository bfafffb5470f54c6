"""Shared types of the import: the raw upload, problems, the parsed result, the reader protocol."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import Any, Literal, Protocol, cast

import numpy as np
import pandas as pd

from indicators.fmt import count_text, fmt_int
from indicators.ingest.template import OBS_COLUMNS

#: Columns of the frame a reader returns: the observation plus where it came from in the file.
PARSED_COLUMNS = (*OBS_COLUMNS, "source_sheet", "source_row", "source_column")
#: the columns of the canonical frame that are stored with an observation
STORED_COLUMNS = [*OBS_COLUMNS, "source_row"]


def _missing(x: object) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def place_text(x: object) -> str | None:
    """A sheet or column name as text; missing (None, NaN, empty) as None."""
    return None if _missing(x) or x == "" else str(x)


def distinct_values(col: pd.Series) -> list[str]:
    """The distinct values that occur in a column (of a categorical: the used categories only), as text."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return [str(col.cat.categories[c]) for c in np.unique(col.cat.codes.to_numpy()) if c >= 0]
    return [str(v) for v in col.dropna().unique()]


#: how bad a problem is: an error rejects the file, a warning is shown
Severity = Literal["fehler", "warnung"]


@dataclass(frozen=True)
class Problem:
    """One finding about an uploaded file. ``row`` is 1-based as the spreadsheet shows it."""

    severity: Severity
    message: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    #: None for one problem; a summary line ("… und 1.234 weitere Zeilen …") gives the number of problems it stands
    #: for that are not listed (0 for a summary of listed ones: "3 Regionen sind nicht in der Regionsliste")
    more: int | None = None
    #: a plausibility warning (:mod:`indicators.ingest.plausibility`): the rule's name; such a warning is confirmed
    #: before the commit (the page: a tick; the command line: --ja)
    rule: str | None = None
    #: the region key a plausibility warning is about (the impact section lists jumps of comparison regions)
    region: str | None = None
    #: a refused cell: its content as the file has it (the reconciliation lists it; shown as text)
    content: str | None = None
    #: a refused cell left out with a warning (the rest of the file is read): the reconciliation counts it apart
    left_out: bool = False

    def __post_init__(self) -> None:
        # the place often comes straight from a frame: a missing sheet of a categorical is NaN, a row a float
        object.__setattr__(self, "sheet", place_text(self.sheet))
        object.__setattr__(self, "column", place_text(self.column))
        object.__setattr__(self, "row", None if _missing(self.row) else int(cast(int, self.row)))

    @property
    def location(self) -> str:
        parts = [f"Datei {self.file}"]
        if self.sheet:
            parts.append(f"Blatt {self.sheet}")
        if self.row is not None:
            parts.append(f"Zeile {self.row}")
        if self.column:
            parts.append(f"Spalte {self.column}")
        return ", ".join(parts)

    def text(self) -> str:
        return f"{self.location}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            **({"regel": self.rule} if self.rule else {}),
            **({"weitere": self.more} if self.more is not None else {}),  # a summary line: the problems it stands for
        }


class RejectFile(Exception):
    """Raised by a reader when the file cannot be read at all; carries the German problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text())
        self.problem = problem


@dataclass
class RawFile:
    """An uploaded file: its name and its original bytes (kept unchanged for the archive)."""

    name: str
    content: bytes

    @property
    def extension(self) -> str:
        return PurePath(self.name).suffix.lower().lstrip(".")

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    def error(
        self, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None
    ) -> Problem:
        return Problem("fehler", message, self.name, sheet, row, column)

    def warning(
        self, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None
    ) -> Problem:
        return Problem("warnung", message, self.name, sheet, row, column)


#: refused cells listed one by one in the reconciliation; the rest are counted
MAX_REFUSED_LISTED = 200


@dataclass
class Accounting:
    """Every cell of the data block accounted for: ``cells`` = ``values`` (numbers taken) + ``symbols`` (official
    symbols kept as flags) + ``refused`` (errors) + ``left_out`` (left out with a warning, the rest read); each refused
    or left-out cell listed with sheet, row, column letter, content and reason."""

    block: str  # where the block is, in words ('Zeile 9 bis 546, Spalten C bis E')
    cells: int
    values: int
    symbols: int
    refused_count: int
    refused: list[dict[str, Any]] = field(default_factory=list)  # sheet, row, column, content, reason (the first ones)
    #: cells left out with a warning (a text such as 'k.A.' in a file otherwise sound; every other row is read)
    left_out: int = 0
    #: the cells left out with a warning, listed like the refused ones (never among them: review of issue 21)
    left_out_cells: list[dict[str, Any]] = field(default_factory=list)
    #: the values were summed into this many (an own list whose rows are parts of one region)
    summed_to: int | None = None

    @property
    def balanced(self) -> bool:
        return self.cells == self.values + self.symbols + self.refused_count + self.left_out

    def text(self) -> str:
        """One German line: 'Zeile 9 bis 546, Spalten C bis E: 1.614 Zellen = 1.612 Werte übernommen + 1 amtliches
        Zeichen + 0 abgelehnt + 1 mit Warnung ausgelassen' (the last part only where there is one)."""

        left = f" + {fmt_int(self.left_out)} mit Warnung ausgelassen" if self.left_out else ""
        if self.summed_to is not None:
            left += f" (summiert zu {count_text(self.summed_to, 'Wert', 'Werten')})"
        return (
            f"{self.block}: {count_text(self.cells, 'Zelle', 'Zellen')} = "
            f"{count_text(self.values, 'Wert', 'Werte')} übernommen + "
            f"{count_text(self.symbols, 'amtliches Zeichen', 'amtliche Zeichen')} + {fmt_int(self.refused_count)} abgelehnt"
            f"{left}"
        )

    def taken_text(self) -> str:
        """What the file gives, in the same words as the reconciliation: '40 Werte', '40 Werte und 1 amtliches
        Zeichen' (the status line said '41 Werte' for 40 numbers and 1 symbol)."""
        values = count_text(self.values, "Wert", "Werte")
        if self.symbols:
            values += f" und {count_text(self.symbols, 'amtliches Zeichen', 'amtliche Zeichen')}"
        if self.summed_to is not None:
            values += f", summiert zu {count_text(self.summed_to, 'Wert', 'Werten')}"
        return values

    def as_dict(self) -> dict[str, Any]:
        return {
            "datenblock": self.block,
            "zellen": self.cells,
            "werte": self.values,
            "zeichen": self.symbols,
            "abgelehnt": self.refused_count,
            "ausgelassen": self.left_out,
            "abgelehnte_zellen": self.refused,
            "ausgelassene_zellen": self.left_out_cells,
            "stimmt": self.balanced,
        }


@dataclass
class ParsedFile:
    """What a reader recognised in a file; nothing of it is written before :func:`commit`."""

    raw: RawFile
    format: str
    format_label: str
    reasoning: str
    data: pd.DataFrame
    assumptions: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    region_names: dict[str, str] = field(default_factory=dict)
    #: region keys of the data that are not in the region list (set by validation, sorted by level and key)
    unknown_regions: list[str] = field(default_factory=list)
    #: whether the file holds a table at all; False for a file rejected before one was found (empty, no
    #: table, encrypted, too large, not the format its name says): no column mapping can read it
    table_found: bool = True
    #: the file's own column of a key field where one column holds it for every row (the template: variable →
    #: 'Variable'); problems with that field name this column, not the value's
    key_columns: dict[str, str] = field(default_factory=dict)
    #: the file's columns in their order (problems are sorted by sheet, row and this order)
    column_order: list[str] = field(default_factory=list)
    #: rows a reader left out for an error (key fields only: variable, region, codes, source_sheet, source_row), so
    #: that the checks of the codes still list their problems too
    incomplete_rows: pd.DataFrame | None = None
    #: rows of errors counted but not listed one by one (beyond the cap): per sheet, arrays of row numbers
    unlisted_error_rows: dict[Any, Any] = field(default_factory=dict)
    #: the effect on the indicators of the own Kreis (:class:`indicators.ingest.impact.Impact`), set by the preview
    #: of a file without errors; None where it was not computed
    impact: object | None = None
    #: every cell of the data block accounted for (:class:`Accounting`), set by the reader or by :func:`parse`
    accounting: Accounting | None = None

    def note_unlisted_errors(self, sheet: object, rows: Any) -> None:
        """Remember the rows of errors that are only counted (for the number of rows with errors)."""
        key = place_text(sheet)
        arr = np.asarray(pd.to_numeric(pd.Series(rows), errors="coerce").dropna(), dtype=np.int64)
        self.unlisted_error_rows.setdefault(key, []).append(arr)

    def error_counts(self) -> tuple[int, int]:
        """(rows with errors, errors): every error counts, also those a summary line stands for; a row with
        three problems is one row and three errors; an error without a row (the whole file) is no row."""
        errors = self.errors
        n_errors = sum(1 if p.more is None else p.more for p in errors)
        places: dict[str | None, list[np.ndarray]] = {k: list(v) for k, v in self.unlisted_error_rows.items()}
        for p in errors:
            if p.row is not None and p.more is None:
                places.setdefault(p.sheet, []).append(np.asarray([p.row], dtype=np.int64))
        n_rows = sum(len(np.unique(np.concatenate(v))) for v in places.values() if v)
        return n_rows, n_errors

    def warning_count(self) -> int:
        """Warnings, every one counted, also those a summary line stands for ('… und 48 weitere Werte mit derselben
        Plausibilitätswarnung' is 48): the headline, the badge and the button count as the list does."""
        return sum(1 if p.more is None else p.more for p in self.warnings)

    def plausibility_count(self) -> int:
        """Plausibility warnings (one per value and rule), counted as :meth:`warning_count` counts them."""
        return sum(1 if p.more is None else p.more for p in self.plausibility_warnings)

    def sort_problems(self) -> None:
        """Problems in reading order: errors first, then warnings; each by sheet, row and column (the file's
        order of columns; letters as Excel orders them: B before AA); lines without a row after those with one."""
        order = {c: i for i, c in enumerate(self.column_order)}
        sheets: dict[str | None, int] = {}
        for p in self.problems:
            sheets.setdefault(p.sheet, len(sheets))

        def column_key(c: str | None) -> tuple[Any, ...]:
            if c is None:
                return (2, 0, "")
            if c in order:
                return (0, order[c], "")
            head = c.split(" ")[0]
            if head.isalpha() and head.isupper() and len(head) <= 3:
                return (1, len(head), head)
            return (1, 99, "")  # a header text (official tables): the reader's order stays (the sort is stable)

        self.problems = sorted(
            self.problems,
            key=lambda p: (
                p.severity != "fehler",
                sheets[p.sheet],
                p.row is None,
                p.row or 0,
                column_key(p.column),
                p.more is not None,
            ),
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fehler"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warnung"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def plausibility_warnings(self) -> list[Problem]:
        """Warnings of the plausibility rules: confirmed by the person before the commit."""
        return [p for p in self.problems if p.severity == "warnung" and p.rule]

    def summary(self) -> dict[str, object]:
        d = self.data
        years = sorted(int(y) for y in d["year"].dropna().unique()) if len(d) else []
        return {
            "Datei": self.raw.name,
            "Format": self.format_label,
            "Zeilen": len(d),
            "Jahre": (f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])) if years else "–",
            "Regionen": int(d["region"].nunique()) if len(d) else 0,
            "Variablen": ", ".join(sorted(d["variable"].dropna().unique())) if len(d) else "–",
        }


class Reader(Protocol):
    """A source format. ``sniff`` looks at the content (not the file name) and says why it matches.
    ``label`` is the format's name; a family read from several kinds of file (Excel and CSV) names the kind of
    the file at hand with :func:`label_for`."""

    format: str
    label: str

    def sniff(self, raw: RawFile) -> str | None: ...

    def read(self, raw: RawFile) -> ParsedFile: ...


def file_kind(raw: RawFile) -> str:
    """The kind of file as a user names it: 'Excel' (.xlsx, .xlsm, .xls), 'OpenDocument' (.ods), else 'CSV'."""
    ext = raw.extension
    if ext in ("xlsx", "xlsm", "xls"):
        return "Excel"
    if ext == "ods":
        return "OpenDocument"
    return "CSV"


def label_for(reader: Any, raw: RawFile) -> str:
    """A reader's label for this file: the kind the file really is ('GENESIS-Tabelle (Excel)' for an .xlsx,
    '(CSV)' for a .csv), where the reader reads several kinds; else its fixed label."""
    named = getattr(reader, "label_for", None)
    return str(named(raw) if callable(named) else reader.label)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in PARSED_COLUMNS})


def row_accounting(parsed: ParsedFile) -> Accounting | None:
    """The reconciliation of a file read row by row (flat file, Open SDG, template, own lists): the cells read =
    values + official symbols + cells refused for their value (each named by the reader's problems) + cells left out
    with a warning. The block names its rows and, where a row holds several values (an own list), its columns."""
    d = parsed.data
    refused = [p for p in parsed.errors if p.row is not None and p.more is None]
    left = [p for p in parsed.warnings if p.left_out and p.row is not None]
    more = sum(p.more or 0 for p in parsed.errors if p.more)
    if d.empty and not refused and not left:
        return None
    value = d["value"].to_numpy(dtype="float64", na_value=np.nan) if len(d) else np.array([])
    rows = pd.to_numeric(d["source_row"], errors="coerce").dropna() if len(d) else pd.Series([], dtype=float)
    other_rows = [p.row for p in refused + left if p.row is not None]
    first = int(min([*rows.tolist()[:1], *other_rows] or [0])) if len(rows) or other_rows else 0
    last = int(max([rows.max() if len(rows) else 0, *other_rows]))
    if len(rows):
        first = min(first, int(rows.min()))
    n_values = int((~np.isnan(value)).sum())
    n_symbols = int(np.isnan(value).sum())
    n_refused = len(refused) + more
    columns = sorted(
        {
            _letters_of(c)
            for c in [*(d["source_column"].dropna().unique() if len(d) else []), *(p.column for p in refused)]
            if c
        }
        - {""},
        key=lambda c: (len(c), c),
    )
    rows_text = f"Zeile {first}" if first == last else f"Zeile {first} bis {last}"
    if len(columns) > 1:
        block = f"{rows_text}, Spalten {', '.join(columns)}"
    else:
        block = f"{rows_text} (ein Wert je Zeile)"
    return Accounting(
        block,
        cells=n_values + n_symbols + n_refused + len(left),
        values=n_values,
        symbols=n_symbols,
        refused_count=n_refused,
        refused=[_cell(p) for p in refused[:MAX_REFUSED_LISTED]],
        left_out=len(left),
        left_out_cells=[_cell(p) for p in left[:MAX_REFUSED_LISTED]],
    )


def _cell(p: Problem) -> dict[str, Any]:
    """A refused or left-out cell as the reconciliation lists it."""
    return {"sheet": p.sheet, "row": p.row, "column": p.column, "content": p.content, "reason": p.message}


def _letters_of(column: object) -> str:
    """'B (Beschäftigte gesamt)' → 'B'; a column named by its label only stays as it is."""
    text = str(column).strip()
    m = re.match(r"^([A-Z]{1,3})(?: \(|$)", text)
    return m.group(1) if m else text
