"""Datenabdeckung: which indicator has data for which year, what is suppressed or flagged, what is stale."""

import pandas as pd
import streamlit as st

from indicators import charts, queries, texts
from ui.components import PLOTLY_CONFIG
from ui.state import cockpit_table, data_version, get_monitor

m = get_monitor()
cat = m.catalog
st.title(texts.PAGE_COVERAGE)
st.caption(texts.COVERAGE_INTRO)

cov = queries.coverage(m.store, cat)
if cov.empty:
    st.info("Noch keine berechneten Werte. Laden Sie Daten auf der Seite „Daten und Upload“.")
    st.stop()
codes = cov.assign(code=cov["status"].map(charts.COVERAGE_CODES))
matrix = codes.pivot_table(index="indicator", columns="year", values="code", aggfunc="max")
matrix = matrix.reindex(list(cat.indicators)).fillna(0).astype(int)
names = {i.id: i.name for i in cat.indicators.values()}
st.plotly_chart(charts.coverage_matrix(matrix, names), key="coverage", config=PLOTLY_CONFIG)
st.caption(texts.COVERAGE_LEGEND)

table = cockpit_table(data_version(m))
stale = table[table["stale"]]
st.subheader(texts.STALE_TITLE)
if stale.empty:
    st.success("Alle Indikatoren sind aktuell.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Indikator": stale["name"],
                "Neuester Wert": [str(int(y)) if pd.notna(y) else "keiner" for y in stale["year"]],
                "Aktualisierung": [cat.indicators[i].update_interval for i in stale["indicator"]],
                "Quelle": [cat.indicators[i].source for i in stale["indicator"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
