"""One page per field of action, generated from the catalog (a new field needs data, not a new file)."""

from __future__ import annotations

import streamlit as st

from indicators import charts, queries
from indicators.catalog import FieldOfAction
from ui import texts
from ui.components import change_text, value_text
from ui.state import cockpit_table, data_version, get_monitor


def render_field(field_id: str) -> None:
    m = get_monitor()
    field = m.catalog.fields[field_id]
    st.title(field.name)
    if field.description:
        st.markdown(field.description)
    table = cockpit_table(data_version(m))
    inds = m.catalog.by_field(field_id)
    series = queries.headline_series(m.store, m.catalog, queries.KREIS, inds)
    cols = st.columns(2, gap="large")
    for i, ind in enumerate(inds):
        row = table[table["indicator"] == ind.id].iloc[0]
        with cols[i % 2].container(border=True):
            st.subheader(ind.name, anchor=ind.id)
            data = series[series["indicator"] == ind.id].assign(region="Landkreis Peine")
            if row["year"] is None or data.empty:
                st.caption(texts.NO_DATA)
                continue
            st.markdown(
                f"**{value_text(row['value'], ind.unit, row['flag'])}** ({int(row['year'])}) · "
                f"{change_text(row['change'], ind.unit, ind.direction)} · {texts.DIRECTION_TEXT[ind.direction]}"
            )
            st.plotly_chart(charts.trend(ind, data, "region", height=300), key=f"trend_{ind.id}",
                            config={"displaylogo": False, "locale": "de"})
            st.page_link("pages/indikator.py", label=f"{ind.name}: Details öffnen", icon=":material/open_in_new:",
                         query_params={"id": ind.id})


def field_page(field: FieldOfAction) -> st.Page:
    def page() -> None:
        render_field(field.id)

    page.__name__ = f"feld_{field.id}"
    return st.Page(page, title=field.short or field.name, icon=field.icon, url_path=field.id)
