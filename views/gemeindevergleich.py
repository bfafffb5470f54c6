"""Gemeindevergleich: one indicator, one year, all Gemeinden against the Landkreis."""

import streamlit as st

from indicators import charts, queries, texts
from indicators.fmt import fmt_value
from ui.components import PLOTLY_CONFIG, address_value, flag_legend
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
ind_id = st.selectbox(
    texts.INDICATOR_SELECT,
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: cat.indicators[i].name,
    key="cmp_indicator",
)
ind = cat.indicators[ind_id]
if wanted is not None and wanted not in ids:
    st.warning(
        (
            texts.LINK_NO_GEMEINDEN.format(name=cat.indicators[wanted].name, shown=ind.name)
            if wanted in cat.indicators
            else texts.LINK_UNKNOWN_INDICATOR.format(value=address_value(wanted), shown=ind.name)
        ),
        icon=":material/link_off:",
    )
params["id"] = ind_id
years = queries.years_with_values(m.store, ind_id)
if not years:
    st.info(texts.NO_DATA)
    st.stop()
asked_year = params.get("jahr")
wanted_year = int(asked_year) if asked_year is not None and asked_year.isascii() and asked_year.isdigit() else None
year = st.select_slider(
    texts.YEAR_SELECT, options=years, value=wanted_year if wanted_year in years else years[-1], key="cmp_year"
)
if asked_year is not None and wanted_year is None:
    st.warning(texts.LINK_BAD_YEAR.format(value=address_value(asked_year), year=year), icon=":material/link_off:")
elif wanted_year is not None and wanted_year not in years:
    st.warning(texts.LINK_YEAR_NO_VALUES.format(value=wanted_year, year=year), icon=":material/link_off:")
params["jahr"] = str(year)

data = queries.gemeinde_values(m.store, ind, year, m.settings.own_region)
kreis = data[data["region"] == m.settings.own_region]["value"]
kreis_value = float(kreis.iloc[0]) if len(kreis) and kreis.notna().iloc[0] else None
if data[data["level"] == "gemeinde"].empty:
    st.info("Für dieses Jahr liegen keine Gemeindewerte vor.")
else:
    st.plotly_chart(charts.gemeinde_bars(ind, data, kreis_value, year), key="cmp_bars", config=PLOTLY_CONFIG)
    st.caption(
        texts.DIRECTION_TEXT[ind.direction]
        + " "
        + (
            texts.CMP_KREIS_LINE
            if charts.kreis_comparable(ind)
            else texts.CMP_KREIS_SUM.format(value=fmt_value(kreis_value, ind.unit) if kreis_value is not None else "–")
        )
    )
    flag_legend(set(data["flag"].dropna()))
