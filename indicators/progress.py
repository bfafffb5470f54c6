"""Target comparison and progress assessment (verdicts) for indicator series.

Pure Python (standard library only); no Streamlit, no database access. The exact rules are specified
in ``docs/progress-methods.md``. Three methods are offered:

``opensdg``
    The Open SDG / Statistics Canada progress measure based on compound annual growth rates (CAGR),
    as used by the Niedersachsen Integrationsmonitoring. With a target: ratio ``P`` of observed to
    required growth; without a target: the direction-adjusted observed growth against fixed
    thresholds (optionally scaled for a natural limit). Yields a score on the scale -5..+5.
``linear``
    The weather symbols of the German Sustainability Strategy (Destatis): the average annual change
    over the last five years is extrapolated linearly to the target year. Suitable for gap
    indicators (%-Pkt. differences that approach or cross 0).
``sollpfad``
    Plain year-by-year Ist/Soll comparison against yearly milestones with a tolerance band
    (green / amber / red), the way municipal controlling reads a Kennzahl.

Every assessment returns a :class:`Verdict` with a German label, a colour-independent symbol, a
German explanation containing the numbers behind the verdict, and the numbers the UI needs for the
projection line. Verdicts of all three methods carry a score on the Open SDG scale -5..+5 so that
:func:`rollup` can aggregate them per field of action.

Series are ``dict[int, float | None]`` (year -> value). ``None`` (or NaN) marks a suppressed or
missing value; such years are skipped and named in the explanation.

User-facing strings are German; numbers are formatted the German way (``1.234,5``, ``14,9 %``,
``+1,2 %-Pkt.``) by :func:`fmt_num`, :func:`fmt_value` and :func:`fmt_change`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from indicators.fmt import change_unit, decimals_for, fmt_change, fmt_num, fmt_value, is_missing

__all__ = [
    "DIRECTIONS",
    "METHODS",
    "CONTEXT",
    "METHOD_LABELS",
    "NOT_ASSESSABLE",
    "STATUS_LABELS",
    "STATUS_SCORES",
    "STATUS_SYMBOLS",
    "Verdict",
    "assess",
    "assess_linear",
    "assess_opensdg",
    "assess_sollpfad",
    "base_year_used",
    "cagr",
    "default_method",
    "fmt_change",
    "fmt_num",
    "fmt_value",
    "linear_path",
    "opensdg_score",
    "rollup",
    "sollpfad_table",
    "trend_sign",
]

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------

METHODS: tuple[str, ...] = ("opensdg", "linear", "sollpfad")
"""Method ids accepted by :func:`assess`."""

METHOD_LABELS: dict[str, str] = {
    "opensdg": "Fortschrittsmaß (Open SDG)",
    "linear": "Wettersymbole (lineare Fortschreibung)",
    "sollpfad": "Soll-Ist-Vergleich (Sollpfad)",
}

DIRECTIONS: tuple[str, ...] = ("up", "down", "zero", "context")
"""``up``: higher is better; ``down``: lower is better; ``zero``: closer to 0 is better (gaps);
``context``: no judgement."""

_DIRECTION_TEXT: dict[str, str] = {
    "up": "höher ist besser",
    "down": "niedriger ist besser",
    "zero": "näher an 0 ist besser",
}

NOT_ASSESSABLE = "nicht_bewertbar"
CONTEXT = "kontext"
"""Status of a context indicator (direction ``context``): described, never judged -- not a verdict."""

STATUS_LABELS: dict[str, str] = {
    # Open SDG
    "target_achieved": "Ziel erreicht",
    "substantial_progress": "auf Kurs",
    "moderate_progress": "Beschleunigung nötig",
    "limited_progress": "geringer Fortschritt",
    "deterioration": "Verschlechterung",
    # Weather symbols (linear method)
    "sonne": "Sonne: Ziel wird erreicht",
    "leicht_bewoelkt": "leicht bewölkt",
    "bewoelkt": "bewölkt",
    "gewitter": "Gewitter",
    # Soll path
    # (direction-neutral: with "lower is better" a shortfall lies above the Soll line)
    "gruen": "im Soll",
    "gelb": "knapp hinter dem Soll",
    "rot": "deutlich hinter dem Soll",
    # any method
    NOT_ASSESSABLE: "nicht bewertbar",
    CONTEXT: "ohne Bewertung (Kontextindikator)",
}
"""German short label per status id."""

STATUS_SYMBOLS: dict[str, str] = {
    "target_achieved": "✔",
    "substantial_progress": "▲",
    "moderate_progress": "◆",
    "limited_progress": "▼",
    "deterioration": "✖",
    "sonne": "☀",
    "leicht_bewoelkt": "☀☁",
    "bewoelkt": "☁",
    "gewitter": "⚡",
    "gruen": "●",
    "gelb": "◐",
    "rot": "○",
    NOT_ASSESSABLE: "–",
    CONTEXT: "–",
}
"""Text symbols that keep the states distinguishable without colour (full / half / empty circle for
the Soll path)."""

STATUS_SCORES: dict[str, float] = {
    "target_achieved": 5.0,
    "sonne": 3.75,
    "leicht_bewoelkt": 1.25,
    "bewoelkt": -1.25,
    "gewitter": -3.75,
    "gruen": 3.75,
    "gelb": 1.25,
    "rot": -3.75,
}
"""Fixed scores (scale -5..+5) for the states that have no computed score.

The weather and Soll-path states are mapped onto the *midpoint* of the Open SDG band with the same
meaning, so that a field of action made of equal states rolls up into that band and no single state
sits on a band boundary:

=====================  =========  ==================================
state                  score      Open SDG band
=====================  =========  ==================================
sonne, gruen           +3,75      [2,5; 5]   auf Kurs
leicht_bewoelkt, gelb  +1,25      [0; 2,5)   Beschleunigung nötig
bewoelkt               -1,25      [-2,5; 0)  geringer Fortschritt
gewitter, rot          -3,75      [-5; -2,5) Verschlechterung
=====================  =========  ==================================

