"""Wording shared by the pages and the report (``indicators.report``): plain Python, no Streamlit."""

from __future__ import annotations

import pandas as pd

from indicators.fmt import fmt_change
from indicators import texts


def change_text(change: float | None, unit: str, direction: str, verdict=None) -> str:
    """'+1,2 %-Pkt. ▲ besser' — the arrow gives the direction, the word the judgement (never colour alone).

    A change that rounds to zero as shown is '±0,0 %-Pkt. ► unverändert' (no arrow up or down, no judgement).
    With the indicator's ``verdict``, a one-year change against the multi-year trend the verdict reports says
    so in words ('schlechter als im Vorjahr (mehrjährige Entwicklung: richtige Richtung)')."""
    from indicators.fmt import change_unit, decimals_for
    from indicators.progress import trend_sign

    if change is None or pd.isna(change):
        return "–"
    text = fmt_change(change, unit)
    if round(float(change), decimals_for(change_unit(unit))) == 0:
        return f"{text} {texts.CHANGE_NONE}"
    arrow = "▲" if change > 0 else "▼"
    if direction not in ("up", "down"):
        return f"{text} {arrow}"
    better = (change > 0) == (direction == "up")
    trend = trend_sign(verdict, direction) if verdict is not None else 0
    if trend and (trend > 0) != better:
        return f"{text} {arrow} {texts.CHANGE_AGAINST_TREND[better]}"
    return f"{text} {arrow} {texts.CHANGE_BETTER if better else texts.CHANGE_WORSE}"


def rollup_details(r: dict) -> str:
    """What follows a field's verdict: ' · mittlere Bewertung 3,1 … · 4 bewertet, 1 nicht bewertbar, … · 2× ▲ auf
    Kurs, …' (the pages put a badge before it, the report the plain symbol and words)."""
    from indicators.fmt import fmt_num
    from indicators.progress import CONTEXT, NOT_ASSESSABLE, STATUS_LABELS, STATUS_SYMBOLS

    head = ""
    if r.get("score") is not None:
        head += " · " + texts.ROLLUP_SCORE.format(score=fmt_num(r["score"], 1))
    parts = [texts.ROLLUP_ASSESSED.format(n=r["assessable"])]
    if r.get("not_assessable"):
        parts.append(texts.ROLLUP_NOT_ASSESSABLE.format(n=r["not_assessable"]))
    if r.get("context"):
        parts.append((texts.ROLLUP_CONTEXT_ONE if r["context"] == 1 else texts.ROLLUP_CONTEXT).format(n=r["context"]))
    counts = ", ".join(f"{n}× {STATUS_SYMBOLS.get(s, '')} {STATUS_LABELS.get(s, s)}"
                       for s, n in r.get("counts", {}).items() if n and s not in (NOT_ASSESSABLE, CONTEXT))
    return f"{head} · {', '.join(parts)}" + (f" · {counts}" if counts else "")
