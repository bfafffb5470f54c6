"""Files of the inbox with plausibility warnings (indicators/inbox.py): not taken over without a person's word.
Each is shown with its warnings; the person confirms and takes it over, or discards it."""

from __future__ import annotations

import hashlib

import streamlit as st

from indicators import inbox
from indicators import texts as T
from indicators.fmt import fmt_int
from indicators.service import Monitor
from indicators.status import ImportStatus
from ui.components import plain
from ui.state import clear_caches
from ui.upload.common import fail

#: the notice after a confirmation or a discard, shown once on the next run
NOTICE = "upl_pending_notice"


def pending(m: Monitor) -> None:
    """The inbox's files waiting for a confirmation of their plausibility warnings: confirm or discard."""
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice, icon=":material/check_circle:")
    files = inbox.pending_files(m.settings)
    if not files:
        return
    st.markdown(f"#### {T.INBOX_PENDING_TITLE}")
    st.caption(T.INBOX_PENDING_INTRO)
    for waiting in files:
        with st.container(border=True):
            _one(waiting, m)


def _one(waiting: inbox.PendingFile, m: Monitor) -> None:
    k = hashlib.sha256(waiting.stored.encode("utf-8")).hexdigest()[:12]
    st.markdown(T.INBOX_PENDING_FILE.format(name=plain(waiting.name), owner=plain(waiting.owner or "–")))
    for text in waiting.warnings:
        st.warning(plain(text), icon=":material/rule:")
    sure = st.checkbox(T.UPL_PLAUSIBILITY_CONFIRM, key=f"pending_sure_{k}")
    c1, c2 = st.columns(2)
    take = c1.button(
        T.INBOX_PENDING_CONFIRM, key=f"pending_take_{k}", type="primary", icon=":material/check:", disabled=not sure
    )
    drop = c2.button(T.INBOX_PENDING_DISCARD, key=f"pending_drop_{k}", icon=":material/delete:")
    if not (take or drop):
        return
    try:
        if take:
            with st.spinner(T.UPL_COMMITTING):
                result = inbox.confirm_pending(m, waiting.stored, m.settings.user)
            if result.status == ImportStatus.IMPORTED:
                notice = T.INBOX_PENDING_DONE.format(
                    name=plain(waiting.name), rows=fmt_int(result.rows), id=result.upload_id
                )
            else:
                reason = "; ".join(p.message for p in (result.errors or result.warnings[-1:])[:3])
                notice = T.INBOX_PENDING_NOT_TAKEN.format(name=plain(waiting.name), reason=plain(reason))
        else:
            inbox.discard_pending(m, waiting.stored, m.settings.user)
            notice = T.INBOX_PENDING_DISCARDED.format(name=plain(waiting.name))
    except Exception as exc:
        fail(T.INBOX_PENDING_FAILED, exc, "Eingangsordner")
        return
    st.session_state.pop(f"pending_sure_{k}", None)
    st.session_state[NOTICE] = notice
    clear_caches()
    st.rerun()
