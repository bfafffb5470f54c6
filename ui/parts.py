"""Parts of pages that are the same for every viewer of one data version: drawn once, then replayed (issue 11,
``ui.state.shared_part``). Nothing here may depend on the session (role, sign-in, widgets)."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from indicators import progress, regions, texts, wording
from indicators.fmt import change_unit, fmt_change, fmt_exact, fmt_value
from indicators.report import content as report_content
from indicators.wording import change_text
from ui import cockpit_table as ct
from ui.components import PLOTLY_CONFIG, flag_legend, plain, rollup_line, soll_ist_label, status_text, value_text
from ui.regions import comparison_table, rank_text
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
        if field.rollup:  # the projector's slide of this field (issue 25): one click, same tab
            href = "praesentation?" + urlencode({"folien": f"feld:{field.id}", "folie": "1"})
            st.html(f'<a class="field-slide-link" href="{escape(href)}" target="_self">{texts.COCKPIT_FIELD_SLIDE}</a>')
        verdicts = [status[i].verdict for i in rows["indicator"]]
        targets = [status[i].target for i in rows["indicator"]]
        columns = [
            texts.COL_STATUS,
            texts.COL_INDICATOR,
            texts.COL_YEAR,
            texts.COL_VALUE,
            texts.COL_CHANGE,
            texts.COL_TARGET,
            texts.COL_TREND,
            texts.COL_NOTE,
        ]
        html_rows = [
            {
                texts.COL_STATUS: status_text(v.status, v.label, v.symbol),
                texts.COL_INDICATOR: name,
                texts.COL_YEAR: str(int(year)) if pd.notna(year) else "–",
                texts.COL_VALUE: ct.keep_together(value_text(value, unit, flag)),
                texts.COL_CHANGE: ct.keep_together(change_text(change, unit, direction, v)),
                texts.COL_TARGET: f"{ct.keep_together(fmt_exact(t.target_value, unit))} bis {t.target_year}"
                if t
                else "–",
                texts.COL_NOTE: texts.NO_DATA_NOTE if pd.isna(year) else texts.STALE if stale else "",
                "_id": ind_id,
                "_link_column": texts.COL_INDICATOR,
                "_spark_column": texts.COL_TREND,
                "_spark": ct.sparkline(years, values, unit),
                "_nowrap": (texts.COL_YEAR,),
            }
            for v, t, ind_id, name, year, value, unit, flag, change, direction, stale, years, values in zip(
                verdicts,
                targets,
                rows["indicator"],
                rows["name"],
                rows["year"],
                rows["value"],
                rows["unit"],
                rows["flag"],
                rows["change"],
                rows["direction"],
                rows["stale"],
                rows["spark_years"],
                rows["spark_values"],
            )
        ]
        st.html(
            ct.table_html(
                field.name, columns, html_rows, {texts.COL_STATUS: texts.STATUS_HELP, texts.COL_NOTE: texts.STALE_HELP}
            )
        )
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
        st.caption(
            " · ".join(
                f"[{i}] {y}: {plain(t)}" for i, (y, t) in enumerate(zip(note_rows["year"], note_rows["text"]), 1)
            )
        )


# -- the indicator page's tabs (without their widgets: the downloads and the note form stay on the page) ----------
@shared_part
def soll_ist_part(version: str, ind_id: str) -> None:
    """Tab Soll/Ist: the Soll path against the values year by year, the target's base year, tolerance and author."""
    m = get_monitor()
    ind = m.catalog.indicators[ind_id]
    status = statuses(version)[0][ind_id]
    if status.target is None:
        st.info(texts.IND_NO_TARGET if ind.direction != "context" else texts.IND_CONTEXT_NO_TARGET)
        return
    t = status.target
    latest = status.latest
    path = status.soll_path()
    rows = (
        progress.sollpfad_table(
            status.series,
            path,
            ind.direction,
            t.tolerance or 0.0,
            t.tolerance2 if t.tolerance2 is not None else (t.tolerance or 0.0),
        )
        if path
        else []
    )
    if rows:
        st.dataframe(
            pd.DataFrame(
                {
                    "Jahr": [str(r["year"]) for r in rows],
                    "Soll": [fmt_value(r["soll"], ind.unit) for r in rows],
                    "Ist": [fmt_value(r["ist"], ind.unit) for r in rows],
                    "Abweichung": [
                        fmt_change(r["abweichung"], ind.unit) if r["abweichung"] is not None else "–" for r in rows
                    ],
                    "Bewertung": [soll_ist_label(r, latest[0] if latest else None) for r in rows],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.caption(
        f"{wording.base_year_text(status)} · Zieljahr {t.target_year} · "
        f"Toleranz {fmt_exact(t.tolerance or 0, change_unit(ind.unit))} · zuletzt geändert von {plain(t.updated_by)}"
        + (f" · Begründung: {plain(t.reason)}" if t.reason else "")
    )


@shared_part
def values_table_part(version: str, ind_id: str, breakdown: str, regions: tuple[str, ...]) -> None:
    """Tab Werte: the chart's values as a table, a column per line, the newest year first."""
    m = get_monitor()
    ind = m.catalog.indicators[ind_id]
    data, _ = figure(m, "indicator_trend", ind_id, breakdown, regions)
    table = data.pivot_table(index="year", columns="label", values="value", aggfunc="first", dropna=False)
    shown = table.map(lambda v: fmt_value(v, ind.unit)).sort_index(ascending=False)
    shown.index = shown.index.astype(str)
    shown.index.name = "Jahr"
    st.dataframe(shown, width="stretch")


@shared_part
def comparison_part(version: str, ind_id: str, own: str) -> None:
    """Tab Regionalvergleich: the own Kreis against its Land, Deutschland and the neighbours, with its rank."""
    m = get_monitor()
    ind = m.catalog.indicators[ind_id]
    compared = regions.compared(own, read(m, "default_comparison", ind_id, own))
    others = read(m, "comparison_years", ind_id, compared[1:])  # years in which a comparison region has a value
    if not others:
        st.info(texts.REG_NO_COMPARISON)
        return
    reg_year = others[-1]
    comparison_table(ind, read(m, "comparison_rows", ind_id, reg_year, compared), reg_year)
    rank = read(m, "land_rank", ind_id, reg_year, own)
    if rank is not None:
        st.caption(rank_text(rank, reg_year))
    st.page_link(
        "views/regionalvergleich.py",
        label=texts.IND_REGIONS_LINK,
        icon=":material/compare_arrows:",
        query_params={"id": ind_id, "jahr": str(reg_year)},
    )


@shared_part
def steckbrief_part(version: str, ind_id: str) -> None:
    """Tab Steckbrief: the same profile as the report's annex."""
    m = get_monitor()
    meta = report_content.profile(m, m.catalog.indicators[ind_id])
    st.table(pd.DataFrame({"Merkmal": list(meta), "Angabe": list(meta.values())}).set_index("Merkmal"))
