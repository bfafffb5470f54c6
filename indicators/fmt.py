"""Numbers and dates as people here write them: 12.345 · 14,9 % · +1,2 %-Pkt. · 31.12.2024."""

from __future__ import annotations

import datetime as dt
import math

_DECIMALS_BY_UNIT = {"%": 1, "%-Pkt.": 1, "je 1000 EW": 1, "je 100": 1, "Anzahl": 0, "Tage": 0, "Index": 1}


def _is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_num(x: float | int | None, decimals: int = 1, sign: bool = False) -> str:
    """German notation: thousands dot, decimal comma; '–' for a missing value."""
    if _is_missing(x):
        return "–"
    s = f"{x:{'+' if sign else ''},.{decimals}f}"
    s = s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    if sign and float(x) == 0:
        s = s.lstrip("+-")
        s = "±" + s
    return s


def decimals_for(unit: str) -> int:
    return _DECIMALS_BY_UNIT.get(unit, 1)


def unit_suffix(unit: str) -> str:
    return "" if unit == "Anzahl" else (" " + unit if unit != "Index" else "")


def fmt_value(x: float | None, unit: str, decimals: int | None = None) -> str:
    """'14,9 %', '12.345', '-0,4 %-Pkt.', '3,2 je 1000 EW'."""
    if _is_missing(x):
        return "–"
    d = decimals_for(unit) if decimals is None else decimals
    return fmt_num(x, d) + unit_suffix(unit)


def change_unit(unit: str) -> str:
    """A change of a share is in percentage points."""
    return "%-Pkt." if unit == "%" else unit


def fmt_change(x: float | None, unit: str, decimals: int | None = None) -> str:
    """'+1,2 %-Pkt.' for a share, '+345' for a count; '–' if missing."""
    if _is_missing(x):
        return "–"
    u = change_unit(unit)
    d = decimals_for(u) if decimals is None else decimals
    return fmt_num(x, d, sign=True) + unit_suffix(u)


def fmt_date(d: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    if d is None:
        return "–"
    if with_time and isinstance(d, dt.datetime):
        return d.strftime("%d.%m.%Y %H:%M")
    return d.strftime("%d.%m.%Y")


def fmt_int(x: int | float | None) -> str:
    return fmt_num(x, 0)
