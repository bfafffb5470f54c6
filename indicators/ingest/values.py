"""Reading one value cell: numbers in German or English notation, and the official special symbols."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Official special symbols that stand instead of a number (value missing, symbol kept as flag).
MISSING_SYMBOLS: dict[str, str] = {
    "-": "nichts vorhanden (genau null)",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "...": "Angabe fällt später an",
    "…": "Angabe fällt später an",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
    "x": "Tabellenfach gesperrt / Aussage nicht sinnvoll",
    "*": "anonymisiert (BA: Werte 1 oder 2 bzw. rückrechenbar)",
    ".x": "Veränderung über 250 %",
    "k": "rundet auf null (LSN)",
    "t": "Angabe fällt später an (LSN)",
    "u": "nicht sicher genug (LSN)",
    "g": "unbekannt oder geheim (LSN)",
}
#: Symbols that keep the value and add a flag.
VALUE_FLAGS: dict[str, str] = {
    "()": "Aussagewert eingeschränkt",
    "p": "vorläufig",
    "r": "berichtigt",
    "s": "geschätzt",
}
ALL_FLAGS = {**MISSING_SYMBOLS, **VALUE_FLAGS}
_DASHES = {"–": "-", "—": "-"}  # en/em dash typed instead of the hyphen of 'nichts vorhanden'

_DE_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SUFFIX = re.compile(r"^(.*?\d)\s*([prs])$")


@dataclass(frozen=True)
class Cell:
    value: float | None
    flag: str | None = None
    error: str | None = None
    as_text: bool = False  # a number that was stored as text


def parse_number_text(text: str, decimal: str = ",") -> float | None:
    """'1.234,5' -> 1234.5 (decimal ','), '1,234.5' -> 1234.5 (decimal '.'); None if not a number."""
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not s:
        return None
    if decimal == ",":
        if _DE_THOUSANDS.match(s):
            s = s.replace(".", "")
        elif "." in s and "," not in s and s.count(".") == 1 and re.match(r"^[+-]?\d+\.\d+$", s):
            pass  # '14.9' in a decimal-comma file: read as a decimal point (the common CSV case)
        s = s.replace(",", ".")
    else:
        if _EN_THOUSANDS.match(s):
            s = s.replace(",", "")
    if not re.match(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", s):
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


#: the problem text of an empty value cell (the readers explain it further where they can)
EMPTY_CELL = "Wert fehlt (leere Zelle)"


def parse_cell(v: object, decimal: str = ",") -> Cell:
    """Interpret one value cell. Never raises."""
    if v is None:
        return Cell(None, None, EMPTY_CELL)
    if isinstance(v, bool):
        return Cell(None, None, f"keine Zahl: {v!r}")
    if isinstance(v, (int, float)):
        f = float(v)
        if not math.isfinite(f):
            return Cell(None, None, "keine endliche Zahl")
        return Cell(f)
    if not isinstance(v, str):
        return Cell(None, None, f"keine Zahl: {str(v)[:40]!r}")
    s = v.strip()
    if s == "":
        return Cell(None, None, EMPTY_CELL)
    s = _DASHES.get(s, s)
    if s in MISSING_SYMBOLS:
        return Cell(None, s)
    if s.startswith("(") and s.endswith(")"):
        inner = parse_number_text(s[1:-1], decimal)
        if inner is not None:
            return Cell(inner, "()")
    m = _SUFFIX.match(s)
    if m:
        num = parse_number_text(m.group(1), decimal)
        if num is not None:
            return Cell(num, m.group(2))
    num = parse_number_text(s, decimal)
    if num is not None:
        return Cell(num, None, None, as_text=True)
    shown = s if len(s) <= 40 else s[:40] + "…"
    return Cell(None, None, f"keine Zahl und kein amtliches Zeichen: „{shown}“")


# -- whole columns at once ----------------------------------------------------------------------
class KindTable(dict[type, int]):
    """Type -> kind code; any other type is 0."""

    def __missing__(self, key: type) -> int:
        return 0


#: by exact type (a bool is no number): 1 text, 2 number
CELL_KINDS = KindTable({str: 1, int: 2, float: 2, np.float64: 2, np.int64: 2})


def cell_kinds(cells: np.ndarray, table: dict[type, int] = CELL_KINDS) -> np.ndarray:
    """The kind code (``table``) of every cell of an object array by its exact type, in one pass in C (a pandas
    ``map(type)`` and comparisons of type objects cost ten times as much on a column of 200.000 cells)."""
    return np.fromiter(map(table.__getitem__, map(type, cells)), dtype=np.int8, count=len(cells))


_FAST = {",": r"^[+-]?\d+(?:,\d+)?$", ".": r"^[+-]?\d+(?:\.\d+)?$"}


def parse_series(values: pd.Series, decimal: str = ",") -> pd.DataFrame:
    """Vectorised :func:`parse_cell` for a whole column (cells may be numbers, text or empty).

    Returns a frame with the same index and the columns ``value`` (float64), ``flag`` (object),
    ``error`` (object, ``None`` where the cell is fine) and ``as_text`` (bool: a number stored as text).
    Plain numbers go through pandas; every other distinct text is read once with :func:`parse_cell`.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # parse each distinct text once, then spread by code
        cats = parse_series(pd.Series(values.cat.categories.astype(object), dtype=object), decimal)
        codes = values.cat.codes.to_numpy()
        empty = parse_series(pd.Series([None], dtype=object), decimal)
        table = pd.concat([cats, empty], ignore_index=True)  # code -1 (missing) -> the last row
        out = table.iloc[np.where(codes < 0, len(cats), codes)]
        return out.set_axis(values.index)
    s = values.reset_index(drop=True)
    out = _Columns(len(s))
    if s.dtype != object:  # a text column (CSV read as strings): missing cells are empty text
        out.text(np.arange(len(s)), s.astype("str").where(s.notna(), ""), decimal)
    else:
        kinds = cell_kinds(s.to_numpy())
        is_str, is_num = kinds == 1, kinds == 2
        if is_num.any():
            out.numbers(np.flatnonzero(is_num), s[is_num].astype("float64").to_numpy())
        other = np.flatnonzero(~is_str & ~is_num)
        for i in other:  # empty cells (None), dates, booleans: rare
            out.cell(int(i), parse_cell(s.iloc[i], decimal))
        if is_str.any():
            out.text(np.flatnonzero(is_str), s[is_str], decimal)
    return pd.DataFrame(
        {
            "value": out.value,
            "flag": pd.Series(out.flag, dtype=object, copy=False),
            "error": pd.Series(out.error, dtype=object, copy=False),
            "as_text": out.as_text,
        }
    ).set_axis(values.index)


