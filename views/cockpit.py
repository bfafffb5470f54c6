"""Cockpit: every field of action with its rolled-up status and its indicators at a glance."""

import streamlit as st

from indicators import auth, texts
from ui import cockpit_table as ct
from ui.parts import cockpit_body
from ui.signin import can
from ui.state import cockpit_table, data_version, get_monitor, strategy_version

m = get_monitor()

st.title(texts.PAGE_COCKPIT)
st.caption(texts.COCKPIT_INTRO)
st.html(ct.CSS)
version = data_version(m)
if cockpit_table(version)["year"].isna().all():  # nothing loaded yet (a new install, the demo removed)
    with st.container(border=True):
        st.subheader(texts.START_GUIDE_TITLE)
        st.markdown(texts.START_GUIDE_INTRO)
        steps = [
            (auth.UPLOAD, "views/daten.py", texts.START_GUIDE_UPLOAD, ":material/upload_file:"),
            (auth.TARGETS, "views/ziele.py", texts.START_GUIDE_TARGETS, ":material/flag:"),
            (auth.STRATEGY, "views/strategie.py", texts.START_GUIDE_STRATEGY, ":material/account_tree:"),
            (auth.STRATEGY, "views/massnahmen.py", texts.START_GUIDE_MEASURES, ":material/checklist:"),
        ]
        shown = [x for x in steps if can(x[0])]
        for _, target, label, icon in shown:
            st.page_link(target, label=label, icon=icon)
        if not shown:
            st.caption(texts.START_GUIDE_READ)
cockpit_body(version, strategy_version(m), m.settings.today)
