"""The report's charts, built by the pages' figure builders (``indicators.charts``): the indicator page's trend
(Landkreis and chosen regions, target, Soll path, projection, notes) and its breakdown; the projector slide's
chart for the PowerPoint. Only the size and type are set for print."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable, Iterator

import plotly.graph_objects as go

from indicators import charts, queries
from indicators.fmt import fmt_value
from indicators.regions import region_name
from indicators.report.content import IndicatorEntry, Report
from indicators.report.render import Deadline, render
from indicators.service import Monitor

#: print: the chart is placed 108 mm wide; at 640 px the pages' 15-16 px text is about 7 pt, the legend 6,5 pt
PRINT_SIZE = (640, 360)
SLIDE_SIZE = (960, 640)
BREAKDOWN_TITLES = {"nationality": "nach Staatsangehörigkeit", "sex": "nach Geschlecht"}


def trend_figure(monitor: Monitor, e: IndicatorEntry, year: int) -> go.Figure | None:
    """The indicator page's chart (no breakdown): the chosen regions, target, Soll path and projection."""
    data = queries.series(monitor.store, e.ind, e.regions)
    data = data[data["year"] <= year]
    if data.empty or data["value"].notna().sum() == 0:
        return None
    data = data.assign(
        label=data["region"].map(e.region_names).fillna(data["region_name"]),
        order=data["region"].map({r: i for i, r in enumerate(e.regions)}),
    )
    data = data.sort_values(["order", "year"]).drop(columns="order")
    fig = charts.trend(e.ind, data, "region", label_col="label", template=None)
    s = e.status
    if s.target:
        charts.add_target(
            fig, e.ind, s.target.target_year, s.target.target_value, s.soll_path(), list(e.verdict.projection)
        )
    charts.add_notes(fig, e.notes)  # the indicator's and the general notes up to the reporting year
    return fig


def breakdown_figure(monitor: Monitor, e: IndicatorEntry, year: int) -> go.Figure | None:
    """The indicator page's breakdown (Deutsche/Ausländer or Frauen/Männer) for the Landkreis."""
    if not e.breakdown:
        return None
    data = queries.breakdown_series(monitor.store, e.ind, e.breakdown)
    data = data[data["year"] <= year]
    if data.empty or data["value"].notna().sum() == 0:
        return None
    data["label"] = data["group_code"].map(charts.GROUP_LABELS).fillna(data["group_code"])
    return charts.trend(e.ind, data, "group_code", label_col="label", template=None)


def slide_figure(monitor: Monitor, e: IndicatorEntry, year: int) -> go.Figure | None:
    """The projector slide's chart (Präsentation): Landkreis, target and projection, large type."""
    data = queries.series(monitor.store, e.ind, [monitor.settings.own_region]).assign(
        label=region_name(monitor.store, monitor.settings.own_region)
    )
    data = data[data["year"] <= year]
    if data.empty or data["value"].notna().sum() == 0:
        return None
    fig = charts.trend(e.ind, data, "region", label_col="label", template=None)
    if e.status.target:
        charts.add_target(
            fig, e.ind, e.status.target.target_year, e.status.target.target_value, None, list(e.verdict.projection)
        )
    charts.projector_style(fig)
    return fig


def for_print(fig: go.Figure) -> go.Figure:
    """Static image: no hover, the legend's and the labels' room kept, white background."""
    fig.update_layout(hovermode=False, paper_bgcolor="#ffffff", plot_bgcolor="#ffffff")
    return fig


def report_figures(monitor: Monitor, report: Report, slides: bool = False) -> dict[tuple[str, str], go.Figure]:
    """Every chart of the report, keyed by (indicator id, 'verlauf' | 'aufschluesselung' | 'folie')."""
    return dict(iter_figures(monitor, report, slides))