class _Columns:
    """The result arrays of :func:`parse_series`."""

    def __init__(self, n: int):
        self.value = np.full(n, np.nan)
        self.flag = np.full(n, None, dtype=object)
        self.error = np.full(n, None, dtype=object)
        self.as_text = np.zeros(n, dtype=bool)

    def cell(self, i: int, c: Cell) -> None:
        self.value[i] = np.nan if c.value is None else c.value
        self.flag[i], self.error[i], self.as_text[i] = c.flag, c.error, c.as_text

    def numbers(self, idx: np.ndarray, nums: np.ndarray) -> None:
        finite = np.isfinite(nums)
        self.value[idx[finite]] = nums[finite]
        self.error[idx[~finite]] = "keine endliche Zahl"

    def text(self, idx: np.ndarray, text: pd.Series, decimal: str) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pc.utf8_trim_whitespace(
            pa.array(
                text.array if text.dtype != object else text.to_numpy(dtype=object), type=pa.string(), from_pandas=True
            ).fill_null("")
        )
        fast = pc.match_substring_regex(arr, _FAST[decimal]).to_numpy(zero_copy_only=False).astype(bool)
        if fast.any():
            plain = pc.filter(arr, pa.array(fast))
            if decimal == ",":
                plain = pc.replace_substring(plain, ",", ".")
            self.value[idx[fast]] = pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
            self.as_text[idx[fast]] = True
        if fast.all():
            return
        rest = pc.filter(arr, pa.array(~fast)).to_numpy(zero_copy_only=False)
        codes, uniques = pd.factorize(rest)
        cells = [parse_cell(u, decimal) for u in uniques]
        ridx = idx[~fast]
        self.value[ridx] = np.array([np.nan if c.value is None else c.value for c in cells], dtype="float64")[codes]
        self.flag[ridx] = np.array([c.flag for c in cells], dtype=object)[codes]
        self.error[ridx] = np.array([c.error for c in cells], dtype=object)[codes]
        self.as_text[ridx] = np.array([c.as_text for c in cells], dtype=bool)[codes]