``target_achieved`` is 5 as in Open SDG. The other Open SDG states get a computed score
(:func:`opensdg_score`).
"""

ROLLUP_BANDS: tuple[tuple[float, str], ...] = (
    (2.5, "substantial_progress"),
    (0.0, "moderate_progress"),
    (-2.5, "limited_progress"),
    (-math.inf, "deterioration"),
)
"""Lower bounds of the score bands used to read a (mean) score as an Open SDG status."""

# Open SDG thresholds
P_SUBSTANTIAL = 0.95
P_MODERATE = 0.6
NO_TARGET_SUBSTANTIAL = 0.015
NO_TARGET_MODERATE = 0.005
NO_TARGET_FULL_SCORE = 0.02
NO_TARGET_WORST = -0.02
LIMIT_EXPONENT = 4.44
ZERO_REPLACEMENT = 0.001

# Weather-symbol method
LINEAR_WINDOW_YEARS = 5
LINEAR_MAX_POINTS = 6
LINEAR_MIN_POINTS = 4
SUN_MAX_MISS = 0.05
PARTLY_CLOUDY_MAX_MISS = 0.20

_EPS = 1e-9


def _rate(x: float, unit: str) -> str:
    """Absolute change per year, e.g. ``"-0,4 %-Pkt. pro Jahr"`` (at least one decimal)."""
    return f"{fmt_change(x, unit, max(1, decimals_for(change_unit(unit))))} pro Jahr"


def _growth(x: float) -> str:
    """A relative growth rate (fraction) in percent, two decimals: ``0.0123`` -> ``"+1,23 %"``."""
    return f"{fmt_num(x * 100.0, 2, sign=True)} %"


def _years_text(years: Iterable[int]) -> str:
    ys = [str(y) for y in years]
    if len(ys) <= 1:
        return "".join(ys)
    return ", ".join(ys[:-1]) + " und " + ys[-1]


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


# ---------------------------------------------------------------------------------------------
# Verdict
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The result of one progress assessment.

    Attributes:
        method: ``"opensdg"``, ``"linear"`` or ``"sollpfad"``.
        status: status id (see :data:`STATUS_LABELS`), ``"nicht_bewertbar"`` if not assessable.
        score: score on the scale -5..+5 (``None`` if not assessable).
        label: German short label of the status.
        symbol: colour-independent text symbol of the status.
        explanation: German explanation in complete sentences with the numbers behind the verdict.
        assessable: ``False`` for ``nicht_bewertbar``.
        observed_change: observed change per year. For ``opensdg`` the observed CAGR as a fraction
            (0.012 = 1,2 % per year); for ``linear`` and ``sollpfad`` the average absolute change
            per year in the indicator's unit (%-points for ``%``).
        required_change: change per year needed to reach the target, same convention as
            ``observed_change`` (``opensdg``: required CAGR from the base year; ``linear``: from the
            latest value; ``sollpfad``: average slope of the Soll path). ``None`` without target.
        projected_value: value projected for the target year (``None`` if there is no projection).
        years_used: years whose values entered the calculation.
        projection: points ``(year, value)`` of the projection line from the latest year with a
            value to the target year, one per year (for a dashed chart line); empty if none.
    """

    method: str
    status: str
    score: float | None
    label: str
    symbol: str
    explanation: str
    assessable: bool
    observed_change: float | None = None
    required_change: float | None = None
    projected_value: float | None = None
    years_used: tuple[int, ...] = ()
    projection: tuple[tuple[int, float], ...] = ()


def _verdict(
    method: str,
    status: str,
    score: float | None,
    sentences: Iterable[str],
    **numbers: Any,
) -> Verdict:
    return Verdict(
        method=method,
        status=status,
        score=score,
        label=STATUS_LABELS[status],
        symbol=STATUS_SYMBOLS[status],
        explanation=" ".join(s for s in sentences if s),
        assessable=status not in (NOT_ASSESSABLE, CONTEXT),
        **numbers,
    )


def _not_assessable(method: str, *sentences: str, years_used: Iterable[int] = ()) -> Verdict:
    return _verdict(
        method,
        NOT_ASSESSABLE,
        None,
        ["Nicht bewertbar:", *sentences],
        years_used=tuple(years_used),
    )


_CONTEXT_REASON = (
    "Kontextindikator ohne Zielrichtung: Er beschreibt die Lage und wird nicht bewertet; gezeigt "
    "wird nur die Entwicklung."
)


def _context(method: str) -> Verdict:
    """No verdict for a context indicator (docs: "Indicators with direction context get no verdict")."""
    return _verdict(method, CONTEXT, None, [_CONTEXT_REASON])


_NO_VALUES = "Es liegen keine Werte vor (unterdrückt oder fehlend)."


def _break_note(year: int) -> str:
    return f"Werte vor dem Bruch der Zeitreihe {year} sind nicht vergleichbar und bleiben außer Betracht."


def _zero_note(what: str) -> str:
    return f"Der {what} 0 wurde für die Berechnung durch {fmt_num(ZERO_REPLACEMENT, 3)} ersetzt."


# ---------------------------------------------------------------------------------------------
# Series helpers
# ---------------------------------------------------------------------------------------------


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; expected one of {DIRECTIONS}")


def _clean(series: Mapping[int, float | None]) -> tuple[list[tuple[int, float]], list[int]]:
    """Split a series into sorted ``(year, value)`` points and the years without a value."""
    points: list[tuple[int, float]] = []
    missing: list[int] = []
    for year in sorted(series):
        value = series[year]
        if is_missing(value):
            missing.append(int(year))
        else:
            points.append((int(year), float(value)))  # type: ignore[arg-type]
    return points, missing


def _latest_break(breaks: Iterable[int], latest_year: int) -> int | None:
    """The latest series break (first year on the new basis) at or before ``latest_year``."""
    relevant = [int(b) for b in breaks if int(b) <= latest_year]
    return max(relevant) if relevant else None


_BASE_ORIGIN: dict[str, str] = {
    "target": "aus dem Ziel",
    "strategy": "Basisjahr der Strategie",
    "first": "erstes Jahr mit Wert",
}


@dataclass(frozen=True)
class _Base:
    """The base year actually used: ``year`` (``None`` if no value from ``wanted`` on), the year
    asked for (``wanted``; ``None`` = first year with a value) and where it came from."""

    year: int | None
    wanted: int | None
    origin: str  # "target", "strategy" or "first"
    brk: int | None = None

    @property
    def moved(self) -> bool:
        return self.wanted is not None and self.year is not None and self.year != self.wanted

    def label(self) -> str:
        """``"dem Basisjahr 2019 (Basisjahr der Strategie)"`` or, if it moved forward, ``"2020"``."""
        if self.moved:
            return str(self.year)
        return f"dem Basisjahr {self.year} ({_BASE_ORIGIN[self.origin]})"

    def note(self) -> str:
        """Why the base year moved forward (empty if it did not)."""
        if not self.moved:
            return ""
        assert self.wanted is not None
        if self.brk is not None and self.wanted < self.brk <= (self.year or self.brk):
            return (
                f"Das Basisjahr {self.wanted} ({_BASE_ORIGIN[self.origin]}) liegt vor dem Bruch der "
                f"Zeitreihe {self.brk}; verwendet wird das erste Jahr mit Wert danach, {self.year}."
            )
        return (
            f"Für das Basisjahr {self.wanted} ({_BASE_ORIGIN[self.origin]}) liegt kein Wert vor; "
            f"verwendet wird, wie bei Open SDG, das nächste Jahr mit Wert, {self.year}."
        )