def iter_figures(monitor: Monitor, report: Report, slides: bool = False) -> Iterator[tuple[tuple[str, str], go.Figure]]:
    """The report's charts one by one (for rendering while the next is built): ((indicator id, kind), figure)."""
    for e in report.entries:
        if slides:
            fig = slide_figure(monitor, e, report.year)
            if fig is not None:
                yield (e.ind.id, "folie"), for_print(fig)
            continue
        fig = trend_figure(monitor, e, report.year)
        if fig is not None:
            yield (e.ind.id, "verlauf"), for_print(fig)
        fig = breakdown_figure(monitor, e, report.year)
        if fig is not None:
            yield (e.ind.id, "aufschluesselung"), for_print(fig)


def count_figures(report: Report, slides: bool = False) -> int:
    """How many charts :func:`iter_figures` yields (for the progress bar; fewer where an indicator has no values)."""
    return len(report.entries) if slides else sum(2 if e.breakdown else 1 for e in report.entries)


def file_name(ind_name: str, kind: str, year: int, ext: str) -> str:
    """A German file name that every system accepts: 'Verlauf_Arbeitslosenquote_Auslaender_2025.png'."""
    kind_word = {"verlauf": "Verlauf", "aufschluesselung": "Aufschluesselung", "folie": "Folie"}.get(kind, kind)
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
    name = re.sub(r"[^A-Za-z0-9]+", "_", ind_name.translate(table)).strip("_")[:80]
    return f"{kind_word}_{name}_{year}.{ext}"


KIND_TEXT = {"verlauf": "Verlauf", "folie": "Verlauf", "aufschluesselung": "Aufschlüsselung"}


def describe(fig: go.Figure, e: IndicatorEntry, kind: str) -> str:
    """The chart's alternative text, read from the figure itself: what it shows (indicator, series, period), each
    series' latest value, and for the trend the change, target and verdict in words (issue 25, BITV 2.0)."""
    lines = [t for t in fig.data if t.mode == "lines+markers" and t.name != "Sollpfad"]
    years: list[int] = []
    last = []
    for t in lines:
        points = [(int(x), float(y)) for x, y in zip(t.x, t.y) if y is not None and y == y]
        if points:
            years += [points[0][0], points[-1][0]]
            label = html.unescape(str(t.name))
            last.append(f"{label} {points[-1][0]}: {fmt_value(points[-1][1], e.ind.unit)}")
    what = BREAKDOWN_TITLES.get(e.breakdown, "") if kind == "aufschluesselung" else ""
    text = f"Liniendiagramm {KIND_TEXT.get(kind, kind)} {e.ind.name}" + (f" {what}" if what else "")
    if years:
        text += f", {min(years)} bis {max(years)}"
    text += ". " + ("Letzte Werte: " + "; ".join(last) + "." if last else "Keine Werte.")
    if kind != "aufschluesselung":
        text += f" Veränderung zum Vorjahr: {e.change_text}."
        if e.status.target:
            text += f" Ziel: {e.target_text}."
        if any(t.name == "Fortschreibung" for t in fig.data):
            text += " Gestrichelt: Fortschreibung des bisherigen Trends."
        text += f" Bewertung: {e.verdict.label}."
    return text


def chart_images(
    monitor: Monitor,
    report: Report,
    slides: bool,
    fmt: str,
    size: tuple[int, int],
    scale: float,
    say: Callable[[float, str], object],
    deadline: Deadline | None = None,
) -> tuple[dict[Hashable, bytes], dict[Hashable, str]]:
    """Every chart of the report drawn statically (matplotlib, no browser), with the progress the page shows (5 % to
    85 %), and each chart's alternative text; stops with a German message once ``deadline`` has passed."""
    say(0.02, "Diagramme werden zusammengestellt …")
    entries = {e.ind.id: e for e in report.entries}
    alts: dict[Hashable, str] = {}

    def described() -> Iterator[tuple[Hashable, go.Figure]]:
        for key, fig in iter_figures(monitor, report, slides=slides):
            alts[key] = describe(fig, entries[key[0]], key[1])
            yield key, fig

    images = render(
        described(),
        fmt,
        size,
        scale,
        total=count_figures(report, slides=slides),
        progress=lambda i, n: say(0.05 + 0.8 * i / n, f"Diagramm {min(i, n)} von {n} wird gezeichnet …"),
        deadline=deadline,
    )
    return images, alts
