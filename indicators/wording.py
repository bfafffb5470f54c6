"""Wording shared by the pages and the report (``indicators.report``): plain Python, no Streamlit.

The verdicts in words: :mod:`indicators.progress` computes a verdict as data (status, figures, reasons as codes
with their parameters, following ``docs/progress-methods.md``); :func:`explanation`, :func:`status_label` and
:func:`status_symbol` turn it into the German sentences, label and symbol the pages and the report show. This
module does not import :mod:`indicators.progress` (the progress module words its verdicts with it): it reads a
verdict through the small protocols below and knows statuses and reasons by their ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from indicators import texts
from indicators.fmt import change_unit, decimals_for, fmt_change, fmt_num, fmt_value

if TYPE_CHECKING:
    from indicators.catalog import Catalog, Indicator
    from indicators.verdicts import IndicatorStatus

# -- the verdicts in words (docs/progress-methods.md) ------------------------------------------------------------

METHOD_LABELS: dict[str, str] = {
    "opensdg": "Fortschrittsmaß (Open SDG)",
    "linear": "Wettersymbole (lineare Fortschreibung)",
    "sollpfad": "Soll-Ist-Vergleich (Sollpfad)",
}

DIRECTION_TEXT: dict[str, str] = {
    "up": "höher ist besser",
    "down": "niedriger ist besser",
    "zero": "näher an 0 ist besser",
}

_NOT_ASSESSABLE = "nicht_bewertbar"
_CONTEXT = "kontext"

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
    _NOT_ASSESSABLE: "nicht bewertbar",
    _CONTEXT: "ohne Bewertung (Kontextindikator)",
}
"""German short label per status id (:class:`indicators.progress.Status`)."""

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
    _NOT_ASSESSABLE: "–",
    _CONTEXT: "–",
}
"""Text symbols that keep the states distinguishable without colour (full / half / empty circle for
the Soll path)."""

FIELD_NOT_COMBINED = "nicht zusammengefasst bewertet"
"""Label of a field of action that gets no combined verdict (the Rahmendaten: background for all)."""

BASE_ORIGIN: dict[str, str] = {
    "target": "aus dem Ziel",
    "strategy": "Basisjahr der Strategie",
    "first": "erstes Jahr mit Wert",
}
"""Where a base year comes from (:class:`indicators.progress.BaseOrigin`)."""


class ReasonLike(Protocol):
    """A reason of a verdict (:class:`indicators.progress.Reason`): its code and its parameters."""

    @property
    def code(self) -> str: ...

    def get(self, name: str) -> object: ...


class VerdictLike(Protocol):
    """What the wording reads of a verdict (:class:`indicators.progress.Verdict`)."""

    @property
    def status(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def reasons(self) -> Sequence[ReasonLike]: ...


class Worded(Protocol):
    """A verdict with its words and its projection (:class:`indicators.progress.Verdict`), for :func:`one_sentence`."""

    @property
    def assessable(self) -> bool: ...

    @property
    def explanation(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def projection(self) -> Sequence[tuple[int, float]]: ...

    @property
    def years_used(self) -> Sequence[int]: ...


class Trending(Protocol):
    """A verdict that says which way its indicator moves over several years (``+1``, ``-1``, ``0``)."""

    def trend_sign(self, direction: str) -> int: ...


def status_label(status: str) -> str:
    """'sonne' → 'Sonne: Ziel wird erreicht'."""
    return STATUS_LABELS[status]


def status_symbol(status: str) -> str:
    """'sonne' → '☀'."""
    return STATUS_SYMBOLS[status]


def explanation(verdict: VerdictLike) -> str:
    """The verdict's reasons in complete German sentences, in their order; a verdict that is not
    assessable begins 'Nicht bewertbar:'."""
    sentences = [_SENTENCES[str(r.code)](_Figures(r, verdict.unit)) for r in verdict.reasons]
    if verdict.status == _NOT_ASSESSABLE:
        sentences.insert(0, "Nicht bewertbar:")
    return " ".join(sentences)


def _rate(x: float, unit: str) -> str:
    """Absolute change per year, e.g. ``"-0,4 %-Pkt. pro Jahr"`` (at least one decimal)."""
    return f"{fmt_change(x, unit, max(1, decimals_for(change_unit(unit))))} pro Jahr"


def _growth(x: float) -> str:
    """A relative growth rate (fraction) in percent, two decimals: ``0.0123`` -> ``"+1,23 %"``."""
    return f"{fmt_num(x * 100.0, 2, sign=True)} %"


def _relative(unit: str, text: str) -> str:
    """For a share in %: ``text``, which says that the growth rate is relative, not in percentage points; nothing
    for other units."""
    return text if unit == "%" else ""


def _years_text(years: Sequence[int]) -> str:
    ys = [str(y) for y in years]
    if len(ys) <= 1:
        return "".join(ys)
    return ", ".join(ys[:-1]) + " und " + ys[-1]


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


class _Figures:
    """A reason's parameters as its sentence names them (values in the verdict's unit, the German way)."""

    def __init__(self, reason: ReasonLike, unit: str) -> None:
        self.reason = reason
        self.unit = unit

    def raw(self, name: str) -> str:
        """A year, a count or a code as it is: ``2019``."""
        return str(self.reason.get(name))

    def num(self, name: str) -> float:
        value = self.reason.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"reason {self.reason.code}: {name} is not a number ({value!r})")
        return float(value)

    def whole(self, name: str) -> int:
        return int(self.num(name))

    def value(self, name: str) -> str:
        """A value in the verdict's unit: ``14,9 %``."""
        return fmt_value(self.num(name), self.unit)

    def flag(self, name: str) -> bool:
        return bool(self.reason.get(name))

    def has(self, name: str) -> bool:
        return self.reason.get(name) is not None

    def years(self, name: str) -> str:
        """Years in words: ``2019, 2020 und 2021``."""
        value = self.reason.get(name)
        if not isinstance(value, tuple):
            raise TypeError(f"reason {self.reason.code}: {name} is not a list of years ({value!r})")
        return _years_text([int(y) for y in value])

    def span(self, first: str, last: str) -> str:
        """``2016–2020`` (one year: ``2020``)."""
        return _span(self.whole(first), self.whole(last))

    def direction(self) -> str:
        return DIRECTION_TEXT[self.raw("direction")]

    def origin(self) -> str:
        return BASE_ORIGIN[self.raw("origin")]


