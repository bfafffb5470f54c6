"""Numbers and dates as people here write them: 12.345 · 14,9 % · +1,2 %-Pkt. · 31.12.2024."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, cast, overload

from indicators.errors import UserError

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
    # half up, on the number as written (32,25 -> 32,3; 0,15 -> 0,2), not on its binary approximation
    text = f"{Decimal(repr(abs(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):,.{decimals}f}"
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


def with_flag(text: str, flag: object) -> str:
    """A formatted value with its official special symbol: ``"4,4 (p)"``; the symbol ``()`` (Aussagewert
    eingeschränkt) encloses the value as the statistical offices print it: ``"(4,4)"``, never ``"4,4 (())"``."""
    if not isinstance(flag, str) or not flag.strip():
        return text
    flag = flag.strip()
    if flag == "()":
        return f"({text})"
    return f"{text} ({flag})"


def fmt_exact(x: float | None, unit: str | None = "%") -> str:
    """A typed value (a target) with its unit and every decimal it has, at least the unit's usual ones:
    ``32,25 %``, ``1.234,5`` (Anzahl), ``30,0 %``; at most 6 decimals. Missing: ``"–"``."""
    if is_missing(x) or math.isinf(float(x)):  # type: ignore[arg-type]
        return fmt_value(x, unit)
    d = Decimal(repr(float(x))).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()  # type: ignore[arg-type]
    needed = max(0, -int(d.as_tuple().exponent))
    return fmt_value(x, unit, max(_decimals_for(unit, None), min(needed, 6)))


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
    """'31.12.2024' (with_time: '31.12.2024, 16:36 Uhr', the same as :func:`fmt_datetime` on every page)."""
    if d is None:
        return _DASH
    if with_time and isinstance(d, dt.datetime):
        return fmt_datetime(d)
    return d.strftime("%d.%m.%Y")


def fmt_datetime(d: dt.datetime | str | None) -> str:
    """'29.11.2026, 07:15 Uhr' for a point in time (a datetime, a pandas Timestamp or an ISO text such as a backup's
    manifest carries); '–' when missing or unreadable."""
    if d is None or d != d:  # (NaN and NaT are not equal to themselves)
        return _DASH
    if isinstance(d, str):
        try:
            d = dt.datetime.fromisoformat(d.strip())
        except ValueError:
            return _DASH
    if hasattr(d, "to_pydatetime"):
        d = d.to_pydatetime()
    if not isinstance(d, dt.datetime):
        return fmt_date(cast(dt.date | None, d))
    return local_time(d).strftime("%d.%m.%Y, %H:%M Uhr")


#: the time zone every point in time is shown in (a Landkreis in Niedersachsen), whatever the server's clock says
DISPLAY_TIME_ZONE = "Europe/Berlin"


def local_time(d: dt.datetime) -> dt.datetime:
    """A point in time in German local time (issue 25: a server on UTC showed 16:36 for 17:36). A time without a
    zone is one the server's clock wrote (``datetime.now()``), i.e. in the server's zone. Without the time zone data
    (a bare Windows install without ``tzdata``) the time is shown as it is."""
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(DISPLAY_TIME_ZONE)
    except Exception:  # noqa: BLE001 - no time zone data: shown as it is
        return d
    return d.astimezone(zone).replace(tzinfo=None)


SOFT_HYPHEN = "\u00ad"
#: words shorter than this are never hyphenated
HYPHEN_MIN_LETTERS = 11


@functools.lru_cache(maxsize=2)
def _hyphenator(left: int = 3) -> Any:
    import pyphen

    return pyphen.Pyphen(lang="de_DE", left=left, right=3)


#: the first parts of compounds of this domain where the dictionary breaks wrongly ('Stab-s-stelle',
#: 'Arbeits-mark-tin-te-gra-tion'): the word is broken after the part, and each side by the dictionary
COMPOUND_HEADS = ("arbeitsmarkt", "stabs", "ausbildungs", "integrations", "migrations", "sprachkurs")


def _syllables(word: str, first: bool) -> list[str]:
    """The dictionary's breaks of one word (or of a compound's later part, ``first=False``: two letters may then stand
    before its first break), with no piece of a single letter (joined to the piece before it)."""
    pieces: list[str] = []
    for piece in _hyphenator(3 if first else 2).inserted(word, hyphen=SOFT_HYPHEN).split(SOFT_HYPHEN):
        if pieces and (len(piece) == 1 or len(pieces[-1]) == 1):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def _word_breaks(word: str, first: bool = True) -> list[str]:
    lower = word.lower()
    for head in COMPOUND_HEADS:
        if lower.startswith(head) and len(word) - len(head) >= 3:
            return _syllables(word[: len(head)], first) + _word_breaks(word[len(head) :], first=False)
    return _syllables(word, first)


def hyphenate(text: object) -> str:
    """Soft hyphens at the syllable breaks of long German words ('Migrations­geschichte'), so that a narrow table
    column breaks a word where German allows it (with a visible hyphen) rather than anywhere. The text reads and
    copies the same; only words of letters of at least HYPHEN_MIN_LETTERS are touched (numbers, codes, addresses
    are not). No break leaves a single letter; known compounds break at their joint first (COMPOUND_HEADS)."""
    text = "" if text is None else str(text)

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        return SOFT_HYPHEN.join(_word_breaks(word)) if len(word) >= HYPHEN_MIN_LETTERS else word

    return re.sub(r"[^\W\d_]+", one, text)


def fmt_int(x: int | float | None) -> str:
    return fmt_num(x, 0)


# -- typed numbers --------------------------------------------------------------------------------
NUMBER_EXAMPLE = "Beispiel: 30,5"
_GERMAN = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d*)(?:,\d*)?")  # 1.234,5 · 1234,5 · 30,5 · 1.234.567 · 57
_DOT_DECIMAL = re.compile(r"\d*\.\d*")  # 30.5 · 0.123 (a single dot that cannot be a group of thousands)
_DOT_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}\.\d{3}")  # 1.234: 1234 (German) or 1,234 (English)?
_SPACE_GROUPED = re.compile(r"[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d*)?")  # 1 234,5 (also no-break spaces)
_ENGLISH = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+\.\d*")  # 1,234.5: both separators, unambiguous


class NumberError(UserError, ValueError):
    """A typed number that cannot be read; the message is German and names the field."""


@overload
def parse_number(text: str | float | int | None, field: str, *, required: Literal[True] = ...) -> float: ...


@overload
def parse_number(text: str | float | int | None, field: str, *, required: bool) -> float | None: ...


def parse_number(text: str | float | int | None, field: str, *, required: bool = True) -> float | None:
    """Read a number as a person here types it; German first, the dot only where it is unambiguous.

    ``30,5`` · ``1.234,5`` · ``1.234.567`` · ``1 234,5`` · ``-0,4`` (also with ``−``) · ``30,5 %`` are read the
    German way; ``30.5``, ``0.123`` and ``1,234.5`` the only way they can be meant. ``1.234`` (1234 or 1,234?)
    is refused as ambiguous rather than guessed. Errors are :class:`NumberError` with a German message that
    names ``field``, e.g. ``Feld „Zielwert“: „3x“ ist keine Zahl. Beispiel: 30,5``. An empty text is an
    error, or ``None`` with ``required=False``. Numbers (``int``/``float``) pass through unchanged.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if is_missing(text) or math.isinf(float(text)):
            if required:
                raise NumberError(f"Feld „{field}“: bitte eine Zahl angeben. {NUMBER_EXAMPLE}")
            return None
        return float(text)
    shown = ("" if text is None else str(text)).strip()
    s = shown
    for space in ("\u00a0", "\u202f", "\u2009"):
        s = s.replace(space, " ")
    s = s.strip().removesuffix("%").rstrip()
    if not shown:
        if required:
            raise NumberError(f"Feld „{field}“: bitte eine Zahl angeben. {NUMBER_EXAMPLE}")
        return None
    sign = 1.0
    if s[:1] in ("-", "\u2212", "+"):
        sign = 1.0 if s[0] == "+" else -1.0
        s = s[1:]
    value: str | None = None
    if not any(ch.isdigit() for ch in s):
        value = None
    elif _DOT_AMBIGUOUS.fullmatch(s):
        as_thousands = s.replace(".", "")
        raise NumberError(
            f"Feld „{field}“: „{shown}“ ist mehrdeutig – meinen Sie {as_thousands} oder {s.replace('.', ',')}? "
            f"Bitte Dezimalstellen mit Komma schreiben (z. B. 30,5) und Tausender ohne Punkt (z. B. {as_thousands})."
        )
    elif _GERMAN.fullmatch(s):
        value = s.replace(".", "").replace(",", ".")
    elif _DOT_DECIMAL.fullmatch(s):
        value = s
    elif _SPACE_GROUPED.fullmatch(s):
        value = s.replace(" ", "").replace(",", ".")
    elif _ENGLISH.fullmatch(s):
        value = s.replace(",", "")
    if value is None:
        raise NumberError(f"Feld „{field}“: „{shown}“ ist keine Zahl. {NUMBER_EXAMPLE}")
    number = sign * float(value)
    return 0.0 if number == 0 else number


def fmt_input(x: float | None, max_decimals: int = 6) -> str:
    """A number for an input field: German decimal comma, no thousands dot (``1234,5``), no trailing zeros
    (``57,4``, not ``57.40``). Read back by :func:`parse_number`. Missing: ``""``."""
    if is_missing(x) or math.isinf(float(x)):  # type: ignore[arg-type]
        return ""
    text = f"{float(x):.{max_decimals}f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key that orders numbers inside text by value: 'LZ-2' before 'LZ-10'."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", str(text))
        if part
    )


def count_text(n: int, one: str, many: str) -> str:
    """'1 Wert', '2.345 Werte' (number German, noun in singular or plural)."""
    return f"{fmt_int(n)} {one if n == 1 else many}"
