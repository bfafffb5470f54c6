"""What the report says: the selection (year, fields, indicators, regions) and, per indicator, the same verdict,
wording and Steckbrief the pages show. Verdicts come from ``indicators.verdicts.evaluate`` on the series up to the
reporting year; the words from ``indicators.texts`` / ``indicators.wording`` (shared with the pages)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from indicators import progress, queries, targets, texts, verdicts, wording
from indicators.catalog import FieldOfAction, Indicator
from indicators.compute import COMPUTED_FLAGS
from indicators.errors import UserError
from indicators.fmt import fmt_date, fmt_exact, fmt_value
from indicators.ingest.values import ALL_FLAGS
from indicators.regions import region_name
from indicators.service import Monitor
from indicators.store import Store
from indicators.strategy import model as strategy_model
from indicators.strategy import schedule
from indicators.wording import METHOD_LABELS, change_text, rollup_details

FLAG_TEXT = {**ALL_FLAGS, **COMPUTED_FLAGS}


class ReportError(UserError):
    """The report cannot be built (German message for the page and the command line)."""


class SelectionError(ReportError):
    """A selection the report cannot be built for: unknown field, indicator, region or year."""


@dataclass
class Selection:
    """``fields``/``indicators``: ids in the order chosen (``None``: all, in catalog order); ``regions``: region
    keys shown beside the Landkreis in the charts (Gemeinden, Niedersachsen) where the indicator has values."""

    year: int | None = None
    fields: list[str] | None = None
    indicators: list[str] | None = None
    regions: list[str] = field(default_factory=list)


@dataclass
class IndicatorEntry:
    ind: Indicator
    status: verdicts.IndicatorStatus
    latest: tuple[int, float] | None
    flag: str | None
    change: float | None
    region_names: dict[str, str]
    regions: list[str]  # Landkreis first, then the chosen regions with values
    breakdown: str  # "" or the breakdown dimension shown in the second chart
    notes: list[tuple[int, str]] = field(default_factory=list)  # (year, text) up to the reporting year, as numbered

    @property
    def notes_text(self) -> str:
        """'[1] 2015: Ankunft vieler Geflüchteter · [2] …' – the legend of the chart's note markers."""
        return " · ".join(f"[{i}] {y}: {t}" for i, (y, t) in enumerate(self.notes, start=1))

    @property
    def verdict(self) -> progress.Verdict:
        return self.status.verdict

    @property
    def value_text(self) -> str:
        if not self.latest:
            return "–"
        return fmt_value(self.latest[1], self.ind.unit) + (f" ({self.flag})" if self.flag else "")

    @property
    def change_text(self) -> str:
        return change_text(self.change, self.ind.unit, self.ind.direction, self.verdict)

    @property
    def target_text(self) -> str:
        t = self.status.target
        return f"{fmt_exact(t.target_value, self.ind.unit)} bis {t.target_year}" if t else "–"

    @property
    def verdict_text(self) -> str:
        return f"{self.verdict.symbol} {self.verdict.label}"

    @property
    def sentence(self) -> str:
        return wording.one_sentence(self.ind, self.verdict)

    @property
    def method_text(self) -> str:
        return METHOD_LABELS.get(self.status.method, self.status.method)

    @property
    def stand_text(self) -> str:
        """'Quelle: …; Stichtag 31.12., Stand 2024'."""
        year = self.latest[0] if self.latest else "–"
        return f"Quelle: {self.ind.source}; Stichtag {self.ind.reference_date}, Stand {year}"

    @property
    def improvement(self) -> float | None:
        """The one-year change towards the goal, relative to the previous value (for 'improved most'); None for
        context indicators and without a previous value."""
        if self.change is None or self.latest is None or self.ind.direction == "context":
            return None
        previous = self.latest[1] - self.change
        if self.ind.direction == "zero":
            delta = abs(previous) - abs(self.latest[1])
        else:
            delta = self.change if self.ind.direction == "up" else -self.change
        return delta / abs(previous) if previous else None