_SENTENCES: dict[str, Callable[[_Figures], str]] = {}
"""One function per reason code (:class:`indicators.progress.Why`): the reason in words."""


def _says(*codes: str) -> Callable[[Callable[[_Figures], str]], Callable[[_Figures], str]]:
    def register(fn: Callable[[_Figures], str]) -> Callable[[_Figures], str]:
        for code in codes:
            _SENTENCES[code] = fn
        return fn

    return register


def _fixed(code: str, text: str) -> None:
    _SENTENCES[code] = lambda _p: text


_RECOMMEND_LINEAR = "Empfohlen wird die lineare Methode (Wettersymbole)."
_fixed("recommend_linear", _RECOMMEND_LINEAR)
_fixed(
    "context_indicator",
    "Kontextindikator ohne Zielrichtung: Er beschreibt die Lage und wird nicht bewertet; gezeigt wird nur die "
    "Entwicklung.",
)
_fixed("no_values", "Es liegen keine Werte vor (unterdrückt oder fehlend).")
_fixed(
    "gap_not_for_cagr",
    "Für Abstandsindikatoren (Richtung „näher an 0 ist besser“) ist die Wachstumsrate (durchschnittliche jährliche "
    "Veränderung in Prozent) nicht geeignet, weil die Werte um 0 liegen und das Vorzeichen wechseln können.",
)
_fixed("negative_values", "Die Werte sind negativ; eine Abnahme des Betrags zählt daher als Zunahme und umgekehrt.")
_fixed("limit_only_up", "Die natürliche Grenze wird nur bei der Richtung „höher ist besser“ berücksichtigt.")
_fixed("target_held", "Das Ziel ist erreicht und wird bei gleichbleibender Entwicklung gehalten.")
_fixed(
    "sign_flip_artefact",
    "Dass der fortgeschriebene Wert danach das Vorzeichen wechselt, ist eine rein rechnerische Folge der linearen "
    "Fortschreibung.",
)
_fixed(
    "no_change",
    "Der Wert hat sich im Durchschnitt nicht verändert; der Abstand zum Ziel bleibt gleich groß, das Ziel wird so "
    "nicht erreicht.",
)
_fixed("away_from_zero", "Der Abstand zu 0 wächst; die Entwicklung entfernt sich vom Ziel.")
_fixed("target_would_be_lost", "Das Ziel ist derzeit erreicht, ginge bei dieser Entwicklung aber verloren.")
_fixed("no_path", "Es ist kein Sollpfad und kein Ziel hinterlegt.")
_fixed("path_needs_target", "Für den Soll-Ist-Vergleich wird ein Sollpfad oder ein Ziel mit Zieljahr benötigt.")


# any method: the data behind the verdict
@_says("series_break")
def _series_break(p: _Figures) -> str:
    return f"Werte vor dem Bruch der Zeitreihe {p.raw('year')} sind nicht vergleichbar und bleiben außer Betracht."


