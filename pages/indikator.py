"""Indicator page: trend for the Landkreis and chosen Gemeinden, breakdowns, values, Steckbrief."""

import pandas as pd
import streamlit as st

from indicators import charts, queries
from indicators.fmt import fmt_value
from ui import texts
from ui.components import flag_legend
from ui.state import get_monitor

m = get_monitor()
cat = m.catalog
params = st.query_params

ids = list(cat.indicators)
wanted = params.get("id")
index = ids.index(wanted) if wanted in ids else 0
ind_id = st.selectbox(texts.INDICATOR_SELECT, ids, index=index, format_func=lambda i: f"{cat.indicators[i].name}",
                      key="indicator_select")
ind = cat.indicators[ind_id]
params["id"] = ind_id

st.title(ind.name)
st.caption(f"{cat.fields[ind.field].name} · Einheit: {ind.unit} · {texts.DIRECTION_TEXT[ind.direction]}")

options = queries.breakdown_options(m.store, ind.id)
breakdowns = [""] + [d for d in ("nationality", "sex") if len(options.get(d, [])) > 1]
wanted_bd = params.get("bd", "")
bd = st.radio(texts.BREAKDOWN_SELECT, breakdowns, index=breakdowns.index(wanted_bd) if wanted_bd in breakdowns else 0,
              format_func=lambda d: texts.BREAKDOWN_LABELS[d], horizontal=True, key="breakdown")
if bd:
    params["bd"] = bd
elif "bd" in params:
    del params["bd"]

gem = queries.gemeinden(m.store)
has_gemeinden = bool(queries.series(m.store, ind, gem["key"].tolist()).shape[0])
region_names = {queries.KREIS: "Landkreis Peine", **dict(zip(gem["key"], gem["name"]))}
selected = [queries.KREIS]
if has_gemeinden and not bd:
    wanted_regions = [r for r in params.get_all("region") if r in region_names and r != queries.KREIS]
    chosen = st.multiselect(texts.REGION_SELECT + " (Gemeinden zum Vergleich)", [k for k in region_names if k != queries.KREIS],
                            default=wanted_regions, format_func=region_names.get, key="regions")
    selected += chosen
    params["region"] = chosen

if bd:
    data = queries.breakdown_series(m.store, ind, bd)
    fig = charts.trend(ind, data, "group_code")
else:
    data = queries.series(m.store, ind, selected)
    data["region_name"] = data["region"].map(region_names).fillna(data["region_name"])
    data["order"] = data["region"].map({r: i for i, r in enumerate(selected)})
    data = data.sort_values(["order", "year"])
    fig = charts.trend(ind, data, "region", label_col="region_name")

if data.empty or data["value"].notna().sum() == 0:
    st.info(texts.NO_DATA)
else:
    st.plotly_chart(fig, key="indicator_trend", config={"displaylogo": False, "locale": "de"})
    flag_legend(set(data["flag"].dropna()))

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(texts.VALUES_TABLE)
    if not data.empty:
        series_col = "group_code" if bd else "region_name"
        table = data.pivot_table(index="year", columns=series_col, values="value", aggfunc="first", dropna=False)
        if bd:
            table = table.rename(columns=charts.GROUP_LABELS)
        shown = table.map(lambda v: fmt_value(v, ind.unit)).sort_index(ascending=False)
        shown.index = shown.index.astype(str)
        shown.index.name = "Jahr"
        st.dataframe(shown, width="stretch")
        csv = data.drop(columns=[c for c in ("order",) if c in data.columns]).to_csv(index=False, sep=";", decimal=",")
        st.download_button(texts.DOWNLOAD_CSV, csv.encode("utf-8-sig"), file_name=f"{ind.id}.csv", mime="text/csv",
                           icon=":material/download:")
with right:
    st.subheader(texts.STECKBRIEF)
    meta = {
        "Kennung": ind.id, "Handlungsfeld": cat.fields[ind.field].name, "Beschreibung": ind.description,
        "Interpretation": ind.interpretation, "Formelart": ind.kind, "Einheit": ind.unit,
        "Quelle": ind.source, "Aktualisierung": ind.update_interval, "Stichtag": ind.reference_date,
        "Gemeindeebene": "ja" if ind.gemeinde_level else "nein",
        "Mindestfallzahl": str(ind.min_count if ind.min_count is not None else m.settings.min_count),
        "Referenz": ind.reference or "–",
    }
    if ind.series_breaks:
        meta["Brüche in der Zeitreihe"] = "; ".join(f"{b.year}: {b.note}" for b in ind.series_breaks)
    st.table(pd.DataFrame({"": list(meta.keys()), " ": list(meta.values())}).set_index(""))
