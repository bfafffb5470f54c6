"""GENESIS / Regionaldatenbank tables: the table CSV ("Werteabruf") and the Excel download of the same table.

A title block (``GENESIS-Tabelle: 12411-01-01-4`` or, newer, ``Tabelle: 13211-02-05-4``; the title
wrapped over lines), one to four header rows that together name each value column (a units row
``Anzahl``/``Prozent`` among them), data rows, then a footer (``__________``, quoted notes over several
lines, ©, ``Stand:``). Nothing is found by counting lines:

- the data block is the run of rows that hold value cells (numbers or official symbols) under the header;
  it ends at the footer line or at the first row without value cells;
- the label columns (left of the values) are told apart by their content: the region key (AGS patterns,
  ``DG``, keys whose leading zero a spreadsheet dropped), a year or date, the region name, an age label;
  a table without key column is matched by official region names, or by the title ('Deutschland');
- blank label cells take the value above (the key on a total row, the year on the first data row only);
- the year comes from a year/date column, else the header (dates or years as columns), else the title;
- a column of quality flags (``e``, ``p``, ``r`` …) beside a value column belongs to that column.

Both file kinds are read as a grid of cells by the same code (:func:`read_grid`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from indicators import texts as _T
from indicators.ingest import headers
from indicators.ingest.base import MAX_REFUSED_LISTED, Accounting, ParsedFile, Problem, RawFile, RejectFile, file_kind
from indicators.ingest.files import (
    SPREADSHEET_EXT,
    TEXT_EXT,
    column_letter,
    head_text,
    read_sheets,
    read_text_table,
    text_bytes,
)
from indicators.ingest.headers import header_key, lookup
from indicators.ingest.sources import genesis_mapping
from indicators.ingest.sources.common import (
    DIM_LABELS,
    Dims,
    MappingError,
    age_code,
    ask_admin,
    cell_place,
    cell_text,
    finish_frame,
    mapping_file_label,
    parse_period,
    reject_mapping,
    soften_refusals,
    value_problems,
)
from indicators.ingest.sources.regions import JOBCENTER_HEADERS, official_keys, official_names
from indicators.ingest.values import MISSING_SYMBOLS, parse_cell, parse_series
from indicators.keys import REGION_KEY, region_level

FORMAT = "genesis_tabelle"
LABEL = "GENESIS-Tabelle (CSV)"
LABEL_XLSX = "GENESIS-Tabelle (Excel)"
LABEL_ODS = "GENESIS-Tabelle (OpenDocument)"
_MEASURE = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
MAX_LABEL_COLS = 5
MAX_HEADER_ROWS = 4
KEY_WORDS = {
    header_key(x)
    for x in ("Schlüssel", "Regionalschlüssel", "AGS", "Kreisschlüssel", "Gemeindeschlüssel", "Schlüsselnummer")
}
#: quality flags of the newer GENESIS exports (value/flag column pairs); 'e' (endgültig) is the normal case
QUALITY_FLAGS = {"e": None, "p": "p", "r": "r", "s": "s", "v": "p", "g": ".", "...": "…"}
_SYMBOLS = set(MISSING_SYMBOLS) | {"–", "—"}
_PERIOD_YEARS = range(1900, 2101)


# -- cells -----------------------------------------------------------------------------------------
def _is_value(obj: object, text: str) -> bool:
    """A value cell: a number or an official symbol (``-``, ``.``, ``x``, ``*`` …), or a number with flag."""
    if isinstance(obj, bool):
        return False
    if isinstance(obj, (int, float)):
        return True
    if not text:
        return False
    if text in _SYMBOLS or _PLAIN_NUMBER.fullmatch(text):
        return True
    return _text_is_value(text)


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:,\d+)?")


@functools.lru_cache(maxsize=65536)
def _text_is_value(text: str) -> bool:
    return parse_cell(text, ",").error is None


def _is_value_or_flag(obj: object, text: str) -> bool:
    """A value cell or the quality flag beside one ('e', 'p')."""
    return _is_value(obj, text) or (isinstance(obj, str) and text.casefold() in QUALITY_FLAGS and len(text) <= 3)


def _is_period(obj: object, text: str) -> bool:
    if isinstance(obj, (dt.date, dt.datetime)):
        return True
    if re.fullmatch(r"\d{4}", text):
        return int(text) in _PERIOD_YEARS
    return bool(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}", text)) or (
        parse_period(text) is not None and not text.isdigit() and len(text) <= 20
    )


def _key_of(obj: object, text: str) -> str | None:
    """A region key; a key a spreadsheet stored or re-saved as a number gets its leading zero back."""
    s = text.strip()
    if isinstance(obj, float) and obj.is_integer():
        s = str(int(obj))
    if s.isdigit() and len(s) in (1, 4, 7, 11):
        s = "0" + s
    return s if REGION_KEY.match(s) else None


_LAENDER = {f"{i:02d}" for i in range(1, 17)}


def _lost_zeros(grid: Grid, rows: list[int], col: int) -> bool:
    """A key column a spreadsheet program re-saved: keys stored as numbers, or digit keys of a length no official key
    has (1, 4, 7, 11: '3157' for 03157) — the leading zeros are gone, also of the keys whose length still fits
    ('31' for 031)."""
    for i in rows:
        obj, text = grid.cell(i, col)
        if isinstance(obj, (int, float)) and not isinstance(obj, bool):
            return True
        if text.isdigit() and len(text) in (1, 4, 7, 11):
            return True
    return False


def _plausible_key(key: str, official: frozenset[str]) -> bool:
    """A key that can be an official region: in the official list (Länder, Regierungsbezirke, Kreise), or a Kreis,
    Gemeinde or Verband in a Land that exists."""
    if key in official:
        return True
    if len(key) == 2:
        return False  # the Länder are all in the list
    return len(key) in (3, 5, 8, 9, 12) and key[:2] in _LAENDER


def _repair_key(
    obj: object, text: str, name: str, names: dict[str, str], official: frozenset[str], prev: str = ""
) -> tuple[str | None, str | None]:
    """(key, None) or (None, reason): the key of a re-saved column with its leading zero back, decided by its level
    and by the name beside it ('31' + 'Braunschweig, Stat. Region' → 031; '10' + 'Saarland' → 10), else by the row
    above (``prev``: a table lists a Gemeinde under its Land and Kreis). A key that fits no official region with or
    without the zero is refused, never invented."""
    s = str(int(obj)) if isinstance(obj, float) and obj.is_integer() else text.strip()
    if not s.isdigit():
        return _key_of(obj, text), None
    if len(s) in (1, 4, 7, 11):
        candidates = ["0" + s]
    elif len(s) in (2, 8):
        candidates = [s, "0" + s]
    else:
        candidates = [s]
    by_name = names.get(header_key(_strip_name(name))) if name else None
    if by_name in candidates:
        return by_name, None
    valid = [c for c in candidates if _plausible_key(c, official)]
    if len(valid) > 1:
        valid = [c for c in valid if c in official] or valid
    for n in (5, 2):  # the same Kreis, else the same Land as the row above
        if len(valid) > 1 and len(prev) >= n and prev.isdigit():
            valid = [c for c in valid if c[:n] == prev[:n]] or valid
    if len(valid) == 1:
        return valid[0], None
    shown = " oder ".join(f"„{c}“" for c in candidates)
    return None, (
        f"Regionalschlüssel „{s}“{f' ({name})' if name else ''} passt zu keiner amtlichen Region ({shown}); "
        "die Spalte hat ihre führenden Nullen verloren (von einem Tabellenprogramm gespeichert). Die Zeile wird "
        "nicht übernommen."
    )


@dataclass
class Grid:
    """A table as rows of cells: ``cells`` as the file holds them, ``texts`` as stripped text."""

    cells: list[list[object]]
    texts: list[list[str]]
    row_numbers: list[int]  # the row or line number a user sees, per row
    sheet: str | None
    name: str  # how the source is named in assumptions

    @classmethod
    def of(cls, cells: list[list[object]], row_numbers: list[int], sheet: str | None, name: str) -> Grid:
        texts = [[cell_text(c).replace("\ufeff", "") if c is not None else "" for c in r] for r in cells]
        for t in texts:
            while t and not t[-1]:
                t.pop()
        return cls(cells, texts, row_numbers, sheet, name)

    def cell(self, i: int, j: int) -> tuple[object, str]:
        t = self.texts[i]
        if j < len(t):
            return self.cells[i][j], t[j]
        return (self.cells[i][j] if j < len(self.cells[i]) else None), ""


@dataclass
class Layout:
    """Where things are (0-based indices into the grid)."""

    data_rows: list[int]
    header_rows: list[int]
    title_rows: list[int]
    value_start: int
    width: int
    key_col: int | None = None
    key_kind: str = "ags"
    time_col: int | None = None
    name_col: int | None = None
    extra_cols: list[int] = field(default_factory=list)
    value_cols: list[int] = field(default_factory=list)
    flag_cols: dict[int, int] = field(default_factory=dict)  # value column -> its quality-flag column
    labels: dict[int, list[str]] = field(default_factory=dict)  # value column -> header labels, top down


def _footer(grid: Grid) -> int:
    for i, t in enumerate(grid.texts):
        if t and headers.FOOTER.match(t[0]) and not any(t[1:]):
            return i
    return len(grid.texts)


def _leading_label_count(grid: Grid, i: int) -> int:
    """Columns before the values in row ``i``: up to and including its last text cell among the first ones."""
    t = grid.texts[i]
    last = -1
    for j in range(min(len(t), MAX_LABEL_COLS + 1)):
        obj, text = grid.cell(i, j)
        if text and not _is_value_or_flag(obj, text):
            last = j
    return last + 1


def _row_is_data_start(grid: Grid, i: int) -> int | None:
    """The number of label columns if row ``i`` can start the data block: a label in the first column and
    value cells after the labels."""
    t = grid.texts[i]
    if len(t) < 2 or not t[0] or headers.FOOTER.match(t[0]):
        return None
    n = _leading_label_count(grid, i)
    if n == 0:  # all value-like: a key and numbers ('03157;133965') or a year row of a header
        obj, text = grid.cell(i, 0)
        if _key_of(obj, text) is None or _is_period(obj, text):
            return None
        n = 1
    values = [j for j in range(n, len(t)) if _is_value(*grid.cell(i, j))]
    if not values:
        return None
    if any(t[j] and not _is_value_or_flag(*grid.cell(i, j)) for j in range(n, len(t))):
        return None  # text among the values: a header or a note
    return n


def _find_layout(raw: RawFile, grid: Grid, start: int = 0) -> Layout | None:
    end = _footer(grid)
    for i in range(start, end):
        n = _row_is_data_start(grid, i)
        if n is None:
            continue
        # a text in a value cell of this row ('DG;Deutschland;83019213;k.A.') would count as a label: the rows
        # below tell how many label columns there are
        later = [m for k in range(i + 1, min(end, i + 6)) if (m := _row_is_data_start(grid, k)) is not None]
        if later and min(later) < n:
            extra = [grid.cell(i, j) for j in range(min(later), n)]
            if any(_is_value(o, t) for o, t in extra) and any(
                t and not _is_value(o, t) and _key_of(o, t) is None for o, t in extra
            ):
                n = min(later)
        head = _header_rows(grid, i)
        # the first data row itself may hold a text cell ('k.A.'): it is data, not a header row
        while head and _dirty_data_row(grid, head[-1], n):
            i = head[-1]
            head = _header_rows(grid, i)
        if not head:
            continue
        return _block(grid, i, n, end, head)
    return None


#: positive evidence that the data block has ended: the first cell of a row starts a footer or a note
_END_OF_TABLE = re.compile(
    r"^\s*(?:\"?\s*©|\(c\)\s|stand\s*:|quelle\s*:|fu(?:ß|ss)note|anmerkung|hinweis|erläuterung|zeichenerklärung"
    r"|\*+\)|\d{1,2}\)\s|[a-z]\)\s|_{5,})",
    re.IGNORECASE,
)


def _ends_table(grid: Grid, i: int) -> bool:
    t = grid.texts[i]
    first = next((c for c in t if c), "")
    return bool(_END_OF_TABLE.match(first))


def _anchored(grid: Grid, i: int, n_labels: int) -> bool:
    """A row whose label cells hold what a data row holds: a region key or a year/date in the first columns."""
    for j in range(min(max(n_labels, 1) + 1, len(grid.texts[i]))):
        obj, text = grid.cell(i, j)
        if text and (_key_of(obj, text) is not None or _is_period(obj, text)):
            return True
    return False


def _dirty_data_row(grid: Grid, i: int, n_labels: int) -> bool:
    """A data row with a text where a value belongs ('k.A.', '132 979 Personen'): a region key (or year) among
    its label cells and at least one value cell beside the text."""
    t = grid.texts[i]
    if not t or not t[0] or _ends_table(grid, i):
        return False
    cells = [grid.cell(i, j) for j in range(n_labels, len(t)) if t[j]]
    return bool(cells) and any(_is_value(o, x) for o, x in cells) and _anchored(grid, i, n_labels)


def _header_rows(grid: Grid, first: int) -> list[int]:
    """Up to four rows directly above the data (blank rows skipped) that label columns right of the first;
    a row with one cell only in the first column is a title line and ends the header."""
    out: list[int] = []
    h = first - 1
    while h >= 0 and len(out) < MAX_HEADER_ROWS:
        t = grid.texts[h]
        filled = [j for j, c in enumerate(t) if c]
        if not filled:
            h -= 1
            continue
        if filled == [0] or headers.TITLE.match(t[0] if t else ""):
            break
        out.insert(0, h)
        h -= 1
    return out


def _block(grid: Grid, first: int, n_labels: int, end: int, head: list[int]) -> Layout:
    """The data rows from ``first`` on. The block ends only on positive evidence: the footer line, a row that
    starts a footer or note (©, 'Stand:', a footnote mark), a header row of text, or notes after empty rows. A
    row whose value cells hold a text ('k.A.') beside a region key is a data row: the text is refused cell by
    cell (:func:`_values`), and the rows after it are read."""
    data = [first]
    width = max(len(grid.texts[i]) for i in [first, *head])
    blank_run = 0
    for i in range(first + 1, end):
        t = grid.texts[i]
        if not any(t):
            blank_run += 1  # a blank row between blocks (BA: after the Länder)
            continue
        if _ends_table(grid, i):
            break
        value_area = [j for j in range(n_labels, len(t)) if t[j]]
        if not value_area:  # labels only: a group heading inside the block, or notes after empty rows
            if blank_run:
                break
            continue
        clean = any(_is_value(*grid.cell(i, j)) for j in value_area) and not any(
            not _is_value_or_flag(*grid.cell(i, j)) for j in value_area
        )
        if not clean and not (_anchored(grid, i, n_labels) and (not blank_run or _dirty_data_row(grid, i, n_labels))):
            break  # text in the value columns without a region key: a new header or a note
        data.append(i)
        width = max(width, len(t))
        blank_run = 0
    title = [i for i in range(0, head[0]) if any(grid.texts[i])]
    return Layout(data, head, title, n_labels, width)


# -- label columns ---------------------------------------------------------------------------------
def _column(grid: Grid, rows: list[int], j: int) -> list[tuple[object, str]]:
    return [grid.cell(i, j) for i in rows]


def _label_columns(
    raw: RawFile, grid: Grid, layout: Layout, key_words: set[str], jobcenter_words: set[str], names: dict[str, str]
) -> None:
    """Key, time, name and further label columns from their content (and the key column's header)."""
    head = {
        j: " ".join(grid.texts[h][j] for h in layout.header_rows if j < len(grid.texts[h])) for j in range(layout.width)
    }
    cols = list(range(layout.value_start))
    # a key column right of the name (BA: Region | Trägernummer) holds value-like cells: its header says so
    j = layout.value_start
    while j < layout.width and (header_key(head.get(j, "")) in key_words | jobcenter_words):
        cols.append(j)
        j += 1
    layout.value_start = j
    stats = {}
    for c in cols:
        cells = [(o, t) for o, t in _column(grid, layout.data_rows, c) if t]
        if not cells:
            stats[c] = "leer"
            continue
        if all(_is_period(o, t) for o, t in cells):
            stats[c] = "zeit"
        elif sum(_key_of(o, t) is not None for o, t in cells) >= 0.9 * len(cells):
            stats[c] = "schluessel"
        else:
            stats[c] = "text"
    keys = [c for c in cols if stats[c] == "schluessel"]
    for c in cols:
        if header_key(head.get(c, "")) in jobcenter_words and c in keys:
            layout.key_col, layout.key_kind = c, "jobcenter"
    if layout.key_col is None and keys:
        layout.key_col = keys[0]
    times = [c for c in cols if stats[c] == "zeit"]
    layout.time_col = times[0] if times else None
    texts_ = [c for c in cols if stats[c] == "text"]
    if layout.key_col is not None:
        key_col = layout.key_col
        near = sorted(texts_, key=lambda c: abs(c - key_col))
        layout.name_col = near[0] if near else None
    else:  # no key column: the column whose labels are official region names
        best, hits = None, 0
        for c in texts_:
            found = sum(1 for _, t in _column(grid, layout.data_rows, c) if names.get(header_key(_strip_name(t))))
            if found > hits:
                best, hits = c, found
        if best is not None and hits >= max(1, len(layout.data_rows) // 2):
            layout.name_col, layout.key_kind = best, "name"
    layout.extra_cols = [c for c in texts_ if c != layout.name_col]


def _strip_name(name: str) -> str:
    """A region name without the note a table adds to dissolved or changed regions ('… (bis 31.10.2016)')."""
    return re.sub(r"\s*\((?:bis|ab|seit)\s[^)]*\)\s*$", "", name).strip()


def _value_columns(grid: Grid, layout: Layout) -> None:
    cols: list[int] = []
    for j in range(layout.value_start, layout.width):
        cells = [t for _, t in _column(grid, layout.data_rows, j) if t]
        head = [grid.texts[h][j] for h in layout.header_rows if j < len(grid.texts[h]) and grid.texts[h][j]]
        if not cells and not head:
            continue
        left = [
            grid.texts[h][cols[-1]]
            for h in layout.header_rows
            if cols and cols[-1] < len(grid.texts[h]) and grid.texts[h][cols[-1]]
        ]
        flag_head = (
            not head
            or head == left
            or all(
                header_key(x) in {"q", "qualität", "qualitätskennzeichen", "flag", "kennzeichen", "status"}
                for x in head
            )
        )
        if cells and cols and all(c.casefold() in QUALITY_FLAGS for c in cells) and flag_head:
            layout.flag_cols[cols[-1]] = j  # the flag of the value to its left
            continue
        cols.append(j)
    layout.value_cols = cols


def _labels(grid: Grid, layout: Layout) -> None:
    rows = [grid.texts[h] for h in layout.header_rows]
    filled = headers.fill_header_rows(rows, layout.value_start, layout.width)
    for r in filled:
        numbers = [r[j] for j in layout.value_cols]
        if (
            numbers
            and all(x.isdigit() for x in numbers)
            and [int(x) for x in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))
        ):
            continue  # a row of column numbers (1, 2, 3 …)
        for j in layout.value_cols:
            if r[j]:
                layout.labels.setdefault(j, []).append(r[j])


# -- the reader ------------------------------------------------------------------------------------
def _separator(raw: RawFile) -> str:
    """';' as the portal writes it; ',' or a tab where a spreadsheet program saved the table again (names such as
    'Peine, Landkreis' hold commas, so ';' wins wherever it separates the fields)."""
    head = head_text(raw)[:50_000]
    semi, comma, tab = head.count(";"), head.count(","), head.count("\t")
    if semi and semi * 3 >= comma and semi >= tab:
        return ";"
    return "\t" if tab > comma else ","


def _csv_grid(raw: RawFile) -> Grid:
    table = read_text_table(raw, _separator(raw))
    return Grid.of(table.rows, table.line_numbers, None, "")  # type: ignore[arg-type]


def _sheet_grid(raw: RawFile) -> Grid | None:
    for sheet in read_sheets(raw):
        first = [cell_text(r[0]) for r in sheet.rows[:10] if r and r[0] not in (None, "")]
        if headers.TABLE_CODE.search(sheet.name) or any(headers.TITLE.match(x) for x in first):
            return Grid.of(sheet.rows, list(range(1, len(sheet.rows) + 1)), sheet.name, sheet.name)
    return None


class GenesisTableReader:
    format = FORMAT
    label = LABEL

    def label_for(self, raw: RawFile) -> str:
        """CSV or Excel (or OpenDocument): the kind of the file at hand."""
        return {"Excel": LABEL_XLSX, "OpenDocument": LABEL_ODS}.get(file_kind(raw), LABEL)

    def sniff(self, raw: RawFile) -> str | None:
        if raw.extension in TEXT_EXT:
            lines = [ln for ln in head_text(raw).lstrip("\ufeff").splitlines()[:12] if ln.strip(" ;,\t")]
            if not lines:
                return None
            sep = _separator(raw)
            first = lines[0].split(sep)[0]
            m = headers.TITLE.match(first)
            if m:
                return f"Die erste Zeile nennt die Tabelle {m.group(1)} („{first.strip()}“)."
            if headers.TITLE_ANY.match(first):
                return f"Die erste Zeile ist der Titel einer GENESIS-Tabelle („{first.strip()}“)."
            found = headers.table_code(ln.split(sep)[0] for ln in lines)
            rows = [ln.split(sep) for ln in head_text(raw).splitlines()[:200]]
            grid = Grid.of(rows, list(range(1, len(rows) + 1)), None, "")  # type: ignore[arg-type]
            layout = _find_layout(raw, grid)
            if layout is None:
                return None
            if found is not None:
                return f"Die Titelzeilen nennen die Tabelle {found[0]}, darunter folgen Kopf- und Datenzeilen."
            # a GENESIS table re-saved by a spreadsheet program without its title line: recognised by its structure
            # (region keys beside names under header rows) and the statistical offices' footer
            keys = [_key_of(*grid.cell(i, 0)) for i in layout.data_rows[:50]]
            tail = text_bytes(raw)[-3000:].decode("cp1252", errors="replace")
            if (
                len(layout.data_rows) >= 3
                and sum(k is not None for k in keys) >= 0.9 * len(keys)
                and re.search(r"(?m)^\W*_{5,}", tail)
                and re.search(r"©.*(?:Statistische|Statistisches|Destatis|Landesamt)", tail)
            ):
                return (
                    "Aufbau einer GENESIS-Tabelle: Regionalschlüssel und Namen unter Kopfzeilen, Fußzeile „__________“ "
                    "und © der Statistischen Ämter (die Titelzeile mit der Tabellennummer fehlt, z. B. nach dem "
                    "Speichern in einem Tabellenprogramm)."
                )
            return None
        if raw.extension in SPREADSHEET_EXT:
            try:
                sheet_grid = _sheet_grid(raw)
            except RejectFile:
                return None
            if sheet_grid is None or _find_layout(raw, sheet_grid) is None:
                return None
            return (
                f"Das Blatt „{sheet_grid.sheet}“ ist eine GENESIS-Tabelle (Tabellennummer im Blattnamen oder im Titel)."
            )
        return None

    def read(self, raw: RawFile) -> ParsedFile:
        try:
            mapping = genesis_mapping.load()
        except MappingError as exc:
            raise reject_mapping(raw, exc) from None
        if raw.extension in SPREADSHEET_EXT:
            grid = _sheet_grid(raw)
            if grid is None:
                raise RejectFile(raw.error("Kein Blatt mit einer GENESIS-Tabelle gefunden."))
            label, assumptions = self.label_for(raw), {"Blatt": grid.sheet or ""}
        else:
            table = read_text_table(raw, _separator(raw))
            grid = _csv_grid(raw)
            label, assumptions = LABEL, {**table.assumptions(), "Dezimalzeichen": "Komma"}
        return read_grid(raw, grid, mapping, label, assumptions)


def read_grid(
    raw: RawFile, grid: Grid, mapping: genesis_mapping.GenesisMapping, label: str, assumptions: dict[str, str]
) -> ParsedFile:
    """A GENESIS table: the statistic from the title, the columns through ``genesis.yaml``."""

    def resolve(layout: Layout, title: list[str]) -> dict[int, ColumnSpec]:
        statistic = _statistic(raw, grid, title, mapping)
        mapping.statistics[statistic]  # an unknown statistic fails here
        assumptions["Statistik"] = statistic
        measure, unit = "", ""
        for ln in reversed(title):
            m = _MEASURE.match(ln)
            if m:
                measure, unit = m.group(1).strip(), m.group(2).strip()
                break
        if unit:
            assumptions["Einheit"] = unit
        return _column_specs(raw, grid, layout, mapping, statistic, measure, title, assumptions)

    return read_table_grid(
        raw,
        grid,
        resolve,
        lookup(mapping.age_groups),
        mapping_file_label(genesis_mapping.FILE),
        FORMAT,
        label,
        assumptions,
        mapping.label_dims(),
    )


def read_table_grid(
    raw: RawFile,
    grid: Grid,
    resolve: Callable[[Layout, list[str]], dict[int, ColumnSpec]],
    ages: dict[str, str],
    mapping_label: str,
    fmt: str,
    label: str,
    assumptions: dict[str, str],
    row_labels: dict[str, Dims] | None = None,
) -> ParsedFile:
    """Any official table laid out as title, header rows, label columns and value columns (GENESIS, BA).
    ``resolve(layout, title)`` names the variable and dimensions of every value column it takes."""
    layout = _find_layout(raw, grid)
    if layout is None:
        raise RejectFile(raw.error("Keine Datenzeilen unter Spaltenköpfen gefunden.", sheet=grid.sheet))
    names = official_names()
    _label_columns(raw, grid, layout, KEY_WORDS, {header_key(x) for x in JOBCENTER_HEADERS}, names)
    _value_columns(grid, layout)
    _labels(grid, layout)
    title = _title(grid, layout)
    rn = grid.row_numbers
    assumptions.update(
        {
            "Kopfzeilen": ", ".join(f"Zeile {rn[h]}" for h in layout.header_rows),
            "Datenzeilen": f"Zeile {rn[layout.data_rows[0]]} bis {rn[layout.data_rows[-1]]} (erkannt an den Werten unter den "
            "Spaltenköpfen; Fußzeilen ausgelassen)",
        }
    )
    columns = resolve(layout, title)
    problems: list[Problem] = []
    data, region_names, accounting = _values(
        raw, grid, layout, columns, ages, mapping_label, title, names, problems, assumptions, row_labels or {}
    )
    levels = sorted({region_level(k) for k in region_names} | {region_level(str(k)) for k in data["region"].unique()})
    assumptions["Regionsebene"] = ", ".join(levels) + " (aus der Länge der Regionalschlüssel)"
    parsed = ParsedFile(raw, fmt, label, "", data, assumptions, problems, region_names)
    parsed.accounting = accounting
    return parsed


def _title(grid: Grid, layout: Layout) -> list[str]:
    """Title lines above the header; a title wrapped over lines ('…, Geschlecht,' / 'Altersjahre') joined."""
    lines = [" ".join(c for c in grid.texts[i] if c) for i in layout.title_rows]
    out: list[str] = [grid.sheet] if grid.sheet else []
    for ln in lines:
        if (
            out
            and len(out) > (1 if grid.sheet else 0)
            and (out[-1].endswith((",", "-", " nach", " und", "sowie", "regionale")) or ln[:1].islower())
        ):
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
    return out


def _statistic(raw: RawFile, grid: Grid, title: list[str], mapping: genesis_mapping.GenesisMapping) -> str:
    found = headers.table_code(title)
    if found is None:  # a table put together by the user ('GENESIS-Tabelle: Temporär'): the statistic's name
        keys = {header_key(t) for t in title}
        by_label = [code for code, stat in mapping.statistics.items() if stat.label and header_key(stat.label) in keys]
        if len(by_label) == 1:
            return by_label[0]
        raise RejectFile(
            raw.error(
                "In den Titelzeilen steht weder eine Tabellennummer (z. B. 12411-03-03-4) noch der "
                "Name einer zugeordneten Statistik (z. B. „Fortschreibung des Bevölkerungsstandes“).",
                sheet=grid.sheet,
            )
        )
    table, statistic = found
    if statistic not in mapping.statistics:
        name = next((t for t in title if not headers.table_code([t]) and t.strip()), "")
        raise RejectFile(raw.error(unused_statistic_message(statistic, table, name), sheet=grid.sheet))
    return statistic


def unused_statistic_message(statistic: str, table: str, name: str) -> str:
    """The refusal of a table whose statistic the indicator catalog does not use, and how to map it."""
    named = f" („{name}“)" if name else ""
    return (
        f"Die Tabelle {table}{named} gehört zur Statistik {statistic}, die kein Indikator des Katalogs verwendet; "
        f"sie wird nicht übernommen. Wird sie gebraucht: "
        + ask_admin(genesis_mapping.FILE, f"unter „statistics“ → „{statistic}“ eine Basisvariable zuordnen")
        + f" Oder Sie lesen die Datei selbst über „{_T.UPL_MAPPING_TOGGLE}“ auf dieser Seite."
    )


@dataclass
class ColumnSpec:
    variable: str
    dims: dict[str, str]
    year: int | None
    ref_date: object
    name: str


def _column_specs(
    raw: RawFile,
    grid: Grid,
    layout: Layout,
    mapping: genesis_mapping.GenesisMapping,
    statistic: str,
    measure: str,
    title: list[str],
    assumptions: dict[str, str],
) -> dict[int, ColumnSpec]:
    stat = mapping.statistics[statistic]
    table_labels = mapping.label_dims()
    ignored = {header_key(x) for x in mapping.ignore_labels}
    skipped = {header_key(x) for x in stat.skip}
    measures = {header_key(lab): entry.variable for entry in stat.values.values() for lab in entry.labels}
    default = measures.get(header_key(measure)) or (
        next(iter(stat.values.values())).variable if len(stat.values) == 1 else None
    )
    out: dict[int, ColumnSpec] = {}
    missing: dict[str, int] = {}
    not_taken: list[str] = []
    for j in layout.value_cols:
        labels = layout.labels.get(j, [])
        found = _column_labels(raw, grid, layout, labels, j, stat, measures, table_labels, ignored, skipped, missing)
        dims, year, ref, variable, skip = found
        name = " / ".join(labels) or f"Nr. {j + 1}"
        if skip:
            not_taken.append(name)
            continue
        variable = variable or default
        if variable is None:
            missing.setdefault(" / ".join(labels) or f"Spalte {column_letter(j)}", j)
            continue
        out[j] = ColumnSpec(variable, dims, year, ref, name)
    if missing:
        listed = ", ".join(f"„{lab}“ (Spalte {column_letter(j)})" for lab, j in missing.items())
        raise RejectFile(
            raw.error(
                f"Spaltenbeschriftung nicht zugeordnet: {listed}. "
                + ask_admin(
                    genesis_mapping.FILE,
                    f"unter „labels“ (Ausprägung) oder unter „statistics“ → „{statistic}“ die Beschriftung ergänzen",
                ),
                sheet=grid.sheet,
                row=grid.row_numbers[layout.header_rows[0]],
            )
        )
    if not out:
        raise RejectFile(
            raw.error(
                f"Keine Spalte der Tabelle ist einer Basisvariable zugeordnet (Statistik {statistic}).",
                sheet=grid.sheet,
            )
        )
    assumptions["Spalten"] = "; ".join(
        f"{c.name} → {c.variable}"
        + (", " + ", ".join(f"{DIM_LABELS[d]} {v}" for d, v in c.dims.items()) if c.dims else "")
        for c in out.values()
    )
    if not_taken:
        assumptions["Nicht übernommen"] = "; ".join(not_taken)
    if layout.flag_cols:
        assumptions["Qualitätskennzeichen"] = ", ".join(
            f"Spalte {column_letter(f)} zu Spalte {column_letter(v)}" for v, f in layout.flag_cols.items()
        )
    return out


def _column_labels(
    raw: RawFile,
    grid: Grid,
    layout: Layout,
    labels: list[str],
    j: int,
    stat: genesis_mapping.GenesisStatistic,
    measures: dict[str, str],
    table_labels: dict[str, Dims],
    ignored: set[str],
    skipped: set[str],
    missing: dict[str, int],
) -> tuple[dict[str, str], int | None, object, str | None, bool]:
    """What the header labels of value column ``j`` say: breakdown, period, variable and whether the statistic
    skips the column; a label nothing knows goes to ``missing``."""
    dims: dict[str, str] = {}
    year, ref, variable, skip = None, None, None, False
    for lab in labels:
        key = header_key(lab)
        period = parse_period(lab) if _is_period(None, lab) else None
        if period:
            year, ref = period
        elif key in skipped:
            skip = True
        elif key in measures:
            variable = measures[key]
        elif key in table_labels:
            for dim, code in table_labels[key].items():
                if dims.get(dim, code) != code:
                    raise RejectFile(
                        raw.error(
                            f"Die Spaltenköpfe „{' / '.join(labels)}“ widersprechen sich ({DIM_LABELS[dim]}).",
                            sheet=grid.sheet,
                            row=grid.row_numbers[layout.header_rows[0]],
                        )
                    )
                dims[dim] = code
        elif key in ignored:
            continue
        elif stat.age_columns and age_code(lab) and age_code(lab) != "unbekannt":  # age groups as columns
            dims["age_group"] = cast(str, age_code(lab))  # (tested just before)
        else:
            missing.setdefault(lab, j)
    return dims, year, ref, variable, skip


def _title_region(title: list[str], names: dict[str, str]) -> str | None:
    for ln in title:
        key = names.get(header_key(ln))
        if key:
            return key
    return None


def _title_period(title: list[str]) -> tuple[int, object] | None:
    for ln in title:
        m = (
            re.search(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b", ln)
            or re.search(
                r"(?i)\b(januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)\s+\d{4}\b",
                ln,
            )
            or re.search(r"(?i)(?:jahr|jahresdurchschnitt|stichtag|berichtsjahr)\s+(\d{4})\b", ln)
        )
        if m:
            got = parse_period(m.group(0)) or parse_period(m.group(m.lastindex or 0))
            if got:
                return got
    return None


@dataclass
class _RowScan:
    """What the walk over the data rows found (:func:`_scan_rows`)."""

    #: rows taken: (row index, region key, period or None, age group, breakdown from row labels)
    kept: list[tuple[Any, ...]] = field(default_factory=list)
    region_names: dict[str, str] = field(default_factory=dict)
    #: rows without an assignable region, by their key or name (named in an assumption)
    skipped_keys: list[str] = field(default_factory=list)
    #: data rows left out, with the reason (their cells are refused)
    dropped: list[tuple[int, str]] = field(default_factory=list)
    #: keys whose leading zeros were put back (a spreadsheet program dropped them), the first ten
    repaired: list[str] = field(default_factory=list)
    #: the key column lost its leading zeros
    lost: bool = False
    prev_key: str = ""


def _values(
    raw: RawFile,
    grid: Grid,
    layout: Layout,
    columns: dict[int, ColumnSpec],
    ages: dict[str, str],
    mapping_label: str,
    title: list[str],
    names: dict[str, str],
    problems: list[Problem],
    assumptions: dict[str, str],
    row_labels: dict[str, Dims],
) -> tuple[pd.DataFrame, dict[str, str], Accounting]:
    title_region = _title_region(title, names) if layout.key_col is None and layout.name_col is None else None
    if layout.key_col is None and layout.name_col is None and title_region is None:
        raise RejectFile(
            raw.error(
                "Die Tabelle hat weder eine Spalte mit Regionalschlüsseln noch mit amtlichen "
                "Regionsnamen, und der Titel nennt keine Region.",
                sheet=grid.sheet,
            )
        )
    title_period = _title_period(title)
    scan = _scan_rows(raw, grid, layout, ages, mapping_label, names, problems, row_labels, title_region)
    if not scan.kept:
        raise RejectFile(raw.error("Die Tabelle enthält keine Zeile mit einer zuordenbaren Region.", sheet=grid.sheet))
    _repeated_rows(raw, grid, scan.kept, problems)
    frame, cells, flags, places = _column_blocks(grid, layout, columns, scan.kept, title_period)
    if frame["year"].isna().any():
        raise RejectFile(
            raw.error(
                "Weder die Datenzeilen noch die Spaltenköpfe noch der Titel nennen einen Stichtag oder ein Jahr.",
                sheet=grid.sheet,
            )
        )
    parsed = parse_series(pd.Series(cells, dtype=object), ",")
    where = pd.DataFrame(
        {"source_sheet": grid.sheet, "source_row": frame["source_row"].to_numpy(), "source_column": places}
    )
    problems += _refused_cells(raw, where, parsed, problems)
    frame["value"] = parsed["value"].to_numpy()
    quality = pd.Series(flags, dtype=object)
    frame["flag"] = parsed["flag"].where(parsed["flag"].notna(), quality).to_numpy()
    ok = parsed["error"].isna().to_numpy()
    raw_accounting = _accounting(grid, layout, columns, where, parsed, scan.dropped, [k[0] for k in scan.kept])
    # a region listed twice (BA: Niedersachsen among the Länder and above its Jobcenter) with the same values
    frame = frame[ok].drop_duplicates(subset=[*OBS_KEY_NO_DATE, "source_column", "value", "flag"])
    _key_assumptions(assumptions, layout, scan, title_region, title_period, columns)
    assumptions["Datenblock"] = raw_accounting.text()
    return finish_frame(frame.copy()), scan.region_names, raw_accounting


#: the observation key without the reference date (the duplicates of a region listed twice)
OBS_KEY_NO_DATE = ["variable", "region", "year", "nationality", "sex", "age_group", "category"]


def _scan_rows(
    raw: RawFile,
    grid: Grid,
    layout: Layout,
    ages: dict[str, str],
    mapping_label: str,
    names: dict[str, str],
    problems: list[Problem],
    row_labels: dict[str, Dims],
    title_region: str | None,
) -> _RowScan:
    """Each data row's region, period and breakdown; rows without a region or with an unknown label are left out
    (with the reason)."""
    from indicators.ingest.sources.regions import jobcenter_kreis_names, jobcenter_kreise

    jc = jobcenter_kreise() if layout.key_kind == "jobcenter" else {}
    jc_names = jobcenter_kreis_names() if jc else {}
    carry = [c for c in (layout.key_col, layout.time_col, layout.name_col) if c is not None]
    scan = _RowScan(
        lost=layout.key_col is not None
        and layout.key_kind == "ags"
        and _lost_zeros(grid, layout.data_rows, layout.key_col)
    )
    official = official_keys() if scan.lost else frozenset()
    last: dict[int, tuple[object, str]] = {}
    for i in layout.data_rows:
        row = {}
        # a row without key and name continues the region above (its total row); a named row without key is
        # matched by its name ('Deutschland'); the year of the first data row holds for the rows below
        named = layout.name_col is not None and bool(grid.cell(i, layout.name_col)[1])
        for c in carry:
            obj, text = grid.cell(i, c)
            if not text and c in last and (c == layout.time_col or not named):
                obj, text = last[c]
            row[c] = (obj, text)
            last[c] = (obj, text)
        name = row[layout.name_col][1] if layout.name_col is not None else ""
        key = _row_region(raw, grid, layout, i, row, name, names, problems, scan, official, jc, title_region)
        if key is None:
            continue
        if layout.key_kind == "jobcenter" and key in jc_names:
            scan.region_names.setdefault(key, jc_names[key])  # the Kreis' name, not 'JC Peine'
        elif name:
            scan.region_names.setdefault(key, _strip_name(name))
        period = None
        if layout.time_col is not None:
            cell = row[layout.time_col]
            period = parse_period(cell[0] if isinstance(cell[0], (dt.date, dt.datetime)) else cell[1])
        age, row_dims = _row_breakdown(raw, grid, layout, i, ages, mapping_label, problems, row_labels)
        if age is None:
            scan.dropped.append((i, "Beschriftung der Zeile nicht zugeordnet"))
            continue
        scan.kept.append((i, key, period, age, row_dims))
    return scan


def _row_region(
    raw: RawFile,
    grid: Grid,
    layout: Layout,
    i: int,
    row: dict[int, tuple[object, str]],
    name: str,
    names: dict[str, str],
    problems: list[Problem],
    scan: _RowScan,
    official: frozenset[str],
    jc: dict[str, str],
    title_region: str | None,
) -> str | None:
    """The region key of data row ``i`` (by key, Jobcenter number, official name or the title); None: the row is left
    out (noted in ``scan``)."""
    if layout.key_col is None and layout.name_col is None:
        return title_region
    if layout.key_col is None:
        key = names.get(header_key(_strip_name(name)))
        if key is None:
            scan.skipped_keys.append(name)
            scan.dropped.append((i, f"keine Region zuordenbar („{name}“)"))
        return key
    obj, text = row[layout.key_col]
    key = _key_of(obj, text)
    if scan.lost and text:
        key, why = _repair_key(obj, text, name, names, official, scan.prev_key)
        if why:
            problems.append(raw.error(why, grid.sheet, grid.row_numbers[i], f"{column_letter(layout.key_col)}"))
            scan.dropped.append((i, why))
            return None
        if key and key != text.strip() and len(key) in (3, 9) and len(scan.repaired) < 10:
            scan.repaired.append(f"{text.strip()} → {key}")
        scan.prev_key = key or scan.prev_key
    if layout.key_kind == "jobcenter" and key and len(key) == 5:
        kreis = jc.get(key)
        if kreis is None:
            scan.skipped_keys.append(f"{key} {name}".strip())
            scan.dropped.append((i, f"Jobcenter {key} ohne Zuordnung zu einem Kreis"))
            return None
        key = kreis
    if key is None and name and names.get(header_key(_strip_name(name))):
        key = names[header_key(_strip_name(name))]
    if key is None:
        if name:
            scan.skipped_keys.append(name)
        scan.dropped.append((i, f"keine Region zuordenbar („{name or text}“)"))
    return key


def _row_breakdown(
    raw: RawFile,
    grid: Grid,
    layout: Layout,
    i: int,
    ages: dict[str, str],
    mapping_label: str,
    problems: list[Problem],
    row_labels: dict[str, Dims],
) -> tuple[str | None, dict[str, str]]:
    """The age group and the breakdown that the labels of data row ``i`` give (its extra columns); age group None:
    a label is not assigned (an error is added)."""
    age: str | None = "insgesamt"
    row_dims: dict[str, str] = {}
    for c in layout.extra_cols:
        label = grid.cell(i, c)[1]
        if not label:
            continue
        if header_key(label) in row_labels:  # a breakdown in rows ('männlich', 'Deutsche')
            row_dims.update(cast("dict[str, str]", row_labels[header_key(label)]))
            continue
        got = ages.get(header_key(label)) or age_code(label)
        if got is None:
            problems.append(
                raw.error(
                    f"Beschriftung „{label}“ nicht zugeordnet (erwartet: eine Altersgruppe oder eine "
                    f"Ausprägung wie „männlich“); bitte in {mapping_label} unter „age_groups“ oder "
                    "„labels“ ergänzen.",
                    sheet=grid.sheet,
                    row=grid.row_numbers[i],
                    column=f"Nr. {c + 1}",
                )
            )
            return None, row_dims
        age = got
    return age, row_dims


def _repeated_rows(raw: RawFile, grid: Grid, kept: list[tuple[Any, ...]], problems: list[Problem]) -> None:
    """A row copied by hand right below itself: taken once, and said."""
    for (a, *_), (b, *_) in zip(kept, kept[1:]):
        if grid.texts[a] == grid.texts[b] and b - a <= 2:
            problems.append(
                raw.warning(
                    f"Zeile {grid.row_numbers[b]} wiederholt Zeile {grid.row_numbers[a]} Zelle für Zelle; die Werte "
                    "werden einmal übernommen. Bitte prüfen, ob hier eine andere Region fehlt.",
                    grid.sheet,
                    grid.row_numbers[b],
                )
            )


def _column_blocks(
    grid: Grid,
    layout: Layout,
    columns: dict[int, ColumnSpec],
    kept: list[tuple[Any, ...]],
    title_period: tuple[int, object] | None,
) -> tuple[pd.DataFrame, list[Any], list[Any], list[str]]:
    """One block of observations per value column, built from the kept rows' lists (no loop over every cell's
    tuple): the frame without values, and per observation its cell, its quality flag and its place."""
    rows_i = [k[0] for k in kept]
    base = {"region": [k[1] for k in kept], "source_row": [grid.row_numbers[i] for i in rows_i]}
    parts: list[Any] = []
    cells: list[Any] = []
    flags: list[Any] = []
    places: list[str] = []
    source = grid.cells if grid.sheet else grid.texts
    for j, spec in columns.items():
        places += [f"{column_letter(j)} ({spec.name})"] * len(rows_i)
        fallback = (spec.year, spec.ref_date) if spec.year else (title_period or (None, None))
        periods = [k[2] or fallback for k in kept]
        part = {
            **base,
            "variable": spec.variable,
            "year": [p[0] for p in periods],
            "ref_date": [p[1] for p in periods],
            "source_column": cell_place(j, spec.name),
        }
        for dim in ("nationality", "sex", "age_group", "category"):
            if dim in spec.dims:
                part[dim] = spec.dims[dim]
            elif dim == "age_group":
                part[dim] = [k[4].get(dim, k[3]) for k in kept]
            else:
                part[dim] = [k[4].get(dim, "insgesamt") for k in kept]
        parts.append(pd.DataFrame(part))
        cells += [source[i][j] if j < len(source[i]) else None for i in rows_i]
        f = layout.flag_cols.get(j)
        flags += (
            [QUALITY_FLAGS.get(grid.texts[i][f].casefold()) if f < len(grid.texts[i]) else None for i in rows_i]
            if f is not None
            else [None] * len(rows_i)
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["source_sheet"] = grid.sheet
    return frame, cells, flags, places


def _key_assumptions(
    assumptions: dict[str, str],
    layout: Layout,
    scan: _RowScan,
    title_region: str | None,
    title_period: tuple[int, object] | None,
    columns: dict[int, ColumnSpec],
) -> None:
    """The assumptions on the regions (key column, repaired keys, rows left out), the dates and the age groups."""
    if layout.key_kind == "jobcenter":
        assumptions["Regionalschlüssel"] = (
            f"Spalte {column_letter(cast(int, layout.key_col))}: Trägernummer des Jobcenters, dem Kreis zugeordnet über "
            "die Jobcenter-Liste des Monitors (jobcenter.csv; Annahme: ein Jobcenter je Kreis, z. B. JC Peine 24404 → 03157)"
        )
    elif layout.key_col is not None:
        lost, repaired = scan.lost, scan.repaired
        assumptions["Regionalschlüssel"] = f"Spalte {column_letter(layout.key_col)} (erkannt am Inhalt)" + (
            "; führende Nullen ergänzt (ein Tabellenprogramm hat sie entfernt), nach Ebene und Name, z. B. "
            + ", ".join(repaired[:5])
            if lost and repaired
            else "; führende Nullen ergänzt (ein Tabellenprogramm hat sie entfernt)"
            if lost
            else ""
        )
    elif layout.name_col is not None:
        assumptions["Regionalschlüssel"] = f"aus den amtlichen Namen in Spalte {column_letter(layout.name_col)}"
    else:
        assumptions["Regionalschlüssel"] = f"{title_region} (die Tabelle hat keine Regionsspalte; Region laut Titel)"
    skipped_keys = scan.skipped_keys
    if skipped_keys:
        shown = ", ".join(skipped_keys[:10]) + (
            f" und {len(skipped_keys) - 10} weitere" if len(skipped_keys) > 10 else ""
        )
        assumptions["Zeilen ohne Region"] = f"{len(skipped_keys)} nicht übernommen (keine Region zuordenbar): {shown}"
    if layout.time_col is not None:
        assumptions["Stichtag"] = f"Spalte {column_letter(layout.time_col)}"
    elif any(c.year for c in columns.values()):
        assumptions.setdefault("Stichtag", "aus den Spaltenköpfen")  # a reader that took it from the title said so
    else:
        assumptions["Stichtag"] = "aus dem Titel" + (f" → Jahr {title_period[0]}" if title_period else "")
    if layout.extra_cols:
        assumptions["Altersgruppe"] = ", ".join(f"Spalte {column_letter(c)}" for c in layout.extra_cols)


def _refused_cells(raw: RawFile, where: pd.DataFrame, parsed: pd.DataFrame, problems: list[Problem]) -> list[Problem]:
    """Value cells that are neither a number nor an official symbol, each named with its column letter and its
    content; a few texts in a sound file are warnings (:func:`soften_refusals`)."""
    if not parsed["error"].notna().any():
        return []
    return soften_refusals(raw, value_problems(raw, where, parsed, spreadsheet=False), parsed, problems)


def _letters(cols: list[int]) -> str:
    if not cols:
        return "–"
    if cols == list(range(cols[0], cols[0] + len(cols))) and len(cols) > 2:
        return f"Spalten {column_letter(cols[0])} bis {column_letter(cols[-1])}"
    return ("Spalte " if len(cols) == 1 else "Spalten ") + ", ".join(column_letter(c) for c in cols)


def _accounting(
    grid: Grid,
    layout: Layout,
    columns: dict[int, ColumnSpec],
    where: pd.DataFrame,
    parsed: pd.DataFrame,
    dropped: list[tuple[int, str]],
    kept_rows: list[int],
) -> Accounting:
    """Cells of the data block (its rows × the value columns taken) = values + symbols + refused cells."""
    rn = grid.row_numbers
    err = parsed["error"].to_numpy()
    value = parsed["value"].to_numpy()
    ok = pd.isna(err)
    n_values = int((ok & ~np.isnan(value)).sum())
    n_symbols = int((ok & np.isnan(value)).sum())
    refused: list[dict[str, Any]] = []
    bad = np.flatnonzero(~ok)
    n_rows = len(kept_rows)
    col_list = list(columns)
    for pos in bad[:MAX_REFUSED_LISTED]:
        i, j = kept_rows[pos % n_rows], col_list[pos // n_rows]
        refused.append(
            {
                "sheet": grid.sheet,
                "row": rn[i],
                "column": column_letter(j),
                "content": grid.cell(i, j)[1],
                "reason": str(err[pos]),
            }
        )
    for i, reason in dropped:
        for j in col_list:
            if len(refused) < MAX_REFUSED_LISTED:
                refused.append(
                    {
                        "sheet": grid.sheet,
                        "row": rn[i],
                        "column": column_letter(j),
                        "content": grid.cell(i, j)[1],
                        "reason": reason,
                    }
                )
    data_rows = layout.data_rows
    block = (
        f"Blatt {grid.sheet}, " if grid.sheet else ""
    ) + f"Zeile {rn[data_rows[0]]} bis {rn[data_rows[-1]]}, {_letters(col_list)}"
    return Accounting(
        block,
        cells=len(data_rows) * len(col_list),
        values=n_values,
        symbols=n_symbols,
        refused_count=len(bad) + len(dropped) * len(col_list),
        refused=refused,
    )
