"""Plotly figure builders (no Streamlit). Colour-blind-safe palette (Okabe-Ito), and every series
distinguishable without colour: dash pattern and marker symbol change with the colour."""

from __future__ import annotations

from html import escape
from typing import cast

import pandas as pd
import plotly.graph_objects as go

from indicators.catalog import Indicator
from indicators.fmt import decimals_for, fmt_exact, fmt_value, with_flag

#: Okabe & Ito (2008), colour-blind safe; black first for the Landkreis.
PALETTE = ["#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "x", "star", "hexagon"]
FLAGGED_SYMBOL = "circle-open"
FONT = dict(family="Source Sans, Arial, sans-serif", size=16, color="#111111")

GROUP_LABELS = {
    "insgesamt": "Insgesamt",
    "deutsch": "Deutsche",
    "auslaendisch": "Ausländer/-innen",
    "eu": "EU-Ausländer/-innen",
    "drittstaat": "Drittstaatsangehörige",
    "schutzsuchend": "Schutzsuchende",
    "maennlich": "Männer",
    "weiblich": "Frauen",
}
DIRECTION_HINT = {
    "up": "höher ist besser ↑",
    "down": "niedriger ist besser ↓",
    "zero": "näher an 0 ist besser",
    "context": "Kontextindikator (ohne Bewertung)",
}


def _axis_format(unit: str) -> str:
    return f",.{decimals_for(unit)}f"


def base_layout(
    fig: go.Figure, height: int = 380, title: str | None = None, template: str | None = "simple_white"
) -> go.Figure:
    """``template=None`` for the report's static drawing, which does not read it (setting plotly's template copies
    it: a tenth of a second per figure)."""
    fig.update_layout(
        template=template,
        separators=",.",
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        title=dict(text=title, x=0, font=dict(size=18)) if title else None,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=15)),
        hoverlabel=dict(font_size=15),
        hovermode="x unified",
    )
    fig.update_xaxes(showgrid=False, tickformat="d", ticks="outside", tickfont=dict(size=15, color="#222222"))
    fig.update_yaxes(
        showgrid=True,
        gridcolor="#dddddd",
        zeroline=True,
        zerolinecolor="#888888",
        tickfont=dict(size=15, color="#222222"),
        title=dict(font=dict(color="#222222")),
    )
    return fig


def trend(
    ind: Indicator,
    data: pd.DataFrame,
    series_col: str,
    label_col: str | None = None,
    title: str | None = None,
    height: int = 400,
    template: str | None = "simple_white",
) -> go.Figure:
    """Lines over years, one per value of ``series_col``. Values with a flag get an open marker;
    suppressed years stay gaps (never drawn as 0). ``template``: see :func:`base_layout`."""
    fig = go.Figure()
    for i, (key, grp) in enumerate(data.groupby(series_col, sort=False)):
        grp = grp.sort_values("year")
        # names (regions) may come from files: escaped, plotly would otherwise render its HTML subset
        name = escape(str(grp[label_col].iloc[0]) if label_col else GROUP_LABELS.get(str(key), str(key)))
        colour = PALETTE[i % len(PALETTE)]
        flags = grp["flag"].fillna("")
        texts = [f"{fmt_value(v, ind.unit)}{' (' + f + ')' if f else ''}" for v, f in zip(grp["value"], flags)]
        fig.add_trace(
            go.Scatter(
                x=grp["year"],
                y=grp["value"],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line=dict(color=colour, width=3.5 if i == 0 else 2.5, dash=DASHES[i % len(DASHES)]),
                marker=dict(
                    size=9,
                    symbol=[FLAGGED_SYMBOL if f else SYMBOLS[i % len(SYMBOLS)] for f in flags],
                    color=colour,
                    line=dict(width=2, color=colour),
                ),
                text=texts,
                hovertemplate="%{text}<extra>" + name + "</extra>",
            )
        )
    base_layout(fig, height=height, title=title, template=template)
    fig.update_yaxes(
        title=dict(text=ind.unit if ind.unit != "Anzahl" else "Anzahl"),
        tickformat=_axis_format(ind.unit),
        rangemode="tozero" if ind.unit in ("%", "Anzahl", "je 100", "Tage", "Index") else "normal",
    )
    return fig