@dataclass
class LateMeasure:
    id: str
    title: str
    state: str  # 'verzögert' / 'gefährdet' with its sign
    reason: str


@dataclass
class Handlungsziel:
    """One step of the strategy's chain (issue 25): a Handlungsziel with the indicators that measure it (name and
    verdict) and the measures that work towards it (number, title, schedule state)."""

    id: str
    title: str
    indicators: list[str]  # '▲ Arbeitslosenquote Ausländer'
    measures: list[str]  # 'M-003 Sprachkurse für Eltern (verzögert)'


@dataclass
class Leitziel:
    id: str
    title: str
    goals: list[Handlungsziel]


@dataclass
class FieldEntry:
    field: FieldOfAction
    rollup: dict[str, Any]
    entries: list[IndicatorEntry]
    measures: str = ""  # '6 Maßnahmen: 4 im Plan, 1 verzögert, 1 gefährdet' (issue 12: the strategy's other half)
    late_measures: list[LateMeasure] = dataclasses.field(default_factory=list)
    chain: list[Leitziel] = dataclasses.field(default_factory=list)  # Leitziel → Handlungsziel → measures/indicators

    @property
    def rollup_text(self) -> str:
        r = self.rollup
        return f"{r['symbol']} {r['label']}" + rollup_details(r)


@dataclass
class Report:
    year: int
    fields: list[FieldEntry]
    demo: bool
    stand: str  # 'Stand der Daten: 28.11.2026'
    created: dt.date
    #: the own Kreis's name: the tenant's (issue 24; MONITOR_OWN_REGION in a single-Kreis installation)
    own_name: str = ""

    @property
    def entries(self) -> list[IndicatorEntry]:
        return [e for f in self.fields for e in f.entries]

    def movers(self, n: int = 3) -> tuple[list[IndicatorEntry], list[IndicatorEntry]]:
        """The indicators that improved and worsened most against the previous year (relative change)."""
        scored = [(e.improvement, e) for e in self.entries if e.improvement is not None]
        better = [e for s, e in sorted(scored, key=lambda x: -x[0]) if s > 0][:n]
        worse = [e for s, e in sorted(scored, key=lambda x: x[0]) if s < 0][:n]
        return better, worse

    @property
    def flags(self) -> dict[str, str]:
        """Every flag the report's latest values carry, with its meaning (annex)."""
        used = {f for e in self.entries if e.flag for f in str(e.flag).split(",")}
        return {f: FLAG_TEXT.get(f, "") for f in sorted(used)} or {}


def available_years(monitor: Monitor) -> list[int]:
    return [
        int(r[0])
        for r in monitor.store.query(
            "SELECT DISTINCT year FROM indicator_values WHERE value IS NOT NULL ORDER BY year DESC"
        )
    ]


def region_choices(monitor: Monitor) -> dict[str, str]:
    """Regions that can appear beside the Landkreis: its Gemeinden and the comparison regions (Land) with values."""
    regions = monitor.store.regions()
    with_values = {r[0] for r in monitor.store.query("SELECT DISTINCT region FROM indicator_values")}
    out = {}
    for key, name, level in regions[["key", "name", "level"]].itertuples(index=False, name=None):
        if key != monitor.settings.own_region and key in with_values and level in ("gemeinde", "land", "kreis"):
            out[key] = name
    return out


def resolve(monitor: Monitor, sel: Selection) -> list[tuple[FieldOfAction, list[Indicator]]]:
    """The chosen fields and indicators in the chosen order; unknown ids end in a German message."""
    cat = monitor.catalog
    field_ids = sel.fields or [f.id for f in cat.ordered_fields()]
    unknown = [f for f in field_ids if f not in cat.fields]
    if unknown:
        raise SelectionError(f"Unbekanntes Handlungsfeld: {', '.join(unknown)}. Bekannt sind: {', '.join(cat.fields)}.")
    if sel.indicators:
        bad = [i for i in sel.indicators if i not in cat.indicators]
        if bad:
            raise SelectionError(f"Unbekannter Indikator: {', '.join(bad)}.")
        chosen = [cat.indicators[i] for i in dict.fromkeys(sel.indicators)]
        if sel.fields:  # indicators outside the chosen fields are left out
            chosen = [i for i in chosen if i.field in field_ids]
            order = field_ids
        else:
            order = list(dict.fromkeys(i.field for i in chosen))
        out = [(cat.fields[f], [i for i in chosen if i.field == f]) for f in order]
    else:
        out = [(cat.fields[f], cat.by_field(f)) for f in dict.fromkeys(field_ids)]
    out = [(f, inds) for f, inds in out if inds]
    if not out:
        raise SelectionError("Die Auswahl enthält keinen Indikator.")
    return out