@_says("across_break")
def _across_break(p: _Figures) -> str:
    return (
        f"Seit dem Bruch der Zeitreihe {p.raw('year')} "
        + (
            f"liegt erst {p.raw('n_after')} Wert"
            if p.raw("n_after") == "1"
            else f"liegen erst {p.raw('n_after')} Werte"
        )
        + " vor, zu wenige für die "
        f"Methode (mindestens {p.raw('min_points')}); gemessen wird daher, wie bei Destatis, über die letzten fünf "
        f"Jahre einschließlich des Bruchs. Die Bewertung ist mit Vorsicht zu lesen: ein Teil der Veränderung kann "
        "vom Bruch herrühren."
    )


@_says("zero_replaced")
def _zero_replaced(p: _Figures) -> str:
    what = "Ausgangswert" if p.raw("what") == "base" else "Zielwert"
    return f"Der {what} 0 wurde für die Berechnung durch {fmt_num(p.num('replacement'), 3)} ersetzt."


@_says("trailing_missing")
def _trailing_missing(p: _Figures) -> str:
    years = p.reason.get("years")
    one = isinstance(years, tuple) and len(years) == 1
    head = f"Für {p.years('years')} liegt kein Wert vor" if one else f"Für {p.years('years')} liegen keine Werte vor"
    return f"{head} (unterdrückt oder fehlend); verwendet wird der letzte verfügbare Wert von {p.raw('latest_year')}."


@_says("gaps_skipped")
def _gaps_skipped(p: _Figures) -> str:
    return f"Ohne Wert (unterdrückt oder fehlend) und daher übersprungen: {p.years('years')}."


@_says("data_span")
def _data_span(p: _Figures) -> str:
    return f"Datengrundlage: {p.span('first_year', 'last_year')}."


@_says("base_moved")
def _base_moved(p: _Figures) -> str:
    return (
        f"Für das Basisjahr {p.raw('wanted')} ({p.origin()}) liegt kein Wert vor; "
        f"verwendet wird, wie bei Open SDG, das nächste Jahr mit Wert, {p.raw('year')}."
    )


@_says("base_after_break")
def _base_after_break(p: _Figures) -> str:
    return (
        f"Das Basisjahr {p.raw('wanted')} ({p.origin()}) liegt vor dem Bruch der Zeitreihe {p.raw('break_year')}; "
        f"verwendet wird das erste Jahr mit Wert danach, {p.raw('year')}."
    )


@_says("no_value_from_base")
def _no_value_from_base(p: _Figures) -> str:
    head = f"Ab dem Basisjahr {p.raw('wanted')} ({p.origin()}) liegt kein Wert vor"
    return f"{head}; der neueste Wert ist von {p.raw('latest_year')}." if p.has("latest_year") else f"{head}."


@_says("projection")
def _projection(p: _Figures) -> str:
    target = f" (Ziel: {p.value('target')})." if p.has("target") else "."
    return f"Fortgeschrieben ergibt sich {p.raw('target_year')} ein Wert von {p.value('projected')}{target}"


@_says("score")
def _score(p: _Figures) -> str:
    return f"Bewertung {fmt_num(p.num('score'))} auf der Skala von -5 bis +5."


# Open SDG (A)
@_says("base_before_break")
def _base_before_break(p: _Figures) -> str:
    return (
        f"Zwischen dem Basisjahr {p.raw('base_year')} und {p.raw('current_year')} liegt ein Bruch der "
        f"Zeitreihe ({p.raw('break_year')}); die Werte sind nicht vergleichbar. Bitte ein Basisjahr ab dem Bruch wählen."
    )


@_says("too_few_years")
def _too_few_years(p: _Figures) -> str:
    return (
        "Für eine Bewertung werden mindestens zwei Jahreswerte benötigt (Basisjahr und ein späteres Jahr); "
        f"vorhanden: {p.raw('n')} ({p.span('base_year', 'current_year')})."
    )


@_says("sign_change")
def _sign_change(p: _Figures) -> str:
    return (
        f"Das Vorzeichen wechselt zwischen {p.raw('base_year')} ({p.value('base')}) und {p.raw('current_year')} "
        f"({p.value('current')}); die Wachstumsrate (durchschnittliche jährliche Veränderung in Prozent) ist dann "
        "nicht definiert."
    )


@_says("observed_growth")
def _observed_growth(p: _Figures) -> str:
    since = p.raw("base_year") if p.flag("moved") else f"dem Basisjahr {p.raw('base_year')} ({p.origin()})"
    return (
        f"Durchschnittliche jährliche Veränderung seit {since}: {_growth(p.num('observed'))} pro Jahr "
        f"({_relative(p.unit, texts.GROWTH_RELATIVE)}von {p.value('base')} auf {p.value('current')} "
        f"im Jahr {p.raw('current_year')})."
    )


