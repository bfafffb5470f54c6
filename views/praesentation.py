"""Präsentation (projector mode): one indicator per screen, large type, high contrast, arrow keys."""

from html import escape

import streamlit as st

from indicators import charts, queries, texts, wording
from indicators.fmt import fmt_change, fmt_exact, fmt_value
from indicators.regions import region_name
from ui import assets
from ui.components import PLOTLY_CONFIG, address_value
from ui.state import data_version, get_monitor, has_demo, statuses

m = get_monitor()
own_name = region_name(m.store, m.settings.own_region)  # MONITOR_OWN_REGION
cat = m.catalog
params = st.query_params
version = data_version(m)
status, _ = statuses(version)

# sequence: ?folien=id1,id2,… (default: the headline indicator of each field); slide ?folie=N (1-based)
asked = [i for i in params.get("folien", "").split(",") if i]
# a field's slide with both halves (indicators and measures, issue 12): ?folien=feld:arbeit,alq_gap
requested = [i for i in asked if i in cat.indicators or (i.startswith("feld:") and i[5:] in cat.fields)]
unknown = [address_value(i) for i in asked if i not in requested]
sequence = requested or [i.id for i in cat.headline_indicators()]
n = len(sequence)
asked_slide = params.get("folie", "1")
slide = int(asked_slide) if asked_slide.isascii() and asked_slide.isdigit() else 1
slide = min(max(slide, 1), n)
notice = None
if unknown:
    notice = (texts.LINK_UNKNOWN_SLIDES if requested else texts.LINK_NO_SLIDES).format(values=", ".join(unknown))
elif asked_slide != str(slide):
    notice = texts.LINK_BAD_SLIDE.format(value=address_value(asked_slide), n=n, slide=slide)


def go(step: int) -> None:
    params["folie"] = str((slide - 1 + step) % n + 1)


def go_to(k: int) -> None:
    params["folie"] = str(k)


def show_field(field_id: str) -> None:
    """The field's slide ("Lage und Maßnahmen") right after this one (or the next one, if it is that already)."""
    slide_id = f"feld:{field_id}"
    seq = list(sequence)
    if slide >= len(seq) or seq[slide] != slide_id:
        seq.insert(slide, slide_id)
    params["folien"] = ",".join(seq)
    params["folie"] = str(slide + 1)


st.html(assets.PROJECTOR_CSS)
st.html(assets.PROJECTOR_KEYS_JS, unsafe_allow_javascript=True)
if notice:
    st.warning(notice, icon=":material/link_off:")


def top_bar(field_name: str) -> None:
    """The slide's top line: field of action (and the demo mark), back to the Cockpit, previous, count, next. The
    back link's column is wide enough for its words at 1280 px with the sidebar open (was cut to "Zurück zum Cock")."""
    top_left, top_back, top_prev, top_count, top_next = st.columns([3.4, 3, 1.7, 1.1, 1.7], vertical_alignment="center")
    top_back.page_link(
        "views/cockpit.py", label=texts.BACK_TO_COCKPIT, icon=":material/arrow_back:", help=texts.BACK_TO_COCKPIT_HELP
    )
    demo = f"<span class='praes-demo'>{texts.DEMO_BADGE}</span>" if has_demo(version) else ""
    if field_name or demo:
        top_left.markdown(
            f"<div class='praes-field'>{escape(field_name)}{' · ' if field_name and demo else ''}{demo}</div>",
            unsafe_allow_html=True,
        )
    top_prev.button(texts.PREV, on_click=go, args=(-1,), key="praes_prev", width="stretch")
    top_count.markdown(f"<div class='praes-count'>{slide} / {n}</div>", unsafe_allow_html=True)
    top_next.button(texts.NEXT, on_click=go, args=(1,), key="praes_next", width="stretch")
    # Home/End (the key script clicks them; not shown)
    st.button(texts.PRAES_FIRST, on_click=go_to, args=(1,), key="praes_first")
    st.button(texts.PRAES_LAST, on_click=go_to, args=(n,), key="praes_last")


if sequence[slide - 1].startswith("feld:"):  # issue 12: the field's slide, then the address as below
    from ui.strategy import field_slide

    field_id = sequence[slide - 1][5:]
    top_bar("")
    st.markdown(
        f"<h1 class='praes-title'>{texts.PRAES_FIELD_TITLE.format(field=cat.fields[field_id].name)}</h1>",
        unsafe_allow_html=True,
    )
    field_slide(m, field_id, status, m.settings.today)
    params["folie"] = str(slide)
    if unknown:
        params["folien"] = ",".join(requested)
    st.stop()

ind = cat.indicators[sequence[slide - 1]]
s = status[ind.id]
verdict = s.verdict
latest = s.latest

top_bar(cat.fields[ind.field].name)
st.markdown(f"<h1 class='praes-title'>{ind.name}</h1>", unsafe_allow_html=True)

body = st.container(key="praes_body")  # fills the rest of the screen (PROJECTOR_CSS); the chart takes its height
left, right = body.columns([2, 3], gap="large")
with left:
    if latest:
        st.markdown(
            f"<div class='praes-value'>{fmt_value(latest[1], ind.unit)}</div>"
            f"<div class='praes-sub'>{escape(own_name)}, {latest[0]}</div>",
            unsafe_allow_html=True,
        )
        previous = s.series.get(latest[0] - 1)
        if previous is not None:
            st.markdown(
                f"<div class='praes-sub'>{fmt_change(latest[1] - previous, ind.unit)} gegenüber {latest[0] - 1}</div>",
                unsafe_allow_html=True,
            )
    else:
        st.markdown(f"<div class='praes-sub'>{texts.NO_DATA}</div>", unsafe_allow_html=True)
    if s.target:
        st.markdown(
            f"<div class='praes-sub'>Ziel: {fmt_exact(s.target.target_value, ind.unit)} bis "
            f"{s.target.target_year}</div>",
            unsafe_allow_html=True,
        )
    st.markdown(
        f"<div class='praes-verdict'>{verdict.symbol} {wording.one_sentence(ind, verdict)}</div>",
        unsafe_allow_html=True,
    )
    field = cat.fields[ind.field]
    if field.rollup:  # the field's slide with its indicators and measures (not for the Rahmendaten)
        st.button(
            texts.PRAES_FIELD_BUTTON.format(field=field.short or field.name),
            on_click=show_field,
            args=(field.id,),
            key="praes_field_slide",
            type="tertiary",
            icon=":material/checklist:",
        )
with right:
    data = queries.series(m.store, ind, [m.settings.own_region]).assign(label=own_name)
    if not data.empty:
        fig = charts.trend(ind, data, "region", label_col="label")
        if s.target:
            charts.add_target(fig, ind, s.target.target_year, s.target.target_value, None, list(verdict.projection))
        charts.projector_style(fig)
        st.plotly_chart(
            fig, key=f"praes_chart_{ind.id}", height="stretch", theme=None, config={**PLOTLY_CONFIG, "staticPlot": True}
        )

params["folie"] = str(slide)
if unknown:  # the address keeps what is shown: the known indicators, or the default sequence
    if requested:
        params["folien"] = ",".join(requested)
    else:
        del params["folien"]
