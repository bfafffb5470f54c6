"""Integrationsmonitor Landkreis Peine – entry point: page frame and navigation around all pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import texts
from ui.field_page import field_page
from ui.state import data_version, get_monitor, has_demo

HERE = Path(__file__).parent
PAGES = HERE / "pages"

st.set_page_config(page_title=texts.APP_TITLE, page_icon=":material/monitoring:", layout="wide")
monitor = get_monitor()

pages = {
    texts.NAV_OVERVIEW: [
        st.Page(PAGES / "cockpit.py", title=texts.PAGE_COCKPIT, icon=":material/dashboard:", default=True),
    ],
    texts.NAV_FIELDS: [field_page(f) for f in monitor.catalog.ordered_fields()],
    texts.NAV_ANALYSIS: [
        st.Page(PAGES / "indikator.py", title=texts.PAGE_INDICATOR, icon=":material/show_chart:", url_path="indikator"),
        st.Page(PAGES / "gemeindevergleich.py", title=texts.PAGE_COMPARISON, icon=":material/bar_chart:",
                url_path="gemeindevergleich"),
    ],
    texts.NAV_DATA: [
        st.Page(PAGES / "daten.py", title=texts.PAGE_DATA, icon=":material/upload_file:", url_path="daten"),
    ],
}
page = st.navigation(pages)

with st.sidebar:
    st.markdown(f"**{texts.APP_TITLE}**  \n{texts.APP_SUBTITLE}")
    if has_demo(data_version(monitor)):
        st.warning(texts.DEMO_BADGE, icon=":material/science:")

if has_demo(data_version(monitor)):
    st.info(texts.DEMO_BANNER, icon=":material/science:")

page.run()