TARGET_COLOUR = "#D55E00"
PROJECTION_COLOUR = "#0072B2"


def add_target(
    fig: go.Figure,
    ind: Indicator,
    target_year: int,
    target_value: float,
    soll: dict[int, float] | None = None,
    projection: list[tuple[int, float]] | None = None,
) -> go.Figure:
    """Target as a star, the Soll path as a dotted line with crosses, the projection as a dashed line:
    distinguishable by line style and marker, not only by colour."""
    if soll:
        years = sorted(soll)
        fig.add_trace(
            go.Scatter(
                x=years,
                y=[soll[y] for y in years],
                name="Sollpfad",
                mode="lines+markers",
                line=dict(color=TARGET_COLOUR, width=2, dash="dot"),
                marker=dict(symbol="x-thin", size=9, line=dict(width=2, color=TARGET_COLOUR)),
                text=[fmt_value(soll[y], ind.unit) for y in years],
                hovertemplate="Soll %{x}: %{text}<extra></extra>",
            )
        )
    if projection and len(projection) >= 2:
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in projection],
                y=[p[1] for p in projection],
                name="Fortschreibung",
                mode="lines",
                line=dict(color=PROJECTION_COLOUR, width=2.5, dash="dash"),
                text=[fmt_value(p[1], ind.unit) for p in projection],
                hovertemplate="Fortschreibung %{x}: %{text}<extra></extra>",
            )
        )
    # the label runs into the plot (the target is mostly the last year on the axis) on the side away from the
    # data, and the y axis leaves room for it: never cut off at the plot edge or over the right border
    xs = [x for t in fig.data for x in (t.x if t.x is not None else ()) if x is not None and not pd.isna(x)]
    ys = [y for t in fig.data for y in (t.y if t.y is not None else ()) if y is not None and not pd.isna(y)]
    # the label on the side away from the line that runs into the star (projection, else the last value)
    reference = projection[-1][1] if projection else (ys[-1] if ys else target_value)
    above = target_value >= reference
    side = "left" if not xs or target_year >= max(xs) else "center"
    fig.add_trace(
        go.Scatter(
            x=[target_year],
            y=[target_value],
            name=f"Ziel {target_year}",
            mode="markers+text",
            marker=dict(symbol="star", size=18, color=TARGET_COLOUR, line=dict(width=1.5, color="#000000")),
            text=[f"Ziel {fmt_exact(target_value, ind.unit)}"],
            textposition=f"{'top' if above else 'bottom'} {side}",
            textfont=dict(size=15, color="#000000"),
            cliponaxis=False,
            hovertemplate=f"Ziel {target_year}: {fmt_exact(target_value, ind.unit)}<extra></extra>",
        )
    )
    values = ys + [target_value]
    lo, hi = min(values), max(values)
    if fig.layout.yaxis.rangemode == "tozero":
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = (hi - lo) or abs(hi) or 1.0
    floor = 0.0 if fig.layout.yaxis.rangemode == "tozero" and lo >= 0 else None  # a share never shows below 0
    bottom = min(lo - 0.05 * span, target_value - (0.0 if above else 0.18 * span))
    top = max(hi + 0.05 * span, target_value + (0.18 * span if above else 0.0))
    fig.update_yaxes(range=[bottom if floor is None else max(bottom, floor), top])
    return fig


def add_notes(fig: go.Figure, notes: list[tuple[int, str]]) -> go.Figure:
    """Notes as thin vertical lines with a numbered label on the time axis (text in the hover)."""
    for i, (year, text) in enumerate(notes, start=1):
        fig.add_vline(x=year, line=dict(color="#555555", width=1.5, dash="dot"))
        fig.add_annotation(
            x=year,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=f"<b>[{i}]</b>",
            hovertext=escape(f"{year}: {text}"),
            font=dict(size=14, color="#333333"),
            bgcolor="#ffffff",
        )
    if notes:  # the note markers sit above the plot: the legend moves below the figure, out of their way
        fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom"), margin=dict(b=70))
    return fig


