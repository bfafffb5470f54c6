"""One page per field of action, generated from the catalog (a new field needs data, not a new file)."""

from __future__ import annotations

from html import escape

import streamlit as st

from indicators import charts, queries
from indicators.catalog import FieldOfAction
from indicators.fmt import is_missing
from indicators.regions import region_name
from ui import texts
from ui.cockpit_table import indicator_href
from ui.components import PLOTLY_CONFIG, rollup_line, status_badge, value_text
from ui.wording import change_text
from ui.state import cockpit_table, data_version, get_monitor, statuses


def render_field(field_id: str) -> None:
    m = get_monitor()
    field = m.catalog.fields[field_id]
    version = data_version(m)
    status, rollups = statuses(version)
    st.title(field.name)
    if field.description:
        st.markdown(field.description)
    st.markdown(rollup_line(rollups[field_id]))
    table = cockpit_table(version)
    inds = m.catalog.by_field(field_id)
    series = queries.headline_series(m.store, m.catalog, m.settings.own_region, inds)
    own_name = region_name(m.store, m.settings.own_region)
    cols = st.columns(2, gap="large")
    for i, ind in enumerate(inds):
        row = table[table["indicator"] == ind.id].iloc[0]
        s = status[ind.id]
        with cols[i % 2].container(border=True):
            st.subheader(ind.name, anchor=ind.id)
            data = series[series["indicator"] == ind.id].assign(region=own_name)
            if is_missing(row["year"]) or data.empty:  # NaN, not None, once another indicator has a year
                st.caption(texts.NO_DATA)
                continue
            st.markdown(
                f"{status_badge(s.verdict.status, s.verdict.label, s.verdict.symbol)} "
                f"**{value_text(row['value'], ind.unit, row['flag'])}** ({int(row['year'])}) · "
                f"{change_text(row['change'], ind.unit, ind.direction, s.verdict)}"
            )
            fig = charts.trend(ind, data, "region", height=300)
            if s.target:
                charts.add_target(fig, ind, s.target.target_year, s.target.target_value, None, list(s.verdict.projection))
            st.plotly_chart(fig, key=f"trend_{ind.id}", config=PLOTLY_CONFIG)
            st.caption(texts.DIRECTION_TEXT[ind.direction])
            # a plain link: same tab, one click (a Markdown link opens a new tab)
            st.html(f'<a href="{escape(indicator_href(ind.id))}">Details öffnen ›</a>')


def field_page(field: FieldOfAction) -> st.Page:
    def page() -> None:
        render_field(field.id)

    page.__name__ = f"feld_{field.id}"
    return st.Page(page, title=field.short or field.name, icon=field.icon, url_path=field.id)
