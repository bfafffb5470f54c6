"""Target comparison and progress assessment (verdicts) for indicator series.

No Streamlit, no database access. The exact rules are specified in ``docs/progress-methods.md``
(sections A and B and "Where each fits"). Three methods are offered:

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

Every assessment returns a :class:`Verdict`: the status (:class:`Status`), the score on the Open SDG
scale -5..+5 (so that :func:`rollup` can aggregate verdicts of all methods per field of action), the
figures behind it (observed and required change, projection) and the reasons as codes with their
parameters (:class:`Reason`, :class:`Why`). This module holds no prose: :mod:`indicators.wording`
turns a verdict into its German label, symbol and explanation, which the verdict carries for the
pages and the report (``label``, ``symbol``, ``explanation``).

Series are ``dict[int, float | None]`` (year -> value). ``None`` (or NaN) marks a suppressed or
missing value; such years are skipped and named among the reasons.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from indicators import wording
from indicators.fmt import fmt_change, fmt_num, fmt_value, is_missing  # the formatters re-exported for callers

__all__ = [
    "CONTEXT",
    "DIRECTIONS",
    "METHODS",
    "NOT_ASSESSABLE",
    "STATUS_SCORES",
    "BaseOrigin",
    "Reason",
    "Status",
    "Verdict",
    "Why",
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

DIRECTIONS: tuple[str, ...] = ("up", "down", "zero", "context")
"""``up``: higher is better; ``down``: lower is better; ``zero``: closer to 0 is better (gaps);
``context``: no judgement."""


class Status(StrEnum):
    """The status of a verdict; the value is the id that is stored, compared and shown in JSON."""

    # Open SDG (docs/progress-methods.md, A)
    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL_PROGRESS = "substantial_progress"
    MODERATE_PROGRESS = "moderate_progress"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    # weather symbols (B)
    SONNE = "sonne"
    LEICHT_BEWOELKT = "leicht_bewoelkt"
    BEWOELKT = "bewoelkt"
    GEWITTER = "gewitter"
    # Soll path (direction-neutral: with "lower is better" a shortfall lies above the Soll line)
    GRUEN = "gruen"
    GELB = "gelb"
    ROT = "rot"
    # any method
    NOT_ASSESSABLE = "nicht_bewertbar"
    CONTEXT = "kontext"
    """A context indicator (direction ``context``): described, never judged -- not a verdict."""


NOT_ASSESSABLE = Status.NOT_ASSESSABLE
CONTEXT = Status.CONTEXT

STATUS_SCORES: dict[Status, float] = {
    Status.TARGET_ACHIEVED: 5.0,
    Status.SONNE: 3.75,
    Status.LEICHT_BEWOELKT: 1.25,
    Status.BEWOELKT: -1.25,
    Status.GEWITTER: -3.75,
    Status.GRUEN: 3.75,
    Status.GELB: 1.25,
    Status.ROT: -3.75,
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

ROLLUP_BANDS: tuple[tuple[float, Status], ...] = (
    (2.5, Status.SUBSTANTIAL_PROGRESS),
    (0.0, Status.MODERATE_PROGRESS),
    (-2.5, Status.LIMITED_PROGRESS),
    (-math.inf, Status.DETERIORATION),
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


# ---------------------------------------------------------------------------------------------
# Reasons and the verdict
# ---------------------------------------------------------------------------------------------


class Why(StrEnum):
    """The reasons a verdict gives, in the order they are told; :mod:`indicators.wording` has one
    German sentence (or two) per code. The parameters each code carries are listed beside it."""

    # any method
    CONTEXT_INDICATOR = "context_indicator"  # -
    NO_VALUES = "no_values"  # -
    SERIES_BREAK = "series_break"  # year
    ACROSS_BREAK = "across_break"  # year, n_after, min_points
    ZERO_REPLACED = "zero_replaced"  # what ("base" | "target"), replacement
    TRAILING_MISSING = "trailing_missing"  # years, latest_year
    GAPS_SKIPPED = "gaps_skipped"  # years
    DATA_SPAN = "data_span"  # first_year, last_year
    BASE_MOVED = "base_moved"  # wanted, origin, year
    BASE_AFTER_BREAK = "base_after_break"  # wanted, origin, year, break_year
    NO_VALUE_FROM_BASE = "no_value_from_base"  # wanted, origin, latest_year (None: not named)
    PROJECTION = "projection"  # target_year, projected, target (None: not named)
    SCORE = "score"  # score
    RECOMMEND_LINEAR = "recommend_linear"  # -
    # Open SDG (A)
    GAP_NOT_FOR_CAGR = "gap_not_for_cagr"  # -
    BASE_BEFORE_BREAK = "base_before_break"  # base_year, current_year, break_year
    TOO_FEW_YEARS = "too_few_years"  # n, base_year, current_year
    SIGN_CHANGE = "sign_change"  # base_year, base, current_year, current
    OBSERVED_GROWTH = "observed_growth"  # base_year, moved, origin, observed, base, current, current_year
    NEGATIVE_VALUES = "negative_values"  # -
    TARGET_MET = "target_met"  # current_year, current, target, direction
    TARGET_OPEN_NO_YEAR = "target_open_no_year"  # target
    TARGET_YEAR_NOT_AFTER_BASE = "target_year_not_after_base"  # target_year, base_year
    TARGET_SIGN_DIFFERS = "target_sign_differs"  # target, base
    TARGET_IS_BASE = "target_is_base"  # target, base_year
    BASE_PAST_TARGET = (
        "base_past_target"  # base_year, base, target, direction, needed (None), current_year, target_year
    )
    REQUIRED_GROWTH = "required_growth"  # required, target, target_year
    GROWTH_RATIO = "growth_ratio"  # p, substantial, moderate, score
    NO_TARGET_THRESHOLDS = "no_target_thresholds"  # direction, p, substantial, moderate
    LIMIT_ONLY_UP = "limit_only_up"  # -
    LIMIT_SCALED = "limit_scaled"  # limit, base, c
    # weather symbols (B)
    TOO_FEW_POINTS = "too_few_points"  # min_points, window_years, first_year, latest_year, n
    DATA_SPAN_POINTS = "data_span_points"  # first_year, last_year, n
    OBSERVED_RATE = "observed_rate"  # slope, first_year
    DIRECTION_ONLY = "direction_only"  # without ("target" | "target_year"), trend, direction
    TARGET_ALREADY_MET = "target_already_met"  # target, latest, latest_year, beyond, slope, first_year
    REQUIRED_RATE = "required_rate"  # required, slope, first_year
    TARGET_YEAR_REACHED = "target_year_reached"  # target_year, latest_year, latest, target
    REACHED_IN = "reached_in"  # year
    TARGET_HELD = "target_held"  # -
    SIGN_FLIP_ARTEFACT = "sign_flip_artefact"  # -
    NO_CHANGE = "no_change"  # -
    AWAY_FROM_ZERO = "away_from_zero"  # -
    AWAY_FROM_TARGET = "away_from_target"  # direction
    TARGET_WOULD_BE_LOST = "target_would_be_lost"  # -
    MISS_SMALL = "miss_small"  # miss (share of the distance)
    MISS_MODERATE = "miss_moderate"  # miss
    MISS_LARGE = "miss_large"  # miss
    # Soll path
    NO_PATH = "no_path"  # -
    PATH_NEEDS_TARGET = "path_needs_target"  # -
    NO_IST_ON_PATH = "no_ist_on_path"  # first_year, last_year
    IST_AGAINST_SOLL = "ist_against_soll"  # year, ist, soll, deviation, exact, direction
    SHORTFALL = "shortfall"  # shortfall, tolerance, tolerance2
    NO_SHORTFALL = "no_shortfall"  # tolerance, tolerance2
    RESULT = "result"  # status
    PATH_AGAINST_OBSERVED = "path_against_observed"  # required, observed, first_year
    TRAILING_SOLL = "trailing_soll"  # years, year
    IST_GAPS_SKIPPED = "ist_gaps_skipped"  # years
    SOLL_SPAN = "soll_span"  # first_year, last_year
    TARGET_YEAR_BEFORE_BASE = "target_year_before_base"  # target_year, base_year
    PATH_ORIGIN = "path_origin"  # base_year, moved, origin, base, target, target_year


class BaseOrigin(StrEnum):
    """Where the base year comes from."""

    TARGET = "target"
    STRATEGY = "strategy"
    FIRST = "first"


Param = int | float | str | bool | tuple[int, ...] | None
"""A reason's parameter: a year, a value (in the verdict's unit), a rate, a flag, a code, years."""


@dataclass(frozen=True)
class Reason:
    """One reason of a verdict: its code and the figures it names (``params``, as ``(name, value)``
    pairs so that a verdict stays hashable)."""

    code: Why
    params: tuple[tuple[str, Param], ...] = ()

    def get(self, name: str) -> Param:
        """The parameter ``name`` (``None`` if the reason does not carry it)."""
        return dict(self.params).get(name)


def _r(code: Why, **params: Param) -> Reason:
    return Reason(code, tuple(params.items()))


@dataclass(frozen=True)
class Verdict:
    """The result of one progress assessment.

    The assessment functions fill ``label``, ``symbol`` and ``explanation`` from the status and the
    reasons with :mod:`indicators.wording` (the pages and the report read them); a verdict built by
    hand carries what it is given.

    Attributes:
        method: ``"opensdg"``, ``"linear"`` or ``"sollpfad"``.
        status: the :class:`Status` (a ``str``: ``"sonne"``), ``"nicht_bewertbar"`` if not assessable.
        score: score on the scale -5..+5 (``None`` if not assessable).
        label: German short label of the status (:mod:`indicators.wording`).
        symbol: colour-independent text symbol of the status (:mod:`indicators.wording`).
        explanation: German explanation of ``reasons`` in complete sentences (:mod:`indicators.wording`).
        assessable: ``False`` for ``nicht_bewertbar`` and ``kontext``.
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
        reasons: why, as codes with their figures, in the order the explanation tells them.
        unit: the indicator's unit, in which the values among the reasons are given.
    """

    method: str
    status: Status
    score: float | None
    label: str = ""
    symbol: str = ""
    explanation: str = ""
    assessable: bool = False
    observed_change: float | None = None
    required_change: float | None = None
    projected_value: float | None = None
    years_used: tuple[int, ...] = ()
    projection: tuple[tuple[int, float], ...] = ()
    reasons: tuple[Reason, ...] = ()
    unit: str = "%"

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    def trend_sign(self, direction: str) -> int:
        """See :func:`trend_sign`."""
        return trend_sign(self, direction)


def _verdict(
    method: str,
    status: Status,
    score: float | None,
    reasons: Iterable[Reason],
    *,
    unit: str,
    **figures: Any,
) -> Verdict:
    """The verdict with its figures and reasons, worded by :mod:`indicators.wording`."""
    data = Verdict(
        method=method,
        status=status,
        score=score,
        assessable=status not in (NOT_ASSESSABLE, CONTEXT),
        reasons=tuple(reasons),
        unit=unit,
        **figures,
    )
    return replace(
        data,
        label=wording.status_label(status),
        symbol=wording.status_symbol(status),
        explanation=wording.explanation(data),
    )


def _not_assessable(method: str, *reasons: Reason, unit: str, years_used: Iterable[int] = ()) -> Verdict:
    return _verdict(method, NOT_ASSESSABLE, None, reasons, unit=unit, years_used=tuple(years_used))


def _context(method: str, unit: str) -> Verdict:
    """No verdict for a context indicator (docs/progress-methods.md: "Indicators with direction
    context get no verdict, only the trend")."""
    return _verdict(method, CONTEXT, None, [_r(Why.CONTEXT_INDICATOR)], unit=unit)


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
        if value is None or is_missing(value):
            missing.append(int(year))
        else:
            points.append((int(year), float(value)))
    return points, missing


def _latest_break(breaks: Iterable[int], latest_year: int) -> int | None:
    """The latest series break (first year on the new basis) at or before ``latest_year``."""
    relevant = [int(b) for b in breaks if int(b) <= latest_year]
    return max(relevant) if relevant else None


@dataclass(frozen=True)
class _Base:
    """The base year actually used: ``year`` (``None`` if no value from ``wanted`` on), the year
    asked for (``wanted``; ``None`` = first year with a value) and where it came from."""

    year: int | None
    wanted: int | None
    origin: BaseOrigin
    brk: int | None = None

    @property
    def moved(self) -> bool:
        return self.wanted is not None and self.year is not None and self.year != self.wanted

    def reasons(self) -> list[Reason]:
        """Why the base year moved forward (nothing if it did not)."""
        if not self.moved:
            return []
        assert self.wanted is not None and self.year is not None
        if self.brk is not None and self.wanted < self.brk <= self.year:
            return [
                _r(Why.BASE_AFTER_BREAK, wanted=self.wanted, origin=self.origin, year=self.year, break_year=self.brk)
            ]
        return [_r(Why.BASE_MOVED, wanted=self.wanted, origin=self.origin, year=self.year)]


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
    wanted: int | None
    if base_year is not None:
        wanted, origin = int(base_year), BaseOrigin.TARGET
    elif default_base_year is not None:
        wanted, origin = int(default_base_year), BaseOrigin.STRATEGY
    else:
        wanted, origin = None, BaseOrigin.FIRST
    lower = wanted
    if origin != BaseOrigin.TARGET and brk is not None:
        lower = brk if lower is None else max(lower, brk)
    year = next((y for y, _ in points if lower is None or y >= lower), None)
    return _Base(year, wanted, origin, brk if origin != BaseOrigin.TARGET else None)


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


def _data_notes(missing: list[int], first_year: int, latest_year: int) -> list[Reason]:
    """The skipped years inside the span used and the missing values after it."""
    notes: list[Reason] = []
    trailing = tuple(y for y in missing if y > latest_year)
    gaps = tuple(y for y in missing if first_year < y < latest_year)
    if trailing:
        notes.append(_r(Why.TRAILING_MISSING, years=trailing, latest_year=latest_year))
    if gaps:
        notes.append(_r(Why.GAPS_SKIPPED, years=gaps))
    return notes


def _projection_line(start_year: int, end_year: int, value_at: Callable[[int], float]) -> tuple[tuple[int, float], ...]:
    """One ``(year, value)`` point per year from ``start_year`` to ``end_year`` (both included)."""
    if end_year <= start_year:
        return ()
    return tuple((y, float(value_at(y))) for y in range(start_year, end_year + 1))


# ---------------------------------------------------------------------------------------------
# A. Open SDG progress measure (docs/progress-methods.md, A)
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
    rate: float = ratio ** (1.0 / (t1 - t0)) - 1.0
    return rate


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


def _status_from_p(p: float, substantial: float, moderate: float) -> Status:
    if p >= substantial:
        return Status.SUBSTANTIAL_PROGRESS
    if p >= moderate:
        return Status.MODERATE_PROGRESS
    if p >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def _target_met(direction: str, value: float, target: float) -> bool:
    if direction == "up":
        return value >= target
    if direction == "down":
        return value <= target
    return abs(value) <= abs(target)


@dataclass
class _Growth:
    """The observed growth of a series from the base year to the current (latest) year, and what
    every Open SDG verdict of it tells: the observed rate, the notes on the data, the projection."""

    unit: str
    direction: str
    base: _Base
    base_year: int
    base_value: float
    base_eff: float  # the base value, 0 replaced by ZERO_REPLACEMENT
    current_year: int
    current: float
    s: float  # -1 for a negative base value
    d: float  # +1 for "up", -1 for "down"
    observed: float  # CAGR from the base year to the current year
    notes: list[Reason]
    projected: float | None = None
    projection: tuple[tuple[int, float], ...] = ()
    target_year: int | None = None

    def observed_reasons(self) -> list[Reason]:
        observed = _r(
            Why.OBSERVED_GROWTH,
            base_year=self.base_year,
            moved=self.base.moved,
            origin=self.base.origin,
            observed=self.observed,
            base=self.base_value,
            current=self.current,
            current_year=self.current_year,
        )
        return [observed, *self.base.reasons()]

    def projection_reasons(self, target: float | None) -> list[Reason]:
        if self.projected is None:
            return []
        return [_r(Why.PROJECTION, target_year=self.target_year, projected=self.projected, target=target)]

    def verdict(
        self, status: Status, score: float, reasons: Iterable[Reason], required: float | None = None
    ) -> Verdict:
        return _verdict(
            "opensdg",
            status,
            score,
            reasons,
            unit=self.unit,
            observed_change=self.observed,
            required_change=required,
            projected_value=self.projected,
            years_used=(self.base_year, self.current_year),
            projection=self.projection,
        )


def _opensdg_growth(
    series: Mapping[int, float | None],
    direction: str,
    unit: str,
    base_year: int | None,
    default_base_year: int | None,
    breaks: Iterable[int],
    target_year: int | None,
) -> _Growth | Verdict:
    """The observed growth, or the verdict ``nicht_bewertbar`` when there is none to measure: no
    values, a base year before a break or without a value from it on, a single year, a sign change."""
    method = "opensdg"
    points, missing = _clean(series)
    if not points:
        return _not_assessable(method, _r(Why.NO_VALUES), unit=unit)
    current_year, current = points[-1]
    brk = _latest_break(breaks, current_year)
    values = dict(points)

    resolved = _resolve_base(points, base_year, default_base_year, brk)
    if (
        resolved.origin == BaseOrigin.TARGET
        and brk is not None
        and resolved.wanted is not None
        and resolved.wanted < brk
    ):
        why = _r(Why.BASE_BEFORE_BREAK, base_year=resolved.wanted, current_year=current_year, break_year=brk)
        return _not_assessable(method, why, unit=unit)
    if resolved.year is None:
        why = _r(Why.NO_VALUE_FROM_BASE, wanted=resolved.wanted, origin=resolved.origin, latest_year=current_year)
        return _not_assessable(method, why, unit=unit, years_used=[current_year])
    first = resolved.year
    base = values[first]
    if first >= current_year:
        n = sum(1 for y, _ in points if y >= first)
        reasons = [_r(Why.TOO_FEW_YEARS, n=n, base_year=first, current_year=current_year), *resolved.reasons()]
        if brk is not None and any(y < brk for y, _ in points):
            reasons.append(_r(Why.SERIES_BREAK, year=brk))
        return _not_assessable(method, *reasons, unit=unit, years_used=[current_year])

    base_eff = base if base != 0 else ZERO_REPLACEMENT
    if base_eff * current < 0:
        why = _r(Why.SIGN_CHANGE, base_year=first, base=base, current_year=current_year, current=current)
        return _not_assessable(method, why, _r(Why.RECOMMEND_LINEAR), unit=unit, years_used=(first, current_year))

    s = -1.0 if base_eff < 0 else 1.0
    observed = cagr(current, base_eff, current_year, first)
    notes: list[Reason] = []
    if base == 0:
        notes.append(_r(Why.ZERO_REPLACED, what="base", replacement=ZERO_REPLACEMENT))
    if s < 0:
        notes.append(_r(Why.NEGATIVE_VALUES))
    notes += [*_data_notes(missing, first, current_year), _r(Why.DATA_SPAN, first_year=first, last_year=current_year)]
    d = 1.0 if direction == "up" else -1.0
    growth = _Growth(unit, direction, resolved, first, base, base_eff, current_year, current, s, d, observed, notes)
    if target_year is not None and target_year > current_year:

        def project(year: int) -> float:
            return current * (1.0 + observed) ** (year - current_year)

        growth.target_year = target_year
        growth.projected = project(target_year)
        growth.projection = _projection_line(current_year, target_year, project)
    return growth


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
    one; the reasons name the base year used and say when it moved. The strategy's or the
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
    _check_direction(direction)
    if direction == "context":
        return _context("opensdg", unit)
    if direction == "zero":
        return _not_assessable("opensdg", _r(Why.GAP_NOT_FOR_CAGR), _r(Why.RECOMMEND_LINEAR), unit=unit)
    growth = _opensdg_growth(series, direction, unit, base_year, default_base_year, breaks, target_year)
    if isinstance(growth, Verdict):
        return growth
    if target is not None:
        if _target_met(direction, growth.current, target):
            met = _r(
                Why.TARGET_MET,
                current_year=growth.current_year,
                current=growth.current,
                target=target,
                direction=direction,
            )
            reasons = [met, *growth.observed_reasons(), _r(Why.SCORE, score=5.0), *growth.notes]
            return growth.verdict(Status.TARGET_ACHIEVED, 5.0, reasons)
        if target_year is not None:
            return _opensdg_with_target(growth, target, int(target_year))
        growth.notes.insert(0, _r(Why.TARGET_OPEN_NO_YEAR, target=target))
    return _opensdg_without_target(growth, limit)


def _opensdg_with_target(growth: _Growth, target: float, target_year: int) -> Verdict:
    """``P = s * d * CAGR_observed / abs(CAGR_required)`` for a target not yet met."""
    g = growth
    if target_year <= g.base_year:
        why = _r(Why.TARGET_YEAR_NOT_AFTER_BASE, target_year=target_year, base_year=g.base_year)
        return _not_assessable("opensdg", why, unit=g.unit, years_used=(g.base_year, g.current_year))
    target_eff = target if target != 0 else ZERO_REPLACEMENT
    if target_eff * g.base_eff < 0:
        why = _r(Why.TARGET_SIGN_DIFFERS, target=target, base=g.base_value)
        years = (g.base_year, g.current_year)
        return _not_assessable("opensdg", why, _r(Why.RECOMMEND_LINEAR), unit=g.unit, years_used=years)
    if target == 0:
        g.notes.insert(0, _r(Why.ZERO_REPLACED, what="target", replacement=ZERO_REPLACEMENT))
    required = cagr(target_eff, g.base_eff, target_year, g.base_year)
    tail = [*g.projection_reasons(target), *g.notes]
    if abs(required) < _EPS:
        # Target equals the base value and the current value has moved away from it.
        is_base = _r(Why.TARGET_IS_BASE, target=target, base_year=g.base_year)
        reasons = [*g.observed_reasons(), is_base, _r(Why.SCORE, score=-5.0), *tail]
        return g.verdict(Status.DETERIORATION, -5.0, reasons, required)
    p = g.s * g.d * g.observed / abs(required)
    status = _status_from_p(p, P_SUBSTANTIAL, P_MODERATE)
    score = opensdg_score(p)
    if _target_met(g.direction, g.base_value, target):
        # The base value was already on the good side of the target and the current one is not: the "required"
        # growth from the base would point the wrong way (a rise where lower is better). The value moved away from
        # the target (P < 0: Verschlechterung); what is needed is the change from now on, in the right direction.
        needed = (
            cagr(target_eff, g.current, target_year, g.current_year)
            if target_year > g.current_year and g.current * target_eff > 0
            else None
        )
        past = _r(
            Why.BASE_PAST_TARGET,
            base_year=g.base_year,
            base=g.base_value,
            target=target,
            direction=g.direction,
            needed=needed,
            current_year=g.current_year,
            target_year=target_year,
        )
        return g.verdict(status, score, [*g.observed_reasons(), past, _r(Why.SCORE, score=score), *tail], needed)
    reasons = [
        *g.observed_reasons(),
        _r(Why.REQUIRED_GROWTH, required=required, target=target, target_year=target_year),
        _r(Why.GROWTH_RATIO, p=p, substantial=P_SUBSTANTIAL, moderate=P_MODERATE, score=score),
        *tail,
    ]
    return g.verdict(status, score, reasons, required)


def _opensdg_without_target(growth: _Growth, limit: float | None) -> Verdict:
    """``P = s * d * CAGR_observed`` against the fixed thresholds, scaled for a natural ``limit``."""
    g = growth
    p = g.s * g.d * g.observed
    c = 1.0
    limit_reasons: list[Reason] = []
    if limit is not None:
        if g.direction != "up":
            limit_reasons.append(_r(Why.LIMIT_ONLY_UP))
        elif limit > 0 and 0 <= g.base_eff <= limit:
            c = 1.0 - (g.base_eff / limit) ** LIMIT_EXPONENT
            limit_reasons.append(_r(Why.LIMIT_SCALED, limit=limit, base=g.base_value, c=c))
    substantial = NO_TARGET_SUBSTANTIAL * c
    moderate = NO_TARGET_MODERATE * c
    status = _status_from_p(p, substantial, moderate)
    score = _no_target_score(p, c)
    thresholds = _r(Why.NO_TARGET_THRESHOLDS, direction=g.direction, p=p, substantial=substantial, moderate=moderate)
    reasons = [
        *g.observed_reasons(),
        thresholds,
        *limit_reasons,
        _r(Why.SCORE, score=score),
        *g.projection_reasons(None),
        *g.notes,
    ]
    return g.verdict(status, score, reasons)


# ---------------------------------------------------------------------------------------------
# B. Weather symbols (linear extrapolation, Destatis; docs/progress-methods.md, B)
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


@dataclass(frozen=True)
class _Line:
    """The average annual change over the window: ``slope`` from ``first_year`` to the latest value."""

    direction: str
    unit: str
    first_year: int
    latest_year: int
    latest: float
    slope: float
    trend: int  # see _trend
    years_used: tuple[int, ...]
    notes: tuple[Reason, ...]

    def observed(self) -> Reason:
        return _r(Why.OBSERVED_RATE, slope=self.slope, first_year=self.first_year)


def _linear_window(
    points: list[tuple[int, float]], breaks: Iterable[int]
) -> tuple[list[tuple[int, float]], int | None]:
    """The points of the last five years up to the latest (at most six, never across a break) and
    the latest break."""
    latest_year = points[-1][0]
    lower = latest_year - LINEAR_WINDOW_YEARS
    brk = _latest_break(breaks, latest_year)
    if brk is not None and brk > lower:
        lower = brk
    return [p for p in points if p[0] >= lower][-LINEAR_MAX_POINTS:], brk


def assess_linear(
    series: Mapping[int, float | None],
    direction: str,
    target: float | None = None,
    target_year: int | None = None,
    *,
    unit: str = "%",
    breaks: Iterable[int] = (),
) -> Verdict:
    """Assess a series with the weather symbols of the Sustainability Strategy
    (``docs/progress-methods.md``, B).

    Window: the data points of the last five years up to the latest year with a value (at most six
    points, years ``latest - 5 .. latest``, never across a series break); at least four are needed.
    Average annual change: the Destatis endpoint approach,
    ``(latest value - first value in the window) / (years between them)`` -- not a regression slope.
    The latest value is extrapolated linearly to ``target_year`` and judged by :func:`_weather`.
    If the target year is not after the latest year, the latest value itself is compared.
    For ``zero`` a missing target defaults to 0 when a target year is given.

    Direction-only judgement (no target or no target year): the sign of the average change
    decides -- towards the goal ``sonne``, no change or away from the goal ``gewitter``.
    """
    method = "linear"
    _check_direction(direction)
    if direction == "context":
        return _context(method, unit)
    points, missing = _clean(series)
    if not points:
        return _not_assessable(method, _r(Why.NO_VALUES), unit=unit)
    latest_year, latest = points[-1]
    window, brk = _linear_window(points, breaks)
    across: tuple[Reason, ...] = ()
    if len(window) < LINEAR_MIN_POINTS and brk is not None:
        # Too few points since the break: the method's five years are measured as Destatis does, across it, and
        # the verdict says so (rather than "nicht bewertbar" with six values there).
        whole, _ = _linear_window(points, ())
        if len(whole) >= LINEAR_MIN_POINTS and whole[0][0] < brk:
            across = (_r(Why.ACROSS_BREAK, year=brk, n_after=len(window), min_points=LINEAR_MIN_POINTS),)
            window = whole
    years_used = tuple(y for y, _ in window)
    if len(window) < LINEAR_MIN_POINTS:
        earliest = latest_year - LINEAR_WINDOW_YEARS
        reasons = [
            _r(
                Why.TOO_FEW_POINTS,
                min_points=LINEAR_MIN_POINTS,
                window_years=LINEAR_WINDOW_YEARS,
                first_year=earliest,
                latest_year=latest_year,
                n=len(window),
            )
        ]
        if brk is not None and brk > earliest:
            reasons.append(_r(Why.SERIES_BREAK, year=brk))
        reasons += _data_notes(missing, earliest, latest_year)
        return _not_assessable(method, *reasons, unit=unit, years_used=years_used)

    first_year, first = window[0]
    slope = (latest - first) / (latest_year - first_year)
    notes = (
        *across,
        *_data_notes(missing, first_year, latest_year),
        _r(Why.DATA_SPAN_POINTS, first_year=first_year, last_year=latest_year, n=len(window)),
    )
    trend = _trend(direction, slope, latest)
    line = _Line(direction, unit, first_year, latest_year, latest, slope, trend, years_used, notes)
    if direction == "zero" and target is None and target_year is not None:
        target = 0.0
    if target is None or target_year is None:
        status = Status.SONNE if trend > 0 else Status.GEWITTER
        without = "target" if target is None else "target_year"
        only = _r(Why.DIRECTION_ONLY, without=without, trend=trend, direction=direction)
        return _verdict(
            method,
            status,
            STATUS_SCORES[status],
            [line.observed(), only, *notes],
            unit=unit,
            observed_change=slope,
            years_used=years_used,
        )
    return _linear_with_target(line, target, int(target_year))


def _linear_with_target(line: _Line, target: float, target_year: int) -> Verdict:
    """The latest value extrapolated to ``target_year`` against ``target``. A target that the latest
    value already meets needs no change: ``required_change`` is then ``None``."""
    horizon = max(target_year - line.latest_year, 0)
    projected = line.latest + line.slope * horizon
    tol = _EPS * max(1.0, abs(target))
    met_now = _distance(line.direction, line.latest, target) <= tol
    required = (target - line.latest) / horizon if horizon > 0 and not met_now else None

    head: list[Reason]
    if met_now:
        beyond = abs(line.latest - target) > tol
        already = _r(
            Why.TARGET_ALREADY_MET,
            target=target,
            latest=line.latest,
            latest_year=line.latest_year,
            beyond=beyond,
            slope=line.slope,
            first_year=line.first_year,
        )
        head = [already]
        if horizon > 0:
            head.append(_r(Why.PROJECTION, target_year=target_year, projected=projected, target=None))
    elif required is not None:
        head = [
            _r(Why.REQUIRED_RATE, required=required, slope=line.slope, first_year=line.first_year),
            _r(Why.PROJECTION, target_year=target_year, projected=projected, target=target),
        ]
    else:
        reached = _r(
            Why.TARGET_YEAR_REACHED,
            target_year=target_year,
            latest_year=line.latest_year,
            latest=line.latest,
            target=target,
        )
        head = [line.observed(), reached]
    status, why = _weather(line, target, projected)

    def project(year: int) -> float:
        return line.latest + line.slope * (year - line.latest_year)

    return _verdict(
        "linear",
        status,
        STATUS_SCORES[status],
        [*head, *why, *line.notes],
        unit=line.unit,
        observed_change=line.slope,
        required_change=required,
        projected_value=projected,
        years_used=line.years_used,
        projection=_projection_line(line.latest_year, target_year, project),
    )


def _weather(line: _Line, target: float, projected: float) -> tuple[Status, list[Reason]]:
    """The weather symbol for the value ``projected`` to the target year, and why.

    * ``sonne``: target reached in the target year (for ``zero``: the line enters
      ``|x| <= |target|`` on the way, e.g. a gap that closes), or missed by less than 5 % of the
      distance from the latest value to the target;
    * ``leicht_bewoelkt``: missed by 5 % to 20 % of that distance;
    * ``bewoelkt``: right direction, missed by more than 20 %;
    * ``gewitter``: the distance to the target stays constant or grows -- no average change at
      all, or a move away from the target (for ``zero``: ``|x|`` grows), also when the target is
      met today but would be lost by the target year.
    """
    direction, latest = line.direction, line.latest
    distance_now = _distance(direction, latest, target)
    distance_end = _distance(direction, projected, target)
    # For "zero" a line that crosses 0 on the way closes the gap before the target year.
    crosses_zero = direction == "zero" and latest != 0 and latest * projected <= 0
    if crosses_zero or distance_end <= _EPS * max(1.0, abs(target)):
        if distance_now > _EPS and line.trend > 0:
            hit = line.latest_year + distance_now / abs(line.slope)
            why = [_r(Why.REACHED_IN, year=math.ceil(hit - _EPS))]
        else:
            why = [_r(Why.TARGET_HELD)]
        if direction == "zero" and latest * projected < 0:
            why.append(_r(Why.SIGN_FLIP_ARTEFACT))
        return Status.SONNE, why
    if line.trend == 0:
        return Status.GEWITTER, [_r(Why.NO_CHANGE)]
    if line.trend < 0:
        why = [_r(Why.AWAY_FROM_ZERO) if direction == "zero" else _r(Why.AWAY_FROM_TARGET, direction=direction)]
        if distance_now <= _EPS:
            why.append(_r(Why.TARGET_WOULD_BE_LOST))
        return Status.GEWITTER, why
    miss = distance_end / distance_now
    if miss < SUN_MAX_MISS:
        return Status.SONNE, [_r(Why.MISS_SMALL, miss=miss)]
    if miss <= PARTLY_CLOUDY_MAX_MISS:
        return Status.LEICHT_BEWOELKT, [_r(Why.MISS_MODERATE, miss=miss)]
    return Status.BEWOELKT, [_r(Why.MISS_LARGE, miss=miss)]


# ---------------------------------------------------------------------------------------------
# Soll path (docs/progress-methods.md, "Where each fits")
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


def _soll_status(direction: str, ist: float, soll: float, tolerance: float, tolerance2: float) -> Status:
    shortfall = _shortfall(direction, ist, soll)
    if shortfall <= tolerance + _EPS:
        return Status.GRUEN
    if shortfall <= tolerance2 + _EPS:
        return Status.GELB
    return Status.ROT


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
        given = path.get(year)
        soll = None if given is None or is_missing(given) else float(given)
        ist = ist_by_year.get(year)
        status = None
        if soll is not None and ist is not None and direction != "context":
            status = _soll_status(direction, ist, soll, tolerance, tolerance2)
        rows.append(
            {
                "year": year,
                "soll": soll,
                "ist": ist,
                "abweichung": ist - soll if soll is not None and ist is not None else None,
                "status": status,
                "label": wording.status_label(status) if status else None,
                "symbol": wording.status_symbol(status) if status else None,
            }
        )
    return rows


@dataclass(frozen=True)
class _SollTrend:
    """Ist's average annual change on the path (``observed`` since ``since``), the path's own
    (``required``), and Ist's trend extended to the last milestone."""

    required: float | None
    observed: float | None
    since: int | None
    projected: float | None
    projection: tuple[tuple[int, float], ...]


def _soll_trend(points: list[tuple[int, float]], soll_by_year: dict[int, float], year: int, ist: float) -> _SollTrend:
    path_years = sorted(soll_by_year)
    first_year, last_year = path_years[0], path_years[-1]
    required = None
    if last_year > first_year:
        required = (soll_by_year[last_year] - soll_by_year[first_year]) / (last_year - first_year)
    ist_on_path = [(y, v) for y, v in points if first_year <= y <= year]
    if len(ist_on_path) < 2 or ist_on_path[0][0] >= year:
        return _SollTrend(required, None, None, None, ())
    since, start = ist_on_path[0]
    observed = (ist - start) / (year - since)
    if last_year <= year:
        return _SollTrend(required, observed, since, None, ())

    def project(y: int) -> float:
        return ist + observed * (y - year)

    return _SollTrend(required, observed, since, project(last_year), _projection_line(year, last_year, project))


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
        return _context(method, unit)
    points, missing = _clean(series)
    soll_by_year = {int(y): float(v) for y, v in path.items() if not is_missing(v)}
    if not soll_by_year:
        return _not_assessable(method, _r(Why.NO_PATH), unit=unit)
    both = [(y, v) for y, v in points if y in soll_by_year]
    if not both:
        why = _r(Why.NO_IST_ON_PATH, first_year=min(soll_by_year), last_year=max(soll_by_year))
        return _not_assessable(method, why, unit=unit)
    year, ist = both[-1]
    soll = soll_by_year[year]
    status = _soll_status(direction, ist, soll, tolerance, tolerance2)
    shortfall = _shortfall(direction, ist, soll)
    deviation = ist - soll
    exact = abs(deviation) < _EPS
    reasons = [
        _r(Why.IST_AGAINST_SOLL, year=year, ist=ist, soll=soll, deviation=deviation, exact=exact, direction=direction),
        _r(Why.SHORTFALL, shortfall=shortfall, tolerance=tolerance, tolerance2=tolerance2)
        if shortfall > _EPS
        else _r(Why.NO_SHORTFALL, tolerance=tolerance, tolerance2=tolerance2),
        _r(Why.RESULT, status=status),
    ]
    trend = _soll_trend(points, soll_by_year, year, ist)
    if trend.observed is not None and trend.required is not None:
        reasons.append(
            _r(Why.PATH_AGAINST_OBSERVED, required=trend.required, observed=trend.observed, first_year=trend.since)
        )
    latest_any = max(series) if series else year
    trailing_soll = tuple(y for y in sorted(soll_by_year) if year < y <= latest_any)
    if trailing_soll:
        reasons.append(_r(Why.TRAILING_SOLL, years=trailing_soll, year=year))
    gaps = tuple(y for y in missing if min(soll_by_year) < y < year and y in soll_by_year)
    if gaps:
        reasons.append(_r(Why.IST_GAPS_SKIPPED, years=gaps))
    compared_years = tuple(y for y, _ in both)
    reasons.append(_r(Why.SOLL_SPAN, first_year=compared_years[0], last_year=year))
    return _verdict(
        method,
        status,
        STATUS_SCORES[status],
        reasons,
        unit=unit,
        observed_change=trend.observed,
        required_change=trend.required,
        projected_value=trend.projected,
        years_used=compared_years,
        projection=trend.projection,
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
    present = [float(v) for v in items if v is not None and not is_missing(v)]
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
            return _context(method, unit)
        tol = 0.0 if tolerance is None else float(tolerance)
        tol2 = tol if tolerance2 is None else float(tolerance2)
        if path is None:
            return _sollpfad_to_target(
                series, direction, target, target_year, tol, tol2, unit, base_year, default_base_year, breaks
            )
        return assess_sollpfad(series, path, direction, tol, tol2, unit=unit)
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def _sollpfad_to_target(
    series: Mapping[int, float | None],
    direction: str,
    target: float | None,
    target_year: int | None,
    tolerance: float,
    tolerance2: float,
    unit: str,
    base_year: int | None,
    default_base_year: int | None,
    breaks: Iterable[int],
) -> Verdict:
    """The Soll/Ist comparison against the path from the base year's value linearly to the target."""
    method = "sollpfad"
    if target is None or target_year is None:
        return _not_assessable(method, _r(Why.PATH_NEEDS_TARGET), unit=unit)
    points, _ = _clean(series)
    values = dict(points)
    if not points:
        return _not_assessable(method, _r(Why.NO_VALUES), unit=unit)
    brk = _latest_break(breaks, points[-1][0])
    resolved = _resolve_base(points, base_year, default_base_year, brk)
    if resolved.year is None:
        why = _r(Why.NO_VALUE_FROM_BASE, wanted=resolved.wanted, origin=resolved.origin, latest_year=None)
        return _not_assessable(method, why, unit=unit)
    first = resolved.year
    if target_year < first:
        return _not_assessable(
            method, _r(Why.TARGET_YEAR_BEFORE_BASE, target_year=target_year, base_year=first), unit=unit
        )
    path = linear_path(first, values[first], int(target_year), float(target))
    verdict = assess_sollpfad(series, path, direction, tolerance, tolerance2, unit=unit)
    origin = _r(
        Why.PATH_ORIGIN,
        base_year=first,
        moved=resolved.moved,
        origin=resolved.origin,
        base=values[first],
        target=target,
        target_year=target_year,
    )
    figures = {
        "observed_change": verdict.observed_change,
        "required_change": verdict.required_change,
        "projected_value": verdict.projected_value,
        "years_used": verdict.years_used,
        "projection": verdict.projection,
    }
    reasons = [*verdict.reasons, origin, *resolved.reasons()]
    return _verdict(method, verdict.status, verdict.score, reasons, unit=unit, **figures)


def _band(score: float) -> Status:
    for lower, status in ROLLUP_BANDS:
        if score >= lower:
            return status
    return Status.DETERIORATION  # pragma: no cover - the last band is open


def rollup(verdicts: Iterable[Verdict], combine: bool = True) -> dict[str, Any]:
    """Aggregate verdicts (e.g. of a field of action) into one Open SDG status.

    The score is the mean of the scores of the assessable verdicts, read against the bands
    [2,5; 5] auf Kurs, [0; 2,5) Beschleunigung nötig, [-2,5; 0) geringer Fortschritt,
    [-5; -2,5) Verschlechterung. As in Open SDG, the aggregate is ``target_achieved`` only if every
    assessable verdict has achieved its target. Without assessable verdicts the status is
    ``nicht_bewertbar`` with score ``None`` -- or ``kontext`` if every verdict is a context
    indicator's. Context indicators are counted apart (``context``), never as "nicht bewertbar".
    ``combine=False`` (a field that is not judged as a whole) gives status ``kontext`` with the
    label :data:`indicators.wording.FIELD_NOT_COMBINED` and no score, but the same counts.

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
        counts[str(verdict.status)] = counts.get(str(verdict.status), 0) + 1
        context += verdict.status == CONTEXT
        if verdict.assessable and verdict.score is not None:
            scores.append(float(verdict.score))
            achieved += verdict.status == Status.TARGET_ACHIEVED
    score: float | None = None
    if not combine:
        status = CONTEXT
    elif not scores:
        status = CONTEXT if items and context == len(items) else NOT_ASSESSABLE
    else:
        score = sum(scores) / len(scores)
        status = Status.TARGET_ACHIEVED if achieved == len(scores) else _band(score)
    return {
        "score": score,
        "status": status,
        "label": wording.status_label(status) if combine else wording.FIELD_NOT_COMBINED,
        "symbol": wording.status_symbol(status),
        "counts": counts,
        "assessable": len(scores),
        "not_assessable": len(items) - len(scores) - context,
        "context": context,
    }


_TREND_BY_STATUS: dict[Status, int] = {
    Status.SUBSTANTIAL_PROGRESS: 1,
    Status.MODERATE_PROGRESS: 1,
    Status.LIMITED_PROGRESS: 1,
    Status.DETERIORATION: -1,
    Status.LEICHT_BEWOELKT: 1,
    Status.BEWOELKT: 1,
    Status.GEWITTER: -1,
}


def trend_sign(verdict: Verdict, direction: str) -> int:
    """Which way the verdict says the indicator moves over several years: ``+1`` towards the goal,
    ``-1`` away from it, ``0`` when it makes no such claim (target achieved, Soll path, not
    assessable, context). Used to explain a one-year change that goes the other way."""
    if not verdict.assessable or direction not in ("up", "down"):
        return 0
    if verdict.status == Status.SONNE:
        slope = verdict.observed_change
        if slope is None or abs(slope) < _EPS:
            return 0
        return 1 if (slope > 0) == (direction == "up") else -1
    return _TREND_BY_STATUS.get(verdict.status, 0)
