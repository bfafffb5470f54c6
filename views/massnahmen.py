"""Maßnahmen: filterable table with the derived state and its reason, a timeline with milestones, one measure's
page with milestones, reviews and history (``?id=M-001``), a form for a new measure and the department round
(forms per unit, re-import with preview, validation, all-or-nothing, history, rollback). Deep links:
``?id=``, ``?feld=``, ``?stand=``."""

import contextlib
import datetime as dt

import pandas as pd
import streamlit as st

from indicators import auth, texts
from indicators.errors import UserError
from indicators.fmt import fmt_date, fmt_num, parse_number
from indicators.status import UploadStatus
from indicators.strategy import model, schedule, workbook
from ui import strategy as ust
from ui.components import PLOTLY_CONFIG, address_value, plain
from ui.signin import can, read_only_hint
from ui.state import get_monitor

m = get_monitor()
day = ust.today(m)
measures, goals, partners = ust.strategy_data(m)
fields = {f.id: f for f in m.catalog.ordered_fields()}
goal_names = {g["id"]: g["title"] for g in goals}
partner_names = {p["id"]: p["name"] for p in partners}
by_id = {x["id"]: x for x in measures}
user = m.settings.user

st.html(ust.CSS)
notice = st.session_state.pop("meas_notice", None)


def _money(v):
    return "–" if v is None else fmt_num(v, 0) + " €"


