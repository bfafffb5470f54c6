"""The preview of one file: recognised format and why, facts, problems, assumptions, the sample of values and the
regions the file brings."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from indicators import texts as T
from indicators.fmt import fmt_date, fmt_int
from indicators.ingest.session import UploadReport, UploadSession
from indicators.keys import region_level
from indicators.regions import LEVEL_LABELS
from indicators.service import Monitor
from indicators.wording import code_label, error_count
from ui.components import plain
from ui.state import clear_caches
from ui.upload.common import (
    ALL_ROWS,
    MAX_REGIONS,
    NOTICES,
    OFFERS,
    SAMPLE_ROWS,
    SKIP_OTHER,
    count_text,
    fail,
    file_key,
    german_ids,
    listing,
    names_for,
    rerun_fresh,
    session_slot,
    value_text,
    warnings_text,
)

#: columns of the sample: the value and its flag right after the key, so that they stay in view at 1280 px
SAMPLE_ORDER = (
    "variable",
    "region",
    "year",
    "value",
    "flag",
    "nationality",
    "sex",
    "age_group",
    "category",
    "ref_date",
    "source_sheet",
    "source_row",
    "source_column",
)
#: the assumption in which the checks say what happens to the regions outside the own area (shown on its own)
OTHER_REGIONS_KEY = "Weitere Regionen"


def format_block(report: UploadReport) -> None:
    if not report.table_found:  # the one reason follows as the error
        st.markdown(T.UPL_FORMAT_NO_TABLE)
        return
    if report.unrecognised:
        st.markdown(T.UPL_FORMAT_UNKNOWN)
    else:
        st.markdown(T.UPL_FORMAT.format(label=report.format_label))
    if report.reasoning:
        st.caption(T.UPL_REASONING.format(text=plain(report.reasoning)))


def facts_block(report: UploadReport, m: Monitor) -> None:
    d = report.data
    if d.empty:
        return
    summary = report.summary()
    c1, c0, c2, c3, c4 = st.columns([1, 1.15, 1.6, 0.85, 0.9])  # 'Jahre' holds '2022–2023' at 1280 px
    variables = sorted(d["variable"].dropna().astype(str).unique())
    regions = sorted(d["region"].dropna().astype(str).unique(), key=lambda k: (len(k), k))
    years = sorted(int(y) for y in d["year"].dropna().unique())
    n_values, n_symbols = report.value_counts()  # as the reconciliation counts them (values apart from symbols)
    c1.metric(T.UPL_FACT_ROWS, fmt_int(n_values))
    c0.metric(T.UPL_FACT_SYMBOLS, fmt_int(n_symbols))
    c2.metric(T.UPL_FACT_YEARS, str(summary["Jahre"]))
    c3.metric(T.UPL_FACT_REGIONS, fmt_int(len(regions)))
    c4.metric(T.UPL_FACT_VARIABLES, fmt_int(len(variables)))
    names = names_for(m, report)
    var_names = {v.id: v.name for v in m.catalog.variables.values()}
    st.markdown(
        T.UPL_VARIABLES.format(items=listing([plain(f"{v} {var_names.get(v, '')}".strip()) for v in variables]))
    )
    st.markdown(T.UPL_REGIONS.format(items=listing([plain(f"{k} {names.get(k, '')}".strip()) for k in regions])))
    if len(years) > 1:
        st.markdown(T.UPL_YEARS.format(items=listing([str(y) for y in years], 30)))


def other_regions_block(upload: UploadSession, report: UploadReport) -> None:
    """An official file with regions outside the own area: what happens to them, and the choice to leave them out
    (the file is read again with the choice)."""
    text = report.other_regions
    chosen = bool(session_slot(SKIP_OTHER).get(upload.sha256))
    if not text and not chosen:
        return
    if text:
        st.info(
            plain(f"Die Datei {text}." if text.startswith("enthält") else text[:1].upper() + text[1:] + "."),
            icon=":material/travel_explore:",
        )
    skip = st.checkbox(
        T.UPL_OTHER_REGIONS_SKIP, value=chosen, key=f"skipother_{file_key(upload)}", help=T.UPL_OTHER_REGIONS_HELP
    )
    if skip != chosen:
        session_slot(SKIP_OTHER)[upload.sha256] = skip
        rerun_fresh(upload.sha256)


def accounting_block(report: UploadReport) -> None:
    """The data block the reader found and its reconciliation: cells = values + symbols + refused cells."""
    acc = report.accounting
    if acc is None or not report.table_found:
        return
    st.markdown(f"##### {T.UPL_ACCOUNTING_TITLE}")
    st.caption(T.UPL_ACCOUNTING_CAPTION)
    st.markdown(plain(acc.text()))
    if not acc.balanced:
        st.error(T.UPL_ACCOUNTING_OFF, icon=":material/block:")
    # refused cells (errors) and cells left out with a warning each under their own heading, counted as the line
    # above counts them (review of issue 21: 'Abgelehnte Zellen (0)' listed the cell left out)
    for title, n, cells in (
        (T.UPL_ACCOUNTING_REFUSED, acc.refused_count, acc.refused),
        (T.UPL_ACCOUNTING_LEFT_OUT, acc.left_out, acc.left_out_cells),
    ):
        if not cells:
            continue
        with st.expander(title.format(n=fmt_int(n)), expanded=n <= 10):
            frame = pd.DataFrame(cells, columns=list(T.UPL_ACCOUNTING_COLUMNS)).rename(columns=T.UPL_ACCOUNTING_COLUMNS)
            if not frame[T.UPL_ACCOUNTING_COLUMNS["sheet"]].notna().any():  # a CSV has no sheets
                frame = frame.drop(columns=T.UPL_ACCOUNTING_COLUMNS["sheet"])
            problems_table(frame.fillna("").astype(str))


def assumptions_block(report: UploadReport, m: Monitor | None = None) -> None:
    shown = {k: v for k, v in report.assumptions.items() if k not in ("Format", "Erkannt, weil", OTHER_REGIONS_KEY)}
    if not shown:
        return
    with st.expander(T.UPL_ASSUMPTIONS, expanded=True):
        st.table(
            pd.DataFrame(
                {
                    T.UPL_ASSUMPTION_COL: list(shown),
                    T.UPL_ASSUMPTION_VALUE: [plain(german_ids(v, m.catalog if m else None)) for v in shown.values()],
                }
            ).set_index(T.UPL_ASSUMPTION_COL)
        )


def problems_frame(report: UploadReport) -> pd.DataFrame:
    """The problem list as the page shows it: Art, Blatt, Zeile, Spalte, Meldung (errors first)."""
    c = T.PROBLEM_COLUMNS
    ordered = sorted(report.problems, key=lambda p: p.severity != "fehler")
    return pd.DataFrame(
        [
            {
                c["Art"]: T.SEVERITY.get(p.severity, p.severity),
                c["Blatt"]: p.sheet or "",
                c["Zeile"]: str(p.row) if p.row is not None else "",
                c["Spalte"]: p.column or "",
                c["Meldung"]: p.message,
            }
            for p in ordered
        ],
        columns=list(c.values()),
    )


def problems_block(report: UploadReport) -> None:
    if not report.table_found:  # one reason, with the file's name (and row, where there is one)
        reason = " ".join(p.text() for p in report.errors)
        st.error(T.UPL_NOT_READABLE.format(reason=plain(reason)), icon=":material/block:")
        return
    if report.errors:
        st.error(T.UPL_ERRORS.format(n=error_count(*report.error_counts())), icon=":material/block:")
    elif report.warnings:
        st.warning(
            T.UPL_WARNINGS_N.format(n=warnings_text(report, detail=True)),
            icon=":material/warning:",
        )
    if report.problems:
        st.markdown(f"##### {T.UPL_PROBLEMS_TITLE}")
        problems_table(problems_frame(report))


def problems_table(frame: pd.DataFrame) -> None:
    """A static table that wraps long messages; scrolls when there are many problems."""
    shown = frame.map(plain)  # st.table reads Markdown in its cells
    st.table(shown, hide_index=True, height="content" if len(frame) <= 12 else 480)


def _values_view(d: pd.DataFrame, catalog=None) -> pd.DataFrame:
    """The sample as a table: German labels instead of codes (variable names, 'Ausländer/-innen', 'männlich',
    '15 bis unter 65 Jahre', categories by variables.yaml), values and dates German."""
    view = d.astype({c: object for c in d.columns if isinstance(d[c].dtype, pd.CategoricalDtype)})  # codes → text
    for dim in ("nationality", "sex", "age_group", "category"):
        if dim in view.columns:
            view[dim] = [code_label(dim, v, catalog, var) for v, var in zip(view[dim], view["variable"])]
    view["variable"] = [code_label("variable", v, catalog) for v in view["variable"]]
    view["value"] = [value_text(v, None) for v in view["value"]]
    view["ref_date"] = [fmt_date(x) if isinstance(x, dt.date) else "" for x in view["ref_date"]]
    view["source_row"] = [str(int(x)) if not pd.isna(x) else "" for x in view["source_row"]]
    view["year"] = [str(int(x)) if not pd.isna(x) else "" for x in view["year"]]
    view = view.fillna("")
    return view[[c for c in SAMPLE_ORDER if c in view.columns]].rename(columns=T.OBS_LABELS)


def impact_block(report: UploadReport) -> None:
    """The effect on the headline values of the own Kreis (tried and rolled back in the core): a warning when values
    disappear, the counts and the table of the changes."""
    found = report.impact
    if found is None:
        return
    st.markdown("##### " + T.IMPACT_TITLE.format(region=plain(found.region_name)))
    st.caption(T.IMPACT_CAPTION)
    _jumps_block(found)
    if report.demo_hidden_text:
        st.info(plain(report.demo_hidden_text), icon=":material/info:")
    if not found.any:
        st.markdown(T.IMPACT_NONE)
        return
    n_lost = report.impact_lost
    if n_lost:
        st.warning(T.IMPACT_LOST_ALERT.format(n=count_text(n_lost, "Wert", "Werte")), icon=":material/warning:")
    st.markdown(report.impact_summary())
    st.table(found.frame().map(plain), hide_index=True, height="content" if len(found.changes) <= 12 else 420)
    if found.unlisted > 0:
        st.caption(T.IMPACT_MORE.format(n=fmt_int(found.unlisted)))


def _jumps_block(found) -> None:
    """Comparison regions whose values jump (the plausibility rules), beside the own Kreis's indicators."""
    if not found.jumps:
        return
    st.warning(T.IMPACT_JUMPS.format(n=count_text(len(found.jumps), "Wert", "Werte")), icon=":material/warning:")
    st.table(
        pd.DataFrame([{T.IMPACT_JUMPS_COLUMN: text} for _, text in found.jumps]).map(plain),
        hide_index=True,
        height="content" if len(found.jumps) <= 12 else 420,
    )