@_says("target_met")
def _target_met(p: _Figures) -> str:
    return (
        f"Der Wert von {p.raw('current_year')} ({p.value('current')}) erreicht das Ziel von {p.value('target')} "
        f"bereits ({p.direction()})."
    )


@_says("target_open_no_year")
def _target_open_no_year(p: _Figures) -> str:
    return (
        f"Das Ziel von {p.value('target')} ist noch nicht erreicht; ohne Zieljahr wird die Entwicklung wie ohne "
        "Zielwert bewertet."
    )


@_says("target_year_not_after_base")
def _target_year_not_after_base(p: _Figures) -> str:
    return f"Das Zieljahr {p.raw('target_year')} liegt nicht nach dem Basisjahr {p.raw('base_year')}."


@_says("target_sign_differs")
def _target_sign_differs(p: _Figures) -> str:
    return (
        f"Zielwert ({p.value('target')}) und Ausgangswert ({p.value('base')}) haben unterschiedliche Vorzeichen; "
        "die benötigte Wachstumsrate ist nicht definiert."
    )


@_says("target_is_base")
def _target_is_base(p: _Figures) -> str:
    return (
        f"Das Ziel von {p.value('target')} entspricht dem Ausgangswert von {p.raw('base_year')}; der Wert hat sich "
        "seitdem vom Ziel entfernt."
    )


@_says("base_past_target")
def _base_past_target(p: _Figures) -> str:
    side = "darunter" if p.raw("direction") == "down" else "darüber"
    head = (
        f"Im Basisjahr {p.raw('base_year')} war das Ziel von {p.value('target')} mit {p.value('base')} schon "
        f"erreicht; seither hat sich der Wert vom Ziel entfernt."
    )
    if not p.has("needed"):
        return head
    return (
        f"{head} Um bis {p.raw('target_year')} wieder {side} zu liegen, ist ab {p.raw('current_year')} eine "
        f"Veränderung von {_growth(p.num('needed'))} pro Jahr nötig."
    )


@_says("required_growth")
def _required_growth(p: _Figures) -> str:
    return (
        f"Benötigt: {_growth(p.num('required'))} pro Jahr{_relative(p.unit, texts.GROWTH_RELATIVE_SHORT)}, um das Ziel von {p.value('target')} bis "
        f"{p.raw('target_year')} zu erreichen."
    )


@_says("growth_ratio")
def _growth_ratio(p: _Figures) -> str:
    return (
        f"Verhältnis von beobachteter zu benötigter Veränderung: {fmt_num(p.num('p'), 2)} "
        f"(auf Kurs ab {fmt_num(p.num('substantial'), 2)}, Beschleunigung nötig ab {fmt_num(p.num('moderate'), 2)}, "
        f"Verschlechterung unter 0); Bewertung {fmt_num(p.num('score'))} auf der Skala von -5 bis +5."
    )


@_says("no_target_thresholds")
def _no_target_thresholds(p: _Figures) -> str:
    return (
        f"Ohne Zielwert wird die Veränderung in Zielrichtung ({p.direction()}), {_growth(p.num('p'))} pro Jahr, "
        f"mit festen Schwellen verglichen: auf Kurs ab {fmt_value(p.num('substantial') * 100, '%', 2)}, "
        f"Beschleunigung nötig ab {fmt_value(p.num('moderate') * 100, '%', 2)}, Verschlechterung unter 0 %."
    )


@_says("limit_scaled")
def _limit_scaled(p: _Figures) -> str:
    return (
        f"Wegen der natürlichen Grenze von {p.value('limit')} und des Ausgangswerts {p.value('base')} sind die "
        f"Schwellen mit dem Faktor {fmt_num(p.num('c'), 2)} verkleinert."
    )


# weather symbols (B)
@_says("too_few_points")
def _too_few_points(p: _Figures) -> str:
    return (
        f"Für die Wettersymbole werden mindestens {p.raw('min_points')} Werte aus den letzten "
        f"{p.raw('window_years')} Jahren benötigt ({p.span('first_year', 'latest_year')}); vorhanden: {p.raw('n')}."
    )


@_says("data_span_points")
def _data_span_points(p: _Figures) -> str:
    return f"Datengrundlage: {p.span('first_year', 'last_year')} ({p.raw('n')} Werte)."


def _observed_rate(p: _Figures) -> str:
    """'-0,4 %-Pkt. pro Jahr seit 2019'."""
    return f"{_rate(p.num('slope'), p.unit)} seit {p.raw('first_year')}."


