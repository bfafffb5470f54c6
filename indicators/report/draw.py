"""Drawing a Plotly figure with matplotlib (Agg), without Plotly: the report's charts without a browser (issue 25).
Reads only the parts of a figure the report's charts use (line and marker traces, the target's labelled marker,
vertical note lines with their numbers, the axes' range, title and number format), from the figure itself or from
its ``to_dict()`` (:class:`Spec`: what a worker process of :mod:`indicators.report.render` gets). This module imports
neither Plotly nor the rest of the monitor, so a worker starts quickly."""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Callable
from typing import Any

#: plotly's pixels at 100 dpi: 1 px = 0.72 pt
PX = 0.72
DPI = 100
MARKERS = {
    "circle": "o",
    "circle-open": "o",
    "square": "s",
    "diamond": "D",
    "triangle-up": "^",
    "triangle-down": "v",
    "x": "X",
    "x-thin": "x",
    "star": "*",
    "hexagon": "h",
}
DASHES: dict[str, Any] = {
    "solid": "-",
    "dash": (0, (5, 2.5)),
    "dot": (0, (1.2, 1.8)),
    "dashdot": (0, (5, 2, 1.2, 2)),
    "longdash": (0, (9, 3)),
    "longdashdot": (0, (9, 3, 1.2, 3)),
}
#: matplotlib keeps global state (rcParams, font cache): one chart at a time, in any thread
_LOCK = threading.Lock()


class _Nil:
    """A missing part of a :class:`Spec`: false, and every attribute of it is missing too."""

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> _Nil:
        return self


NIL = _Nil()


class Spec:
    """A figure's ``to_dict()`` read like the figure (``spec.layout.yaxis.range``): a missing key is false."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._d = data

    def __bool__(self) -> bool:
        return bool(self._d)

    def __getattr__(self, name: str) -> Any:
        value = self._d.get(name, NIL)
        if isinstance(value, dict) and "bdata" in value:  # Plotly's packed array: {'dtype': 'f8', 'bdata': base64}
            import base64

            import numpy as np

            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            return array.reshape(value["shape"]) if "shape" in value else array
        if isinstance(value, dict):
            return Spec(value)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return [Spec(v) for v in value]
        return value


def job(args: tuple[dict[str, Any], str, tuple[int, int], float]) -> bytes:
    """A worker's task: (figure.to_dict(), format, size, scale) → image bytes."""
    spec, fmt, size, scale = args
    return image(Spec(spec), fmt, size, scale)


def _plain(text: object) -> str:
    """Plotly's HTML subset and escapes as plain text ('<b>[1]</b>' → '[1]', '&amp;' → '&')."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(text or "")))


def _number_format(tickformat: str | None) -> Callable[[float, Any], str]:
    """d3's ',.1f' / 'd' the German way: thousands '.', decimal ','."""
    m = re.fullmatch(r",?\.(\d+)f", tickformat or "")
    decimals = int(m.group(1)) if m else 0

    def fmt(x: float, _pos: Any = None) -> str:
        text = f"{x:,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return "0" if text.strip("-0,.") == "" else text

    return fmt


def _values(seq: Any) -> list[float]:
    return [float("nan") if v is None else float(v) for v in (seq if seq is not None else ())]


def _draw(fig: Any, size: tuple[int, int]) -> Any:
    """The Plotly figure (or its :class:`Spec`) as a matplotlib Figure (Agg)."""
    from matplotlib.figure import Figure

    lay = fig.layout
    base = float(lay.font.size or 16)
    width, height = size
    mfig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="#ffffff")
    ax = mfig.add_subplot()
    ax.set_facecolor("#ffffff")
    handles: list[Any] = []
    labels: list[str] = []
    for tr in fig.data:
        if tr.type != "scatter":
            continue
        handles.append(_trace(ax, tr, base))
        labels.append(_plain(tr.name))
    _notes(ax, lay, base)
    _axes(ax, lay, base)
    _layout(mfig, ax, lay, size, handles, labels)
    return mfig


