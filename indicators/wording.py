"""Wording shared by the pages and the report (``indicators.report``): plain Python, no Streamlit."""

from __future__ import annotations

import pandas as pd

from indicators import texts
from indicators.fmt import fmt_change


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
    counts = ", ".join(
        f"{n}× {STATUS_SYMBOLS.get(s, '')} {STATUS_LABELS.get(s, s)}"
        for s, n in r.get("counts", {}).items()
        if n and s not in (NOT_ASSESSABLE, CONTEXT)
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


def _audit_value(key: str, value, depth: int = 0) -> str | None:
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


def audit_detail(detail, depth: int = 0) -> str:
    """An audit entry's details (JSON text or a dict) as words: 'Rolle: Analyse · Einmalpasswort: ja'; empty
    values are left out, '–' when nothing remains. Shown as text (the page does not render Markdown here)."""
    import json

    if isinstance(detail, str):
        try:
            detail = json.loads(detail) if detail.strip() else {}
        except ValueError:
            return detail
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


def code_label(dim: str, code: object, catalog=None, variable: str | None = None) -> str:
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


def readable_assumption(text: object, catalog=None) -> str:
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


def breakdown_text(rec: dict, catalog=None) -> str:
    """The breakdown of a value in words: 'Ausländer/-innen · weiblich · mit Migrationshintergrund', or 'insgesamt'."""
    parts = [
        code_label(d, rec.get(d), catalog, rec.get("variable"))
        for d in ("nationality", "sex", "age_group", "category")
        if rec.get(d) not in (None, "insgesamt") and not pd.isna(rec.get(d))
    ]
    return " · ".join(parts) or texts.BREAKDOWN_TOTAL
