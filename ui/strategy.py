"""Streamlit helpers of the strategy pages (issue 12): reads with the monitor's clock, the measures' HTML table
(the measure's number is a link to its page, one click), the Gantt-like timeline and the cockpit's measures line.
Every text from users or files is escaped or shown as plain text."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st

from indicators import texts
from indicators.errors import UserError
from indicators.fmt import fmt_date, hyphenate
from indicators.strategy import model, schedule
from ui.components import plain
from ui.state import clear_caches

CSS = """
<style>
  .strat-table { width: 100%; border-collapse: collapse; font-size: 0.9rem; line-height: 1.3; }
  .strat-table caption { text-align: left; position: absolute; left: -9999px; }
  .strat-table thead th { text-align: left; font-weight: 600; background: #f0f2f6; color: #111; padding: 6px 5px;
                          border-bottom: 1px solid #c8c8c8; }
  .strat-table td, .strat-table tbody th { padding: 6px 5px; border-bottom: 1px solid #e2e2e2; vertical-align: top;
                                          color: #111; text-align: left; font-weight: normal; }
  /* long words wrap inside their column at their syllables (soft hyphens from fmt.hyphenate, a visible hyphen at
     the break), so the table keeps to the page's width at 1280 px; only a word without any break may split where it
     must. Numbers and dates don't wrap. */
  .strat-table td { overflow-wrap: break-word; hyphens: manual; }
  .strat-table tbody th, .strat-table td.nowrap { white-space: nowrap; }
  .strat-table a { color: #0b57a4; font-weight: 600; text-decoration: underline; }
  .strat-table a:focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; }
  .strat-late { font-weight: 600; }
</style>
"""


def today(m) -> dt.date:
    return m.settings.today


def measure_href(measure_id: str) -> str:
    return "massnahmen?" + urlencode({"id": measure_id})


def measures_table_html(rows: list[tuple[dict, schedule.Schedule]], caption: str) -> str:
    c = texts.MEAS_COLS
    cols = [c["id"], c["title"], c["state"], c["reason"], c["unit"], c["end"], c["review"], c["flags"]]
    head = "".join(f'<th scope="col">{escape(x)}</th>' for x in cols)
    body = []
    for m, s in rows:
        flags = []
        if s.overdue_milestones:
            flags.append(texts.MEAS_FLAG_MILESTONE)
        if s.review_overdue:
            flags.append(texts.MEAS_FLAG_REVIEW)
        late = (
            ' class="strat-late nowrap"' if s.state in (schedule.VERZOEGERT, schedule.GEFAEHRDET) else ' class="nowrap"'
        )
        cells = [
            f'<th scope="row"><a href="{escape(measure_href(m["id"]))}" target="_self">{escape(m["id"])}</a></th>',
            f"<td>{escape(hyphenate(m['title']))}</td>",
            f"<td{late}>{escape(s.label)}</td>",
            f"<td>{escape(hyphenate(s.reason))}</td>",
            f"<td>{escape(hyphenate(m['unit']))}</td>",
            f'<td class="nowrap">{escape(fmt_date(m["end_date"]))}</td>',
            f'<td class="nowrap">{escape(fmt_date(m["next_review"]))}</td>',
            f"<td>{escape(' '.join(flags))}</td>",
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="strat-table" lang="de"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


STATE_COLOUR = {
    schedule.IM_PLAN: "#4a7ab5",
    schedule.VERZOEGERT: "#d08a00",
    schedule.GEFAEHRDET: "#b3261e",
    schedule.ABGESCHLOSSEN: "#9a9a9a",
}


def timeline(rows: list[tuple[dict, schedule.Schedule]], day: dt.date) -> go.Figure:
    """Bars from start to end per measure, milestones as diamonds (overdue: ✖), today as a line."""
    fig = go.Figure()
    # plotly renders a subset of HTML in labels and tips (<a href> becomes a link): a person's text is escaped
    names = [escape(f"{m['id']} {m['title'][:40]}") for m, _ in rows]
    for state in schedule.STATES:
        sel = [(n, m) for n, (m, s) in zip(names, rows) if s.state == state and m["start_date"] and m["end_date"]]
        if not sel:
            continue
        fig.add_trace(
            go.Bar(
                y=[n for n, _ in sel],
                base=[m["start_date"].isoformat() for _, m in sel],
                x=[(m["end_date"] - m["start_date"]).days * 86_400_000 for _, m in sel],
                orientation="h",
                marker_color=STATE_COLOUR[state],
                name=f"{schedule.SYMBOLS[state]} {state}",
                hovertemplate="%{y}<extra>" + state + "</extra>",
            )
        )
    for kind, symbol in (("offen", "diamond"), ("erledigt", "diamond-open"), ("überfällig", "x")):
        xs, ys, tips = [], [], []
        for n, (m, _s) in zip(names, rows):
            for x in m["milestones"]:
                k = "erledigt" if x["done"] else ("überfällig" if x["due"] < day else "offen")
                if k == kind:
                    xs.append(x["due"].isoformat())
                    ys.append(n)
                    tips.append(escape(f"{x['title']} – {fmt_date(x['due'])}"))
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers",
                    name=f"Meilenstein {kind}",
                    text=tips,
                    hovertemplate="%{text}<extra></extra>",
                    marker={"symbol": symbol, "size": 11, "color": "#111", "line": {"width": 2, "color": "#111"}},
                )
            )
    fig.add_vline(x=day.isoformat(), line_width=2, line_dash="dash", line_color="#111")
    fig.update_layout(
        barmode="overlay",
        height=max(300, 26 * len(rows) + 120),
        xaxis={"type": "date"},
        yaxis={"autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.08},
        plot_bgcolor="white",
    )
    return fig


def cockpit_measures_line(measures: list[dict], field_id: str, day: dt.date, show: int = 3) -> None:
    """The cockpit's line on a field's measures: the count per state and the late ones with their reason."""
    counts, late = schedule.field_measures(measures, field_id, day)
    if not sum(counts.values()):
        return
    lines = [texts.COCKPIT_MEASURES.format(summary=schedule.summary_text(counts))]
    for m, s in late[:show]:
        lines.append(texts.COCKPIT_MEASURES_LATE.format(id=m["id"], title=m["title"], label=s.label, reason=s.reason))
    if len(late) > show:
        lines.append(texts.COCKPIT_MEASURES_MORE.format(n=len(late) - show))
    st.caption("  \n".join(plain(x) for x in lines))


def goal_href(goal_id: str) -> str:
    return "strategie?" + urlencode({"ziel": goal_id})


def goal_links(chosen: list[dict], goals: list[dict]) -> str:
    """HTML links to the Strategie page (same tab, one click), one per Handlungsziel with its Leitziel, e.g. from an
    indicator or a measure back to its goal, under a German lead-in; every title is escaped. Empty without goals."""
    by_id = {g["id"]: g for g in goals}

    def a(g: dict, kind: str) -> str:
        return f'<a href="{escape(goal_href(g["id"]))}" target="_self">{escape(kind)} {escape(g["id"])}</a>'

    out = []
    for g in chosen:
        line = f"{a(g, texts.STRAT_HANDLUNGSZIEL)} {escape(g['title'])}"
        parent = by_id.get(g.get("parent") or "")
        if parent:
            line += f" ({a(parent, texts.STRAT_LEITZIEL)} {escape(parent['title'])})"
        out.append(line)
    if not out:
        return ""
    return f'<div class="goal-links">{escape(texts.STRAT_GOAL_LINKS_LEAD)} {"; ".join(out)}</div>'


def strategy_data(m):
    """Measures, goals, partners (read on every run: small tables)."""
    return model.measures(m.store), model.goals(m.store), model.partners(m.store)


def field_slide(m, field_id: str, status: dict, day: dt.date, show: int = 4) -> None:
    """The projector's slide of a field of action with both halves: left its indicators' verdicts, right its
    measures' states with the late ones and their reasons (issue 12). Text is escaped (st.markdown with HTML)."""
    field = m.catalog.fields[field_id]
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"<div class='praes-sub'><b>{escape(texts.PRAES_FIELD_LEFT)}</b></div>", unsafe_allow_html=True)
        rows = field_slide_rows(m.catalog, field.id, status)
        shown = len(rows) if len(rows) <= FIELD_SLIDE_LINES else FIELD_SLIDE_LINES - 1
        shown = max(shown, sum(1 for r in rows if r.verdict.status in schedule.WORSENING))  # never hidden
        small = " praes-field-small" if shown > 6 else ""
        for s in rows[:shown]:
            st.markdown(
                f"<div class='praes-field-line{small}'>{escape(s.verdict.symbol)} {escape(s.verdict.label)} · "
                f"{escape(s.indicator.name)}</div>",
                unsafe_allow_html=True,
            )
        if len(rows) > shown:
            st.markdown(
                f"<div class='praes-field-line{small}'>"
                f"{escape(texts.PRAES_FIELD_MORE.format(n=len(rows) - shown))}</div>",
                unsafe_allow_html=True,
            )
    with right:
        st.markdown(f"<div class='praes-sub'><b>{escape(texts.PRAES_FIELD_RIGHT)}</b></div>", unsafe_allow_html=True)
        counts, late = schedule.field_measures(model.measures(m.store), field_id, day)
        st.markdown(
            f"<div class='praes-field-line'>{escape(schedule.summary_text(counts))}</div>", unsafe_allow_html=True
        )
        for mm, s in late[:show]:
            st.markdown(
                f"<div class='praes-field-line'>{escape(s.label)} · {escape(mm['title'])}<br>"
                f"<span class='praes-field-reason'>{escape(s.reason)}</span></div>",
                unsafe_allow_html=True,
            )
        if len(late) > show:
            st.markdown(
                f"<div class='praes-field-line'>{escape(texts.PRAES_FIELD_MORE.format(n=len(late) - show))}</div>",
                unsafe_allow_html=True,
            )
    st.html(
        "<style>.praes-field-line { font-size: max(20px, min(3.4vh, 2.1vw)) !important; line-height: 1.3; "
        "color: #000; margin: .25em 0; } .praes-field-small { font-size: max(18px, min(3vh, 1.85vw)) "
        "!important; margin: .15em 0; } .praes-field-reason { font-size: .8em; }</style>"
    )


#: indicator lines a field's slide shows at most (more only where deteriorations would be hidden)
FIELD_SLIDE_LINES = 9


def field_slide_rows(catalog, field_id: str, status: dict) -> list:
    """The assessed indicators of a field, worst verdict first (by score; then catalog order), so that the slide's
    "… und N weitere" never hides a Verschlechterung (issue 25: Bildung hid its only one)."""
    inds = [i for i in catalog.by_field(field_id) if i.id in status and status[i.id].verdict.assessable]
    order = {i.id: k for k, i in enumerate(inds)}
    rows = [status[i.id] for i in inds]
    return sorted(rows, key=lambda s: (s.verdict.score if s.verdict.score is not None else 0.0, order[s.indicator.id]))


def attempt(action, notice_key: str, notice, reraise: type[Exception] | None = None) -> None:
    """Run a write from a form or button: a refusal (German, naming the field) is shown as text and the form keeps
    what was typed; on success the caches go, ``notice(result)`` is kept for the next run, and the page reruns.
    ``reraise``: a refusal of this kind goes to the caller (who offers a way out)."""
    try:
        result = action()
    except UserError as exc:
        if reraise is not None and isinstance(exc, reraise):
            raise
        st.error(plain(str(exc)))
        return
    clear_caches()
    st.session_state[notice_key] = notice(result)
    st.rerun()
