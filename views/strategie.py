"""Strategie: the tree Leitbild → Handlungsfeld → Leitziel → Handlungsziel; per Handlungsziel its indicators'
verdicts and target values beside its measures' states ("measures on track, indicator worsening" stands out). Forms
for a new Leitbild version and a new goal; the history of changes. Deep links: ``?feld=bildung``, ``?ziel=HZ-003``
(only that goal: the way back from an indicator or a measure)."""

import pandas as pd
import streamlit as st

from indicators import auth, texts
from indicators.fmt import fmt_date, fmt_exact, natural_key
from indicators.strategy import model, schedule
from ui import strategy as ust
from ui.components import address_value, plain
from ui.signin import can, read_only_hint
from ui.state import data_version, get_monitor, statuses

m = get_monitor()
day = ust.today(m)
status, _ = statuses(data_version(m))
measures, goals, partners = ust.strategy_data(m)
fields = {f.id: f for f in m.catalog.ordered_fields()}

st.title(texts.PAGE_STRATEGY)
st.caption(texts.STRAT_INTRO)
st.html(ust.CSS)
notice = st.session_state.pop("strat_notice", None)
if notice:
    st.success(plain(notice), icon=":material/check:")

goal_by_id = {g["id"]: g for g in goals}
only_goal = st.query_params.get("ziel", "")
if only_goal and only_goal not in goal_by_id:
    st.info(texts.STRAT_UNKNOWN_GOAL.format(value=address_value(only_goal)))
    del st.query_params["ziel"]
    only_goal = ""

# -- Leitbild (left out when a link asks for one goal: the goal is what the reader came for) ----------
if not only_goal:
    st.subheader(texts.STRAT_LEITBILD)
    versions = model.leitbild_versions(m.store)
    if versions:
        lb = versions[0]
        st.text(lb["text"])
        st.caption(
            plain(
                texts.STRAT_ADOPTED.format(
                    body=lb["adopted_by"] or "–", date=fmt_date(lb["adopted_on"]), version=lb["version"]
                )
            )
        )
        if len(versions) > 1:
            with st.expander(texts.STRAT_LEITBILD_VERSIONS.format(n=len(versions) - 1)):
                for v in versions[1:]:
                    st.caption(
                        plain(
                            texts.STRAT_ADOPTED.format(
                                body=v["adopted_by"] or "–", date=fmt_date(v["adopted_on"]), version=v["version"]
                            )
                        )
                    )
                    st.text(v["text"])
    else:
        st.info(texts.STRAT_NO_LEITBILD)
    if can(auth.STRATEGY):  # the core refuses anyway; controls only for the role that may use them
        with st.expander(texts.STRAT_LEITBILD_NEW):
            with st.form(f"leitbild_form_{auth.current_tenant()}"):
                text = st.text_area(texts.STRAT_LEITBILD_TEXT, value=versions[0]["text"] if versions else "")
                adopted_on = st.date_input(texts.STRAT_ADOPTED_ON, value=None, format="DD.MM.YYYY")
                adopted_by = st.text_input(texts.STRAT_ADOPTED_BY)
                reason = st.text_input(texts.STRAT_REASON, key="leitbild_reason")
                if st.form_submit_button(texts.STRAT_SAVE):
                    ust.attempt(
                        lambda: model.set_leitbild(m.store, text, adopted_on, adopted_by, m.settings.user, reason),
                        "strat_notice",
                        lambda n: texts.STRAT_SAVED.format(what=f"{texts.STRAT_LEITBILD} {n}"),
                    )
    else:
        st.caption(read_only_hint())

# -- the tree ---------------------------------------------------------------------------------------
options = ["", *fields]
wanted = st.query_params.get("feld", "")
if only_goal:  # the goal's field; a link followed anew wins over the field chosen before (once, not every run)
    wanted = goal_by_id[only_goal]["field"]
    if st.session_state.get("_strat_goal_seen") != only_goal:
        st.session_state.pop("strat_field", None)
        st.session_state["_strat_goal_seen"] = only_goal
if wanted and wanted not in fields:
    st.info(texts.STRAT_UNKNOWN_FIELD.format(value=address_value(wanted)))
    wanted = ""
choice = st.selectbox(
    texts.STRAT_FIELD_SELECT,
    options,
    index=options.index(wanted),
    format_func=lambda f: fields[f].name if f else texts.STRAT_ALL_FIELDS,
    key="strat_field",
)
if choice:
    st.query_params["feld"] = choice
elif "feld" in st.query_params:
    del st.query_params["feld"]
if only_goal and choice != goal_by_id[only_goal]["field"]:  # another field chosen: the whole tree again
    del st.query_params["ziel"]
    st.session_state.pop("_strat_goal_seen", None)
    only_goal = ""
if only_goal:
    g = goal_by_id[only_goal]
    st.info(
        texts.STRAT_ONLY_GOAL.format(
            kind=texts.STRAT_LEITZIEL if g["kind"] == "leitziel" else texts.STRAT_HANDLUNGSZIEL,
            id=g["id"],
            field=fields[g["field"]].name,
            field_id=g["field"],
        ),
        icon=":material/filter_alt:",
    )


