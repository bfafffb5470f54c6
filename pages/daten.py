"""Daten und Upload: what is loaded, upload with preview and confirmation, history, rollback, coverage."""

import hashlib

import pandas as pd
import streamlit as st

from indicators import service
from indicators.fmt import fmt_date, fmt_int
from indicators.ingest import pipeline
from indicators.ingest.base import RawFile
from ui import texts
from ui.state import clear_caches, data_version, get_monitor, has_demo

m = get_monitor()
st.title(texts.PAGE_DATA)
st.caption(texts.DATA_INTRO)

counts = m.store.counts()
c1, c2, c3 = st.columns(3)
c1.metric("Aktive Uploads", fmt_int(counts["uploads"]))
c2.metric("Basiswerte (aktuell)", fmt_int(counts["observations"]))
c3.metric("Berechnete Indikatorwerte", fmt_int(counts["values"]))

tab_upload, tab_history = st.tabs(["Hochladen", texts.HISTORY])

# -- upload -------------------------------------------------------------------------------------
with tab_upload:
    st.html(texts.UPLOADER_CSS)
    files = st.file_uploader(texts.UPLOAD_LABEL.format(mb=m.settings.max_upload_mb), accept_multiple_files=True,
                             key="uploader",
                             type=["xlsx", "xlsm", "xls", "ods", "csv", "txt"])
    previews: dict[str, pipeline.ParsedFile] = st.session_state.setdefault("previews", {})
    for f in files or []:
        content = f.getvalue()
        key = hashlib.sha256(content).hexdigest()
        if key not in previews:
            with st.spinner(f"{f.name} wird geprüft …"):
                previews[key] = pipeline.preview(RawFile(f.name, content), m.store, m.catalog, m.settings)
        parsed = previews[key]
        with st.container(border=True):
            st.markdown(f"#### {f.name}")
            summary = parsed.summary()
            st.markdown(" · ".join(f"**{k}:** {v}" for k, v in summary.items() if k != "Datei"))
            if parsed.reasoning:
                st.caption(f"Erkannt, weil: {parsed.reasoning}")
            if parsed.assumptions:
                with st.expander("Annahmen beim Lesen"):
                    st.table(pd.DataFrame({"Annahme": list(parsed.assumptions), "Wert": list(parsed.assumptions.values())})
                             .set_index("Annahme"))
            if parsed.errors:
                st.error(f"{len(parsed.errors)} Fehler – die Datei kann so nicht übernommen werden. Nichts wurde gespeichert.",
                         icon=":material/error:")
            if parsed.problems:
                st.dataframe(pd.DataFrame([{"Art": p.severity.capitalize(), "Blatt": p.sheet or "", "Zeile": p.row,
                                            "Spalte": p.column or "", "Meldung": p.message} for p in parsed.problems]),
                             hide_index=True, width="stretch")
            if not parsed.data.empty:
                with st.expander(f"Vorschau der gelesenen Werte ({fmt_int(len(parsed.data))} Zeilen)"):
                    st.dataframe(parsed.data.head(200), hide_index=True, width="stretch")
            if parsed.ok:
                diff = pipeline.diff_against_current(parsed, m.store)
                st.markdown("Gegenüber dem aktuellen Stand: " + ", ".join(f"**{fmt_int(v)}** {k}" for k, v in diff.items()))
                if st.button(texts.UPLOAD_BUTTON, key=f"commit_{key}", type="primary", icon=":material/check:"):
                    with st.spinner("Übernehmen und Indikatoren neu berechnen …"):
                        result = pipeline.commit(parsed, m.store, m.catalog, m.settings, m.settings.user)
                    del previews[key]
                    clear_caches()
                    if result.status == "importiert":
                        st.success(f"{f.name}: {fmt_int(result.rows)} Zeilen übernommen (Upload Nr. {result.upload_id}).")
                    else:
                        st.warning(" ".join(w.message for w in result.warnings[-1:]))
    st.divider()
    st.download_button(texts.TEMPLATE_DOWNLOAD, lambda: service.template_bytes(m, with_data=False),
                       file_name="integrationsmonitor_vorlage.xlsx", icon=":material/download:", key="template")

# -- history ------------------------------------------------------------------------------------
with tab_history:
    ups = m.store.uploads()
    if ups.empty:
        st.info("Noch keine Uploads.")
    else:
        view = pd.DataFrame({
            "Nr.": ups["id"], "Datei": ups["file_name"], "Format": ups["format"],
            "Zeitpunkt": [fmt_date(t.to_pydatetime(), with_time=True) for t in ups["uploaded_at"]],
            "Von": ups["user_name"], "Zeilen": [fmt_int(r) for r in ups["rows"]],
            "Status": ups["status"].map(texts.UPLOAD_STATUS),
            "Demo": ["ja" if d else "" for d in ups["demo"]], "Prüfsumme (SHA-256)": ups["sha256"].str[:16] + "…",
        })
        st.dataframe(view, hide_index=True, width="stretch")
        active = ups[ups["status"] == "aktiv"]
        col_a, col_b = st.columns(2)
        with col_a:
            choice = st.selectbox("Upload auswählen", ups["id"].tolist(), key="history_pick",
                                  format_func=lambda i: f"Nr. {i}: {ups.set_index('id').loc[i, 'file_name']}")
            if choice is not None:
                name = ups.set_index("id").loc[choice, "file_name"]
                st.download_button("Originaldatei herunterladen",
                                   lambda: (service.archived_original(m, int(choice)) or (name, b""))[1],
                                   file_name=name, icon=":material/download:", key="download_original")
        with col_b:
            if choice is not None and choice in set(active["id"]):
                sure = st.checkbox(f"Ich möchte Upload Nr. {choice} zurücknehmen.", key="rollback_sure")
                if st.button("Upload zurücknehmen", disabled=not sure, icon=":material/undo:", key="rollback_btn"):
                    pipeline.rollback(int(choice), m.store, m.catalog, m.settings, m.settings.user)
                    clear_caches()
                    st.success(f"Upload Nr. {choice} wurde zurückgenommen; die Indikatoren sind neu berechnet.")
                    st.rerun()
    if has_demo(data_version(m)):
        st.divider()
        if st.button(texts.REMOVE_DEMO, help=texts.REMOVE_DEMO_HELP, icon=":material/delete_sweep:", key="remove_demo"):
            n = service.remove_demo(m, m.settings.user)
            clear_caches()
            st.success(f"{n} Demo-Uploads zurückgenommen.")
            st.rerun()
    if counts["observations"]:
        st.download_button(texts.EXPORT_DOWNLOAD, lambda: service.template_bytes(m, with_data=True),
                           file_name="integrationsmonitor_basisdaten.xlsx", icon=":material/download:", key="export_all")