def build(monitor: Monitor, sel: Selection, today: dt.date | None = None, check_regions: bool = True) -> Report:
    """Everything the PDF and the PowerPoint say, for the selection. ``check_regions``: a chosen region without
    values for every chosen indicator is refused (off for one chart of an indicator that the region lacks)."""
    store, cat = monitor.store, monitor.catalog
    years = available_years(monitor)
    if not years:
        raise ReportError("Es sind noch keine Indikatorwerte berechnet; bitte zuerst Daten laden.")
    year = sel.year if sel.year is not None else years[0]
    if year not in years:
        raise SelectionError(f"Für das Jahr {year} gibt es keine Werte. Jahre mit Werten: {min(years)}–{max(years)}.")
    chosen = resolve(monitor, sel)
    choices = region_choices(monitor)
    own = monitor.settings.own_region  # MONITOR_OWN_REGION
    bad = [r for r in sel.regions if r not in choices and r != own]
    if bad:
        raise SelectionError(f"Unbekannte Region oder Region ohne Werte: {', '.join(bad)}.")
    names = {own: region_name(store, own), **choices}

    inds = [i for _, group in chosen for i in group]
    head = queries.headline_series(store, cat, own, inds)
    head = head[head["year"] <= year]
    tg = targets.targets(store)
    grouped = {k: g for k, g in head.groupby("indicator")}
    regional = {
        r[0]: set(r[1])
        for r in store.query(
            "SELECT indicator, list(DISTINCT region) FROM indicator_values WHERE value IS NOT NULL GROUP BY indicator"
        )
    }
    # a chosen region must have values for at least one chosen indicator: said before the work, never left out silently
    empty = [r for r in sel.regions if r != own and not any(r in regional.get(i.id, ()) for i in inds)]
    if empty and check_regions:
        raise SelectionError(
            "Für die gewählten Indikatoren gibt es keine Werte in: "
            + ", ".join(f"{names.get(r, r)} ({r})" for r in empty)
            + ". Bitte diese Region abwählen oder Indikatoren mit Werten auf ihrer Ebene wählen."
        )
    entries: dict[str, IndicatorEntry] = {}
    for ind in inds:
        shown = [own] + [r for r in sel.regions if r != own and r in regional.get(ind.id, ())]
        entries[ind.id] = _entry(store, ind, grouped.get(ind.id), tg.get(ind.id), names, shown, year)
    statuses = {i: e.status for i, e in entries.items()}
    today = today or monitor.settings.today
    all_measures = strategy_model.measures(store)
    all_goals = strategy_model.goals(store)
    fields = []
    for f, group in chosen:
        counts, late = schedule.field_measures(all_measures, f.id, today)
        fields.append(
            FieldEntry(
                f,
                progress.rollup([statuses[i.id].verdict for i in group], combine=f.rollup),
                [entries[i.id] for i in group],
                schedule.summary_text(counts),
                [LateMeasure(m["id"], m["title"], sch.label, sch.reason) for m, sch in late],
                _chain(monitor, f.id, all_goals, all_measures, statuses, today),
            )
        )
    uploaded = store.scalar("SELECT max(uploaded_at) FROM uploads WHERE status = 'aktiv'")
    return Report(
        year=year,
        fields=fields,
        demo=store.has_demo_data(),
        stand=f"Stand der Daten: {fmt_date(uploaded) if uploaded else '–'}",
        created=today,
        own_name=region_name(store, monitor.settings.own_region),
    )


