"""Daten und Upload: what is loaded; upload of several files with preview, problems, unknown regions,
column mapping and diff before the confirmation; history with details, diff, original and rollback;
mapping profiles; template and export. The widget groups live in the package ``ui/upload/`` (flow, preview, mapping_editor, history, profiles)."""

import streamlit as st

from indicators import auth, service, texts
from indicators.fmt import fmt_int
from ui import assets, upload
from ui.signin import can, read_only_hint
from ui.state import clear_caches, data_version, get_monitor, has_demo

m = get_monitor()
st.title(texts.PAGE_DATA)
st.caption(texts.DATA_INTRO)

counts = m.store.counts()
c1, c2, c3 = st.columns(3)
c1.metric(texts.METRIC_UPLOADS, fmt_int(counts["uploads"]))
c2.metric(texts.METRIC_OBS, fmt_int(counts["observations"]))
c3.metric(texts.METRIC_VALUES, fmt_int(counts["values"]))

# issue 11: upload, rollback and profiles only for Datenpflege (the core refuses them anyway)
maintain = can(auth.UPLOAD)
if not maintain:
    st.caption(read_only_hint())
    ups = m.store.uploads()
    c = texts.HISTORY_READONLY_COLUMNS
    if len(ups):
        import pandas as pd

        from indicators.fmt import fmt_date

        st.subheader(texts.HISTORY)
        st.dataframe(
            pd.DataFrame(
                {
                    c["id"]: ups["id"],
                    c["file"]: ups["file_name"],
                    c["when"]: [fmt_date(t.to_pydatetime(), with_time=True) for t in ups["uploaded_at"]],
                    c["by"]: ups["user_name"],
                    c["rows"]: ups["rows"],
                    c["status"]: ups["status"].map(lambda s: texts.UPLOAD_STATUS.get(s, s)),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.stop()

tab_upload, tab_history, tab_profiles = st.tabs([texts.TAB_UPLOAD, texts.HISTORY, texts.TAB_PROFILES])

# -- upload -------------------------------------------------------------------------------------
with tab_upload:
    st.html(assets.UPLOADER_CSS)
    files = st.file_uploader(
        texts.UPLOAD_LABEL.format(mb=m.settings.max_upload_mb),
        accept_multiple_files=True,
        key="uploader",
        type=["xlsx", "xlsm", "xls", "ods", "csv", "txt"],
        max_upload_size=m.settings.max_upload_mb,
    )  # also where config.toml is not read
    upload.guarded(upload.pending, m)  # files of the inbox waiting for a confirmation of their plausibility
    uploads = upload.current_files(files, m)  # one upload session of the core per file
    previews = upload.read_files(uploads, m)
    for one in uploads:
        upload.guarded(upload.file_panel, one, previews.get(one.sha256), m)
    st.divider()
    st.download_button(
        texts.TEMPLATE_DOWNLOAD,
        lambda: service.template_bytes(m, with_data=False),
        file_name="integrationsmonitor_vorlage.xlsx",
        icon=":material/download:",
        key="template",
        on_click="ignore",
    )

# -- history ------------------------------------------------------------------------------------
with tab_history:
    notice = st.session_state.pop("history_notice", None)
    if notice:
        st.success(notice, icon=":material/undo:")
    upload.guarded(upload.history, m)
    if has_demo(data_version(m)):
        st.divider()
        sure_demo = st.checkbox(texts.DEMO_REMOVE_SURE, key="remove_demo_sure")  # asks first (issue 11)
        if st.button(
            texts.REMOVE_DEMO,
            help=texts.REMOVE_DEMO_HELP,
            icon=":material/delete_sweep:",
            key="remove_demo",
            disabled=not sure_demo,
        ):
            try:
                n = service.remove_demo(m, m.settings.user)
            except Exception as exc:  # never a traceback
                upload.fail(texts.UPL_ERROR_GENERIC, exc, "Demodaten entfernen")
            else:
                clear_caches()
                st.session_state.pop("remove_demo_sure", None)
                st.session_state["history_notice"] = texts.DEMO_REMOVED.format(n=n)
                st.rerun()
    if counts["observations"]:
        st.download_button(
            texts.EXPORT_DOWNLOAD,
            lambda: service.template_bytes(m, with_data=True),
            file_name="integrationsmonitor_basisdaten.xlsx",
            icon=":material/download:",
            key="export_all",
            on_click="ignore",
        )

# -- mapping profiles ---------------------------------------------------------------------------
with tab_profiles:
    upload.guarded(upload.profiles, m)
