"""Regionalvergleich: the Landkreis against its Land, Deutschland and chosen comparison Kreise (default: the
neighbours present in the data), with its rank among the Kreise of the Land where all of them have a value.
Address: ``?id=<indicator>&jahr=<year>&kreis=<key>&kreis=<key>``."""

import pandas as pd
import streamlit as st

from indicators import charts, queries, texts
from indicators import regions as reg
from ui.components import PLOTLY_CONFIG, address_value, flag_legend
from ui.regions import comparison_table, rank_text
from ui.state import get_monitor

m = get_monitor()
cat = m.catalog
params = st.query_params
own = m.settings.own_region
land = own[:2]

st.title(texts.PAGE_REGIONS)
st.caption(texts.REG_INTRO)

ids = list(cat.indicators)
wanted = params.get("id")
# first view without a link: the first indicator that has values of other regions (not an empty page)
compared = reg.indicators_compared(m.store, own)
first = next((i for i in ids if i in compared), ids[0])
ind_id = st.selectbox(
    texts.INDICATOR_SELECT,
    ids,
    index=ids.index(wanted) if wanted in ids else ids.index(first),
    format_func=lambda i: cat.indicators[i].name,
    key="reg_indicator",
)
ind = cat.indicators[ind_id]
if wanted is not None and wanted not in ids:
    st.warning(
        texts.LINK_UNKNOWN_INDICATOR.format(value=address_value(wanted), shown=ind.name), icon=":material/link_off:"
    )
params["id"] = ind_id

kreise = reg.kreise_with_values(m.store, ind)
kreise = kreise[kreise["key"] != own]
names = dict(zip(kreise["key"], kreise["name"]))
asked = params.get_all("kreis")
from_outside = asked != st.session_state.get("_reg_kreise_written")  # not what this page wrote before
unknown = [k for k in asked if k not in names]
if unknown and from_outside:
    st.warning(
        texts.LINK_BAD_KREISE.format(value=", ".join(address_value(k) for k in unknown)), icon=":material/link_off:"
    )
if "reg_kreise" not in st.session_state:  # first view: the address, else the neighbours present in the data
    wanted_kreise = [k for k in asked if k in names] if asked else reg.default_comparison(m.store, ind, own, m.settings)
    st.session_state["reg_kreise"] = wanted_kreise
st.session_state["reg_kreise"] = [k for k in st.session_state["reg_kreise"] if k in names]
chosen = st.multiselect(
    texts.REG_KREISE,
    list(names),
    format_func=lambda k: f"{names[k]} ({k})",
    key="reg_kreise",
    placeholder=texts.REG_KREISE_PLACEHOLDER,
    help=texts.REG_KREISE_HELP,
    # typing "Goslar" finds Goslar, not what fuzzy matching makes of it; no English "Select 3 matches" (issue 25)
    filter_mode="contains",
    select_all=False,
)
params["kreis"] = chosen
st.session_state["_reg_kreise_written"] = list(chosen)

regions = reg.compared(own, chosen)
years = reg.years(m.store, ind, regions)
compared_years = reg.years(m.store, ind, regions[1:])  # the default year: the newest one with comparison values
if not compared_years:
    st.info(texts.REG_NO_COMPARISON)
    if "jahr" in params:
        del params["jahr"]
    st.stop()
if st.session_state.get("reg_year") not in years:  # another indicator has other years
    st.session_state.pop("reg_year", None)
asked_year = params.get("jahr")
wanted_year = int(asked_year) if asked_year is not None and asked_year.isascii() and asked_year.isdigit() else None
year = (
    st.select_slider(
        texts.YEAR_SELECT,
        options=years,
        value=wanted_year if wanted_year in years else compared_years[-1],
        key="reg_year",
    )
    if len(years) > 1
    else years[0]
)
if asked_year is not None and wanted_year is None:
    st.warning(texts.LINK_BAD_YEAR.format(value=address_value(asked_year), year=year), icon=":material/link_off:")
elif wanted_year is not None and wanted_year not in years:
    st.warning(texts.LINK_YEAR_NO_VALUES.format(value=wanted_year, year=year), icon=":material/link_off:")
params["jahr"] = str(year)

data = reg.comparison_rows(m.store, ind, year, regions)
if own not in set(data["region"]) or pd.isna(data.set_index("region")["value"].get(own)):
    st.info(texts.REG_OWN_MISSING.format(year=year))

rank = reg.land_rank(m.store, ind, year, own, m.settings)
land_name = reg.region_name(m.store, land)
if rank is not None:
    st.markdown("**" + rank_text(rank, year) + "** " + texts.DIRECTION_TEXT[ind.direction])
else:
    expected = reg.kreise_in_land(land, year, m.settings)
    present = reg.kreise_with_value(m.store, ind, year, land)
    st.caption(
        texts.REG_NO_RANK.format(land=land_name, year=year, expected=expected, present=present)
        if expected
        else texts.REG_NO_RANK_UNKNOWN
    )

if not data.empty:
    st.plotly_chart(charts.region_bars(ind, data, own, year), key="reg_bars", config=PLOTLY_CONFIG)
    comparison_table(ind, data)
    flag_legend(set(data["flag"].dropna()))

st.markdown(f"##### {texts.REG_TREND}")
series = queries.series(m.store, ind, regions)
if series.empty or series["value"].notna().sum() == 0:
    st.info(texts.NO_DATA)
else:
    label = dict(zip(data["region"], data["name"]))
    series["label"] = series["region"].map(label).fillna(series["region_name"]).fillna(series["region"])
    series["order"] = series["region"].map({r: i for i, r in enumerate(regions)})
    series = series.sort_values(["order", "year"]).drop(columns="order")
    st.plotly_chart(charts.trend(ind, series, "region", label_col="label"), key="reg_trend", config=PLOTLY_CONFIG)