def _resolve_base(
    points: list[tuple[int, float]],
    base_year: int | None,
    default_base_year: int | None,
    brk: int | None,
) -> _Base:
    """The base year: the target's, else the strategy's (``default_base_year``), else the first
    year with a value; a year without a value moves forward to the next year with one (Open SDG).
    Only a base year that the target names explicitly may lie before a series break (the caller
    refuses it); the strategy's and the automatic one move to the first year after the break."""
    if base_year is not None:
        wanted, origin = int(base_year), "target"
    elif default_base_year is not None:
        wanted, origin = int(default_base_year), "strategy"
    else:
        wanted, origin = None, "first"
    lower = wanted
    if origin != "target" and brk is not None:
        lower = brk if lower is None else max(lower, brk)
    year = next((y for y, _ in points if lower is None or y >= lower), None)
    return _Base(year, wanted, origin, brk if origin != "target" else None)


def base_year_used(
    series: Mapping[int, float | None],
    base_year: int | None = None,
    default_base_year: int | None = None,
    breaks: Iterable[int] = (),
) -> int | None:
    """The base year the assessment uses for ``series`` (see :func:`assess_opensdg`): the target's
    ``base_year``, else ``default_base_year`` (the strategy's), else the first year with a value;
    moved forward to the next year with a value; ``None`` if there is none."""
    points, _ = _clean(series)
    if not points:
        return None
    brk = _latest_break(breaks, points[-1][0])
    return _resolve_base(points, base_year, default_base_year, brk).year


def _data_notes(missing: list[int], first_year: int, latest_year: int, what: str = "Wert") -> list[str]:
    """Sentences naming the skipped years inside the span used and missing values after it."""
    notes: list[str] = []
    trailing = [y for y in missing if y > latest_year]
    gaps = [y for y in missing if first_year < y < latest_year]
    if trailing:
        if len(trailing) == 1:
            head = f"Für {trailing[0]} liegt kein {what} vor"
        else:
            head = f"Für {_years_text(trailing)} liegen keine {what}e vor"
        notes.append(
            f"{head} (unterdrückt oder fehlend); verwendet wird der letzte verfügbare {what} von {latest_year}."
        )
    if gaps:
        notes.append(f"Ohne {what} (unterdrückt oder fehlend) und daher übersprungen: {_years_text(gaps)}.")
    return notes


def _projection_line(start_year: int, end_year: int, value_at: Callable[[int], float]) -> tuple[tuple[int, float], ...]:
    """One ``(year, value)`` point per year from ``start_year`` to ``end_year`` (both included)."""
    if end_year <= start_year:
        return ()
    return tuple((y, float(value_at(y))) for y in range(start_year, end_year + 1))


# ---------------------------------------------------------------------------------------------
# A. Open SDG progress measure
# ---------------------------------------------------------------------------------------------


def cagr(a: float, b: float, t1: float, t0: float) -> float:
    """Compound annual growth rate from value ``b`` in year ``t0`` to value ``a`` in year ``t1``.

    ``CAGR(a, b, t1, t0) = (a / b) ** (1 / (t1 - t0)) - 1``. Zero replacement is the caller's job.

    Raises:
        ValueError: if ``t1 == t0``, ``b == 0`` or ``a`` and ``b`` have different signs (the rate is
            then undefined).
    """
    if t1 == t0:
        raise ValueError("CAGR needs two different years")
    if b == 0:
        raise ValueError("CAGR is undefined for a zero start value")
    ratio = a / b
    if ratio < 0:
        raise ValueError("CAGR is undefined when the values change sign")
    return ratio ** (1.0 / (t1 - t0)) - 1.0


def opensdg_score(p: float) -> float:
    """Open SDG score for the ratio ``P`` of observed to required growth (with a target).

    ``P >= 0.6``: ``min(7.1429 P - 4.2857, 5)``; ``P < 0.6``: ``max(4.1667 P - 2.5, -5)``.
    """
    if p >= P_MODERATE:
        return min(7.1429 * p - 4.2857, 5.0)
    return max(4.1667 * p - 2.5, -5.0)


def _no_target_score(p: float, c: float) -> float:
    """Open SDG score without a target (piecewise linear, thresholds > 0 scaled by ``c``).

    ``P <= -2 %`` -> -5; -2 %..0 -> -5..-2,5; 0..0,5 % C -> -2,5..0; 0,5 % C..1,5 % C -> 0..2,5;
    1,5 % C..2 % C -> 2,5..5; from 2 % C on -> 5. With ``c == 0`` every ``P >= 0`` scores 5.
    """
    t1, t2, t3 = NO_TARGET_MODERATE * c, NO_TARGET_SUBSTANTIAL * c, NO_TARGET_FULL_SCORE * c
    if p >= t3:
        return 5.0
    if p >= t2:
        return 2.5 + 2.5 * (p - t2) / (t3 - t2)
    if p >= t1:
        return 2.5 * (p - t1) / (t2 - t1)
    if p >= 0:
        return -2.5 + 2.5 * p / t1
    if p >= NO_TARGET_WORST:
        return -5.0 + 2.5 * (p - NO_TARGET_WORST) / -NO_TARGET_WORST
    return -5.0


def _status_from_p(p: float, substantial: float, moderate: float) -> str:
    if p >= substantial:
        return "substantial_progress"
    if p >= moderate:
        return "moderate_progress"
    if p >= 0:
        return "limited_progress"
    return "deterioration"


def _target_met(direction: str, value: float, target: float) -> bool:
    if direction == "up":
        return value >= target
    if direction == "down":
        return value <= target
    return abs(value) <= abs(target)


