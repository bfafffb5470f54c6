"""Cockpit: every field of action with its indicators at a glance."""

import pandas as pd
import streamlit as st

from ui import texts
from ui.components import change_text, flag_legend, indicator_link, value_text
from ui.state import cockpit_table, data_version, get_monitor

m = get_monitor()
table = cockpit_table(data_version(m))

st.title(texts.PAGE_COCKPIT)
st.caption(texts.COCKPIT_INTRO)

for field in m.catalog.ordered_fields():
    rows = table[table["field"] == field.id]
    if rows.empty:
        continue
    st.subheader(field.name, anchor=field.id)
    view = pd.DataFrame({
        texts.COL_INDICATOR: rows["name"],
        texts.COL_YEAR: [str(int(y)) if y == y and y is not None else "–" for y in rows["year"]],
        texts.COL_VALUE: [value_text(v, u, f) for v, u, f in zip(rows["value"], rows["unit"], rows["flag"])],
        texts.COL_CHANGE: [change_text(c, u, d) for c, u, d in zip(rows["change"], rows["unit"], rows["direction"])],
        texts.COL_TREND: [[v for v in vals if v is not None] for vals in rows["spark_values"]],
        texts.COL_NOTE: [texts.STALE if s else "" for s in rows["stale"]],
        texts.COL_LINK: [indicator_link(i) for i in rows["indicator"]],
    })
    st.dataframe(
        view, hide_index=True, width="stretch", key=f"cockpit_{field.id}",
        column_config={
            texts.COL_INDICATOR: st.column_config.TextColumn(width="large"),
            texts.COL_TREND: st.column_config.LineChartColumn(width="small"),
            texts.COL_LINK: st.column_config.LinkColumn(display_text="öffnen", width="small"),
        },
    )
flag_legend(set(table["flag"].dropna()))