def _entry(
    store: Store,
    ind: Indicator,
    frame: pd.DataFrame | None,
    target: targets.Target | None,
    names: dict[str, str],
    shown: list[str],
    year: int,
) -> IndicatorEntry:
    """One indicator's part of the report: its verdict, latest value with flag, change to the previous year,
    breakdown shown, and the notes up to the reporting year. ``frame``: its headline series up to the year (own
    region); ``shown``: the regions of its chart, the own region first."""
    own = shown[0]
    series = (
        {int(y): (None if pd.isna(v) else float(v)) for y, v in zip(frame["year"], frame["value"])}
        if frame is not None
        else {}
    )
    status = verdicts.evaluate(ind, series, target)
    latest = status.latest
    flag = None
    if latest is not None and frame is not None:
        f = frame.loc[frame["year"] == latest[0], "flag"]
        flag = f.iloc[0] if len(f) and isinstance(f.iloc[0], str) and f.iloc[0] else None
    previous = series.get(latest[0] - 1) if latest else None
    options = queries.breakdown_options(store, ind.id, own)
    bd = next((d for d in ("nationality", "sex") if len(options.get(d, [])) > 1), "")
    ind_notes = targets.notes(store, ind.id)
    return IndicatorEntry(
        ind,
        status,
        latest,
        flag,
        latest[1] - previous if latest is not None and previous is not None else None,
        names,
        shown,
        bd,
        [(int(y), str(t)) for y, t in zip(ind_notes["year"], ind_notes["text"]) if y <= year],
    )


def _chain(
    monitor: Monitor,
    field_id: str,
    goals: list[dict[str, Any]],
    measures: list[dict[str, Any]],
    statuses: dict[str, verdicts.IndicatorStatus],
    today: dt.date,
) -> list[Leitziel]:
    """The field's Leitziele with their Handlungsziele, each with its indicators (verdict symbol and name; the
    indicator's verdict only where it is in the report) and its measures with their schedule state."""
    cat = monitor.catalog
    out = []
    for lz in [g for g in goals if g["field"] == field_id and g["kind"] == "leitziel"]:
        steps = []
        for hz in [g for g in goals if g["kind"] == "handlungsziel" and g["parent"] == lz["id"]]:
            inds = [
                (f"{statuses[i].verdict.symbol} " if i in statuses else "") + cat.indicators[i].name
                for i in hz["indicators"]
                if i in cat.indicators
            ]
            ms = [
                f"{m['id']} {m['title']} ({schedule.schedule_state(m, today).label})"
                for m in measures
                if hz["id"] in m["goals"]
            ]
            steps.append(Handlungsziel(hz["id"], hz["title"], inds, ms))
        out.append(Leitziel(lz["id"], lz["title"], steps))
    return out


def profile(monitor: Monitor, ind: Indicator) -> dict[str, str]:
    """The Steckbrief as the indicator page shows it (definition, formula, source, limits)."""
    cat = monitor.catalog
    return {
        "Kennung": ind.id,
        "Handlungsfeld": cat.fields[ind.field].name,
        "Beschreibung": ind.description,
        "Interpretation": ind.interpretation,
        "Formelart": texts.KIND_LABELS.get(ind.kind, ind.kind),
        "Einheit": ind.unit,
        "Richtung": texts.DIRECTION_TEXT[ind.direction],
        "Quelle": ind.source,
        "Aktualisierung": ind.update_interval,
        "Stichtag": ind.reference_date,
        **{texts.OPERAND_LABELS[role]: text for role, text in ind.operand_texts(cat.variables).items()},
        "Gemeindeebene": "ja" if ind.gemeinde_level else "nein",
        "Mindestfallzahl": str(ind.min_count if ind.min_count is not None else monitor.settings.min_count),
        "Referenz": ind.reference or "–",
        "Brüche in der Zeitreihe": "; ".join(f"{b.year}: {b.note}" for b in ind.series_breaks) or "keine bekannt",
    }