@_says("observed_rate")
def _observed(p: _Figures) -> str:
    return f"Beobachtet: {_observed_rate(p)}"


_DIRECTION_ONLY: dict[int, str] = {
    1: "Die Entwicklung geht in die gewünschte Richtung",
    0: "Der Wert hat sich im Durchschnitt nicht verändert; ein Stillstand zählt wie eine Entwicklung in die "
    "falsche Richtung",
    -1: "Die Entwicklung geht in die falsche Richtung",
}


@_says("direction_only")
def _direction_only(p: _Figures) -> str:
    without = "Zielwert" if p.raw("without") == "target" else "Zieljahr"
    reason = _DIRECTION_ONLY[p.whole("trend")]
    return f"Ohne {without} wird nur die Richtung bewertet: {reason} ({p.direction()})."


@_says("target_already_met")
def _target_already_met(p: _Figures) -> str:
    beyond = " und übertroffen" if p.flag("beyond") else ""
    return (
        f"Das Ziel von {p.value('target')} ist mit {p.value('latest')} ({p.raw('latest_year')}) bereits "
        f"erreicht{beyond}; beobachtet: {_observed_rate(p)}"
    )


@_says("required_rate")
def _required_rate(p: _Figures) -> str:
    return f"Benötigt: {_rate(p.num('required'), p.unit)}; beobachtet: {_observed_rate(p)}"


@_says("target_year_reached")
def _target_year_reached(p: _Figures) -> str:
    return (
        f"Das Zieljahr {p.raw('target_year')} ist erreicht; verglichen wird der Wert von {p.raw('latest_year')} "
        f"({p.value('latest')}) mit dem Ziel von {p.value('target')}."
    )


@_says("reached_in")
def _reached_in(p: _Figures) -> str:
    return f"Bei gleichbleibender Entwicklung wird das Ziel voraussichtlich {p.raw('year')} erreicht."


@_says("away_from_target")
def _away_from_target(p: _Figures) -> str:
    return f"Die Entwicklung entfernt sich vom Ziel ({p.direction()})."


def _share(p: _Figures) -> str:
    """The share of the distance from the latest value to the target that the projection misses: '12'."""
    return fmt_num(p.num("miss") * 100, 0)


@_says("miss_small")
def _miss_small(p: _Figures) -> str:
    return f"Das Ziel wird knapp verfehlt, um {_share(p)} % des Abstands vom aktuellen Wert zum Ziel (weniger als 5 %)."


@_says("miss_moderate")
def _miss_moderate(p: _Figures) -> str:
    return f"Das Ziel wird um {_share(p)} % des Abstands vom aktuellen Wert zum Ziel verfehlt (5 bis 20 %)."


@_says("miss_large")
def _miss_large(p: _Figures) -> str:
    return (
        "Die Entwicklung geht in die richtige Richtung, das Ziel wird aber um "
        f"{_share(p)} % des Abstands vom aktuellen Wert zum Ziel verfehlt (mehr als 20 %)."
    )


# Soll path
@_says("no_ist_on_path")
def _no_ist_on_path(p: _Figures) -> str:
    return f"Für keines der Jahre des Sollpfads ({p.span('first_year', 'last_year')}) liegt ein Istwert vor."


@_says("ist_against_soll")
def _ist_against_soll(p: _Figures) -> str:
    cunit = change_unit(p.unit)
    deviation = p.num("deviation")
    if p.flag("exact"):
        relation = f"genau auf dem Sollwert ({p.value('soll')})"
    else:
        word = "über" if deviation > 0 else "unter"
        relation = f"um {fmt_value(abs(deviation), cunit)} {word} dem Sollwert ({p.value('soll')})"
    return (
        f"Im Jahr {p.raw('year')} liegt der Istwert ({p.value('ist')}) {relation}; Abweichung "
        f"{fmt_change(deviation, cunit)}, {p.direction()}."
    )


def _band(p: _Figures) -> str:
    cunit = change_unit(p.unit)
    return (
        f"Toleranz: {fmt_value(p.num('tolerance'), cunit)}; knapp hinter dem Soll bis "
        f"{fmt_value(p.num('tolerance2'), cunit)} Rückstand."
    )


@_says("shortfall")
def _shortfall(p: _Figures) -> str:
    behind = fmt_value(p.num("shortfall"), change_unit(p.unit))
    return f"Rückstand gegenüber dem Sollpfad: {behind}{'' if behind.endswith('.') else '.'} {_band(p)}"


@_says("no_shortfall")
def _no_shortfall(p: _Figures) -> str:
    return f"Kein Rückstand gegenüber dem Sollpfad. {_band(p)}"


