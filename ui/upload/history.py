"""The upload history: table, details of one upload, its diff, the original download and the rollback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import texts as T
from indicators.fmt import fmt_int, fmt_num
from indicators.ingest import api
from indicators.service import Monitor, archived_original
from indicators.status import UploadStatus
from ui.components import plain
from ui.state import clear_caches, data_version, history_diff
from ui.upload.common import (
    changes_view,
    diff_counts,
    diff_widths,
    fail,
    format_labels,
    german_ids,
    listing,
    names_for,
    when,
)


# -- history -----------------------------------------------------------------------------------------
def history(m: Monitor) -> None:
    """Table of uploads; details of one; diff to its previous version; original download; rollback."""
    try:
        ups = m.store.uploads()
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    if ups.empty:
        st.info(T.HIST_EMPTY)
        return
    labels = format_labels()
    c = T.HIST_COLUMNS
    # the status right after the number, and widths that keep the important columns inside the page at 1280 px
    # (issue 25: the status was beyond the right edge); the checksum last
    view = pd.DataFrame(
        {
            c["id"]: ups["id"],
            c["status"]: ups["status"].map(T.UPLOAD_STATUS),
            c["file"]: ups["file_name"],
            c["when"]: [when(t) for t in ups["uploaded_at"]],
            c["user"]: ups["user_name"],
            c["rows"]: [fmt_int(r) for r in ups["rows"]],
            c["format"]: [recorded_format(f, a, labels) for f, a in zip(ups["format"], ups["assumptions"])],
            c["demo"]: [T.HIST_DEMO_YES if d else "" for d in ups["demo"]],
            c["sha"]: ups["sha256"].str[:16] + "…",
        }
    )
    widths = {"id": 45, "status": 115, "file": 175, "when": 150, "user": 80, "rows": 65, "format": 140, "demo": 50}
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={c[k]: st.column_config.Column(width=v) for k, v in widths.items()},
    )
    by_id = ups.set_index("id")
    choice = st.selectbox(
        T.HIST_PICK,
        ups["id"].tolist(),
        key="history_pick",
        format_func=lambda i: T.HIST_PICK_FORMAT.format(
            id=i, file=by_id.loc[i, "file_name"], when=when(by_id.loc[i, "uploaded_at"])
        ),
    )
    if choice is None:
        return
    up = by_id.loc[choice].to_dict()
    with st.container(border=True):
        _details(int(choice), up, labels, m)
        _history_diff(int(choice), m)
        _download_and_rollback(int(choice), up, m)


def recorded_format(code: str, assumptions: object, labels: dict[str, str]) -> str:
    """The format as the preview named it (recorded with the upload: 'GENESIS-Tabelle (Excel)' for an .xlsx), else
    the label of its format code."""
    try:
        recorded = json.loads(assumptions or "{}").get("Format")  # type: ignore[arg-type]  # (not a text: handled)
    except (TypeError, ValueError, AttributeError):
        recorded = None
    return str(recorded) if recorded else labels.get(code, code)


def _details(upload_id: int, up: dict, labels: dict[str, str], m: Monitor) -> None:
    st.markdown(f"#### {T.HIST_DETAILS.format(id=upload_id, file=plain(up['file_name']))}")
    meta = T.HIST_META
    facts = {
        meta["format"]: recorded_format(up["format"], up.get("assumptions"), labels),
        meta["when"]: when(up["uploaded_at"]),
        meta["user"]: up["user_name"],
        meta["rows"]: fmt_int(up["rows"]),
        meta["size"]: f"{fmt_num((up.get('size_bytes') or 0) / 1024, 1)} KB",
        meta["status"]: T.UPLOAD_STATUS.get(up["status"], up["status"]),
        meta["sha"]: up["sha256"],
        meta["demo"]: T.HIST_DEMO_YES if up.get("demo") else "nein",
    }
    if up["status"] != UploadStatus.ACTIVE:
        facts[meta["rolled_back"]] = T.HIST_ROLLED_BACK.format(
            when=when(up.get("rolled_back_at")), user=up.get("rolled_back_by") or "–"
        )
    left, right = st.columns(2)
    with left:
        st.table(
            pd.DataFrame(
                {T.HIST_FACT_COL: list(facts), T.UPL_ASSUMPTION_VALUE: [plain(v) for v in facts.values()]}
            ).set_index(T.HIST_FACT_COL)
        )
    with right:
        st.markdown(f"**{T.HIST_ASSUMPTIONS}**")
        try:
            assumptions = json.loads(up.get("assumptions") or "{}")
        except (TypeError, ValueError):
            assumptions = {}
        if assumptions:
            st.table(
                pd.DataFrame(
                    {
                        T.UPL_ASSUMPTION_COL: [plain(k) for k in assumptions],
                        T.UPL_ASSUMPTION_VALUE: [plain(german_ids(v, m.catalog)) for v in assumptions.values()],
                    }
                ).set_index(T.UPL_ASSUMPTION_COL)
            )
        else:
            st.caption(T.HIST_NO_ASSUMPTIONS)


def _history_diff(upload_id: int, m: Monitor) -> None:
    st.markdown(f"##### {T.HIST_DIFF_TITLE}")
    try:
        d = history_diff(data_version(m), upload_id)
    except Exception as exc:
        fail(T.UPL_ERROR_GENERIC, exc)
        return
    # the same comparison as the preview before the confirmation, against the state just before this upload
    st.caption(
        T.HIST_DIFF_BASIS.format(uploads=listing([str(u) for u in d.replaced], 20))
        if d.replaced
        else T.HIST_DIFF_BASIS_ALL_NEW
    )
    diff_counts(d.counts)
    if d.counts["geändert"]:
        st.caption(T.UPL_DIFF_CHANGED.format(shown=fmt_int(d.shown), total=fmt_int(d.counts["geändert"])))
        st.dataframe(
            changes_view(d.changes, names_for(m), m.catalog),
            hide_index=True,
            width="stretch",
            column_config=diff_widths(),
        )
    else:
        st.caption(T.HIST_DIFF_NONE_CHANGED)


def _download_and_rollback(upload_id: int, up: dict, m: Monitor) -> None:
    col_a, col_b = st.columns(2)
    with col_a:

        def original() -> bytes:  # read only when the button is clicked
            found = archived_original(m, upload_id)
            return found[1] if found is not None else b""

        available = bool(up.get("archive_path")) and Path(str(up["archive_path"])).exists()
        st.download_button(
            T.HIST_DOWNLOAD,
            original,
            file_name=up["file_name"],
            icon=":material/download:",
            key="download_original",
            on_click="ignore",
            disabled=not available,
        )
        if not available:
            st.caption(T.HIST_ARCHIVE_MISSING)
    with col_b:
        if up["status"] != UploadStatus.ACTIVE:
            st.caption(T.HIST_NOT_ACTIVE)
            return
        sure = st.checkbox(
            T.HIST_ROLLBACK_SURE.format(id=upload_id), key=f"rollback_sure_{upload_id}", help=T.HIST_ROLLBACK_HELP
        )
        if st.button(T.HIST_ROLLBACK, disabled=not sure, icon=":material/undo:", key="rollback_btn"):
            try:
                api.rollback(upload_id, m.store, m.catalog, m.settings, m.settings.user)
            except Exception as exc:
                fail(T.HIST_ROLLBACK_FAILED, exc, f"Rücknahme von Upload {upload_id}")
                return
            clear_caches()
            st.session_state["history_notice"] = T.HIST_ROLLED_BACK_DONE.format(id=upload_id)
            st.session_state.pop(f"rollback_sure_{upload_id}", None)
            st.rerun()