def _target_text(ind_id: str) -> str:
    s = status.get(ind_id)
    if s is None or s.target is None:
        return texts.STRAT_NO_TARGET
    return texts.STRAT_TARGET.format(
        year=s.target.target_year, value=fmt_exact(s.target.target_value, s.indicator.unit)
    )


for fid in [choice] if choice else list(fields):
    lz = [g for g in goals if g["field"] == fid and g["kind"] == "leitziel"]
    if only_goal:
        g = goal_by_id[only_goal]
        lz = [x for x in lz if x["id"] in (g["id"], g["parent"])]
    if not lz and choice != fid:
        continue
    st.header(fields[fid].name, anchor=f"feld-{fid}")
    if not lz:
        st.caption(texts.STRAT_NO_GOALS)
    for leit in lz:
        st.subheader(f"{texts.STRAT_LEITZIEL} {leit['id']}: {plain(leit['title'])}", anchor=leit["id"])
        if leit["description"]:
            st.caption(plain(leit["description"]))
        for hz in [g for g in goals if g["parent"] == leit["id"] and only_goal in ("", leit["id"], g["id"])]:
            summary = schedule.goal_summary(hz, measures, status, day)
            with st.container(border=True):
                st.markdown(f"**{texts.STRAT_HANDLUNGSZIEL} {hz['id']}: {plain(hz['title'])}**")
                if summary["mismatch"]:
                    st.warning(
                        plain(texts.STRAT_MISMATCH.format(names=", ".join(summary["worsening"]))),
                        icon=":material/warning:",
                    )
                left, right = st.columns(2, gap="large")
                with left:
                    st.markdown(f"*{texts.STRAT_INDICATORS}*")
                    if not summary["verdicts"]:
                        st.caption(texts.STRAT_NO_INDICATORS)
                    for ind_id, name, v in summary["verdicts"]:
                        st.markdown(
                            f"{v.symbol} {plain(v.label)} · [{plain(name)}](indikator?id={ind_id}) · "
                            f"{plain(_target_text(ind_id))}"
                        )
                with right:
                    st.markdown(f"*{texts.STRAT_MEASURES}:* {schedule.summary_text(summary['counts'])}")
                    for mm in summary["measures"]:
                        s = summary["schedules"][mm["id"]]
                        line = f"{s.label} · [{mm['id']}](massnahmen?id={mm['id']}) {plain(mm['title'])}"
                        if s.state in (schedule.VERZOEGERT, schedule.GEFAEHRDET):
                            line += f"  \n  ↳ {plain(s.reason)}"
                        st.markdown(line)

# -- new goal ---------------------------------------------------------------------------------------
st.divider()
if can(auth.STRATEGY):  # the core refuses anyway; controls only for the role that may use them
    with st.expander(texts.STRAT_NEW_GOAL, expanded=False):
        # in the order of their numbers (LZ-001, LZ-002, …), as the tree and the report list them
        leitziele = {
            g["id"]: g
            for g in sorted((g for g in goals if g["kind"] == "leitziel"), key=lambda g: natural_key(g["id"]))
        }
        with st.form(f"goal_form_{auth.current_tenant()}"):
            kind = st.radio(
                texts.STRAT_GOAL_KIND,
                ["handlungsziel", "leitziel"],
                horizontal=True,
                format_func=lambda k: texts.STRAT_HANDLUNGSZIEL if k == "handlungsziel" else texts.STRAT_LEITZIEL,
            )
            title = st.text_input(texts.STRAT_GOAL_TITLE)
            description = st.text_area(texts.STRAT_GOAL_DESCRIPTION)
            parent = st.selectbox(
                texts.STRAT_GOAL_PARENT,
                list(leitziele),
                index=None,
                format_func=lambda g: f"{g} {leitziele[g]['title']} ({fields[leitziele[g]['field']].name})",
            )
            field = st.selectbox(texts.STRAT_GOAL_FIELD, list(fields), index=None, format_func=lambda f: fields[f].name)
            inds = st.multiselect(
                texts.STRAT_GOAL_INDICATORS,
                list(m.catalog.indicators),
                format_func=lambda i: m.catalog.indicators[i].name,
            )
            reason = st.text_input(texts.STRAT_REASON, key="goal_reason")
            if st.form_submit_button(texts.STRAT_SAVE):
                ust.attempt(
                    lambda: model.save_goal(
                        m.store,
                        m.catalog,
                        {
                            "kind": kind,
                            "title": title,
                            "description": description,
                            "parent": parent,
                            "field": field,
                            "indicators": inds,
                        },
                        m.settings.user,
                        reason,
                    ),
                    "strat_notice",
                    lambda gid: texts.STRAT_SAVED.format(what=f"{gid} {title}"),
                )
else:
    st.caption(read_only_hint())

with st.expander(texts.STRAT_HISTORY):
    hist = [h for h in model.history(m.store, limit=200) if h["kind"] in ("leitbild", "ziel")]
    st.dataframe(
        pd.DataFrame(
            {
                "Zeitpunkt": [fmt_date(h["changed_at"], with_time=True) for h in hist],
                "Von": [h["changed_by"] for h in hist],
                "Objekt": [h["object_id"] for h in hist],
                "Begründung": [h["reason"] or "" for h in hist],
                "neu": [
                    (h["new"] or {}).get("title") or (h["new"] or {}).get("text", "")[:80] if h["new"] else "gelöscht"
                    for h in hist
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
