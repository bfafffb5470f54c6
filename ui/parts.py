"""Parts of pages that are the same for every viewer of one data version: drawn once, then replayed (issue 11,
``ui.state.shared_part``). Nothing here may depend on the session (role, sign-in, widgets)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from indicators import texts
from indicators.fmt import fmt_exact
from indicators.wording import change_text
from ui import cockpit_table as ct
from ui.components import PLOTLY_CONFIG, flag_legend, plain, rollup_line, status_text, value_text
from ui.state import cockpit_table, figure, get_monitor, read, shared_part, statuses
from ui.strategy import cockpit_measures_line, strategy_data


@shared_part
def cockpit_body(version: str, strategy_version: str, today: dt.date) -> None:
    """Every field of action with its rolled-up status, its measures and its indicators at a glance."""
    m = get_monitor()
    table = cockpit_table(version)
    status, rollups = statuses(version)
    measures = strategy_data(m)[0]
    by_field = dict(tuple(table.groupby("field", sort=False)))
    for field in m.catalog.ordered_fields():
        rows = by_field.get(field.id)
        if rows is None or rows.empty:
            continue
        st.subheader(field.name, anchor=field.id)
        st.markdown(rollup_line(rollups[field.id]))
        cockpit_measures_line(measures, field.id, today)  # issue 12
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
            verdicts, targets, rows["indicator"], rows["name"], rows["year"], rows["value"], rows["unit"],
            rows["flag"], rows["change"], rows["direction"], rows["stale"], rows["spark_years"], rows["spark_values"])]
        st.html(ct.table_html(field.name, columns, html_rows,
                              {texts.COL_STATUS: texts.STATUS_HELP, texts.COL_NOTE: texts.STALE_HELP}))
        flag_legend(set(rows["flag"].dropna()))  # under the table whose values carry the symbols


@shared_part
def indicator_chart(version: str, ind_id: str, breakdown: str, regions: tuple[str, ...]) -> None:
    """The indicator page's trend chart with the legend of its symbols and its notes, or a note that there are no
    values."""
    m = get_monitor()
    data, fig = figure(m, "indicator_trend", ind_id, breakdown, regions)
    if data.empty or data["value"].notna().sum() == 0:
        st.info(texts.NO_DATA)
        return
    st.plotly_chart(fig, key="indicator_trend", config=PLOTLY_CONFIG)
    flag_legend(set(data["flag"].dropna()))
    note_rows = read(m, "notes", ind_id)
    if len(note_rows):
        st.caption(" · ".join(f"[{i}] {y}: {plain(t)}"
                              for i, (y, t) in enumerate(zip(note_rows["year"], note_rows["text"]), 1)))
