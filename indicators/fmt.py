"""Numbers and dates as people here write them: 12.345 · 14,9 % · +1,2 %-Pkt. · 31.12.2024."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


_UNITLESS: frozenset[str] = frozenset({"", "Anzahl", "Index"})
_UNIT_DECIMALS: dict[str, int] = {"Anzahl": 0, "Tage": 0}
_DASH = "–"


def is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def fmt_num(x: float | None, decimals: int = 1, sign: bool = False) -> str:
    """Format a number the German way: ``1234.5`` -> ``"1.234,5"``.

    Thousands are separated by a dot, decimals by a comma, negative numbers carry ``-``. A value
    that rounds to zero never shows a minus sign; with ``sign=True`` positive numbers get ``+`` and
    a value that rounds to zero gets ``±``. ``None``/NaN give ``"–"``.
    """
    if is_missing(x):
        return _DASH
    value = float(x)  # type: ignore[arg-type]
    if math.isinf(value):
        return ("+∞" if sign else "∞") if value > 0 else "-∞"
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if not any(ch in "123456789" for ch in text):
        return "±" + text if sign else text
    if value < 0:
        return "-" + text
    return "+" + text if sign else text


def _decimals_for(unit: str | None, decimals: int | None) -> int:
    if decimals is not None:
        return decimals
    return _UNIT_DECIMALS.get(unit or "", 1)


def _with_unit(number: str, unit: str | None) -> str:
    if not unit or unit in _UNITLESS:
        return number
    return f"{number} {unit}"


def fmt_value(x: float | None, unit: str | None = "%", decimals: int | None = None) -> str:
    """Format a value with its unit: ``"14,9 %"``, ``"-0,4 %-Pkt."``, ``"12.345"`` (Anzahl).

    ``Anzahl`` and ``Tage`` default to 0 decimals, everything else to 1. Units ``""``, ``"Anzahl"``
    and ``"Index"`` are not written out; any other unit follows after a space. Missing: ``"–"``.
    """
    if is_missing(x):
        return _DASH
    return _with_unit(fmt_num(x, _decimals_for(unit, decimals)), unit)


def _change_unit(unit: str) -> str:
    """Unit of an absolute difference of values: differences of percentages are %-points."""
    return "%-Pkt." if unit == "%" else unit


def fmt_change(x: float | None, unit: str | None = "%-Pkt.", decimals: int | None = None) -> str:
    """Format a change with an explicit sign: ``"+1,2 %-Pkt."``, ``"-0,4 %-Pkt."``, ``"±0,0"``.

    ``unit`` is the unit of the indicator: a change of a share (``%``) is written in ``%-Pkt.``.
    Missing: ``"–"``.
    """
    if is_missing(x):
        return _DASH
    cunit = _change_unit(unit) if unit else unit
    return _with_unit(fmt_num(x, _decimals_for(cunit, decimals), sign=True), cunit)


def decimals_for(unit: str) -> int:
    return _decimals_for(unit, None)


def change_unit(unit: str) -> str:
    return _change_unit(unit)


def fmt_date(d: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    """'31.12.2024' (with_time: '31.12.2024 16:36')."""
    if d is None:
        return _DASH
    if with_time and isinstance(d, dt.datetime):
        return d.strftime("%d.%m.%Y %H:%M")
    return d.strftime("%d.%m.%Y")


def fmt_int(x: int | float | None) -> str:
    return fmt_num(x, 0)
