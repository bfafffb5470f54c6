"""Cockpit: every field of action with its rolled-up status and its indicators at a glance."""

import pandas as pd
import streamlit as st

from indicators.fmt import fmt_exact
from ui import cockpit_table as ct
from indicators import texts
from ui.components import flag_legend, rollup_line, status_text, value_text
from indicators.wording import change_text
from ui.state import cockpit_table, data_version, get_monitor, statuses
from ui.strategy import cockpit_measures_line, strategy_data

m = get_monitor()
version = data_version(m)
table = cockpit_table(version)
status, rollups = statuses(version)
measures = strategy_data(m)[0]

st.title(texts.PAGE_COCKPIT)
st.caption(texts.COCKPIT_INTRO)
st.html(ct.CSS)

for field in m.catalog.ordered_fields():
    rows = table[table["field"] == field.id]
    if rows.empty:
        continue
    st.subheader(field.name, anchor=field.id)
    st.markdown(rollup_line(rollups[field.id]))
    cockpit_measures_line(measures, field.id, m.settings.today)  # issue 12
    verdicts = [status[i].verdict for i in rows["indicator"]]
    targets = [status[i].target for i in rows["indicator"]]
    columns = [texts.COL_STATUS, texts.COL_INDICATOR, texts.COL_YEAR, texts.COL_VALUE, texts.COL_CHANGE,
               texts.COL_TARGET, texts.COL_TREND, texts.COL_NOTE]
    html_rows = [{
        texts.COL_STATUS: status_text(v.status, v.label, v.symbol),
        texts.COL_INDICATOR: name,
        texts.COL_YEAR: str(int(year)) if pd.notna(year) else "–",
        texts.COL_VALUE: ct.keep_together(value_text(value, unit, flag)),
        texts.COL_CHANGE: ct.keep_together(change_text(change, unit, direction, v)),
        texts.COL_TARGET: f"{ct.keep_together(fmt_exact(t.target_value, unit))} bis {t.target_year}" if t else "–",
        texts.COL_NOTE: texts.NO_DATA_NOTE if pd.isna(year) else texts.STALE if stale else "",
        "_id": ind_id, "_link_column": texts.COL_INDICATOR, "_spark_column": texts.COL_TREND,
        "_spark": ct.sparkline(years, values, unit), "_nowrap": (texts.COL_YEAR,),
    } for v, t, ind_id, name, year, value, unit, flag, change, direction, stale, years, values in zip(
        verdicts, targets, rows["indicator"], rows["name"], rows["year"], rows["value"], rows["unit"], rows["flag"],
        rows["change"], rows["direction"], rows["stale"], rows["spark_years"], rows["spark_values"])]
    st.html(ct.table_html(field.name, columns, html_rows,
                          {texts.COL_STATUS: texts.STATUS_HELP, texts.COL_NOTE: texts.STALE_HELP}))
    flag_legend(set(rows["flag"].dropna()))  # under the table whose values carry the symbols
