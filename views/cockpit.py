"""Cockpit: every field of action with its rolled-up status and its indicators at a glance."""

import pandas as pd
import streamlit as st

from indicators.fmt import fmt_value
from ui import texts
from ui.components import change_text, flag_legend, indicator_link, rollup_line, status_text, value_text
from ui.state import cockpit_table, data_version, get_monitor, statuses

m = get_monitor()
version = data_version(m)
table = cockpit_table(version)
status, rollups = statuses(version)

st.title(texts.PAGE_COCKPIT)
st.caption(texts.COCKPIT_INTRO)

for field in m.catalog.ordered_fields():
    rows = table[table["field"] == field.id]
    if rows.empty:
        continue
    st.subheader(field.name, anchor=field.id)
    st.markdown(rollup_line(rollups[field.id]))
    verdicts = [status[i].verdict for i in rows["indicator"]]
    targets = [status[i].target for i in rows["indicator"]]
    view = pd.DataFrame({
        texts.COL_STATUS: [status_text(v.status, v.label, v.symbol) for v in verdicts],
        texts.COL_INDICATOR: rows["name"].tolist(),
        texts.COL_YEAR: [str(int(y)) if pd.notna(y) else "–" for y in rows["year"]],
        texts.COL_VALUE: [value_text(v, u, f) for v, u, f in zip(rows["value"], rows["unit"], rows["flag"])],
        texts.COL_CHANGE: [change_text(c, u, d, v) for c, u, d, v in zip(rows["change"], rows["unit"], rows["direction"],
                                                                          verdicts)],
        texts.COL_TARGET: [f"{fmt_value(t.target_value, u)} bis {t.target_year}" if t else "–"
                           for t, u in zip(targets, rows["unit"])],
        texts.COL_TREND: [[v for v in vals if v is not None] for vals in rows["spark_values"]],
        texts.COL_NOTE: [texts.STALE if s else "" for s in rows["stale"]],
        texts.COL_LINK: [indicator_link(i) for i in rows["indicator"]],
    })
    st.dataframe(
        view, hide_index=True, width="stretch", key=f"cockpit_{field.id}",
        column_config={
            texts.COL_STATUS: st.column_config.TextColumn(width="medium", help=texts.STATUS_HELP),
            texts.COL_INDICATOR: st.column_config.TextColumn(width="large"),
            texts.COL_TREND: st.column_config.LineChartColumn(width="small"),
            texts.COL_NOTE: st.column_config.TextColumn(help=texts.STALE_HELP),
            texts.COL_LINK: st.column_config.LinkColumn(display_text="öffnen", width="small"),
        },
    )
flag_legend(set(table["flag"].dropna()))
