"""One way for every reader to read header cells, title lines and label lists.

Real exports spell the same header in many ways: ``Regionalschlüssel``, ``Regional-schlüssel``,
``Regional-\\nschlüssel`` (a line break inside the cell), ``REGIONALSCHLÜSSEL``, ``  Regional  schlüssel``.
:func:`header_key` reduces all of them to one key, and every reader compares labels through it
(:func:`lookup`, :func:`matches`), so a spelling learnt once holds for every format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")

_SOFT_HYPHEN = re.compile(r"(?<=[^\W\d_])-\s*(?=[a-zäöüß])")  # 'Regional-schlüssel', 'Träger-\nnummer'
_SPACES = re.compile(r"\s+")
#: the first line of a GENESIS table (Destatis, Regionalstatistik; newer exports without 'GENESIS-'; in English 'Table')
TITLE = re.compile(r"^\s*(?:GENESIS-)?(?:Tabelle|Table)\s*:\s*((\d{5})-[\w-]+)", re.IGNORECASE)
#: the same line without a number ('GENESIS-Tabelle: Temporär', a table the user put together)
TITLE_ANY = re.compile(r"^\s*(?:GENESIS-)?(?:Tabelle|Table)\s*:", re.IGNORECASE)
#: a GENESIS table number anywhere (a sheet name '12411-0015', a title '… 12411-01-01-4')
TABLE_CODE = re.compile(r"\b((\d{5})-(?:\d{4}|\d{2}-\d{2}-\d[a-z]?|\d{2}[-\w]*))\b", re.IGNORECASE)
#: a footer line of an official table: '__________' (then notes, ©, Stand)
FOOTER = re.compile(r"^\s*_{5,}\s*$")


def header_text(v: object) -> str:
    """A header cell as one line of text: a hyphen before a line break joins the word, other line breaks and
    repeated spaces become one space."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d.%m.%Y")
    s = str(v).replace("\u00a0", " ").replace("\ufeff", "")
    s = re.sub(r"(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=[a-zäöüß])", "", s)
    return _SPACES.sub(" ", s).strip()


def header_key(v: object) -> str:
    """The comparison key of a label: case, spacing, line breaks and word-joining hyphens ignored."""
    return _SOFT_HYPHEN.sub("", header_text(v)).casefold()


def lookup(table: Mapping[str, V]) -> dict[str, V]:
    """A label table keyed by :func:`header_key`."""
    return {header_key(k): v for k, v in table.items()}


def matches(v: object, labels: Iterable[str]) -> bool:
    key = header_key(v)
    return bool(key) and key in {header_key(x) for x in labels}


def fill_header_rows(rows: list[list[str]], start: int, width: int) -> list[list[str]]:
    """Header rows of the value columns (``start`` on) with merged cells filled in.

    An export writes a merged header cell once (Excel, re-saved CSV) or repeats it over its columns
    (GENESIS). A blank cell takes the label of its left neighbour where the cell above it is blank as well
    (it continues the same merged parent); the top row fills from the left. A blank cell under a label of
    its own stays blank ('insgesamt'): ``Arbeitslose | ausländisch`` beside ``Quote | (blank)``."""
    out = [[header_text(r[j]) if j < len(r) else "" for j in range(width)] for r in rows]
    raw_blank = [[not c for c in r] for r in out]
    for i, r in enumerate(out):
        for j in range(start + 1, width):
            if r[j] or not r[j - 1]:
                continue
            if i == 0 or all(raw_blank[k][j] for k in range(i)):
                r[j] = r[j - 1]
    return out


def table_code(lines: Iterable[str]) -> tuple[str, str] | None:
    """(table number, statistic number) from a title line 'GENESIS-Tabelle: 12411-01-01-4' or a table number."""
    for ln in lines:
        m = TITLE.match(ln) or TABLE_CODE.search(ln)
        if m:
            return m.group(1), m.group(2)
    return None