def _trace(ax: Any, tr: Any, base: float) -> Any:
    """One scatter trace drawn on ``ax`` (line, markers by symbol, or the target's labelled marker); its legend
    handle."""
    from matplotlib.lines import Line2D

    xs, ys = _values(tr.x), _values(tr.y)
    mode = tr.mode or "lines+markers"
    colour = (tr.line.color if tr.line else None) or (tr.marker.color if tr.marker else None) or "#000000"
    lw = float((tr.line.width if tr.line else None) or 2) * PX
    dash = DASHES.get((tr.line.dash if tr.line else None) or "solid", "-")
    sym = tr.marker.symbol if tr.marker else None
    symbols = list(sym) if isinstance(sym, (list, tuple)) else [sym or "circle"] * len(xs)
    msize = float((tr.marker.size if tr.marker else None) or 8) * PX
    main = next((s for s in symbols if s != "circle-open"), symbols[0] if symbols else "circle")
    if "text" in mode and "lines" not in mode:  # the target: a labelled marker
        return _target(ax, tr, xs, ys, MARKERS.get(main, "*"), msize, colour, base)
    if "lines" in mode:
        ax.plot(xs, ys, color=colour, linewidth=lw, linestyle=dash, zorder=3)
    if "markers" in mode:
        for s in dict.fromkeys(symbols):
            px_ = [x for x, k in zip(xs, symbols) if k == s]
            py_ = [y for y, k in zip(ys, symbols) if k == s]
            open_ = s == "circle-open"
            ax.plot(
                px_,
                py_,
                linestyle="none",
                marker=MARKERS.get(s, "o"),
                markersize=msize,
                color=colour,
                markerfacecolor="#ffffff" if open_ else colour,
                markeredgecolor=colour,
                markeredgewidth=1.6 if open_ or s == "x-thin" else 0.8,
                zorder=4,
            )
    return Line2D(
        [],
        [],
        color=colour,
        linewidth=lw,
        linestyle=dash if "lines" in mode else "none",
        marker=MARKERS.get(main, "o") if "markers" in mode else None,
        markersize=msize * 0.85,
        markeredgewidth=1.6 if main == "x-thin" else 0.8,
    )


def _target(
    ax: Any, tr: Any, xs: list[float], ys: list[float], marker: str, msize: float, colour: str, base: float
) -> Any:
    """The target: a marker with its label beside it (``textposition``), drawn over the plot's edge; its legend
    handle."""
    from matplotlib.lines import Line2D

    ax.plot(
        xs,
        ys,
        linestyle="none",
        marker=marker,
        markersize=msize,
        color=tr.marker.color or colour,
        markeredgecolor=(tr.marker.line.color if tr.marker.line else None) or "#000000",
        markeredgewidth=float((tr.marker.line.width if tr.marker.line else None) or 1) * PX,
        clip_on=False,
        zorder=5,
    )
    position = tr.textposition or "top center"
    vertical, _, horizontal = str(position).partition(" ")
    size_t = float((tr.textfont.size if tr.textfont else None) or base) * PX
    for x, y, t in zip(xs, ys, tr.text or ()):
        ax.annotate(
            _plain(t),
            (x, y),
            xytext=({"left": -4, "right": 4}.get(horizontal, 0), 8 if vertical == "top" else -8),
            textcoords="offset points",
            ha={"left": "right", "right": "left"}.get(horizontal, "center"),
            va="bottom" if vertical == "top" else "top",
            fontsize=size_t,
            color=(tr.textfont.color if tr.textfont else None) or "#000000",
            annotation_clip=False,
        )
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=msize * 0.7,
        color=tr.marker.color or colour,
        markeredgecolor="#000000",
        markeredgewidth=0.8,
    )


def _notes(ax: Any, lay: Any, base: float) -> None:
    """Note markers: dotted vertical lines, the number above the plot."""
    for shape in lay.shapes or ():
        if shape.type == "line" and shape.x0 is not None and shape.x0 == shape.x1:
            ax.axvline(
                float(shape.x0),
                color=(shape.line.color if shape.line else None) or "#555555",
                linewidth=float((shape.line.width if shape.line else None) or 1) * PX,
                linestyle=DASHES.get((shape.line.dash if shape.line else None) or "solid", "-"),
                zorder=2,
            )
    for a in lay.annotations or ():
        if a.yref == "paper" and a.x is not None:
            ax.annotate(
                _plain(a.text),
                (float(a.x), float(a.y if a.y is not None else 1.0)),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="bottom",
                fontsize=float((a.font.size if a.font else None) or base) * PX,
                fontweight="bold" if "<b>" in str(a.text) else "normal",
                color=(a.font.color if a.font else None) or "#333333",
                annotation_clip=False,
            )


def _tick_size(lay: Any, base: float) -> float:
    return float(lay.yaxis.tickfont.size or base - 1)


