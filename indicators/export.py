"""Downloads: CSV (German: ';' and decimal comma) and Excel, safe against formula injection.

The one place where the monitor puts a value into a spreadsheet cell it hands out (issue 22): the department-round
forms and ``strategy export`` (indicators/strategy/workbook.py), the template (indicators/ingest/template.py), the
values export and the page downloads (here). A text is always a text cell, never a formula, whatever it starts
with (``= + - @``, tab, CR): in a workbook it is written as a typed text cell with its value unchanged (so it comes
back unchanged on re-import), in a CSV it gets a leading apostrophe (a CSV has no cell types).
Use :func:`put` or :func:`append_row` for a workbook, :func:`to_csv_bytes` for a CSV; never ``ws.cell(value=…)``
or ``ws.append`` with a person's text."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from typing import Any, cast

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

#: A text cell starting with one of these would be read as a formula by a spreadsheet.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(v: object) -> object:
    """Prefix a text that a spreadsheet would execute with an apostrophe; numbers stay numbers.

    A lone ``-`` or ``+`` (an official special symbol) and a number written as text stay as they are.
    """
    if not isinstance(v, str) or not v.startswith(DANGEROUS_PREFIXES):
        return v
    if v[0] in "+-" and (len(v) == 1 or _is_number(v)):
        return v
    return "'" + v


def _is_number(s: str) -> bool:
    try:
        float(s.replace(",", "."))
        return True
    except ValueError:
        return False


def plain_value(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        return v.item()
    return v


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_text)
    out.columns = [safe_text(str(c)) for c in out.columns]
    return out


def as_text_cell(cell: Any) -> Any:
    """A cell holding a text is a text cell (openpyxl makes a text starting with '=' a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def put(ws: Any, row: int, column: int, value: object) -> Any:
    """Write ``value`` into a cell of a workbook the monitor hands out: numbers, dates as they are, a text as a
    text cell (never a formula). Returns the cell (for its style)."""
    cell = ws.cell(row=row, column=column)
    cell.value = plain_value(value)
    return as_text_cell(cell)


def append_row(ws: Any, values: Iterable[object]) -> None:
    """``ws.append(values)`` with every text as a text cell, for normal and write-only worksheets alike."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    if isinstance(ws, WriteOnlyWorksheet):  # a write-only sheet: the cells are made up front
        out: list[object] = []
        for v in values:
            plain = plain_value(v)
            if isinstance(plain, str):
                cell = WriteOnlyCell(ws, value=plain)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(plain)
        ws.append(out)
        return
    plain = [plain_value(v) for v in values]
    ws.append(plain)
    row = ws._current_row  # the row just appended (``ws.max_row`` and ``ws[row]`` look at every cell: quadratic)
    for column, v in enumerate(plain, start=1):
        if isinstance(v, str):
            ws.cell(row=row, column=column).data_type = "s"


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV as Excel in Germany opens it: ';' separated, decimal comma, UTF-8 with BOM."""
    # CRLF line ends (as Excel writes them): a CR inside a text is then quoted and stays in its cell
    return cast(
        bytes,
        safe_frame(df).to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig"),
    )


def sheet_title(name: object) -> str:
    """A valid Excel sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in str(name)).strip("'")
    return (cleaned or "Daten")[:31]


def to_excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per frame; header bold. Every text is a text cell, never a formula, and keeps its value (no
    apostrophe: in .xlsx it would become part of the text; only CSV needs that guard)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in frames.items():
        ws = wb.create_sheet(sheet_title(name))
        append_row(ws, [str(c) for c in df.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in df.itertuples(index=False, name=None):
            append_row(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
