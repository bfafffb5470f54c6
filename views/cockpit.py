"""Cockpit: every field of action with its rolled-up status and its indicators at a glance."""

import streamlit as st

from indicators import texts
from ui import cockpit_table as ct
from ui.parts import cockpit_body
from ui.state import data_version, get_monitor, strategy_version

m = get_monitor()

st.title(texts.PAGE_COCKPIT)
st.caption(texts.COCKPIT_INTRO)
st.html(ct.CSS)
cockpit_body(data_version(m), strategy_version(m), m.settings.today)