def assess_opensdg(
    series: Mapping[int, float | None],
    direction: str,
    target: float | None = None,
    target_year: int | None = None,
    base_year: int | None = None,
    limit: float | None = None,
    unit: str = "%",
    *,
    breaks: Iterable[int] = (),
    default_base_year: int | None = None,
) -> Verdict:
    """Assess a series with the Open SDG progress measure (``docs/progress-methods.md``, A).

    The base year is ``base_year`` (named by the target), else ``default_base_year`` (the
    strategy's base year, setting ``MONITOR_BASE_YEAR``), else the first year with a value. As in
    the Open SDG reference code, a base year without a value moves forward to the next year with
    one; the explanation names the base year used and says when it moved. The strategy's or the
    automatic base year never lies before the latest series break (``breaks``); a base year named
    by the target that does is refused. The current year is the latest year with a value. Zero base or target
    values are replaced by 0.001; base and current value must have the same sign (``s = -1`` for a
    negative base value), ``d = +1`` for ``up`` and ``-1`` for ``down``.

    * With ``target`` and ``target_year``: ``target_achieved`` (score 5) if the current value meets
      the target (``up``: ``>=``, ``down``: ``<=``); otherwise
      ``P = s * d * CAGR_observed / abs(CAGR_required)`` with the thresholds 0,95 / 0,6 / 0 and
      :func:`opensdg_score`. A target without target year is only checked for achievement; if it is
      not met, the series is judged as without target.
    * Without a target: ``P = s * d * CAGR_observed`` against 1,5 % / 0,5 % / 0. A natural
      ``limit`` (only for direction ``up``: as in Open SDG only a limit in the desired direction
      counts) scales the thresholds > 0 by ``C = 1 - (y0 / limit) ** 4.44`` when
      ``0 <= y0 <= limit`` (``y0`` = base value). The score is Open SDG's piecewise-linear
      transformation (-2 % -> -5, 0 -> -2,5, 0,5 % C -> 0, 1,5 % C -> 2,5, 2 % C -> 5).

    Directions ``context`` and ``zero`` are not assessable (CAGR cannot handle gaps around 0; use
    the linear method). ``breaks`` lists the first years of a new series basis: the comparison never
    spans a break.
    """
    method = "opensdg"
    _check_direction(direction)
    if direction == "context":
        return _context(method)
    if direction == "zero":
        return _not_assessable(
            method,
            "Für Abstandsindikatoren (Richtung „näher an 0 ist besser“) ist die Wachstumsrate "
            "(durchschnittliche jährliche Veränderung in Prozent) nicht geeignet, weil die Werte um 0 "
            "liegen und das Vorzeichen wechseln können.",
            "Empfohlen wird die lineare Methode (Wettersymbole).",
        )

    points, missing = _clean(series)
    if not points:
        return _not_assessable(method, _NO_VALUES)
    current_year, current = points[-1]
    brk = _latest_break(breaks, current_year)
    values = dict(points)

    resolved = _resolve_base(points, base_year, default_base_year, brk)
    if resolved.origin == "target" and brk is not None and int(base_year) < brk:  # type: ignore[arg-type]
        return _not_assessable(
            method,
            f"Zwischen dem Basisjahr {base_year} und {current_year} liegt ein Bruch der "
            f"Zeitreihe ({brk}); die Werte sind nicht vergleichbar.",
            "Bitte ein Basisjahr ab dem Bruch wählen.",
        )
    if resolved.year is None:
        return _not_assessable(
            method,
            f"Ab dem Basisjahr {resolved.wanted} ({_BASE_ORIGIN[resolved.origin]}) liegt kein Wert "
            f"vor; der neueste Wert ist von {current_year}.",
            years_used=[current_year],
        )
    base_year = resolved.year
    base = values[base_year]

    if base_year >= current_year:
        n = sum(1 for y, _ in points if y >= base_year)
        sentences = [
            "Für eine Bewertung werden mindestens zwei Jahreswerte benötigt "
            f"(Basisjahr und ein späteres Jahr); vorhanden: {n} ({_span(base_year, current_year)}).",
            resolved.note(),
        ]
        if brk is not None and any(y < brk for y, _ in points):
            sentences.append(_break_note(brk))
        return _not_assessable(method, *sentences, years_used=[current_year])

    base_eff = base if base != 0 else ZERO_REPLACEMENT
    years_used = (base_year, current_year)
    if base_eff * current < 0:
        return _not_assessable(
            method,
            f"Das Vorzeichen wechselt zwischen {base_year} ({fmt_value(base, unit)}) und "
            f"{current_year} ({fmt_value(current, unit)}); die Wachstumsrate (durchschnittliche "
            "jährliche Veränderung in Prozent) ist dann nicht definiert.",
            "Empfohlen wird die lineare Methode (Wettersymbole).",
            years_used=years_used,
        )

    s = -1.0 if base_eff < 0 else 1.0
    d = 1.0 if direction == "up" else -1.0
    observed = cagr(current, base_eff, current_year, base_year)

    sentences: list[str] = []
    observed_text = (
        f"Durchschnittliche jährliche Veränderung seit {resolved.label()}: {_growth(observed)} pro "
        f"Jahr (von {fmt_value(base, unit)} auf {fmt_value(current, unit)} im Jahr {current_year})."
    )
    if resolved.moved:
        observed_text += " " + resolved.note()
    notes: list[str] = []
    if base == 0:
        notes.append(_zero_note("Ausgangswert"))
    if s < 0:
        notes.append("Die Werte sind negativ; eine Abnahme des Betrags zählt daher als Zunahme und umgekehrt.")
    notes.extend(_data_notes(missing, base_year, current_year))
    notes.append(f"Datengrundlage: {_span(base_year, current_year)}.")

    def project(year: int) -> float:
        return current * (1.0 + observed) ** (year - current_year)

    projected: float | None = None
    projection: tuple[tuple[int, float], ...] = ()
    if target_year is not None and target_year > current_year:
        projected = project(target_year)
        projection = _projection_line(current_year, target_year, project)
    projection_text = (
        f"Fortgeschrieben ergibt sich {target_year} ein Wert von {fmt_value(projected, unit)}"
        + (f" (Ziel: {fmt_value(target, unit)})." if target is not None else ".")
        if projected is not None
        else ""
    )
    numbers: dict[str, Any] = {
        "observed_change": observed,
        "projected_value": projected,
        "years_used": years_used,
        "projection": projection,
    }

    # --- with a target ---------------------------------------------------------------------
    if target is not None:
        if _target_met(direction, current, target):
            sentences = [
                f"Der Wert von {current_year} ({fmt_value(current, unit)}) erreicht das Ziel von "
                f"{fmt_value(target, unit)} bereits ({_DIRECTION_TEXT[direction]}).",
                observed_text,
                f"Bewertung {fmt_num(5.0)} auf der Skala von -5 bis +5.",
            ]
            return _verdict(method, "target_achieved", 5.0, [*sentences, *notes], **numbers)
        if target_year is None:
            notes.insert(
                0,
                f"Das Ziel von {fmt_value(target, unit)} ist noch nicht erreicht; ohne Zieljahr "
                "wird die Entwicklung wie ohne Zielwert bewertet.",
            )
        else:
            target_year = int(target_year)
            if target_year <= base_year:
                return _not_assessable(
                    method,
                    f"Das Zieljahr {target_year} liegt nicht nach dem Basisjahr {base_year}.",
                    years_used=years_used,
                )
            target_eff = target if target != 0 else ZERO_REPLACEMENT
            if target_eff * base_eff < 0:
                return _not_assessable(
                    method,
                    f"Zielwert ({fmt_value(target, unit)}) und Ausgangswert "
                    f"({fmt_value(base, unit)}) haben unterschiedliche Vorzeichen; die benötigte "
                    "Wachstumsrate ist nicht definiert.",
                    "Empfohlen wird die lineare Methode (Wettersymbole).",
                    years_used=years_used,
                )
            if target == 0:
                notes.insert(0, _zero_note("Zielwert"))
            required = cagr(target_eff, base_eff, target_year, base_year)
            numbers["required_change"] = required
            required_text = (
                f"Benötigt: {_growth(required)} pro Jahr, um das Ziel von "
                f"{fmt_value(target, unit)} bis {target_year} zu erreichen."
            )
            if abs(required) < _EPS:
                # Target equals the base value and the current value has moved away from it.
                sentences = [
                    observed_text,
                    f"Das Ziel von {fmt_value(target, unit)} entspricht dem Ausgangswert von "
                    f"{base_year}; der Wert hat sich seitdem vom Ziel entfernt.",
                    f"Bewertung {fmt_num(-5.0)} auf der Skala von -5 bis +5.",
                ]
                return _verdict(method, "deterioration", -5.0, [*sentences, projection_text, *notes], **numbers)
            p = s * d * observed / abs(required)
            status = _status_from_p(p, P_SUBSTANTIAL, P_MODERATE)
            score = opensdg_score(p)
            sentences = [
                observed_text,
                required_text,
                f"Verhältnis von beobachteter zu benötigter Veränderung: {fmt_num(p, 2)} "
                f"(auf Kurs ab {fmt_num(P_SUBSTANTIAL, 2)}, Beschleunigung nötig ab "
                f"{fmt_num(P_MODERATE, 2)}, Verschlechterung unter 0); "
                f"Bewertung {fmt_num(score)} auf der Skala von -5 bis +5.",
            ]
            return _verdict(method, status, score, [*sentences, projection_text, *notes], **numbers)

    # --- without a target ----------------------------------------------------------------------
    p = s * d * observed
    c = 1.0
    limit_text = ""
    if limit is not None:
        if direction != "up":
            limit_text = "Die natürliche Grenze wird nur bei der Richtung „höher ist besser“ berücksichtigt."
        elif limit > 0 and 0 <= base_eff <= limit:
            c = 1.0 - (base_eff / limit) ** LIMIT_EXPONENT
            limit_text = (
                f"Wegen der natürlichen Grenze von {fmt_value(limit, unit)} und des Ausgangswerts "
                f"{fmt_value(base, unit)} sind die Schwellen mit dem Faktor {fmt_num(c, 2)} verkleinert."
            )
    substantial = NO_TARGET_SUBSTANTIAL * c
    moderate = NO_TARGET_MODERATE * c
    status = _status_from_p(p, substantial, moderate)
    score = _no_target_score(p, c)
    sentences = [
        observed_text,
        f"Ohne Zielwert wird die Veränderung in Zielrichtung ({_DIRECTION_TEXT[direction]}), "
        f"{_growth(p)} pro Jahr, mit festen Schwellen verglichen: auf Kurs ab "
        f"{fmt_value(substantial * 100, '%', 2)}, Beschleunigung nötig ab "
        f"{fmt_value(moderate * 100, '%', 2)}, Verschlechterung unter 0 %.",
        limit_text,
        f"Bewertung {fmt_num(score)} auf der Skala von -5 bis +5.",
    ]
    return _verdict(method, status, score, [*sentences, projection_text, *notes], **numbers)