@_says("result")
def _result(p: _Figures) -> str:
    return f"Ergebnis: {status_label(p.raw('status'))}."


@_says("path_against_observed")
def _path_against_observed(p: _Figures) -> str:
    return (
        f"Sollpfad: {_rate(p.num('required'), p.unit)}; beobachtet: {_rate(p.num('observed'), p.unit)} "
        f"seit {p.raw('first_year')}."
    )


@_says("trailing_soll")
def _trailing_soll(p: _Figures) -> str:
    return f"Für {p.years('years')} liegt kein Istwert vor (unterdrückt oder fehlend); verglichen wird {p.raw('year')}."


@_says("ist_gaps_skipped")
def _ist_gaps_skipped(p: _Figures) -> str:
    return f"Ohne Istwert (unterdrückt oder fehlend) und daher übersprungen: {p.years('years')}."


@_says("soll_span")
def _soll_span(p: _Figures) -> str:
    return f"Datengrundlage: Soll-Ist-Vergleich {p.span('first_year', 'last_year')}."


@_says("target_year_before_base")
def _target_year_before_base(p: _Figures) -> str:
    return f"Das Zieljahr {p.raw('target_year')} liegt vor dem Basisjahr {p.raw('base_year')}."


@_says("path_origin")
def _path_origin(p: _Figures) -> str:
    start = p.raw("base_year") if p.flag("moved") else f"im Basisjahr {p.raw('base_year')} ({p.origin()})"
    return (
        f"Der Sollpfad beginnt {start} bei {p.value('base')} und führt linear zum Ziel von {p.value('target')} im "
        f"Jahr {p.raw('target_year')}."
    )


# -- changes and roll-ups in words (pages and report) -------------------------------------------------------------


def change_text(change: float | None, unit: str, direction: str, verdict: Trending | None = None) -> str:
    """'+1,2 %-Pkt. ▲ besser' — the arrow gives the direction, the word the judgement (never colour alone).

    A change that rounds to zero as shown is '±0,0 %-Pkt. ► unverändert' (no arrow up or down, no judgement).
    With the indicator's ``verdict``, a one-year change against the multi-year trend the verdict reports says
    so in words ('schlechter als im Vorjahr (mehrjährige Entwicklung: richtige Richtung)')."""
    if change is None or pd.isna(change):
        return "–"
    text = fmt_change(change, unit)
    if round(float(change), decimals_for(change_unit(unit))) == 0:
        return f"{text} {texts.CHANGE_NONE}"
    arrow = "▲" if change > 0 else "▼"
    if direction not in ("up", "down"):
        return f"{text} {arrow}"
    better = (change > 0) == (direction == "up")
    trend = verdict.trend_sign(direction) if verdict is not None else 0
    if trend and (trend > 0) != better:
        return f"{text} {arrow} {texts.CHANGE_AGAINST_TREND[better]}"
    return f"{text} {arrow} {texts.CHANGE_BETTER if better else texts.CHANGE_WORSE}"


def rollup_details(r: dict[str, Any]) -> str:
    """What follows a field's verdict: ' · mittlere Bewertung 3,1 … · 4 bewertet, 1 nicht bewertbar, … · 2× ▲ auf
    Kurs, …' (the pages put a badge before it, the report the plain symbol and words)."""
    head = ""
    if r.get("score") is not None:
        head += " · " + texts.ROLLUP_SCORE.format(score=fmt_num(r["score"], 1))
    parts = [texts.ROLLUP_ASSESSED.format(n=r["assessable"])]
    if r.get("not_assessable"):
        parts.append(texts.ROLLUP_NOT_ASSESSABLE.format(n=r["not_assessable"]))
    if r.get("context"):
        parts.append((texts.ROLLUP_CONTEXT_ONE if r["context"] == 1 else texts.ROLLUP_CONTEXT).format(n=r["context"]))
    counts = ", ".join(
        f"{n}× {STATUS_SYMBOLS.get(s, '')} {STATUS_LABELS.get(s, s)}"
        for s, n in r.get("counts", {}).items()
        if n and s not in (_NOT_ASSESSABLE, _CONTEXT)
    )
    return f"{head} · {', '.join(parts)}" + (f" · {counts}" if counts else "")


# -- the audit log in words (page Verwaltung) --------------------------------------------------------------------
def audit_action(action: str) -> str:
    """'benutzer_angelegt' → 'Benutzer angelegt'; a strategy change 'strategie_massnahme_geaendert' → 'Maßnahme
    geändert'; an unknown key readable without underscores."""
    action = str(action or "")
    if action in texts.AUDIT_ACTIONS:
        return texts.AUDIT_ACTIONS[action]
    if action.startswith("strategie_"):
        kind, _, change = action[len("strategie_") :].rpartition("_")
        if kind in texts.AUDIT_STRATEGY_KINDS and change in texts.AUDIT_STRATEGY_CHANGES:
            return f"{texts.AUDIT_STRATEGY_KINDS[kind]} {texts.AUDIT_STRATEGY_CHANGES[change]}"
    return action.replace("_", " ")


