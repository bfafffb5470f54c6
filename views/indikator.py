"""Indicator page: verdict, trend with target and projection, breakdowns, Gemeinden, Soll/Ist, notes, Steckbrief."""

import pandas as pd
import streamlit as st

from indicators import auth, export, targets, texts, wording
from indicators.fmt import fmt_exact, fmt_value
from ui.components import address_value, follow_address, status_badge
from ui.parts import comparison_part, indicator_chart, soll_ist_part, steckbrief_part, values_table_part
from ui.signin import can, read_only_hint
from ui.state import clear_caches, data_version, figure, get_monitor, read, statuses
from ui.strategy import goal_links, strategy_data

m = get_monitor()
cat = m.catalog
params = st.query_params

ids = list(cat.indicators)
wanted = params.get("id")
ind_id = st.selectbox(
    texts.INDICATOR_SELECT,
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: (
        f"{cat.fields[cat.indicators[i].field].short or cat.fields[cat.indicators[i].field].name}: {cat.indicators[i].name}"
    ),
    key="indicator_select",
)
ind = cat.indicators[ind_id]
if wanted is not None and wanted not in ids:
    st.warning(
        texts.LINK_UNKNOWN_INDICATOR.format(value=address_value(wanted), shown=ind.name), icon=":material/link_off:"
    )
params["id"] = ind_id
status = statuses(data_version(m))[0][ind.id]  # the Landkreis' verdict, computed once per data version
verdict = status.verdict

st.title(ind.name)
st.caption(f"{cat.fields[ind.field].name} · Einheit: {ind.unit} · {texts.DIRECTION_TEXT[ind.direction]}")
# the way back along the strategy's chain: the Handlungsziele that name this indicator (with their Leitziel)
_goals = strategy_data(m)[1]
_links = goal_links([g for g in _goals if ind.id in g["indicators"]], _goals)
if _links:
    st.html(_links)

# -- verdict and key figures ------------------------------------------------------------------------
k1, k2, k3 = st.columns([1, 1, 2])
latest = status.latest
k1.metric(f"Landkreis {latest[0]}" if latest else "Landkreis", fmt_value(latest[1], ind.unit) if latest else "–")
if status.target:
    k2.metric(f"Ziel {status.target.target_year}", fmt_exact(status.target.target_value, ind.unit))
else:
    k2.metric("Ziel", "–", help="Zielwerte legt die Stabsstelle auf der Seite „Ziele“ fest.")
with k3.container(border=True):
    method = "" if ind.direction == "context" else wording.METHOD_LABELS.get(status.method, status.method)
    st.markdown(
        f"**{texts.VERDICT}:** {status_badge(verdict.status, verdict.label, verdict.symbol)}"
        + (f"  \n{method}" if method else "")
    )  # a context indicator is not assessed: no method to name
    st.markdown(verdict.explanation)

# -- controls -------------------------------------------------------------------------------------
options = read(m, "breakdown_options", ind.id)
breakdowns = [""] + [d for d in ("nationality", "sex") if len(options.get(d, [])) > 1]
wanted_bd = params.get("bd", "")
# the address wins where it changed from outside (a link, the back button): a keyed widget ignores its index
follow_address(
    "breakdown", wanted_bd if wanted_bd in breakdowns else "", wanted_bd, "_bd_from_address", valid=breakdowns
)
c1, c2 = st.columns([1, 2])
bd = c1.radio(
    texts.BREAKDOWN_SELECT,
    breakdowns,
    format_func=lambda d: texts.BREAKDOWN_LABELS[d],
    horizontal=True,
    key="breakdown",
)
if wanted_bd and wanted_bd not in breakdowns:
    label = texts.BREAKDOWN_LABELS.get(wanted_bd)
    st.warning(
        texts.LINK_BAD_BREAKDOWN.format(value=f"„{label}“" if label else address_value(wanted_bd)),
        icon=":material/link_off:",
    )
if bd:
    params["bd"] = bd
elif "bd" in params:
    del params["bd"]
st.session_state["_bd_from_address"] = bd

own = m.settings.own_region  # MONITOR_OWN_REGION
own_name = read(m, "region_name", own)
gem = read(m, "gemeinden", own)
region_names = {own: own_name, **dict(zip(gem["key"], gem["name"]))}
has_gemeinden = read(m, "has_values_for", ind.id, gem["key"].tolist())
selected = [own]
asked_regions = params.get_all("region")
unknown = [r for r in asked_regions if r not in region_names]
if unknown:
    st.warning(
        texts.LINK_BAD_REGIONS.format(value=", ".join(address_value(r) for r in unknown)), icon=":material/link_off:"
    )
known_asked = [r for r in asked_regions if r in region_names and r != own]
if known_asked and (bd or not has_gemeinden):  # Gemeinden are compared without a breakdown only
    st.warning(
        (texts.LINK_REGIONS_WITH_BREAKDOWN if bd else texts.LINK_REGIONS_NO_GEMEINDEN).format(
            value=", ".join(address_value(r) for r in known_asked)
        ),
        icon=":material/link_off:",
    )
if "region" in params and (bd or not has_gemeinden):
    del params["region"]