# ---------------------------------------------------------------------------------------------
# B. Weather symbols (linear extrapolation, Destatis)
# ---------------------------------------------------------------------------------------------


def _trend(direction: str, slope: float, latest: float) -> int:
    """+1 if the change moves towards the goal, -1 if away from it, 0 without change."""
    if abs(slope) < _EPS:
        return 0
    if direction == "up":
        return 1 if slope > 0 else -1
    if direction == "down":
        return 1 if slope < 0 else -1
    # zero: towards 0
    if latest == 0:
        return -1
    return 1 if slope * latest < 0 else -1


def _distance(direction: str, value: float, target: float) -> float:
    """How far ``value`` is from meeting ``target`` (0 when met)."""
    if direction == "up":
        return max(0.0, target - value)
    if direction == "down":
        return max(0.0, value - target)
    return max(0.0, abs(value) - abs(target))


def assess_linear(
    series: Mapping[int, float | None],
    direction: str,
    target: float | None = None,
    target_year: int | None = None,
    *,
    unit: str = "%",
    breaks: Iterable[int] = (),
) -> Verdict:
    """Assess a series with the weather symbols of the Sustainability Strategy (``docs``, B).

    Window: the data points of the last five years up to the latest year with a value (at most six
    points, years ``latest - 5 .. latest``, never across a series break); at least four are needed.

    Average annual change: the Destatis endpoint approach,
    ``(latest value - first value in the window) / (years between them)`` -- not a regression slope.

    The latest value is extrapolated linearly to ``target_year``. With a target:

    * ``sonne``: target reached in the target year (for ``zero``: the line enters
      ``|x| <= |target|`` on the way, e.g. a gap that closes), or missed by less than 5 % of the
      distance from the latest value to the target;
    * ``leicht_bewoelkt``: missed by 5 % to 20 % of that distance;
    * ``bewoelkt``: right direction, missed by more than 20 %;
    * ``gewitter``: the distance to the target stays constant or grows -- no average change at
      all, or a move away from the target (for ``zero``: ``|x|`` grows), also when the target is
      met today but would be lost by the target year.

    A target that the latest value already meets needs no change: the explanation says so instead
    of naming a "needed" change (``required_change`` is then ``None``).

    If the target year is not after the latest year, the latest value itself is compared.
    For ``zero`` a missing target defaults to 0 when a target year is given.

    Direction-only judgement (no target or no target year): the sign of the average change
    decides -- towards the goal ``sonne``, no change or away from the goal ``gewitter``.
    """
    method = "linear"
    _check_direction(direction)
    if direction == "context":
        return _context(method)
    points, missing = _clean(series)
    if not points:
        return _not_assessable(method, _NO_VALUES)
    latest_year, latest = points[-1]
    lower = latest_year - LINEAR_WINDOW_YEARS
    brk = _latest_break(breaks, latest_year)
    if brk is not None and brk > lower:
        lower = brk
    window = [p for p in points if p[0] >= lower][-LINEAR_MAX_POINTS:]
    years_used = tuple(y for y, _ in window)

    if len(window) < LINEAR_MIN_POINTS:
        earliest = latest_year - LINEAR_WINDOW_YEARS
        sentences = [
            f"Für die Wettersymbole werden mindestens {LINEAR_MIN_POINTS} Werte aus den letzten "
            f"{LINEAR_WINDOW_YEARS} Jahren benötigt ({_span(earliest, latest_year)}); "
            f"vorhanden: {len(window)}."
        ]
        if brk is not None and brk > latest_year - LINEAR_WINDOW_YEARS:
            sentences.append(_break_note(brk))
        sentences.extend(_data_notes(missing, latest_year - LINEAR_WINDOW_YEARS, latest_year))
        return _not_assessable(method, *sentences, years_used=years_used)

    first_year, first = window[0]
    slope = (latest - first) / (latest_year - first_year)
    trend = _trend(direction, slope, latest)
    notes = _data_notes(missing, first_year, latest_year)
    notes.append(f"Datengrundlage: {_span(first_year, latest_year)} ({len(window)} Werte).")
    observed_text = f"beobachtet: {_rate(slope, unit)} seit {first_year}."

    if direction == "zero" and target is None and target_year is not None:
        target = 0.0

    # --- direction only -------------------------------------------------------------------------
    if target is None or target_year is None:
        status = {1: "sonne", 0: "gewitter", -1: "gewitter"}[trend]
        reason = {
            1: "Die Entwicklung geht in die gewünschte Richtung",
            0: "Der Wert hat sich im Durchschnitt nicht verändert; ein Stillstand zählt wie eine "
            "Entwicklung in die falsche Richtung",
            -1: "Die Entwicklung geht in die falsche Richtung",
        }[trend]
        missing_what = "Zielwert" if target is None else "Zieljahr"
        sentences = [
            f"Beobachtet: {_rate(slope, unit)} seit {first_year}.",
            f"Ohne {missing_what} wird nur die Richtung bewertet: {reason} ({_DIRECTION_TEXT[direction]}).",
        ]
        return _verdict(
            method,
            status,
            STATUS_SCORES[status],
            [*sentences, *notes],
            observed_change=slope,
            years_used=years_used,
        )

    # --- with a target --------------------------------------------------------------------------
    target_year = int(target_year)
    horizon = max(target_year - latest_year, 0)
    projected = latest + slope * horizon
    distance_now = _distance(direction, latest, target)
    distance_end = _distance(direction, projected, target)
    # For "zero" a line that crosses 0 on the way closes the gap before the target year.
    crosses_zero = direction == "zero" and latest != 0 and latest * projected <= 0
    reached = crosses_zero or distance_end <= _EPS * max(1.0, abs(target))
    met_now = distance_now <= _EPS * max(1.0, abs(target))
    required = (target - latest) / horizon if horizon > 0 and not met_now else None

    head: list[str] = []
    if met_now:
        beyond = abs(latest - target) > _EPS * max(1.0, abs(target))
        head.append(
            f"Das Ziel von {fmt_value(target, unit)} ist mit {fmt_value(latest, unit)} ({latest_year}) "
            f"bereits erreicht{' und übertroffen' if beyond else ''}; {observed_text}"
        )
        if horizon > 0:
            head.append(f"Fortgeschrieben ergibt sich {target_year} ein Wert von {fmt_value(projected, unit)}.")
    elif required is not None:
        head.append(f"Benötigt: {_rate(required, unit)}; {observed_text}")
        head.append(
            f"Fortgeschrieben ergibt sich {target_year} ein Wert von {fmt_value(projected, unit)} "
            f"(Ziel: {fmt_value(target, unit)})."
        )
    else:
        head.append(f"Beobachtet: {_rate(slope, unit)} seit {first_year}.")
        head.append(
            f"Das Zieljahr {target_year} ist erreicht; verglichen wird der Wert von {latest_year} "
            f"({fmt_value(latest, unit)}) mit dem Ziel von {fmt_value(target, unit)}."
        )

    if reached:
        status = "sonne"
        if distance_now > _EPS and trend > 0:
            hit = latest_year + distance_now / abs(slope)
            reason = f"Bei gleichbleibender Entwicklung wird das Ziel voraussichtlich {math.ceil(hit - _EPS)} erreicht."
        else:
            reason = "Das Ziel ist erreicht und wird bei gleichbleibender Entwicklung gehalten."
        if direction == "zero" and latest * projected < 0:
            reason += (
                " Dass der fortgeschriebene Wert danach das Vorzeichen wechselt, ist eine rein "
                "rechnerische Folge der linearen Fortschreibung."
            )
    elif trend == 0:
        status = "gewitter"
        reason = (
            "Der Wert hat sich im Durchschnitt nicht verändert; der Abstand zum Ziel bleibt gleich "
            "groß, das Ziel wird so nicht erreicht."
        )
    elif trend < 0:
        status = "gewitter"
        reason = (
            "Der Abstand zu 0 wächst; die Entwicklung entfernt sich vom Ziel."
            if direction == "zero"
            else f"Die Entwicklung entfernt sich vom Ziel ({_DIRECTION_TEXT[direction]})."
        )
        if distance_now <= _EPS:
            reason += " Das Ziel ist derzeit erreicht, ginge bei dieser Entwicklung aber verloren."
    else:
        miss = distance_end / distance_now
        share = fmt_num(miss * 100, 0)
        if miss < SUN_MAX_MISS:
            status = "sonne"
            reason = (
                f"Das Ziel wird knapp verfehlt, um {share} % des Abstands vom aktuellen Wert zum "
                "Ziel (weniger als 5 %)."
            )
        elif miss <= PARTLY_CLOUDY_MAX_MISS:
            status = "leicht_bewoelkt"
            reason = f"Das Ziel wird um {share} % des Abstands vom aktuellen Wert zum Ziel verfehlt (5 bis 20 %)."
        else:
            status = "bewoelkt"
            reason = (
                "Die Entwicklung geht in die richtige Richtung, das Ziel wird aber um "
                f"{share} % des Abstands vom aktuellen Wert zum Ziel verfehlt (mehr als 20 %)."
            )

    def project(year: int) -> float:
        return latest + slope * (year - latest_year)

    return _verdict(
        method,
        status,
        STATUS_SCORES[status],
        [*head, reason, *notes],
        observed_change=slope,
        required_change=required,
        projected_value=projected,
        years_used=years_used,
        projection=_projection_line(latest_year, target_year, project),
    )


