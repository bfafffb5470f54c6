"""Small building blocks shared by the pages."""

from __future__ import annotations

import re

import streamlit as st

from indicators import texts
from indicators.compute import COMPUTED_FLAGS
from indicators.fmt import fmt_value, with_flag
from indicators.ingest.api import ALL_FLAGS

FLAG_TEXT = {**ALL_FLAGS, **COMPUTED_FLAGS}


def flag_legend(flags: set[str]) -> None:
    flags = {f for fl in flags if isinstance(fl, str) for f in fl.split(",")}
    if flags:
        st.caption(
            texts.FLAG_LEGEND_TITLE
            + ": "
            + " · ".join(f"**{plain(f)}** {plain(FLAG_TEXT.get(f, ''))}" for f in sorted(flags))
        )


def soll_ist_label(row: dict, latest_year: int | None) -> str:
    """The Bewertung cell of a Soll/Ist row (``progress.sollpfad_table``): symbol and label where Soll and Ist
    exist; "noch offen" for a year after the newest value, "kein Wert" for an earlier year without one."""
    if row.get("label"):
        return f"{row['symbol']} {row['label']}" if row.get("symbol") else str(row["label"])
    if row.get("ist") is None:
        return texts.SOLL_OPEN if latest_year is None or row["year"] > latest_year else texts.SOLL_NO_VALUE
    return "–"


def value_text(value: float | None, unit: str, flag: str | None = None) -> str:
    return with_flag(fmt_value(value, unit), flag)


#: the address parameters each page reads; any other parameter (left from the previous view) is removed
PAGE_PARAMS = {
    "indikator": ("id", "bd", "region"),
    "gemeindevergleich": ("id", "jahr"),
    "regionalvergleich": ("id", "jahr", "kreis"),
    "praesentation": ("folie", "folien"),
    "ziele": ("id",),
    "strategie": ("feld", "ziel"),  # issue 12; ziel: issue 25
    "massnahmen": ("id", "feld", "stand"),
    "netzwerk": ("partner",),
}


def keep_page_params(url_path: str) -> None:
    """Remove the address parameters the page at ``url_path`` does not read (``folie`` on the indicator page,
    ``id`` on the cockpit): a copied address then shows what the page shows."""
    own = PAGE_PARAMS.get(url_path, ())
    for key in [k for k in st.query_params if k not in own]:
        del st.query_params[key]


def follow_address(widget_key: str, value: object, address: object, last_key: str, valid: list | None = None) -> None:
    """Let a keyed widget follow the address where the address changed from outside (a link, the back button, a
    deep link into a running session): Streamlit ignores ``index``/``default`` once the key holds a value, and the
    address would be dropped without a word. ``last_key`` holds what the page last wrote to the address (the page
    sets it after the widget); ``value`` is the widget value the address asks for. ``valid``: options of the widget
    (a stored value no longer among them is reset to ``value``)."""
    ss = st.session_state
    if ss.get(last_key, object()) != address or widget_key not in ss:
        ss[widget_key] = value
    elif valid is not None and ss.get(widget_key) not in valid:
        ss[widget_key] = value


def address_value(value: object) -> str:
    """A value from the address inside a message: letters, digits and ``_ . , : + -`` only, at most 40, as a
    code span, so that nothing from the address is rendered as Markdown or HTML."""
    text = re.sub(r"[^\w.,:+-]", "", str(value))[:40]
    return f"`{text}`" if text else "(leer)"


def indicator_link(indicator_id: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"id": indicator_id, **params}.items())
    return f"/indikator?{query}"


#: badge colour per verdict status; the symbol and the label carry the meaning, the colour only helps
STATUS_COLOUR = {
    "target_achieved": "blue",
    "substantial_progress": "blue",
    "sonne": "blue",
    "gruen": "blue",
    "moderate_progress": "violet",
    "leicht_bewoelkt": "violet",
    "gelb": "violet",
    "limited_progress": "orange",
    "bewoelkt": "orange",
    "deterioration": "red",
    "gewitter": "red",
    "rot": "red",
    "nicht_bewertbar": "gray",
}


def status_text(status: str, label: str, symbol: str) -> str:
    """Plain text for tables: '▲ auf Kurs'."""
    return f"{symbol} {label}"


def status_badge(status: str, label: str, symbol: str) -> str:
    """Markdown badge: symbol and label, coloured."""
    colour = STATUS_COLOUR.get(status, "gray")
    return f":{colour}-badge[{symbol} {label}]"


def rollup_line(r: dict) -> str:
    """'▲ auf Kurs · mittlere Bewertung 3,1 auf der Skala von -5 bis +5 · 4 bewertet, 1 nicht bewertbar,
    1 Kontextindikator ohne Bewertung · 2× ▲ auf Kurs, …' for a field of action."""
    from indicators.wording import rollup_details

    return status_badge(r["status"], r["label"], r["symbol"]) + rollup_details(r)


#: one configuration for every st.plotly_chart: German words (plotly.js in Streamlit ships no German locale,
#: so the dictionary comes along), one toolbar button (download as PNG) instead of eight tab stops, no logo
PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "de",
    "locales": {"de": texts.PLOTLY_LOCALE_DE},
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "filename": "integrationsmonitor", "scale": 2},
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")
#: bare addresses become links after escaping (GFM autolinks work on the text): an invisible word joiner
#: (U+2060) after "http", "www" and before "@" keeps them text
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(?=@)")


def plain(text: object) -> str:
    """User or file text (notes, reasons, file and region names, flags, profile names) for st.markdown,
    st.caption, alerts and labels: shown as written, never as Markdown, link, image, directive or formula.
    Every Markdown-significant character is backslash-escaped; line breaks stay line breaks."""
    if text is None:
        return ""
    s = _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u2060", str(text))
    s = _MARKDOWN_SPECIAL.sub(r"\\\1", s)
    return s.replace("\r\n", "\n").replace("\n", "  \n")