def measure_page(mm: dict) -> None:
    s = schedule.schedule_state(mm, day)
    st.markdown(f"[{texts.MEAS_BACK}](massnahmen)")
    st.title(f"{mm['id']}: {plain(mm['title'])}")
    if mm["demo"]:
        st.caption(texts.STRAT_DEMO_LABEL)
    (st.warning if s.state in (schedule.VERZOEGERT, schedule.GEFAEHRDET) else st.info)(
        plain(texts.MEAS_STATE_LINE.format(label=s.label, reason=s.reason))
    )
    if mm["description"]:
        st.text(mm["description"])
    links = ust.goal_links([g for g in goals if g["id"] in mm["goals"]], goals)
    if links:  # the way back along the chain: measure → Handlungsziel → Leitziel
        st.html(links)
    f = texts.MEAS_FACTS
    facts = {
        f["unit"]: mm["unit"],
        f["fields"]: ", ".join(fields[x].name for x in mm["fields"] if x in fields) or "–",
        f["goals"]: "; ".join(f"{g} {goal_names.get(g, '')}" for g in mm["goals"]) or "–",
        f["partners"]: "; ".join(partner_names.get(p, p) for p in mm["partners"]) or "–",
        f["status"]: mm["status"],
        f["period"]: f"{fmt_date(mm['start_date'])} – {fmt_date(mm['end_date'])}",
        f["budget"]: f"{_money(mm['budget_spent'])} / {_money(mm['budget_planned'])}",
        f["reach"]: f"{mm['reach_actual'] if mm['reach_actual'] is not None else '–'} / "
        f"{mm['reach_target'] if mm['reach_target'] is not None else '–'}",
        f["review"]: fmt_date(mm["next_review"]) + (" ⚑" if s.review_overdue else ""),
    }
    st.dataframe(pd.DataFrame({"Angabe": list(facts), "Wert": list(facts.values())}), hide_index=True, width="stretch")
    st.subheader(texts.MEAS_MILESTONES)
    c = texts.MEAS_MS_COLS
    st.dataframe(
        pd.DataFrame(
            {
                c[0]: [x["title"] for x in mm["milestones"]],
                c[1]: [fmt_date(x["due"]) for x in mm["milestones"]],
                c[2]: [fmt_date(x["done"]) if x["done"] else "" for x in mm["milestones"]],
                c[3]: [
                    texts.MEAS_MS_DONE
                    if x["done"]
                    else (
                        texts.MEAS_MS_OVERDUE.format(days=(day - x["due"]).days)
                        if x["due"] < day
                        else texts.MEAS_MS_OPEN
                    )
                    for x in mm["milestones"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader(texts.MEAS_REVIEWS)
    if mm["reviews"]:
        rc = texts.MEAS_REVIEW_COLS
        st.dataframe(
            pd.DataFrame(
                {
                    rc[0]: [fmt_date(v["date"]) for v in mm["reviews"]],
                    rc[1]: [v["note"] for v in mm["reviews"]],
                    rc[2]: [v["by"] for v in mm["reviews"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(texts.MEAS_NO_REVIEWS)
    if can(auth.STRATEGY):  # the core refuses anyway; controls only for the role that may use them
        with st.form(f"review_form_{auth.current_tenant()}"):
            st.markdown(f"**{texts.MEAS_ADD_REVIEW}**")
            note = st.text_area(texts.MEAS_REVIEW_NOTE)
            nxt = st.date_input(texts.MEAS_REVIEW_NEXT, value=day + dt.timedelta(days=90), format="DD.MM.YYYY")
            if st.form_submit_button(texts.STRAT_SAVE):
                ust.attempt(
                    lambda: model.add_review(m.store, m.catalog, mm["id"], note, user, day, nxt),
                    "meas_notice",
                    lambda _: texts.STRAT_SAVED.format(what=texts.MEAS_ADD_REVIEW),
                )
    else:
        st.caption(read_only_hint())
    st.subheader(texts.STRAT_HISTORY)
    hist = model.history(m.store, "massnahme", mm["id"])
    c = texts.MEAS_HISTORY_COLS

    def _changed(h):
        old, new = h["old"] or {}, h["new"] or {}
        keys = [k for k in new if old.get(k) != new.get(k) and k != "demo"] if old else ["angelegt"]
        return ", ".join(workbook.LABELS.get(k, k) for k in keys) if new else "gelöscht"

    st.dataframe(
        pd.DataFrame(
            {
                c[0]: [fmt_date(h["changed_at"], with_time=True) for h in hist],
                c[1]: [h["changed_by"] for h in hist],
                c[2]: [h["reason"] or "" for h in hist],
                c[3]: [_changed(h) for h in hist],
            }
        ),
        hide_index=True,
        width="stretch",
    )


wanted = st.query_params.get("id")
if wanted and wanted in by_id:
    if notice:
        st.success(plain(notice), icon=":material/check:")
    measure_page(by_id[wanted])
    st.stop()

st.title(texts.PAGE_MEASURES)
st.caption(texts.MEAS_INTRO.format(today=fmt_date(day)))
if wanted:
    st.info(texts.MEAS_UNKNOWN.format(value=address_value(wanted)))
    del st.query_params["id"]
if notice:
    st.success(plain(notice), icon=":material/check:")

# a key and on_change: the chosen tab stays chosen when an upload or a button reruns the page
# tabs for writing only for the roles that may write (a Betrachter saw tabs that only said "kann hier nur lesen")
labels = [
    texts.MEAS_TAB_LIST,
    texts.MEAS_TAB_TIMELINE,
    *([texts.MEAS_TAB_NEW] if can(auth.STRATEGY) else []),
    *([texts.MEAS_TAB_ROUND] if can(auth.MEASURE_ROUND) else []),
]
tabs = dict(zip(labels, st.tabs(labels, key="meas_tab", on_change="rerun")))
tab_list, tab_time = tabs[texts.MEAS_TAB_LIST], tabs[texts.MEAS_TAB_TIMELINE]
# an absent tab: its block below draws nothing (each one starts with the same role check)
tab_new = tabs.get(texts.MEAS_TAB_NEW, contextlib.nullcontext())
tab_round = tabs.get(texts.MEAS_TAB_ROUND, contextlib.nullcontext())
schedules = {x["id"]: schedule.schedule_state(x, day) for x in measures}

with tab_list:
    c1, c2, c3 = st.columns(3)
    f_opts = ["", *fields]
    f0 = st.query_params.get("feld", "")
    s_opts = ["", *schedule.STATES]
    s0 = st.query_params.get("stand", "")
    field = c1.selectbox(
        texts.MEAS_FILTER_FIELD,
        f_opts,
        index=f_opts.index(f0) if f0 in f_opts else 0,
        format_func=lambda x: fields[x].name if x else texts.MEAS_ALL,
        key="meas_field",
    )
    state = c2.selectbox(
        texts.MEAS_FILTER_STATE,
        s_opts,
        index=s_opts.index(s0) if s0 in s_opts else 0,
        format_func=lambda x: f"{schedule.SYMBOLS[x]} {x}" if x else texts.MEAS_ALL,
        key="meas_state",
    )
    u_opts = ["", *model.units(m.store)]
    unit = c3.selectbox(texts.MEAS_FILTER_UNIT, u_opts, format_func=lambda x: x or texts.MEAS_ALL, key="meas_unit")
    for key, value in (("feld", field), ("stand", state)):
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]
    rows = [
        (x, schedules[x["id"]])
        for x in measures
        if (not field or field in x["fields"])
        and (not state or schedules[x["id"]].state == state)
        and (not unit or x["unit"] == unit)
    ]
    rows.sort(key=lambda r: (-schedule.RANK[r[1].state], r[0]["id"]))
    st.caption(schedule.summary_text(schedule.count_states([s for _, s in rows])))
    if rows:
        st.html(ust.measures_table_html(rows, texts.PAGE_MEASURES))
    else:
        st.info(texts.MEAS_NONE)

with tab_time:
    st.caption(texts.MEAS_TIMELINE_CAPTION)
    trow = [
        (x, schedules[x["id"]])
        for x in measures
        if (not field or field in x["fields"])
        and (not state or schedules[x["id"]].state == state)
        and (not unit or x["unit"] == unit)
    ]
    if trow:
        st.plotly_chart(ust.timeline(trow, day), config=PLOTLY_CONFIG, width="stretch")

with tab_new:
    if can(auth.STRATEGY):  # the core refuses anyway; controls only for the role that may use them
        hz = {g["id"]: g for g in goals if g["kind"] == "handlungsziel"}
        with st.form(f"measure_form_{auth.current_tenant()}"):
            title = st.text_input(texts.MEAS_TITLE)
            description = st.text_area(texts.MEAS_DESCRIPTION)
            goal_sel = st.multiselect(texts.MEAS_GOALS, list(hz), format_func=lambda g: f"{g} {hz[g]['title']}")
            field_sel = st.multiselect(texts.MEAS_FIELDS, list(fields), format_func=lambda f: fields[f].name)
            unit_in = st.text_input(texts.MEAS_UNIT)
            partner_sel = st.multiselect(
                texts.MEAS_PARTNERS, list(partner_names), format_func=lambda k: str(partner_names.get(k))
            )
            a, b, c = st.columns(3)
            start = a.date_input(texts.MEAS_START, value=day, format="DD.MM.YYYY")
            end = b.date_input(texts.MEAS_END, value=day + dt.timedelta(days=365), format="DD.MM.YYYY")
            status_in = c.selectbox(texts.MEAS_STATUS, model.STATUSES, index=1)
            a, b, c = st.columns(3)
            # text, not st.number_input (it reads "30,5" as 305): German amounts through parse_number on saving
            budget = a.text_input(
                texts.MEAS_BUDGET,
                key="measure_budget",
                help=texts.NUMBER_HELP,
                placeholder="z. B. 12500 oder 12.500,50",
            )
            reach = b.number_input(texts.MEAS_REACH, min_value=0, value=0, step=10)
            review = c.date_input(texts.MEAS_NEXT_REVIEW, value=day + dt.timedelta(days=90), format="DD.MM.YYYY")
            ms = []
            for i in (1, 2, 3):
                a, b = st.columns([2, 1])
                ms.append(
                    {
                        "title": a.text_input(texts.MEAS_MS_TITLE.format(i=i), key=f"ms_title_{i}"),
                        "due": b.date_input(
                            texts.MEAS_MS_DUE.format(i=i), value=None, format="DD.MM.YYYY", key=f"ms_due_{i}"
                        ),
                        "done": None,
                    }
                )
            reason = st.text_input(texts.STRAT_REASON, key="measure_reason")
            if st.form_submit_button(texts.MEAS_CREATE):
                derived = sorted({hz[g]["field"] for g in goal_sel} | set(field_sel), key=list(fields).index)
                ust.attempt(
                    lambda: model.save_measure(
                        m.store,
                        m.catalog,
                        {
                            "title": title,
                            "description": description,
                            "fields": derived,
                            "goals": goal_sel,
                            "unit": unit_in,
                            "partners": partner_sel,
                            "start_date": start,
                            "end_date": end,
                            "status": status_in,
                            "budget_planned": parse_number(budget, "Budget geplant", required=False),
                            "reach_target": reach or None,
                            "next_review": review,
                            "milestones": [x for x in ms if x["title"] or x["due"]],
                        },
                        user,
                        reason,
                    ),
                    "meas_notice",
                    lambda mid: texts.STRAT_SAVED.format(what=f"{mid} {title}"),
                )

with tab_round:
    if can(auth.MEASURE_ROUND):  # the core refuses anyway; controls only for the role that may use them
        st.caption(texts.ROUND_INTRO)
        cr = workbook.current_round(m.store)
        st.markdown(texts.ROUND_CURRENT.format(n=cr[0], date=fmt_date(cr[1])) if cr else texts.ROUND_NONE)
        overview = workbook.round_overview(m.store)

        def _start() -> None:
            try:
                n, forms = workbook.start_round(m.store, user, day)
            except UserError as exc:
                st.error(plain(str(exc)))
            else:
                st.session_state.pop("round_confirm", None)
                st.session_state["meas_notice"] = texts.ROUND_STARTED.format(n=n, k=len(forms))
                st.rerun()

        if st.button(texts.ROUND_START, key="round_start", icon=":material/assignment:"):
            if overview is None:  # the first round invalidates nothing
                _start()
            else:  # the forms sent out become invalid: name them and ask first
                st.session_state["round_confirm"] = overview["round"]
        if overview is not None and st.session_state.get("round_confirm") == overview["round"]:
            back = overview["returned"]
            st.warning(
                plain(
                    texts.ROUND_CONFIRM.format(
                        n=overview["round"],
                        date=fmt_date(overview["created_at"]),
                        units=", ".join(overview["units"]),
                        back=", ".join(f"{u} (Import {i}, {fmt_date(t, with_time=True)})" for u, (i, t) in back.items())
                        or texts.ROUND_CONFIRM_NONE_BACK,
                    )
                ),
                icon=":material/warning:",
            )
            yes, no = st.columns(2)
            if yes.button(
                texts.ROUND_CONFIRM_YES.format(n=overview["round"] + 1, old=overview["round"]),
                key="round_confirm_yes",
                type="primary",
            ):
                _start()
            if no.button(texts.ROUND_CONFIRM_NO, key="round_confirm_no"):
                st.session_state.pop("round_confirm", None)
                st.rerun()
        made = workbook.round_forms(m.store)  # the current round's forms, as made when it started
        if made:
            for i, (u, data) in enumerate(made[1].items()):
                st.download_button(
                    texts.ROUND_DOWNLOAD.format(unit=u),
                    data,
                    file_name=workbook.form_file_name(u, made[0]),
                    key=f"form_dl_{i}",
                    icon=":material/download:",
                    on_click="ignore",
                )
        st.divider()
        up = st.file_uploader(
            texts.ROUND_UPLOAD, type=["xlsx"], key="round_upload", max_upload_size=m.settings.max_upload_mb
        )
        taken = st.session_state.get("round_taken")
        if up is not None:
            data = up.getvalue()
            pv = workbook.read_file(m.store, m.catalog, data, up.name, day)
            if pv.refusal:
                st.error(plain(texts.ROUND_REFUSED.format(reason=pv.refusal)), icon=":material/block:")
            elif pv.problems:
                st.error(texts.ROUND_PROBLEMS.format(n=len(pv.problems)), icon=":material/error:")
                pc = texts.ROUND_PROBLEM_COLS
                st.table(
                    pd.DataFrame(
                        {
                            pc[0]: [p.sheet for p in pv.problems],
                            pc[1]: [str(p.row) if p.row else "" for p in pv.problems],
                            pc[2]: [p.column or "" for p in pv.problems],
                            pc[3]: [p.message for p in pv.problems],
                        }
                    ).set_index(pc[0])
                )
            elif not pv.changes and taken and taken[0] == pv.sha256:  # the file just taken over
                st.success(plain(taken[1]), icon=":material/check:")
            elif not pv.changes:
                st.info(texts.ROUND_NO_CHANGES)
            else:
                st.markdown(f"**{texts.ROUND_CHANGES.format(n=len(pv.changes))}**")
                cc = texts.ROUND_CHANGE_COLS
                st.table(
                    pd.DataFrame(
                        {
                            cc[0]: [x.object_id for x in pv.changes],
                            cc[1]: [x.title for x in pv.changes],
                            cc[2]: [x.what for x in pv.changes],
                            cc[3]: [x.old for x in pv.changes],
                            cc[4]: [x.new for x in pv.changes],
                        }
                    ).set_index(cc[0])
                )
                if st.button(texts.ROUND_APPLY, type="primary", key="round_apply"):

                    def _applied(iid: int | None) -> str:
                        msg = texts.ROUND_APPLIED.format(id=iid, n=len(pv.changes))
                        st.session_state["round_taken"] = (pv.sha256, msg)  # stays while this file is shown
                        return msg

                    ust.attempt(lambda: workbook.apply(m.store, m.catalog, pv, user), "meas_notice", _applied)
        st.subheader(texts.ROUND_HISTORY)
        imps = workbook.imports(m.store)
        if imps:
            hc = texts.ROUND_HISTORY_COLS
            st.table(
                pd.DataFrame(
                    {
                        hc[0]: [str(r["id"]) for r in imps],
                        hc[1]: [fmt_date(r["imported_at"], with_time=True) for r in imps],
                        hc[2]: [r["file_name"] for r in imps],
                        hc[3]: [r["unit"] or "" for r in imps],
                        hc[4]: [str(r["round"]) if r["round"] is not None else "" for r in imps],
                        hc[5]: [r["user_name"] for r in imps],
                        hc[6]: [str(r["changes"]) for r in imps],
                        hc[7]: [texts.ROUND_STATUS.get(r["status"], r["status"]) for r in imps],
                    }
                ).set_index(hc[0])
            )
            active = [r["id"] for r in imps if r["status"] == UploadStatus.ACTIVE]
            if active:
                a, b = st.columns([3, 1], vertical_alignment="bottom")
                rid = a.selectbox(
                    texts.ROUND_ROLLBACK_SELECT,
                    active,
                    key="round_rollback_id",
                    format_func=lambda i: next(f"{r['id']}: {r['file_name']}" for r in imps if r["id"] == i),
                )
                # a dangerous action asks first (issue 11): the box names the import, the button waits for it
                sure = a.checkbox(
                    texts.ROUND_ROLLBACK_SURE.format(id=rid),
                    key=f"round_rollback_sure_{rid}",
                    help=texts.ROUND_ROLLBACK_HELP,
                )
                if b.button(texts.ROUND_ROLLBACK, key="round_rollback", icon=":material/undo:", disabled=not sure):
                    st.session_state.pop("round_blocked", None)  # asked anew: an earlier refusal no longer holds
                    try:
                        ust.attempt(
                            lambda: workbook.rollback(m.store, m.catalog, rid, user),
                            "meas_notice",
                            lambda n: texts.ROUND_ROLLED_BACK.format(id=rid, n=n),
                            reraise=workbook.RollbackBlocked,
                        )
                    except workbook.RollbackBlocked as exc:
                        # later imports changed the same entries: name them and offer to roll all back together
                        st.session_state["round_blocked"] = (rid, exc.later, str(exc))
                blocked = st.session_state.get("round_blocked")
                if blocked and blocked[0] == rid:
                    st.error(plain(blocked[2]), icon=":material/block:")
                    ids = [*blocked[1], rid]
                    if st.button(
                        texts.ROUND_ROLLBACK_TOGETHER.format(ids=", ".join(map(str, ids))),
                        key="round_rollback_together",
                        icon=":material/undo:",
                        disabled=not sure,
                    ):
                        st.session_state.pop("round_blocked", None)
                        ust.attempt(
                            lambda: workbook.rollback_all(m.store, m.catalog, rid, user, with_later=True),
                            "meas_notice",
                            lambda res: texts.ROUND_ROLLED_BACK_TOGETHER.format(
                                ids=", ".join(map(str, res[0])), n=res[1], id=rid
                            ),
                        )