# ---------------------------------------------------------------------------------------------
# Soll path
# ---------------------------------------------------------------------------------------------


def linear_path(base_year: int, base_value: float, target_year: int, target_value: float) -> dict[int, float]:
    """Yearly milestones from ``(base_year, base_value)`` to ``(target_year, target_value)``.

    Linear interpolation, both ends included. Used when a target has no explicit Soll path.

    Raises:
        ValueError: if ``target_year`` lies before ``base_year``.
    """
    if target_year < base_year:
        raise ValueError("target_year must not lie before base_year")
    if target_year == base_year:
        return {int(target_year): float(target_value)}
    span = target_year - base_year
    return {
        int(y): float(base_value + (target_value - base_value) * (y - base_year) / span)
        for y in range(base_year, target_year + 1)
    }


def _shortfall(direction: str, ist: float, soll: float) -> float:
    """How far Ist lags behind Soll in the bad direction (negative when better than Soll)."""
    if direction == "up":
        return soll - ist
    if direction == "down":
        return ist - soll
    return abs(ist) - abs(soll)


def _check_tolerances(tolerance: float, tolerance2: float) -> None:
    if tolerance < 0 or tolerance2 < tolerance:
        raise ValueError("tolerances must satisfy 0 <= tolerance <= tolerance2")


def _soll_status(direction: str, ist: float, soll: float, tolerance: float, tolerance2: float) -> str:
    shortfall = _shortfall(direction, ist, soll)
    if shortfall <= tolerance + _EPS:
        return "gruen"
    if shortfall <= tolerance2 + _EPS:
        return "gelb"
    return "rot"