def _audit_value(key: str, value: object, depth: int = 0) -> str | None:
    import datetime as dt

    from indicators.fmt import fmt_datetime, fmt_num

    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        if not value and key == "einmalpasswort":  # only worth a word when it is one
            return None
        return "ja" if value else "nein"
    if isinstance(value, (int, float)):
        if not float(value).is_integer():
            return fmt_num(value, 2).rstrip("0").rstrip(",")
        # numbers that name something (a year, an upload) without a thousands point
        return str(int(value)) if key in ("jahr", "upload_id", "upload_ids", "id", "import") else fmt_num(value, 0)
    if isinstance(value, dict):
        if "target_value" in value and "target_year" in value:  # a target's record: its value and year suffice
            return texts.AUDIT_TARGET.format(
                value=_audit_value("target_value", value["target_value"]) or "–", year=value["target_year"]
            )
        if depth >= 2:
            return None
        inner = audit_detail(value, depth + 1)
        return inner if inner != texts.AUDIT_NONE else None
    if isinstance(value, (list, tuple)):
        shown = [_audit_value(key, v, depth + 1) or "–" for v in value[:8]]
        return ", ".join(shown) + (f" … (+{len(value) - 8})" if len(value) > 8 else "")
    text = str(value)
    if key == "sha256" and len(text) > 12:
        return text[:12] + "…"
    if len(text) >= 16 and text[:4].isdigit() and text[4:5] == "-":  # an ISO point in time
        try:
            return fmt_datetime(dt.datetime.fromisoformat(text))
        except ValueError:
            pass
    return texts.AUDIT_VALUES.get(text, text)


def audit_detail(detail: object, depth: int = 0) -> str:
    """An audit entry's details (JSON text or a dict) as words: 'Rolle: Analyse · Einmalpasswort: ja'; empty
    values are left out, '–' when nothing remains. Shown as text (the page does not render Markdown here)."""
    import json

    if isinstance(detail, str):
        try:
            detail = json.loads(detail) if detail.strip() else {}
        except ValueError:
            return str(detail)
    if not isinstance(detail, dict):
        return texts.AUDIT_NONE if detail is None or detail != detail else str(detail)
    parts = []
    for key, value in detail.items():
        shown = _audit_value(str(key), value, depth)
        if shown is not None:
            parts.append(f"{texts.AUDIT_KEYS.get(str(key), str(key))}: {shown}")
    sep = " · " if depth == 0 else ", "
    return sep.join(parts) if parts else texts.AUDIT_NONE


def error_count(rows: int, errors: int) -> str:
    """'5 Fehler, 3 Zeilen betroffen', '1 Fehler, 1 Zeile betroffen', '2 Fehler' (errors of the whole file have no
    row); numbers German (1.234)."""
    from indicators.fmt import fmt_int

    text = texts.UPL_ERROR_COUNT.format(errors=fmt_int(errors))
    if rows:
        text += ", " + (texts.UPL_ERROR_ROWS[1] if rows == 1 else texts.UPL_ERROR_ROWS["n"].format(n=fmt_int(rows)))
    return text


def code_label(dim: str, code: object, catalog: Catalog | None = None, variable: str | None = None) -> str:
    """The German label of a code as the preview and the history show it: 'auslaendisch' → 'Ausländer/-innen',
    'maennlich' → 'männlich', '15-65' → '15 bis unter 65 Jahre', a category by the variable's ``categories`` in
    variables.yaml ('mit_mh' → 'mit Migrationshintergrund'), a variable by its name; an unknown code as it is."""
    import re

    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    code = str(code)
    if dim == "variable":
        var = catalog.variables.get(code) if catalog is not None else None
        return var.name if var is not None else code
    if dim in texts.CODE_LABELS:
        return texts.CODE_LABELS[dim].get(code, code)
    if code == "insgesamt":
        return code
    if dim == "age_group":
        if code in texts.AGE_LABELS:
            return texts.AGE_LABELS[code]
        if m := re.fullmatch(r"(\d+)-(\d+)", code):
            return texts.AGE_LABELS["range"].format(a=m.group(1), b=m.group(2))
        if m := re.fullmatch(r"u(\d+)", code):
            return texts.AGE_LABELS["under"].format(a=m.group(1))
        if m := re.fullmatch(r"(\d+)_plus", code):
            return texts.AGE_LABELS["plus"].format(a=m.group(1))
        return code
    if dim == "category" and catalog is not None:
        var = catalog.variables.get(variable or "")
        if var is not None and code in var.categories:
            return var.categories[code]
        for other in catalog.variables.values():  # the same code has the same meaning in another variable
            if code in other.categories:
                return other.categories[code]
    return code


