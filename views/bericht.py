"""Bericht: the Integrationsbericht (PDF) and the PowerPoint for a chosen selection, with a progress bar, a preview of
the first pages and the download; every indicator value as Excel or CSV; every chart as PNG and SVG. The page only
chooses and shows; ``indicators.report`` builds."""

import streamlit as st

from indicators import texts
from indicators.report import chart_images, content, preview_pages, write_report
from indicators.report import values as value_export
from ui.state import get_monitor

m = get_monitor()
cat = m.catalog
st.title(texts.PAGE_REPORT)
st.caption(texts.REPORT_INTRO)

years = content.available_years(m)
if not years:
    st.info(texts.NO_DATA)
    st.stop()
regions = content.region_choices(m)
field_ids = [f.id for f in cat.ordered_fields()]

c1, c2 = st.columns([1, 3])
year = c1.selectbox(texts.REPORT_YEAR, years, index=0, key="report_year")
fmt = c1.radio(
    texts.REPORT_FORMAT, list(texts.REPORT_FORMATS), format_func=texts.REPORT_FORMATS.get, key="report_format"
)
fields = c2.multiselect(
    texts.REPORT_FIELDS,
    field_ids,
    format_func=lambda f: cat.fields[f].name,
    key="report_fields",
    placeholder=texts.REPORT_FIELDS_PLACEHOLDER,
)
candidates = [i.id for f in (fields or field_ids) for i in cat.by_field(f)]
indicators = c2.multiselect(
    texts.REPORT_INDICATORS,
    candidates,
    format_func=lambda i: cat.indicators[i].name,
    key="report_indicators",
    placeholder=texts.REPORT_INDICATORS_PLACEHOLDER,
)
chosen_regions = c2.multiselect(
    texts.REPORT_REGIONS,
    list(regions),
    format_func=lambda k: str(regions.get(k)),
    key="report_regions",
    placeholder=texts.REPORT_REGIONS_PLACEHOLDER,
)

selection = content.Selection(
    year=int(year), fields=fields or None, indicators=indicators or None, regions=chosen_regions
)
wish = (fmt, repr(selection), m.store.version())

if st.button(texts.REPORT_BUILD, type="primary", icon=":material/description:", key="report_build"):
    bar = st.progress(0.0, text=texts.REPORT_BUILDING)
    try:
        built = content.build(m, selection)
        data = write_report(m, built, fmt, progress=lambda share, text: bar.progress(min(share, 1.0), text=text))
    except content.ReportError as exc:
        bar.empty()
        st.error(texts.REPORT_FAILED.format(detail=str(exc)), icon=":material/error:")
    else:
        bar.empty()
        # what the page shows of the result is kept with it: reruns do not build the report or the preview again
        st.session_state["report_result"] = (
            wish,
            data,
            {
                "year": built.year,
                "entries": len(built.entries),
                "fields": len(built.fields),
                "names": [e.ind.name for e in built.entries],
                "preview": preview_pages(data, pages=3) if fmt == "pdf" else [],
            },
        )

result = st.session_state.get("report_result")
if result is not None:
    made_for, data, shown = result
    if made_for != wish:
        st.info(texts.REPORT_STALE, icon=":material/refresh:")
    else:
        built_fmt = made_for[0]
        st.success(
            texts.REPORT_READY.format(
                size=f"{len(data) // 1024:,} KB".replace(",", "."), n=shown["entries"], f=shown["fields"]
            ),
            icon=":material/check_circle:",
        )
        name = f"Integrationsbericht_{shown['year']}.{built_fmt}"
        mime = (
            "application/pdf"
            if built_fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        )
        st.download_button(
            texts.REPORT_DOWNLOAD,
            data,
            file_name=name,
            mime=mime,
            icon=":material/download:",
            key="report_download",
            on_click="ignore",
        )
        if built_fmt == "pdf":
            st.subheader(texts.REPORT_PREVIEW)
            pages = shown["preview"]
            if pages:
                cols = st.columns(len(pages))
                for i, (col, png) in enumerate(zip(cols, pages), start=1):
                    col.image(png, caption=f"Seite {i}", width="stretch")
            else:
                st.caption(texts.REPORT_PREVIEW_MISSING)
        else:
            st.caption(texts.REPORT_SLIDES_LIST.format(names=" · ".join(shown["names"])))

st.divider()
st.subheader(texts.REPORT_EXPORT_TITLE)
st.caption(texts.REPORT_EXPORT_INTRO)
d1, d2, _ = st.columns([1, 1, 2])
d1.download_button(
    texts.REPORT_EXPORT_XLSX,
    lambda: value_export.excel_bytes(m),
    file_name="Indikatorwerte.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="values_xlsx",
    on_click="ignore",
)
d2.download_button(
    texts.REPORT_EXPORT_CSV,
    lambda: value_export.csv_bytes(m),
    file_name="Indikatorwerte.csv",
    mime="text/csv",
    icon=":material/download:",
    key="values_csv",
    on_click="ignore",
)

st.divider()
st.subheader(texts.REPORT_CHARTS_TITLE)
st.caption(texts.REPORT_CHARTS_INTRO)
g1, g2, g3 = st.columns([2, 2, 1], vertical_alignment="bottom")
chart_ind = g1.selectbox(
    texts.REPORT_CHART_INDICATOR,
    list(cat.indicators),
    format_func=lambda i: cat.indicators[i].name,
    key="chart_indicator",
)
kind = g2.selectbox(
    texts.REPORT_CHART_KIND,
    list(texts.REPORT_CHART_KINDS),
    format_func=lambda k: str(texts.REPORT_CHART_KINDS.get(k)),
    key="chart_kind",
)
chart_wish = (chart_ind, kind, int(year), tuple(chosen_regions), m.store.version())
if g3.button(texts.REPORT_CHART_MAKE, icon=":material/image:", key="chart_make"):
    try:
        with st.spinner(texts.REPORT_BUILDING):
            st.session_state["chart_result"] = (
                chart_wish,
                chart_images(m, chart_ind, kind, int(year), chosen_regions),
            )
    except content.ReportError as exc:
        st.error(texts.REPORT_FAILED.format(detail=str(exc)), icon=":material/error:")
made = st.session_state.get("chart_result")
if made is not None and made[0] == chart_wish:
    images = made[1]
    if not images:
        st.info(texts.REPORT_CHART_NONE)
    else:
        st.image(images["png"][1], width="stretch")
        p1, p2, _ = st.columns([1, 1, 2])
        p1.download_button(
            texts.REPORT_CHART_PNG,
            images["png"][1],
            file_name=images["png"][0],
            mime="image/png",
            icon=":material/download:",
            key="chart_png",
            on_click="ignore",
        )
        p2.download_button(
            texts.REPORT_CHART_SVG,
            images["svg"][1],
            file_name=images["svg"][0],
            mime="image/svg+xml",
            icon=":material/download:",
            key="chart_svg",
            on_click="ignore",
        )