def sollpfad_table(
    series: Mapping[int, float | None],
    path: Mapping[int, float],
    direction: str,
    tolerance: float,
    tolerance2: float,
) -> list[dict[str, Any]]:
    """Rows of a Soll/Ist table, one per year from the first milestone on.

    Each row: ``year``, ``soll``, ``ist`` (``None`` if missing), ``abweichung`` (Ist - Soll,
    ``None`` unless both exist), ``status`` (``gruen``/``gelb``/``rot``; ``None`` unless both exist,
    and for ``context``), and for convenience ``label`` and ``symbol`` of the status.
    """
    _check_direction(direction)
    _check_tolerances(tolerance, tolerance2)
    if not path:
        return []
    points, _ = _clean(series)
    ist_by_year = dict(points)
    start = min(path)
    years = sorted({int(y) for y in path} | {int(y) for y in series if int(y) >= start})
    rows: list[dict[str, Any]] = []
    for year in years:
        soll = path.get(year)
        soll = None if is_missing(soll) else float(soll)  # type: ignore[arg-type]
        ist = ist_by_year.get(year)
        both = soll is not None and ist is not None
        status = (
            _soll_status(direction, ist, soll, tolerance, tolerance2)  # type: ignore[arg-type]
            if both and direction != "context"
            else None
        )
        rows.append(
            {
                "year": year,
                "soll": soll,
                "ist": ist,
                "abweichung": ist - soll if both else None,  # type: ignore[operator]
                "status": status,
                "label": STATUS_LABELS[status] if status else None,
                "symbol": STATUS_SYMBOLS[status] if status else None,
            }
        )
    return rows


def assess_sollpfad(
    series: Mapping[int, float | None],
    path: Mapping[int, float],
    direction: str,
    tolerance: float,
    tolerance2: float,
    *,
    unit: str = "%",
) -> Verdict:
    """Compare Ist with the Soll path in the latest year that has both values.

    The shortfall is measured in the bad direction (``up``: Soll - Ist; ``down``: Ist - Soll;
    ``zero``: ``|Ist| - |Soll|``) in the indicator's unit. Shortfall ``<= tolerance`` (including
    being better than Soll) -> ``gruen``; ``<= tolerance2`` -> ``gelb``; beyond -> ``rot``.

    ``observed_change`` is the average annual change of Ist from the first Ist value on the path to
    the compared year, ``required_change`` the average slope of the path; the projection extends
    that Ist trend linearly to the last milestone.
    """
    method = "sollpfad"
    _check_direction(direction)
    _check_tolerances(tolerance, tolerance2)
    if direction == "context":
        return _context(method)
    if not path:
        return _not_assessable(method, "Es ist kein Sollpfad und kein Ziel hinterlegt.")
    points, missing = _clean(series)
    soll_by_year = {int(y): float(v) for y, v in path.items() if not is_missing(v)}
    if not soll_by_year:
        return _not_assessable(method, "Es ist kein Sollpfad und kein Ziel hinterlegt.")
    both = [(y, v) for y, v in points if y in soll_by_year]
    if not both:
        return _not_assessable(
            method,
            "Für keines der Jahre des Sollpfads "
            f"({_span(min(soll_by_year), max(soll_by_year))}) liegt ein Istwert vor.",
        )
    year, ist = both[-1]
    soll = soll_by_year[year]
    status = _soll_status(direction, ist, soll, tolerance, tolerance2)
    shortfall = _shortfall(direction, ist, soll)
    cunit = change_unit(unit)
    deviation = ist - soll

    if abs(deviation) < _EPS:
        relation = f"genau auf dem Sollwert ({fmt_value(soll, unit)})"
    else:
        word = "über" if deviation > 0 else "unter"
        relation = f"um {fmt_value(abs(deviation), cunit)} {word} dem Sollwert ({fmt_value(soll, unit)})"
    sentences = [
        f"Im Jahr {year} liegt der Istwert ({fmt_value(ist, unit)}) {relation}; Abweichung "
        f"{fmt_change(deviation, cunit)}, {_DIRECTION_TEXT[direction]}."
    ]
    band = (
        f"Toleranz: {fmt_value(tolerance, cunit)}; knapp hinter dem Soll bis {fmt_value(tolerance2, cunit)} Rückstand."
    )
    if shortfall > _EPS:
        behind = fmt_value(shortfall, cunit)
        sentences.append(f"Rückstand gegenüber dem Sollpfad: {behind}{'' if behind.endswith('.') else '.'} {band}")
    else:
        sentences.append(f"Kein Rückstand gegenüber dem Sollpfad. {band}")
    sentences.append(f"Ergebnis: {STATUS_LABELS[status]}.")

    path_years = sorted(soll_by_year)
    first_year, last_year = path_years[0], path_years[-1]
    required = (
        (soll_by_year[last_year] - soll_by_year[first_year]) / (last_year - first_year)
        if last_year > first_year
        else None
    )
    ist_on_path = [(y, v) for y, v in points if first_year <= y <= year]
    observed = None
    if len(ist_on_path) >= 2 and ist_on_path[0][0] < year:
        observed = (ist - ist_on_path[0][1]) / (year - ist_on_path[0][0])
    projected = None
    projection: tuple[tuple[int, float], ...] = ()
    if observed is not None and last_year > year:
        slope = observed

        def project(y: int) -> float:
            return ist + slope * (y - year)

        projected = project(last_year)
        projection = _projection_line(year, last_year, project)
    if observed is not None and required is not None:
        sentences.append(
            f"Sollpfad: {_rate(required, unit)}; beobachtet: {_rate(observed, unit)} seit {ist_on_path[0][0]}."
        )
    trailing_soll = [y for y in path_years if y > year and y <= (max(series) if series else year)]
    if trailing_soll:
        sentences.append(
            f"Für {_years_text(trailing_soll)} liegt kein Istwert vor (unterdrückt oder fehlend); "
            f"verglichen wird {year}."
        )
    gaps = [y for y in missing if first_year < y < year and y in soll_by_year]
    if gaps:
        sentences.append(f"Ohne Istwert (unterdrückt oder fehlend) und daher übersprungen: {_years_text(gaps)}.")
    compared_years = tuple(y for y, _ in both)
    sentences.append(f"Datengrundlage: Soll-Ist-Vergleich {_span(compared_years[0], year)}.")
    return _verdict(
        method,
        status,
        STATUS_SCORES[status],
        sentences,
        observed_change=observed,
        required_change=required,
        projected_value=projected,
        years_used=compared_years,
        projection=projection,
    )


# ---------------------------------------------------------------------------------------------
# Method choice, dispatcher, roll-up
# ---------------------------------------------------------------------------------------------


def default_method(direction: str, unit: str, values: Iterable[float | None] | Mapping[int, float | None]) -> str:
    """The method to use when an indicator does not name one.

    ``"linear"`` for gap indicators (direction ``zero`` or unit ``%-Pkt.``) and whenever a value is
    ``<= 0`` (CAGR cannot handle zero or sign changes); otherwise ``"opensdg"``. ``values`` may be a
    series mapping or any iterable; missing values are ignored.
    """
    if direction == "zero" or unit == "%-Pkt.":
        return "linear"
    items = values.values() if isinstance(values, Mapping) else values
    present = [float(v) for v in items if not is_missing(v)]  # type: ignore[arg-type]
    if any(v <= 0 for v in present):
        return "linear"
    return "opensdg"