def sample_block(report: UploadReport, m: Monitor) -> None:
    d = report.data
    if d.empty:
        return
    st.markdown("##### " + T.UPL_SAMPLE.format(shown=fmt_int(min(SAMPLE_ROWS, len(d))), total=fmt_int(len(d))))
    st.dataframe(_values_view(d.head(SAMPLE_ROWS), m.catalog), hide_index=True, width="stretch")
    if len(d) > SAMPLE_ROWS:
        with st.expander(T.UPL_SAMPLE_ALL.format(n=fmt_int(ALL_ROWS))):
            st.dataframe(_values_view(d.head(ALL_ROWS), m.catalog), hide_index=True, width="stretch")


# -- unknown regions ---------------------------------------------------------------------------------
def file_regions(upload: UploadSession, report: UploadReport, m: Monitor) -> None:
    keys = report.unknown_regions  # found by the validation
    if not keys:
        return
    k = file_key(upload)
    st.markdown(f"##### {T.UPL_REGIONS_TITLE}")
    st.caption(T.UPL_REGIONS_HELP)
    chosen = []
    cols = st.columns(3)
    for i, key in enumerate(keys[:MAX_REGIONS]):
        name = report.region_names.get(key) or T.UPL_REGIONS_NO_NAME
        label = T.UPL_REGIONS_ROW.format(
            key=plain(key), name=plain(name), level=LEVEL_LABELS.get(region_level(key), region_level(key))
        )
        if cols[i % 3].checkbox(label, value=True, key=f"region_{k}_{key}"):
            chosen.append(key)
    if len(keys) > MAX_REGIONS:
        st.caption(T.UPL_MORE.format(n=len(keys) - MAX_REGIONS))
    if st.button(T.UPL_REGIONS_BUTTON, key=f"regions_{k}", disabled=not chosen, icon=":material/add_location_alt:"):
        try:
            added = upload.add_regions(chosen)
        except Exception as exc:
            fail(T.UPL_REGIONS_FAILED, exc, "Regionen aufnehmen")
            return
        session_slot(NOTICES)[upload.sha256] = T.UPL_REGIONS_ADDED.format(
            n=len(added), keys=plain(", ".join(a["key"] for a in added))
        )
        session_slot(OFFERS).clear()
        clear_caches()
        rerun_fresh(upload.sha256)
