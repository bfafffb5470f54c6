"""The cockpit's indicator table as a plain HTML table: every column fits at 1280 px (cells wrap instead of a
horizontally scrolled grid), and the indicator's name is a link that opens its page in the same tab with one
click (a data grid's link column needs two clicks and opens a new tab). Every text is escaped."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from indicators.fmt import fmt_value

CSS = """
<style>
  .cockpit-table { width: 100%; border-collapse: collapse; font-size: 0.9rem; line-height: 1.3; margin-bottom: .5rem;
                   table-layout: fixed; overflow-wrap: break-word; }
  .cockpit-table caption { text-align: left; position: absolute; left: -9999px; }
  .cockpit-table thead th { text-align: left; font-weight: 600; background: #f0f2f6; color: #111; padding: 6px 5px;
                            border-bottom: 1px solid #c8c8c8; vertical-align: bottom; }
  .cockpit-table td, .cockpit-table tbody th { padding: 6px 5px; border-bottom: 1px solid #e2e2e2; vertical-align: top;
                                              color: #111; text-align: left; font-weight: normal; }
  .cockpit-table td.nowrap, .cockpit-table th.nowrap { white-space: nowrap; }
  .cockpit-table a { color: #0b57a4; font-weight: 600; text-decoration: underline; }
  .cockpit-table a:hover { color: #083f77; }
  .cockpit-table a:focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; border-radius: 2px; }
  .cockpit-table td img { display: block; }
</style>
"""

SPARK_W, SPARK_H = 68, 26
#: the same column widths in every field's table (in %, in the order of the cockpit's columns)
WIDTHS = (16, 21, 6.5, 11, 13.5, 11.5, 10.5, 10)
CSS = CSS.replace(
    "</style>",
    "".join(f"  .cockpit-table thead th:nth-child({i}) {{ width: {w}%; }}\n" for i, w in enumerate(WIDTHS, start=1))
    + "</style>",
)


def keep_together(text: str) -> str:
    """'43,2 %' never breaks between number and unit (a no-break space for the first space)."""
    return text.replace(" ", "\u00a0", 1)


def indicator_href(indicator_id: str) -> str:
    """Relative to the app's address, so that it also works below a path prefix (``/monitor/indikator?…``)."""
    return "indikator?" + urlencode({"id": indicator_id})


def sparkline(years: list[int], values: list[float | None], unit: str) -> str:
    """A small line of the Landkreis series (SVG as an image); gaps stay gaps. Its text alternative names the range."""
    points = [(y, v) for y, v in zip(years, values) if v is not None]
    if len(points) < 2:
        return "–"
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    y0, y1 = min(years), max(years)
    span_v, span_y = (hi - lo) or 1.0, (y1 - y0) or 1

    def xy(year: int, value: float) -> str:
        return (
            f"{2 + (year - y0) / span_y * (SPARK_W - 4):.1f},{SPARK_H - 3 - (value - lo) / span_v * (SPARK_H - 6):.1f}"
        )

    segments: list[list[str]] = []
    current: list[str] = []
    for y, v in zip(years, values):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(xy(y, v))
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="#000" stroke-width="1.6"/>'
        for s in segments
        if len(s) > 1
    )
    last = points[-1]
    dot = f'<circle cx="{xy(*last).split(",")[0]}" cy="{xy(*last).split(",")[1]}" r="2.4" fill="#000"/>'
    label = escape(
        f"Verlauf {points[0][0]}–{last[0]}: von {fmt_value(points[0][1], unit)} auf {fmt_value(last[1], unit)}"
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_W}" height="{SPARK_H}" '
        f'viewBox="0 0 {SPARK_W} {SPARK_H}">{lines}{dot}</svg>'
    )
    # an image (st.html's sanitiser removes inline SVG); its alt text names the range for screen readers
    return (
        f'<img src="data:image/svg+xml,{quote(svg)}" width="{SPARK_W}" height="{SPARK_H}" alt="{label}" '
        f'title="{label}">'
    )


def table_html(caption: str, columns: list[str], rows: list[dict], help_texts: dict[str, str]) -> str:
    """``rows``: dicts with the column texts (plain text, escaped here) and ``_id`` (the indicator id for the link
    in the column ``_link_column``) and ``_spark`` (the image from :func:`sparkline`) for the column ``_spark_column``."""
    head = "".join(
        f'<th scope="col"{" title=" + chr(34) + escape(help_texts[c]) + chr(34) if c in help_texts else ""}>{escape(c)}</th>'
        for c in columns
    )
    body = []
    for row in rows:
        cells = []
        for c in columns:
            if c == row.get("_link_column"):
                cells.append(
                    f'<th scope="row"><a href="{escape(indicator_href(row["_id"]))}" '
                    f'target="_self">{escape(row[c])}</a></th>'
                )
            elif c == row.get("_spark_column"):
                cells.append(f"<td>{row['_spark']}</td>")
            else:
                cls = ' class="nowrap"' if c in row.get("_nowrap", ()) else ""
                cells.append(f"<td{cls}>{escape(str(row[c]))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="cockpit-table"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