def gemeinde_bars(ind: Indicator, data: pd.DataFrame, kreis_value: float | None, year: int) -> go.Figure:
    """Sorted horizontal bars for the Gemeinden. A missing value is a gap with its symbol ("Fz: kein Wert"),
    never a bar or a "–" at zero. The Landkreis value as a dashed line only where it compares like with like
    (rates, shares, means); a count's Landkreis value is the sum of the Gemeinden and stands beyond every bar."""
    d = data[data["level"] == "gemeinde"].copy()
    d = d.sort_values("value", ascending=True, na_position="first")
    d["region_name"] = [escape(str(n)) for n in d["region_name"]]  # from files: shown as text, never as HTML
    missing = d["value"].isna().tolist()
    flags = [f if isinstance(f, str) and f else "" for f in d["flag"]]
    labels = ["" if gap else with_flag(fmt_value(v, ind.unit), f) for v, f, gap in zip(d["value"], flags, missing)]
    fig = go.Figure(
        go.Bar(
            x=d["value"],
            y=d["region_name"],
            orientation="h",
            marker=dict(color=PALETTE[1]),
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    for name, flag, gap in zip(d["region_name"], flags, missing):
        if gap:
            fig.add_annotation(
                x=0,
                y=name,
                xref="x",
                yref="y",
                xanchor="left",
                showarrow=False,
                text=f"<i>{flag or '–'} (kein Wert)</i>",
                font=dict(size=15, color="#444444"),
            )
    if kreis_value is not None and pd.notna(kreis_value) and kreis_comparable(ind):
        fig.add_vline(x=kreis_value, line=dict(color="#000000", dash="dash", width=2.5))
        fig.add_annotation(
            x=kreis_value,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            xanchor="left",
            text=f"Landkreis: {fmt_value(kreis_value, ind.unit)}",
            font=dict(size=15, color="#000000"),
            bgcolor="#ffffff",
        )
    base_layout(fig, height=max(320, 60 * len(d) + 80), title=f"{ind.name} {year}")
    fig.update_layout(hovermode="closest", showlegend=False, margin=dict(t=80))
    fig.update_xaxes(title=dict(text=ind.unit), tickformat=_axis_format(ind.unit), showgrid=True, gridcolor="#dddddd")
    shown_line = kreis_value is not None and pd.notna(kreis_value) and kreis_comparable(ind)
    known = [float(v) for v in d["value"].dropna()] + ([float(cast(float, kreis_value))] if shown_line else [])
    if known:  # room beyond the longest bar for its label ("19,7 %" was cut at the plot's edge)
        lo, hi = min(0.0, *known), max(0.0, *known)
        pad = 0.2 * ((hi - lo) or 1.0)
        fig.update_xaxes(range=[lo - pad if lo < 0 else lo, hi + pad if hi > 0 else hi])
    fig.update_yaxes(showgrid=False)
    return fig


COVERAGE_CODES = {"fehlt": 0, "gesperrt": 1, "markiert": 2, "wert": 3}
COVERAGE_LABELS = {0: "keine Daten", 1: "gesperrt/fehlend (Zeichen)", 2: "Wert mit Kennzeichen", 3: "Wert vorhanden"}


def coverage_matrix(matrix: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """Indicators (rows) by year (columns). Codes 0..3; the text in each cell repeats the state."""
    z = matrix.to_numpy()
    text_map = {0: "", 1: "∅", 2: "◐", 3: "●"}
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in matrix.columns],
            y=[names.get(i, i) for i in matrix.index],
            zmin=0,
            zmax=3,
            showscale=False,
            xgap=2,
            ygap=2,
            colorscale=[
                [0, "#f2f2f2"],
                [0.33, "#f2f2f2"],
                [0.34, "#E69F00"],
                [0.6, "#E69F00"],
                [0.61, "#56B4E9"],
                [0.85, "#56B4E9"],
                [0.86, "#0072B2"],
                [1, "#0072B2"],
            ],
            text=[[text_map[int(v)] for v in row] for row in z],
            texttemplate="%{text}",
            customdata=[[COVERAGE_LABELS[int(v)] for v in row] for row in z],
            hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
        )
    )
    base_layout(fig, height=max(300, 24 * len(matrix) + 80))
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(autorange="reversed", showgrid=False, tickfont=dict(size=13))
    fig.update_xaxes(side="top", tickfont=dict(size=13))
    return fig


