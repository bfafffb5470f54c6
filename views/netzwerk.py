"""Netzwerk: the Integrationsnetzwerk's partners by field of action, the measures each partner carries, a form
for a new partner (a function-based contact, no private data). Deep link: ``?partner=P-001``."""

import pandas as pd
import streamlit as st

from indicators import auth, texts
from indicators.strategy import model, schedule
from ui import strategy as ust
from ui.components import address_value, plain
from ui.signin import can, read_only_hint
from ui.state import get_monitor

m = get_monitor()
day = ust.today(m)
measures, goals, partners = ust.strategy_data(m)
fields = {f.id: f for f in m.catalog.ordered_fields()}
by_partner = {p["id"]: [x for x in measures if p["id"] in x["partners"]] for p in partners}

st.title(texts.PAGE_NETWORK)
st.caption(texts.NET_INTRO)
st.html(ust.CSS)
notice = st.session_state.pop("net_notice", None)
if notice:
    st.success(plain(notice), icon=":material/check:")

if not partners:
    st.info(texts.NET_NONE)
else:
    st.subheader(texts.NET_BY_FIELD)
    c = texts.NET_COLS
    for fid, f in fields.items():
        ps = [p for p in partners if fid in p["fields"]]
        if not ps:
            continue
        with st.expander(f"{f.name} ({len(ps)})", expanded=True):
            # a static table: all four columns fit and wrap at 1280 px (the grid cut "Maßnahmen")
            st.table(
                pd.DataFrame(
                    {
                        c[0]: [p["name"] for p in ps],
                        c[1]: [p["kind"] for p in ps],
                        c[2]: [p["contact"] for p in ps],
                        c[3]: [str(len(by_partner[p["id"]])) for p in ps],
                    }
                ).set_index(c[0])
            )

    names = {p["id"]: p["name"] for p in partners}
    wanted = st.query_params.get("partner")
    if wanted and wanted not in names:
        st.info(texts.NET_UNKNOWN.format(value=address_value(wanted)))
        wanted = None
    ids = list(names)
    pid = st.selectbox(
        texts.NET_PARTNER_SELECT,
        ids,
        index=ids.index(wanted) if wanted else 0,
        format_func=lambda k: str(names.get(k)),
        key="net_partner",
    )
    st.query_params["partner"] = pid
    rows = [(x, schedule.schedule_state(x, day)) for x in by_partner[pid]]
    if rows:
        st.caption(schedule.summary_text(schedule.count_states([s for _, s in rows])))
        st.html(ust.measures_table_html(rows, names[pid]))
    else:
        st.caption(texts.NET_PARTNER_NONE)

st.divider()
if can(auth.STRATEGY):  # the core refuses anyway; controls only for the role that may use them
    with st.expander(texts.NET_NEW):
        with st.form(f"partner_form_{auth.current_tenant()}"):
            name = st.text_input(texts.NET_NAME)
            kind = st.selectbox(texts.NET_KIND, model.PARTNER_KINDS)
            pf = st.multiselect(texts.NET_FIELDS, list(fields), format_func=lambda f: fields[f].name)
            contact = st.text_input(texts.NET_CONTACT)
            reason = st.text_input(texts.STRAT_REASON, key="partner_reason")
            if st.form_submit_button(texts.STRAT_SAVE):
                ust.attempt(
                    lambda: model.save_partner(
                        m.store,
                        m.catalog,
                        {"name": name, "kind": kind, "fields": pf, "contact": contact},
                        m.settings.user,
                        reason,
                    ),
                    "net_notice",
                    lambda new: texts.STRAT_SAVED.format(what=f"{new} {name}"),
                )
else:
    st.caption(read_only_hint())