def _axes(ax: Any, lay: Any, base: float) -> None:
    """Axes as the pages draw them (simple_white): grid across, ticks outside, German numbers; the y range, axis
    title and chart title."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    tick = _tick_size(lay, base)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=tick * PX, colors="#222222", direction="out")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=int(lay.xaxis.nticks or 8)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{int(round(x))}"))
    ax.yaxis.set_major_formatter(FuncFormatter(_number_format(lay.yaxis.tickformat)))
    ax.set_xlabel("Jahr", fontsize=tick * PX, color="#222222")
    if lay.yaxis.title and lay.yaxis.title.text:
        ax.set_ylabel(_plain(lay.yaxis.title.text), fontsize=base * PX, color="#222222")
    if lay.yaxis.range:
        ax.set_ylim(*[float(v) for v in lay.yaxis.range])
    elif lay.yaxis.rangemode == "tozero":
        lo, hi = ax.get_ylim()
        ax.set_ylim(min(0.0, lo), max(0.0, hi))
    title = _title(lay)
    if title:
        ax.set_title(title, loc="left", fontsize=base * PX * 1.1)


def _title(lay: Any) -> str:
    return _plain(lay.title.text) if lay.title and lay.title.text else ""


def _layout(mfig: Any, ax: Any, lay: Any, size: tuple[int, int], handles: list[Any], labels: list[str]) -> None:
    """The layout by measure (constrained layout took a third of the drawing time): margins from the longest tick
    label and the legend's rows, in points; characters of DejaVu Sans are about 0,6 em wide."""
    base = float(lay.font.size or 16)
    tick = _tick_size(lay, base)
    width, height = size
    lo, hi = ax.get_ylim()
    fmt = _number_format(lay.yaxis.tickformat)
    longest = max(len(fmt(v, None)) for v in ax.get_yticks() if lo <= v <= hi) if len(ax.get_yticks()) else 4
    w_pt, h_pt = width * PX, height * PX
    left = 6 + longest * 0.62 * tick * PX + 6 + (1.5 * base * PX if ax.get_ylabel() else 0)
    bottom = 8 + 2.9 * tick * PX
    top = 8 + (1.6 * base * PX if _title(lay) else 0)
    right = 14.0
    notes = any(a.yref == "paper" for a in lay.annotations or ())
    if notes:
        top += 1.5 * base * PX
    if handles and lay.showlegend is not False:
        below = bool(lay.legend and lay.legend.yref == "container")  # notes above the plot: the legend below
        room = _legend(mfig, lay, handles, labels, w_pt, h_pt, below)
        if below:
            bottom += room
        else:
            top += room
    mfig.subplots_adjust(left=left / w_pt, right=1 - right / w_pt, bottom=bottom / h_pt, top=1 - top / h_pt)


def _legend(mfig: Any, lay: Any, handles: list[Any], labels: list[str], w_pt: float, h_pt: float, below: bool) -> float:
    """The legend above the plot (or below it), in as many columns as fit; the room it takes, in points."""
    base = float(lay.font.size or 16)
    legend_size = float((lay.legend.font.size if lay.legend and lay.legend.font else None) or base - 1)
    size_l = legend_size * PX
    entry = [len(t) * 0.56 * size_l + (2.6 + 0.8 + 1.2) * size_l for t in labels]
    ncols, rows = 1, len(handles)
    for n in range(len(handles), 0, -1):  # as many columns as fit (matplotlib fills column by column)
        r = -(-len(handles) // n)
        if sum(max(entry[i : i + r]) for i in range(0, len(entry), r)) <= w_pt - 12:
            ncols, rows = n, r
            break
    mfig.legend(
        handles,
        labels,
        loc="lower left" if below else "upper left",
        bbox_to_anchor=(4 / w_pt, 4 / h_pt) if below else (4 / w_pt, 1 - 4 / h_pt),
        ncols=ncols,
        frameon=False,
        fontsize=size_l,
        handlelength=2.6,
        handletextpad=0.8,
        columnspacing=1.2,
        borderaxespad=0,
        borderpad=0,
    )
    return rows * 1.45 * size_l + 4


def image(fig: Any, fmt: str = "png", size: tuple[int, int] = (720, 400), scale: float = 2.0) -> bytes:
    """One Plotly figure (or its :class:`Spec`) as PNG, JPEG or SVG bytes (text in the SVG stays text)."""
    import matplotlib

    style: Any = {
        "font.family": "DejaVu Sans",  # ships with matplotlib: the same letters on every server
        "text.parse_math": False,  # a '$' in a region's name is a dollar sign
        "svg.fonttype": "none",
        "axes.unicode_minus": True,
    }
    with _LOCK, matplotlib.rc_context(style):
        mfig = _draw(fig, size)
        buf = io.BytesIO()
        kwargs: dict[str, Any] = {"pil_kwargs": {"quality": 90}} if fmt in ("jpeg", "jpg") else {}
        mfig.savefig(buf, format="jpeg" if fmt == "jpg" else fmt, dpi=DPI * scale, facecolor="#ffffff", **kwargs)
    return buf.getvalue()
