"""Reading one value cell: numbers in German or English notation, and the official special symbols."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

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


def parse_cell(v: object, decimal: str = ",") -> Cell:
    """Interpret one value cell. Never raises."""
    if v is None:
        return Cell(None, None, "Wert fehlt (leere Zelle)")
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
        return Cell(None, None, "Wert fehlt (leere Zelle)")
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
