"""Downloads: CSV (German: ';' and decimal comma) and Excel, safe against formula injection."""

from __future__ import annotations

import io
import math
from typing import cast

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


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV as Excel in Germany opens it: ';' separated, decimal comma, UTF-8 with BOM."""
    return cast(bytes, safe_frame(df).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"))


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
        ws.append([str(c) for c in df.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in df.itertuples(index=False, name=None):
            ws.append([plain_value(v) for v in row])
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl made a text starting with '=' a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
