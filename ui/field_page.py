"""One page per field of action, generated from the catalog (a new field needs data, not a new file)."""

from __future__ import annotations

from html import escape

import streamlit as st

from indicators import texts
from indicators.catalog import FieldOfAction
from indicators.fmt import is_missing
from indicators.wording import change_text
from ui.cockpit_table import indicator_href
from ui.components import PLOTLY_CONFIG, rollup_line, status_badge, value_text
from ui.state import cockpit_table, data_version, figure, get_monitor, shared_part, statuses


def render_field(field_id: str) -> None:
    m = get_monitor()
    _field_body(data_version(m), field_id)


@shared_part  # the same for every viewer of a data version: drawn once, then replayed (issue 11)
def _field_body(version: str, field_id: str) -> None:
    m = get_monitor()
    field = m.catalog.fields[field_id]
    status, rollups = statuses(version)
    st.title(field.name)
    if field.description:
        st.markdown(field.description)
    st.markdown(rollup_line(rollups[field_id]))
    table = cockpit_table(version).set_index("indicator")
    inds = m.catalog.by_field(field_id)
    cols = st.columns(2, gap="large")
    for i, ind in enumerate(inds):
        row = table.loc[ind.id]
        s = status[ind.id]
        with cols[i % 2].container(border=True):
            st.subheader(ind.name, anchor=ind.id)
            fig = figure(m, "field_trend", ind.id)  # shared by every viewer until the data change
            if is_missing(row["year"]) or fig is None:  # NaN, not None, once another indicator has a year
                st.caption(texts.NO_DATA)
                continue
            st.markdown(
                f"{status_badge(s.verdict.status, s.verdict.label, s.verdict.symbol)} "
                f"**{value_text(row['value'], ind.unit, row['flag'])}** ({int(row['year'])}) · "
                f"{change_text(row['change'], ind.unit, ind.direction, s.verdict)}"
            )
            st.plotly_chart(fig, key=f"trend_{ind.id}", config=PLOTLY_CONFIG)
            st.caption(texts.DIRECTION_TEXT[ind.direction])
            # a plain link: same tab, one click (a Markdown link opens a new tab)
            st.html(f'<a href="{escape(indicator_href(ind.id))}">Details öffnen ›</a>')


def field_page(field: FieldOfAction) -> st.Page:
    def page() -> None:
        render_field(field.id)

    page.__name__ = f"feld_{field.id}"
    return st.Page(page, title=field.short or field.name, icon=field.icon, url_path=field.id)