def kreis_comparable(ind: Indicator) -> bool:
    """Whether the Landkreis value compares with the Gemeinden' values (a rate, share or mean), not a count whose
    Landkreis value is their sum."""
    return ind.unit != "Anzahl"


#: projector: at least 24 px for every text a committee reads from the back of the room, black on white
PROJECTOR_TEXT = 26
PROJECTOR_TICKS = 24


def projector_style(fig: go.Figure) -> go.Figure:
    """Large type and thick lines for a projector at the back of a meeting room. The height comes from the
    page (the figure fills the space the slide leaves), not from the figure."""
    fig.update_layout(
        font=dict(size=PROJECTOR_TEXT, color="#000000"),
        legend=dict(font=dict(size=PROJECTOR_TICKS)),
        hovermode=False,
        height=None,
        margin=dict(l=10, r=30, t=60, b=10),
    )
    fig.update_traces(selector=dict(mode="lines+markers"), line=dict(width=5), marker=dict(size=14))
    fig.update_traces(
        selector=dict(mode="markers+text"), textfont=dict(size=PROJECTOR_TEXT, color="#000000"), marker=dict(size=26)
    )
    fig.update_xaxes(tickfont=dict(size=PROJECTOR_TICKS, color="#000000"), nticks=8)
    fig.update_yaxes(
        tickfont=dict(size=PROJECTOR_TICKS, color="#000000"),
        title=dict(font=dict(size=PROJECTOR_TEXT, color="#000000")),
    )
    return fig


def region_bars(ind: Indicator, data: pd.DataFrame, own: str, year: int) -> go.Figure:
    """Regionalvergleich (issue 10): one bar per region (own Kreis, Land, Deutschland, comparison Kreise) in the
    order given; the own Kreis stands out by colour and a bold label, a missing value is a gap with its symbol."""
    d = data.iloc[::-1].copy()  # plotly draws the first row at the bottom
    names = [escape(str(n)) for n in d["name"]]
    names = [f"<b>{n}</b>" if r == own else n for n, r in zip(names, d["region"])]
    missing = d["value"].isna().tolist()
    flags = [f if isinstance(f, str) and f else "" for f in d["flag"]]
    labels = [
        "" if gap else fmt_value(v, ind.unit) + (f" ({f})" if f else "")
        for v, f, gap in zip(d["value"], flags, missing)
    ]
    colours = [PALETTE[0] if r == own else PALETTE[2] if len(str(r)) < 5 else PALETTE[1] for r in d["region"]]
    fig = go.Figure(
        go.Bar(
            x=d["value"],
            y=names,
            orientation="h",
            marker=dict(color=colours),
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    for name, flag, gap in zip(names, flags, missing):
        if gap:
            fig.add_annotation(
                x=0,
                y=name,
                xref="x",
                yref="y",
                xanchor="left",
                showarrow=False,
                text=f"<i>{escape(flag) or '–'} (kein Wert)</i>",
                font=dict(size=15, color="#444444"),
            )
    base_layout(fig, height=max(320, 52 * len(d) + 90), title=f"{ind.name} {year}")
    fig.update_layout(hovermode="closest", showlegend=False, margin=dict(t=80, r=120))
    fig.update_xaxes(title=dict(text=ind.unit), tickformat=_axis_format(ind.unit), showgrid=True, gridcolor="#dddddd")
    fig.update_yaxes(showgrid=False)
    return fig
