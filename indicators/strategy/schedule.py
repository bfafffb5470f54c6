"""The derived schedule state of a measure (im Plan / verzögert / gefährdet / abgeschlossen) with its reason in
words, and the summaries per goal and per field of action. ``today`` is the monitor's clock
(``Settings.today``, MONITOR_TODAY), so tests control it.

Rules (the boundaries are tested):

* status ``abgeschlossen`` → abgeschlossen; ``ausgesetzt`` or ``abgebrochen`` → gefährdet.
* a milestone not done whose due date lies before today → verzögert (due today is still im Plan);
  overdue by more than :data:`AT_RISK_DAYS` days → gefährdet.
* the end date lies before today and the measure is not abgeschlossen → gefährdet.
* the next review date lies before today → verzögert.
* status ``geplant`` while the start date lies before today → verzögert.
* otherwise im Plan.
The worst finding decides; the reason names every finding of that level."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from indicators.fmt import fmt_date
from indicators.status import MeasureStatus

IM_PLAN, VERZOEGERT, GEFAEHRDET, ABGESCHLOSSEN = "im Plan", "verzögert", "gefährdet", "abgeschlossen"
STATES = (IM_PLAN, VERZOEGERT, GEFAEHRDET, ABGESCHLOSSEN)
SYMBOLS = {IM_PLAN: "●", VERZOEGERT: "◐", GEFAEHRDET: "○", ABGESCHLOSSEN: "✔"}
RANK = {ABGESCHLOSSEN: 0, IM_PLAN: 1, VERZOEGERT: 2, GEFAEHRDET: 3}
#: a milestone overdue by more than this many days puts the measure at risk
AT_RISK_DAYS = 90


@dataclass
class Schedule:
    state: str
    reasons: list[str] = field(default_factory=list)
    overdue_milestones: list[dict[str, Any]] = field(default_factory=list)
    review_overdue: bool = False

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def label(self) -> str:
        return f"{SYMBOLS[self.state]} {self.state}"


def _days(n: int) -> str:
    return "1 Tag" if n == 1 else f"{n} Tagen"


def schedule_state(m: dict[str, Any], today: dt.date) -> Schedule:
    status = m.get("status")
    if status == MeasureStatus.COMPLETED:
        return Schedule(ABGESCHLOSSEN, ["Status „abgeschlossen“"])
    findings: list[tuple[str, str]] = []
    overdue = []
    if status in (MeasureStatus.SUSPENDED, MeasureStatus.CANCELLED):
        findings.append((GEFAEHRDET, f"Status „{status}“"))
    for ms in m.get("milestones") or []:
        due = ms.get("due")
        if ms.get("done") or due is None or due >= today:
            continue
        late = (today - due).days
        overdue.append(ms)
        level = GEFAEHRDET if late > AT_RISK_DAYS else VERZOEGERT
        findings.append(
            (level, f"Meilenstein „{ms['title']}“ war am {fmt_date(due)} fällig und ist seit {_days(late)} überfällig")
        )
    end = m.get("end_date")
    if end is not None and end < today:
        findings.append((GEFAEHRDET, f"Laufzeit endete am {fmt_date(end)}, Status ist „{status}“"))
    review = m.get("next_review")
    review_overdue = review is not None and review < today
    if review is not None and review_overdue:
        findings.append(
            (
                VERZOEGERT,
                f"Überprüfung war am {fmt_date(review)} fällig (seit {_days((today - review).days)} überfällig)",
            )
        )
    start = m.get("start_date")
    if status == MeasureStatus.PLANNED and start is not None and start < today:
        findings.append((VERZOEGERT, f"Beginn war am {fmt_date(start)} geplant, Status ist noch „geplant“"))
    if not findings:
        upcoming = sorted(
            (x for x in m.get("milestones") or [] if not x.get("done") and x.get("due")), key=lambda x: x["due"]
        )
        reason = (
            f"nächster Meilenstein „{upcoming[0]['title']}“ am {fmt_date(upcoming[0]['due'])}"
            if upcoming
            else "kein Meilenstein überfällig"
        )
        return Schedule(IM_PLAN, [reason], [], False)
    worst = max((f[0] for f in findings), key=lambda level: RANK[level])
    return Schedule(worst, [text for level, text in findings if level == worst], overdue, review_overdue)


def count_states(schedules: list[Schedule]) -> dict[str, int]:
    out = {s: 0 for s in STATES}
    for s in schedules:
        out[s.state] += 1
    return out


def summary_text(counts: dict[str, int]) -> str:
    """'3 Maßnahmen: 2 im Plan, 1 verzögert' (states with 0 left out)."""
    total = sum(counts.values())
    if not total:
        return "keine Maßnahmen"
    parts = [f"{n} {s}" for s in (IM_PLAN, VERZOEGERT, GEFAEHRDET, ABGESCHLOSSEN) if (n := counts.get(s))]
    return f"{total} Maßnahme{'n' if total != 1 else ''}: " + ", ".join(parts)


#: indicator verdicts that count as "worsening" (against the target direction)
#: the verdicts that say an indicator moves away from its goal: Open SDG's "Verschlechterung" and the weather
#: method's thunderstorm. Not "geringer Fortschritt" (it improves, slowly) nor a Soll path's red (behind the path).
WORSENING = {"deterioration", "gewitter"}


def goal_summary(
    goal: dict[str, Any], measures: list[dict[str, Any]], statuses: dict[str, Any], today: dt.date
) -> dict[str, Any]:
    """A Handlungsziel's two halves: its indicators' verdicts and its measures' schedule states; ``mismatch``
    when the measures are on track (none verzögert/gefährdet) but an indicator is worsening."""
    ms = [m for m in measures if goal["id"] in m["goals"]]
    schedules = {m["id"]: schedule_state(m, today) for m in ms}
    counts = count_states(list(schedules.values()))
    verdicts = []
    for ind in goal.get("indicators") or []:
        st = statuses.get(ind)
        if st is not None:
            verdicts.append((ind, st.indicator.name, st.verdict))
    worsening = [name for _, name, v in verdicts if v.status in WORSENING]
    measures_ok = bool(ms) and counts[VERZOEGERT] == 0 and counts[GEFAEHRDET] == 0
    late = [(m, schedules[m["id"]]) for m in ms if schedules[m["id"]].state in (VERZOEGERT, GEFAEHRDET)]
    return {
        "measures": ms,
        "schedules": schedules,
        "counts": counts,
        "verdicts": verdicts,
        "worsening": worsening,
        "mismatch": measures_ok and bool(worsening),
        "late": late,
    }


def field_measures(
    measures: list[dict[str, Any]], field_id: str, today: dt.date
) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """Counts of schedule states of a field's measures and the late ones with their schedule."""
    ms = [m for m in measures if field_id in m["fields"]]
    schedules = [(m, schedule_state(m, today)) for m in ms]
    late = [(m, s) for m, s in schedules if s.state in (VERZOEGERT, GEFAEHRDET)]
    return count_states([s for _, s in schedules]), late
