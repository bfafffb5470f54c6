"""Gemeindevergleich: one indicator, one year, all Gemeinden against the Landkreis."""

import streamlit as st

from indicators import charts, queries
from ui import texts
from ui.components import flag_legend
from ui.state import get_monitor

m = get_monitor()
cat = m.catalog
params = st.query_params

st.title(texts.PAGE_COMPARISON)
candidates = [i for i in cat.indicators.values() if i.gemeinde_level]
if not candidates:
    st.info("Kein Indikator ist auf Gemeindeebene definiert.")
    st.stop()
ids = [i.id for i in candidates]
wanted = params.get("id")
ind_id = st.selectbox(texts.INDICATOR_SELECT, ids, index=ids.index(wanted) if wanted in ids else 0,
                      format_func=lambda i: cat.indicators[i].name, key="cmp_indicator")
ind = cat.indicators[ind_id]
params["id"] = ind_id
years = queries.years_with_values(m.store, ind_id)
if not years:
    st.info(texts.NO_DATA)
    st.stop()
wanted_year = int(params["jahr"]) if str(params.get("jahr", "")).isdigit() else None
year = st.select_slider(texts.YEAR_SELECT, options=years, value=wanted_year if wanted_year in years else years[-1],
                        key="cmp_year")
params["jahr"] = str(year)

data = queries.gemeinde_values(m.store, ind, year)
kreis = data[data["region"] == queries.KREIS]["value"]
kreis_value = float(kreis.iloc[0]) if len(kreis) and kreis.notna().iloc[0] else None
if data[data["level"] == "gemeinde"].empty:
    st.info("Für dieses Jahr liegen keine Gemeindewerte vor.")
else:
    st.plotly_chart(charts.gemeinde_bars(ind, data, kreis_value, year), key="cmp_bars",
                    config={"displaylogo": False, "locale": "de"})
    st.caption(texts.DIRECTION_TEXT[ind.direction] + " Gestrichelte Linie: Wert des Landkreises.")
    flag_legend(set(data["flag"].dropna()))