def readable_assumption(text: object, catalog: Catalog | None = None) -> str:
    """An assumption as the page shows it: the ids a reader names in German — canonical columns ('Wert → value' →
    'Wert → Wert'), variables ('→ bevoelkerung' → '→ Bevölkerung') and codes after their dimension
    ('Staatsangehörigkeit auslaendisch' → 'Staatsangehörigkeit Ausländer/-innen'), region levels ('kreis' → 'Kreis')."""
    import re

    from indicators.regions import LEVEL_LABELS

    text = str(text)
    labels = {**texts.OBS_LABELS, **texts.COLUMN_ID_LABELS}
    if catalog is not None:
        labels.update({v.id: v.name for v in catalog.variables.values() if v.id not in labels})
    arrow = re.compile(r"→ (" + "|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True)) + r")(?![\w-])")
    text = arrow.sub(lambda m: "→ " + labels[m.group(1)], text)
    names = {
        "Staatsangehörigkeit": "nationality",
        "Geschlecht": "sex",
        "Altersgruppe": "age_group",
        "Kategorie": "category",
    }
    dims = re.compile(r"\b(" + "|".join(names) + r") ([a-z0-9_\-]+)")
    text = dims.sub(lambda m: f"{m.group(1)} {code_label(names[m.group(1)], m.group(2), catalog)}", text)
    levels = re.compile(r"^((?:" + "|".join(LEVEL_LABELS) + r")(?:, (?:" + "|".join(LEVEL_LABELS) + r"))*) \(")
    return levels.sub(lambda m: ", ".join(LEVEL_LABELS[x] for x in m.group(1).split(", ")) + " (", text)


def breakdown_text(rec: dict[str, Any], catalog: Catalog | None = None) -> str:
    """The breakdown of a value in words: 'Ausländer/-innen · weiblich · mit Migrationshintergrund', or 'insgesamt'."""
    parts = [
        code_label(d, rec.get(d), catalog, rec.get("variable"))
        for d in ("nationality", "sex", "age_group", "category")
        if rec.get(d) not in (None, "insgesamt") and not pd.isna(rec.get(d))
    ]
    return " · ".join(parts) or texts.BREAKDOWN_TOTAL


def base_year_text(status: IndicatorStatus) -> str:
    """'Basisjahr 2019 (Basisjahr der Strategie)' or '(aus dem Ziel)'; a base year that moved forward to the next year
    with a value says from where: 'Basisjahr 2020 (verschoben von 2019, Basisjahr der Strategie)'."""
    t = status.target
    wanted = t.baseline_year if t is not None and t.baseline_year else status.default_base_year
    origin = "aus dem Ziel" if t is not None and t.baseline_year else "Basisjahr der Strategie"
    used = status.base_year
    if used is None:
        return "Basisjahr –"
    if wanted is None or used == wanted:
        return f"Basisjahr {used} ({origin})" if wanted is not None else f"Basisjahr {used}"
    return f"Basisjahr {used} (verschoben von {wanted}, {origin}: dort kein vergleichbarer Wert)"


def one_sentence(ind: Indicator, verdict: Worded) -> str:
    """The verdict in one sentence for the committee (no method jargon)."""
    if ind.direction == "context":
        return "Kontextindikator: beschreibt die Lage, ohne Bewertung."
    if not verdict.assessable:
        first = verdict.explanation.split(". ")[0].rstrip(".")
        return "Nicht bewertbar: " + first.removeprefix("Nicht bewertbar: ") + "."
    if verdict.projection:
        year, value = verdict.projection[-1]
        sentence = f"{verdict.label}: Bei gleichbleibender Entwicklung {fmt_value(value, ind.unit)} im Jahr {year}."
    else:
        sentence = f"{verdict.label}."
    return sentence + thin_basis(verdict)


def thin_basis(verdict: Worded) -> str:
    """' Die Einschätzung beruht auf der Entwicklung eines einzigen Jahres (2024 bis 2025).' where the years the
    verdict used span one year only (e.g. a base year just before the latest value): the committee should not read a
    trend into it. Empty otherwise."""
    years = sorted(verdict.years_used)
    if not verdict.assessable or len(years) < 2 or years[-1] - years[0] > 1:
        return ""
    return " " + texts.THIN_BASIS.format(first=years[0], last=years[-1])