if has_gemeinden and not bd:
    follow_address("regions", known_asked, known_asked, "_regions_from_address")
    chosen = c2.multiselect(
        texts.REGION_SELECT,
        [k for k in region_names if k != own],
        format_func=lambda k: str(region_names.get(k)),
        key="regions",
        placeholder="Gemeinden zum Vergleich wählen",
    )
    selected += chosen
    params["region"] = chosen
    st.session_state["_regions_from_address"] = list(chosen)

# -- chart ----------------------------------------------------------------------------------------
data, _ = figure(m, "indicator_trend", ind.id, bd, selected)  # shared by every viewer until the data change
note_rows = read(m, "notes", ind.id)
indicator_chart(data_version(m), ind.id, bd, tuple(selected))  # drawn once per data version, then replayed

# -- tabs -----------------------------------------------------------------------------------------
tab_soll, tab_values, tab_regions, tab_meta, tab_notes = st.tabs(
    [texts.SOLL_IST, texts.VALUES_TABLE, texts.IND_REGIONS_TITLE, texts.STECKBRIEF, texts.NOTES]
)
version = data_version(m)
with tab_soll:
    soll_ist_part(version, ind.id)
with tab_values:
    if not data.empty:
        values_table_part(version, ind.id, bd, tuple(selected))
        out = data.rename(columns={"label": "Reihe", "year": "Jahr", "value": "Wert", "flag": "Kennzeichen"})
        out = out[["Reihe", "Jahr", "Wert", "Kennzeichen"]]
        d1, d2 = st.columns(2)
        d1.download_button(
            texts.DOWNLOAD_CSV,
            lambda: export.to_csv_bytes(out),
            file_name=f"{ind.id}.csv",
            mime="text/csv",
            icon=":material/download:",
            key="dl_csv",
        )
        d2.download_button(
            texts.DOWNLOAD_XLSX,
            lambda: export.to_excel_bytes({ind.name: out}),
            file_name=f"{ind.id}.xlsx",
            icon=":material/download:",
            key="dl_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
with tab_regions:  # the Landkreis against its Land, Deutschland and the neighbours (issue 10)
    comparison_part(version, ind.id, own)
with tab_meta:
    steckbrief_part(version, ind.id)
with tab_notes:
    if notice := st.session_state.pop("note_notice", None):
        st.success(notice, icon=":material/check_circle:")
    if len(note_rows):
        c = texts.NOTE_COLUMNS
        st.dataframe(
            pd.DataFrame(
                {
                    c["year"]: note_rows["year"].astype(str),
                    c["text"]: note_rows["text"],
                    c["scope"]: [
                        texts.NOTE_SCOPE_ALL if pd.isna(i) else texts.NOTE_SCOPE_ONE for i in note_rows["indicator"]
                    ],
                    c["by"]: note_rows["created_by"],
                    c["public"]: [texts.ADMIN_YES if bool(p) else "" for p in note_rows["public"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if not can(auth.NOTES):  # issue 11: notes from Analyse on (the core refuses anyway)
        st.caption(read_only_hint())
    else:
        if st.session_state.pop("note_saved", False):  # a saved note empties the field; a refused one keeps it
            st.session_state["note_text"] = ""
        with st.form(f"note_form_{auth.current_tenant()}"):
            st.markdown(f"**{texts.NOTE_ADD}**")
            n1, n2 = st.columns([1, 4])
            year = n1.number_input(
                texts.NOTE_YEAR, min_value=1990, max_value=2100, value=latest[0] if latest else 2024, step=1
            )
            # no max_chars: the browser would drop a longer pasted text without a word; the limit is checked on saving
            text = n2.text_input(
                texts.NOTE_TEXT_LIMIT.format(n=targets.NOTE_MAX_CHARS),
                key="note_text",
                placeholder=texts.NOTE_TEXT_PLACEHOLDER,
            )
            general = st.checkbox(texts.NOTE_GENERAL)
            public = st.checkbox(texts.NOTE_PUBLIC, key="note_public")  # issue 23: shown on the published website
            if st.form_submit_button(texts.NOTE_SAVE, icon=":material/add_comment:"):
                try:
                    targets.add_note(
                        m.store, None if general else ind.id, int(year), text, m.settings.user, public=public
                    )
                except targets.TargetError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["note_saved"] = True
                    st.session_state["note_notice"] = texts.NOTE_SAVED
                    clear_caches()
                    st.rerun()
        if len(note_rows):
            by_label: dict[str, int] = {}
            for r in note_rows.itertuples():  # "Jahr: Text", numbered when the same text occurs twice
                label = f"{r.year}: {r.text}"
                by_label[label if label not in by_label else f"{label} ({len(by_label) + 1})"] = int(r.id)
            d1, d2 = st.columns([3, 2], vertical_alignment="bottom")
            pick = by_label[d1.selectbox(texts.NOTE_DELETE_PICK, list(by_label), key="note_delete_pick")]
            sure = d2.checkbox(texts.NOTE_DELETE_SURE, key=f"note_delete_sure_{pick}", help=texts.NOTE_DELETE_HELP)
            if st.button(texts.NOTE_DELETE, disabled=not sure, icon=":material/delete:", key="note_delete"):
                deleted = targets.delete_note(m.store, pick, m.settings.user)
                st.session_state.pop(f"note_delete_sure_{pick}", None)
                st.session_state["note_notice"] = texts.NOTE_DELETED if deleted else texts.NOTE_ALREADY_GONE
                clear_caches()
                st.rerun()
