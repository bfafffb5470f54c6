"""Small building blocks shared by the pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.compute import COMPUTED_FLAGS
from indicators.fmt import fmt_change, fmt_value
from indicators.ingest.values import ALL_FLAGS
from ui import texts

FLAG_TEXT = {**ALL_FLAGS, **COMPUTED_FLAGS}




def flag_legend(flags: set[str]) -> None:
    flags = {f for fl in flags if isinstance(fl, str) for f in fl.split(",")}
    if flags:
        st.caption(texts.FLAG_LEGEND_TITLE + ": " + " · ".join(f"**{f}** {FLAG_TEXT.get(f, '')}" for f in sorted(flags)))


def soll_ist_label(row: dict, latest_year: int | None) -> str:
    """The Bewertung cell of a Soll/Ist row (``progress.sollpfad_table``): symbol and label where Soll and Ist
    exist; "noch offen" for a year after the newest value, "kein Wert" for an earlier year without one."""
    if row.get("label"):
        return f"{row['symbol']} {row['label']}" if row.get("symbol") else str(row["label"])
    if row.get("ist") is None:
        return texts.SOLL_OPEN if latest_year is None or row["year"] > latest_year else texts.SOLL_NO_VALUE
    return "–"


def change_text(change: float | None, unit: str, direction: str) -> str:
    """'+1,2 %-Pkt. ▲ besser' — the arrow gives the direction, the word the judgement (never colour alone)."""
    if change is None or pd.isna(change):
        return "–"
    arrow = "▲" if change > 0 else ("▼" if change < 0 else "►")
    verdict = ""
    if direction in ("up", "down") and change != 0:
        better = (change > 0) == (direction == "up")
        verdict = " besser" if better else " schlechter"
    return f"{fmt_change(change, unit)} {arrow}{verdict}"


def value_text(value: float | None, unit: str, flag: str | None = None) -> str:
    s = fmt_value(value, unit)
    if isinstance(flag, str) and flag:
        s += f" ({flag})"
    return s


def indicator_link(indicator_id: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"id": indicator_id, **params}.items())
    return f"/indikator?{query}"


#: badge colour per verdict status; the symbol and the label carry the meaning, the colour only helps
STATUS_COLOUR = {
    "target_achieved": "blue", "substantial_progress": "blue", "sonne": "blue", "gruen": "blue",
    "moderate_progress": "violet", "leicht_bewoelkt": "violet", "gelb": "violet",
    "limited_progress": "orange", "bewoelkt": "orange",
    "deterioration": "red", "gewitter": "red", "rot": "red", "nicht_bewertbar": "gray",
}


def status_text(status: str, label: str, symbol: str) -> str:
    """Plain text for tables: '▲ auf Kurs'."""
    return f"{symbol} {label}"


def status_badge(status: str, label: str, symbol: str) -> str:
    """Markdown badge: symbol and label, coloured."""
    colour = STATUS_COLOUR.get(status, "gray")
    return f":{colour}-badge[{symbol} {label}]"


def rollup_line(r: dict) -> str:
    """'▲ auf Kurs (Ø 3,1) · 4 bewertet, 2 nicht bewertbar' for a field of action."""
    from indicators.fmt import fmt_num
    from indicators.progress import STATUS_LABELS, STATUS_SYMBOLS

    head = status_badge(r["status"], r["label"], r["symbol"])
    if r.get("score") is not None:
        head += f" Ø Punktwert {fmt_num(r['score'], 1)}"
    counts = ", ".join(f"{n}× {STATUS_SYMBOLS.get(s, '')} {STATUS_LABELS.get(s, s)}"
                       for s, n in r.get("counts", {}).items() if n)
    return f"{head} · {r['assessable']} bewertet, {r['not_assessable']} nicht bewertbar" + (f" · {counts}" if counts else "")