def assess(
    method: str,
    series: Mapping[int, float | None],
    direction: str,
    target: float | None = None,
    target_year: int | None = None,
    base_year: int | None = None,
    limit: float | None = None,
    unit: str = "%",
    path: Mapping[int, float] | None = None,
    tolerance: float | None = None,
    tolerance2: float | None = None,
    *,
    breaks: Iterable[int] = (),
    default_base_year: int | None = None,
) -> Verdict:
    """Assess ``series`` with ``method`` (``"opensdg"``, ``"linear"`` or ``"sollpfad"``).

    For ``sollpfad`` without an explicit ``path`` the path is interpolated with :func:`linear_path`
    from the base year to ``target`` in ``target_year``. The base year is ``base_year``, else
    ``default_base_year`` (the strategy's), else the first year with a value, moved forward to the
    next year with a value (see :func:`base_year_used`).
    ``tolerance`` defaults to 0 and ``tolerance2`` to ``tolerance`` (then every shortfall beyond the
    tolerance is red). ``limit`` is used by ``opensdg`` only, ``base_year`` by ``opensdg`` and for
    deriving a path.

    Raises:
        ValueError: for an unknown method or direction.
    """
    _check_direction(direction)
    if method == "opensdg":
        return assess_opensdg(
            series,
            direction,
            target,
            target_year,
            base_year,
            limit,
            unit,
            breaks=breaks,
            default_base_year=default_base_year,
        )
    if method == "linear":
        return assess_linear(series, direction, target, target_year, unit=unit, breaks=breaks)
    if method == "sollpfad":
        if direction == "context":
            return _context(method)
        tol = 0.0 if tolerance is None else float(tolerance)
        tol2 = tol if tolerance2 is None else float(tolerance2)
        if path is None:
            if target is None or target_year is None:
                return _not_assessable(
                    method,
                    "Für den Soll-Ist-Vergleich wird ein Sollpfad oder ein Ziel mit Zieljahr benötigt.",
                )
            points, _ = _clean(series)
            values = dict(points)
            if not points:
                return _not_assessable(method, _NO_VALUES)
            brk = _latest_break(breaks, points[-1][0])
            resolved = _resolve_base(points, base_year, default_base_year, brk)
            if resolved.year is None:
                return _not_assessable(
                    method,
                    f"Ab dem Basisjahr {resolved.wanted} ({_BASE_ORIGIN[resolved.origin]}) liegt kein Wert vor.",
                )
            base_year = resolved.year
            if target_year < base_year:
                return _not_assessable(method, f"Das Zieljahr {target_year} liegt vor dem Basisjahr {base_year}.")
            path = linear_path(base_year, values[base_year], int(target_year), float(target))
            verdict = assess_sollpfad(series, path, direction, tol, tol2, unit=unit)
            start = str(base_year) if resolved.moved else f"im Basisjahr {base_year} ({_BASE_ORIGIN[resolved.origin]})"
            origin = (
                f"Der Sollpfad beginnt {start} bei {fmt_value(values[base_year], unit)} und führt "
                f"linear zum Ziel von {fmt_value(target, unit)} im Jahr {target_year}."
            )
            return replace(
                verdict,
                explanation=" ".join(x for x in (verdict.explanation, origin, resolved.note()) if x),
            )
        return assess_sollpfad(series, path, direction, tol, tol2, unit=unit)
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def _band(score: float) -> str:
    for lower, status in ROLLUP_BANDS:
        if score >= lower:
            return status
    return "deterioration"  # pragma: no cover - the last band is open


FIELD_NOT_COMBINED = "nicht zusammengefasst bewertet"
"""Label of a field of action that gets no combined verdict (the Rahmendaten: background for all)."""


def rollup(verdicts: Iterable[Verdict], combine: bool = True) -> dict[str, Any]:
    """Aggregate verdicts (e.g. of a field of action) into one Open SDG status.

    The score is the mean of the scores of the assessable verdicts, read against the bands
    [2,5; 5] auf Kurs, [0; 2,5) Beschleunigung nötig, [-2,5; 0) geringer Fortschritt,
    [-5; -2,5) Verschlechterung. As in Open SDG, the aggregate is ``target_achieved`` only if every
    assessable verdict has achieved its target. Without assessable verdicts the status is
    ``nicht_bewertbar`` with score ``None`` -- or ``kontext`` if every verdict is a context
    indicator's. Context indicators are counted apart (``context``), never as "nicht bewertbar".
    ``combine=False`` (a field that is not judged as a whole) gives status ``kontext`` with the
    label :data:`FIELD_NOT_COMBINED` and no score, but the same counts.

    Returns:
        ``{"score", "status", "label", "symbol", "counts", "assessable", "not_assessable",
        "context"}`` where ``counts`` maps every status id that occurs to its number of verdicts.
    """
    items = list(verdicts)
    counts: dict[str, int] = {}
    scores: list[float] = []
    achieved = 0
    context = 0
    for verdict in items:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
        context += verdict.status == CONTEXT
        if verdict.assessable and verdict.score is not None:
            scores.append(float(verdict.score))
            achieved += verdict.status == "target_achieved"
    label = None
    if not combine:
        score: float | None = None
        status, label = CONTEXT, FIELD_NOT_COMBINED
    elif not scores:
        score = None
        status = CONTEXT if items and context == len(items) else NOT_ASSESSABLE
    else:
        score = sum(scores) / len(scores)
        status = "target_achieved" if achieved == len(scores) else _band(score)
    return {
        "score": score,
        "status": status,
        "label": label or STATUS_LABELS[status],
        "symbol": STATUS_SYMBOLS[status],
        "counts": counts,
        "assessable": len(scores),
        "not_assessable": len(items) - len(scores) - context,
        "context": context,
    }


_TREND_BY_STATUS: dict[str, int] = {
    "substantial_progress": 1,
    "moderate_progress": 1,
    "limited_progress": 1,
    "deterioration": -1,
    "leicht_bewoelkt": 1,
    "bewoelkt": 1,
    "gewitter": -1,
}


def trend_sign(verdict: Verdict, direction: str) -> int:
    """Which way the verdict says the indicator moves over several years: ``+1`` towards the goal,
    ``-1`` away from it, ``0`` when it makes no such claim (target achieved, Soll path, not
    assessable, context). Used to explain a one-year change that goes the other way."""
    if not verdict.assessable or direction not in ("up", "down"):
        return 0
    if verdict.status == "sonne":
        slope = verdict.observed_change
        if slope is None or abs(slope) < _EPS:
            return 0
        return 1 if (slope > 0) == (direction == "up") else -1
    return _TREND_BY_STATUS.get(verdict.status, 0)
